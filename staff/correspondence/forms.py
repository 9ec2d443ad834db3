"""Forms for letters: writing one on a case (or about a restriction), a template, a jargon term."""

from __future__ import annotations

from portal.widgets import GovSelect, GovTextArea, GovTextInput
from wtforms import HiddenField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from portal.forms import BaseForm, MaxLength, one_line
from portal.services.common.labels import LetterAudience, LetterChannel, LetterPurpose
from staff.case.forms import VersionedForm


def _raw_text(value):
    """The letter as typed, line ends made plain (its spaces and blank lines matter)."""
    return value.replace("\r\n", "\n") if isinstance(value, str) else value


class LetterForm(VersionedForm):
    ORDER = ("purpose", "channel", "audience", "subject", "text", "override_reason")
    purpose = SelectField("What is it for?", choices=LetterPurpose.choices(), widget=GovSelect(),
                          validators=[InputRequired("Choose what the letter is for")])
    channel = RadioField("How does it go?", choices=LetterChannel.choices(),
                         validators=[InputRequired("Choose whether to email or post it")])
    audience = RadioField("Who are the words for?", choices=LetterAudience.choices(),
                          validators=[InputRequired("Choose who the words are for")])
    template_version = HiddenField()
    checked = HiddenField()
    subject = StringField("Subject", filters=[one_line], widget=GovTextInput(),
                          validators=[Optional(), Length(max=200, message="The subject must be 200 characters or fewer")])
    text = TextAreaField("The letter", filters=[_raw_text], widget=GovTextArea(),
                         validators=[Optional(), MaxLength(20000, "The letter")])
    override_reason = TextAreaField("Why should it go without the missing part?", widget=GovTextArea(),
                                    description="Feedback managers only. This is kept in the audit trail.",
                                    validators=[Optional(), MaxLength(2000, "The reason")])

    @property
    def template_number(self) -> int:
        try:
            return int(self.template_version.data or 0)
        except ValueError:
            return 0


class TemplateForm(BaseForm):
    ORDER = ("subject", "body")
    subject = StringField("Subject", filters=[one_line], widget=GovTextInput(),
                          validators=[InputRequired("Enter the subject"),
                                      Length(max=200, message="The subject must be 200 characters or fewer")])
    body = TextAreaField("The template", filters=[_raw_text], widget=GovTextArea(),
                         validators=[InputRequired("Enter the template"), MaxLength(20000, "The template")])


class JargonForm(BaseForm):
    ORDER = ("term", "plainer")
    term = StringField("Word or abbreviation", filters=[one_line], widget=GovTextInput(),
                       validators=[InputRequired("Enter the word or abbreviation"),
                                   Length(max=80, message="The word or abbreviation must be 80 characters or fewer")])
    plainer = StringField("Plainer words", filters=[one_line], widget=GovTextInput(),
                          validators=[InputRequired("Enter the plainer words"),
                                      Length(max=500, message="The plainer words must be 500 characters or fewer")])
