"""The case file's forms: adding documents, describing one, removing one, choosing the
documents of a bundle."""

from __future__ import annotations

from portal.widgets import GovSelect
from wtforms import MultipleFileField, SelectField, SelectMultipleField
from wtforms.validators import InputRequired
from wtforms.widgets import CheckboxInput, ListWidget

from portal.forms import BaseForm, FileForm
from portal.services.files.documents import DESCRIPTION_MAX, REASON_MAX
from staff.case.forms import VersionedForm
from staff.fields import date_field, text_box

RECEIVED_HINT = "For a letter that came by post, the day it arrived. Leave it empty for today. For example, 27 3 2026"


class AddDocumentsForm(FileForm, VersionedForm):
    file = MultipleFileField("Upload files")
    description = text_box("Description (optional)", max_length=DESCRIPTION_MAX, subject="The description",
                           hint="What it is, for example: letter from school about the EHC plan review")
    received_on = date_field("Date received (optional)", hint=RECEIVED_HINT,
                             invalid="The date it was received must be a real date")
    # Its choices hold the elements' summaries: never kept (portal/widgets.py).
    attached_to = SelectField("What is it about?", choices=[("case", "The case as a whole")],
                              widget=GovSelect(keep=False), default="case")

    def __init__(self, *args, attachable=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.attached_to.choices = [("case", "The case as a whole"), *attachable]


class DescribeDocumentForm(VersionedForm):
    description = text_box("Description", max_length=DESCRIPTION_MAX, subject="The description")
    received_on = date_field("Date received", "Enter the date it was received", hint=RECEIVED_HINT.replace(
        " Leave it empty for today.", ""), invalid="The date it was received must be a real date")


class RemoveDocumentForm(VersionedForm):
    reason = text_box("Why is it being removed?", "Enter why the document is being removed",
                      max_length=REASON_MAX, subject="The reason")


class BundleForm(BaseForm):
    kind = SelectField("Bundle", choices=[("ombudsman", "Ombudsman bundle"),
                                          ("stage2", "Stage 2 investigation pack")],
                       widget=GovSelect(), validators=[InputRequired("Select which bundle to make")])
    chosen = SelectMultipleField("Documents to include", choices=[], option_widget=CheckboxInput(),
                                 widget=ListWidget(prefix_label=False),
                                 validators=[InputRequired("Select at least one document")])

    def __init__(self, *args, documents=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.chosen.choices = [(d.public_id, d.safe_name) for d in documents]


