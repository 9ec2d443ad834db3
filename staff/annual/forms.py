"""The forms of the annual reports' pages."""

from __future__ import annotations

from flask import request
from flask_wtf.file import FileField, FileRequired
from flask_wtf.form import _Auto
from werkzeug.datastructures import CombinedMultiDict, MultiDict
from portal.widgets import GovFileInput, GovTextInput
from wtforms import RadioField, StringField
from wtforms.validators import Length, Optional

from portal.forms import BaseForm, one_line
from portal.services.casework.ombudsman_data import FIELDS, in_a_sentence
from portal.services.common.labels import Complies
from portal.services.reports.self_assessment import LIMIT, REQUIREMENTS
from staff.fields import text_box


class MemberResponseForm(BaseForm):
    text = text_box("The Member Responsible for Complaints' response",
                    "Enter the response of the Member Responsible for Complaints", max_length=20000,
                    subject="The response",
                    hint="As the Member gave it. Leave a blank line between paragraphs.")


def field_name(code: str, what: str) -> str:
    return f"{what}_{code.replace('.', '_')}"


class SelfAssessmentForm(BaseForm):
    """One radio and two boxes a requirement, named after its code (``how_5_2``)."""


for _requirement in REQUIREMENTS:
    setattr(SelfAssessmentForm, field_name(_requirement.code, "complies"), RadioField(
        f"Do we meet requirement {_requirement.code}?", choices=Complies.choices(), validators=[Optional()]))
    setattr(SelfAssessmentForm, field_name(_requirement.code, "how"), text_box(
        "How we comply", max_length=LIMIT, subject="How we comply"))
    setattr(SelfAssessmentForm, field_name(_requirement.code, "evidence"), text_box(
        "Evidence", max_length=LIMIT, subject="The evidence"))


class OmbudsmanImportForm(BaseForm):
    """The one staff form that takes a file: its file field reads the upload, and every
    other field is still refused when sent as a file (``BaseForm.validate``)."""

    class Meta(BaseForm.Meta):
        def wrap_formdata(self, form, formdata):
            if formdata is _Auto and request.method == "POST" and (request.form or request.files):
                # Only the file field reads an upload; a file sent as any other answer is
                # refused by BaseForm.validate, never read as text.
                upload = MultiDict([("file", part) for part in request.files.getlist("file")])
                return CombinedMultiDict((upload, request.form))
            return super().wrap_formdata(form, formdata)

    file = FileField("The Ombudsman's spreadsheet", validators=[FileRequired("Choose the spreadsheet to import")], widget=GovFileInput(),
                     description="A CSV or XLSX file of the cases the Ombudsman received or decided.")


for _field, _words in FIELDS.items():
    setattr(OmbudsmanImportForm, f"column_{_field}", StringField(
        f"Column for {in_a_sentence(_field)}", filters=[one_line], widget=GovTextInput(),
        validators=[Optional(), Length(max=200)]))
