from __future__ import annotations

from portal.widgets import GovTextArea
from wtforms import TextAreaField
from wtforms.validators import InputRequired

from portal.forms import BaseForm, MaxLength
from portal.services.mail_in.thread import TEXT_MAX
from staff.case.forms import VersionedForm


class ReplyForm(VersionedForm):
    text = TextAreaField("Your reply", id="reply-text", validators=[InputRequired("Enter your reply"),
                                                                    MaxLength(TEXT_MAX, "Your reply")],
                         widget=GovTextArea())


class ReviewForm(BaseForm):
    """A button's form: only the CSRF token."""
