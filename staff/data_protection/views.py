"""Data protection pages: retention rules, removing personal data past its date (a list,
then a confirmation), legal holds on a case or a person, a person's data protection page
(correcting their details, erasure on request), subject access requests with redaction and
release, and who viewed a case. The rules are in portal/services/data_protection/ (retention_rules,
holds, purge, subject_access, access_log); docs/data-protection.md explains them."""

from __future__ import annotations

from flask import abort, current_app, flash, make_response, redirect, render_template, request, url_for
from flask_login import current_user
from portal.widgets import GovTextArea, GovTextInput
from sqlalchemy import select
from wtforms import HiddenField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional, ValidationError

from portal import auth
from portal.extensions import db
from portal.forms import BaseForm, Email, MaxLength, hidden_characters, one_line
from portal.models import Feedback, LegalHold, Person, SubjectAccessRequest
from portal.models.data_protection import RETENTION_KINDS
from portal.services.data_protection import access_log, holds, purge, retention_rules, subject_access
from portal.services.intake import references
from portal.services.common.dates import spoken, today
from portal.services.accounts.permissions import has_permission
from staff import bp
from staff.case.acting import case_action
from staff.changes import carry_out, carry_out_and_flash
from staff.fields import add_error, date_field

manage_retention = auth.permission_required("manage_retention")
manage_data_protection = auth.permission_required("manage_data_protection")
view_access_log = auth.permission_required("view_access_log")
export_data = auth.permission_required("export_data")


# --- Forms ------------------------------------------------------------------------------


def _months_field(kind: str) -> StringField:
    what = retention_rules.KIND_LABELS[kind].lower()
    return StringField(
        retention_rules.KIND_LABELS[kind], description=f"Months kept {retention_rules.FROM_WHEN[kind]}.",
        validators=[InputRequired(f"Enter how many months {what} are kept"),
                    MaxLength(10, f"The number of months {what} are kept")],
        filters=[one_line], widget=GovTextInput(),
    )


class RetentionForm(BaseForm):
    compliment = _months_field("compliment")
    initial_contact = _months_field("initial_contact")
    complaint = _months_field("complaint")
    contact_restriction = _months_field("contact_restriction")

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        for kind in RETENTION_KINDS:
            field = self[kind]
            if field.errors:
                continue
            text = (field.data or "").strip()
            if not text.isdigit() or not 1 <= int(text) <= 1200:
                field.errors = list(field.errors) + ["Months must be a whole number between 1 and 1200"]
                ok = False
        return ok


class PurgeForm(BaseForm):
    # What the person saw: the purge goes ahead only if the list is still the same.
    listed = HiddenField()


class HoldForm(BaseForm):
    reason = TextAreaField("Why must it be kept?", description="For example, the court case or claim and its reference.",
                           validators=[InputRequired("Enter why the record must be kept"), Length(max=2000)],
                           widget=GovTextArea())


class LiftForm(BaseForm):
    lift_reason = StringField("Why is the hold lifted? (optional)",
                              validators=[Optional(), MaxLength(500, "The reason the hold is lifted")],
                              filters=[one_line], widget=GovTextInput())


class DetailsForm(BaseForm):
    name = StringField("Name", validators=[Optional(), Length(max=200)], filters=[one_line], widget=GovTextInput())
    email = StringField("Email address", validators=[Optional(), Length(max=254), Email()],
                        filters=[one_line], widget=GovTextInput())
    phone = StringField("Phone number", validators=[Optional(), Length(max=40)], filters=[one_line],
                        widget=GovTextInput())
    address = TextAreaField("Address", validators=[Optional(), Length(max=1000)], widget=GovTextArea())


class ConfirmForm(BaseForm):
    """Nothing to fill in: the button is the confirmation (with its CSRF token)."""


class NewRequestForm(BaseForm):
    received_on = date_field("When was the request received?", "Enter the date the request was received",
                             hint="For example, 31 1 2026",
                             invalid="The date the request was received must be a real date", default=today)


class RedactionForm(BaseForm):
    redact = SelectMultipleField("Redact", choices=[], validate_choice=False)

    def __init__(self, *args, paths=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.redact.choices = [(p, p) for p in paths]

    def validate_redact(self, field):
        allowed = {value for value, _ in field.choices}
        if any(value not in allowed for value in field.data or []):
            raise ValidationError("The records changed while you were choosing: check the redactions again")


class SearchForm(BaseForm):
    class Meta:
        csrf = False

    q = StringField("Name, email address, phone number or feedback reference",
                    validators=[Optional(), MaxLength(200, "Your search")], filters=[one_line], widget=GovTextInput())


# --- Helpers ----------------------------------------------------------------------------


def _case_or_404(reference: str) -> Feedback:
    """Any case, whether or not this person's role sees case pages: who viewed a case is
    for administrators too, who do not (so not ``case_action``)."""
    record = db.session.scalar(select(Feedback).where(Feedback.reference == reference))
    if record is None:
        abort(404)
    return record


# --- The index --------------------------------------------------------------------------


@bp.get("/data-protection")
@view_access_log
def data_protection():
    typed = (request.args.get("reference") or "").strip()[:40]
    reference = references.read_reference(typed)  # as people type it: cf-2026-42, CF 2026 00042
    if typed and reference is None:
        flash("Enter a reference in the correct format, like CF-2026-00042", "info")
        reference = "" if hidden_characters(typed) else typed
    elif reference:
        if db.session.scalar(select(Feedback.id).where(Feedback.reference == reference)) is None:
            flash(f"No case has the reference {reference}", "info")
        else:
            return redirect(url_for(".case_viewers", reference=reference))
    return render_template("staff/data_protection/index.html", reference=reference)


# --- Retention rules (administrators) ----------------------------------------------------


@bp.route("/data-protection/retention", methods=["GET", "POST"], endpoint="retention_rules")
@manage_retention
def retention_rules_page():
    rows = retention_rules.rule_rows()
    form = RetentionForm(data={row["kind"]: str(row["months"]) for row in rows})
    if form.validate_on_submit():
        for kind in RETENTION_KINDS:
            retention_rules.set_rule(kind, int(form[kind].data), current_user)
        db.session.commit()
        flash("Retention rules saved", "success")
        return redirect(url_for(".retention_rules"))
    return render_template("staff/data_protection/retention.html", form=form, rows=rows)


# --- Removing personal data past its date (feedback managers) ---------------------------


@bp.route("/data-protection/purge", methods=["GET", "POST"], endpoint="purge")
@manage_data_protection
def purge_page():
    day = today()
    due = purge.due_for_removal(day)
    listed = ",".join(d.label for d in due.removable)
    form = PurgeForm(data={"listed": listed})
    if form.validate_on_submit():
        if form.listed.data != listed:
            add_error(form, "listed", "The list changed while you were reading it: check it again")
        elif not due.removable:
            add_error(form, "listed", "Nothing is due for removal")
        else:
            result = purge.run(day, current_user)
            db.session.commit()
            flash(f"Personal data removed from {len(result.references)} records", "success")
            return redirect(url_for(".purge"))
    return render_template("staff/data_protection/purge.html", form=form, due=due, today=day,
                           labels=retention_rules.KIND_LABELS)


# --- Legal holds ------------------------------------------------------------------------


@bp.route("/cases/<reference>/legal-holds", methods=["GET", "POST"])
@case_action("manage_data_protection")
def case_legal_holds(record: Feedback):
    form = HoldForm()
    if carry_out(form, lambda f: holds.place(f.reason.data, current_user, feedback=record)).done:
        flash("Legal hold placed: this record's personal data will not be removed until it is lifted", "success")
        return redirect(url_for(".case_legal_holds", reference=record.reference))
    return render_template("staff/data_protection/holds.html", form=form, record=record,
                           holds=holds.placed_on(feedback=record), lift_form=LiftForm(formdata=None),
                           person_holds=holds.placed_on(person=record.person) if record.person else [])


@bp.post("/legal-holds/<int:hold_id>/lift")
@manage_data_protection
def lift_legal_hold(hold_id: int):
    hold = db.get_or_404(LegalHold, hold_id)
    form = LiftForm()
    if form.validate_on_submit():
        carry_out_and_flash(lambda: holds.lift(hold, current_user, form.lift_reason.data), "Legal hold lifted")
    if hold.feedback is not None:
        return redirect(url_for(".case_legal_holds", reference=hold.feedback.reference))
    if hold.person_id is not None:
        return redirect(url_for(".data_protection_person", person_id=hold.person_id))
    return redirect(url_for(".data_protection"))


# --- A person: holds, corrections, erasure -----------------------------------------------


def _person_page(person: Person, status: int = 200, **forms):
    context = dict(
        person=person, found=subject_access.records_about(person),
        named=subject_access.named_in(person),
        holds=holds.placed_on(person=person), active=holds.in_force(person=person),
        hold_form=forms.get("hold_form") or HoldForm(formdata=None),
        details_form=forms.get("details_form") or DetailsForm(
            formdata=None, data={"name": person.name, "email": person.email, "phone": person.phone,
                                 "address": person.address}),
        lift_form=LiftForm(formdata=None),
        form=forms.get("hold_form") or forms.get("details_form"),
    )
    return make_response(render_template("staff/data_protection/person.html", **context), status)


@bp.get("/data-protection/people/<int:person_id>")
@manage_data_protection
def data_protection_person(person_id: int):
    person = db.get_or_404(Person, person_id)
    access_log.record_view(current_user, "person", person_id=person.id, detail="data protection page")
    return _person_page(person)


@bp.post("/data-protection/people/<int:person_id>/legal-holds")
@manage_data_protection
def person_legal_hold(person_id: int):
    person = db.get_or_404(Person, person_id)
    form = HoldForm()
    if not form.validate_on_submit():
        return _person_page(person, hold_form=form)
    holds.place(form.reason.data, current_user, person=person)
    db.session.commit()
    flash("Legal hold placed: nothing about this person will be removed until it is lifted", "success")
    return redirect(url_for(".data_protection_person", person_id=person.id))


@bp.post("/data-protection/people/<int:person_id>/details")
@manage_data_protection
def person_details(person_id: int):
    person = db.get_or_404(Person, person_id)
    form = DetailsForm()
    if carry_out(form, lambda f: subject_access.rectify(person, f.name.data, f.email.data, f.phone.data,
                                                        f.address.data)).done:
        flash("Their details have been corrected", "success")
        return redirect(url_for(".data_protection_person", person_id=person.id))
    return _person_page(person, details_form=form)


@bp.route("/data-protection/people/<int:person_id>/erase", methods=["GET", "POST"])
@manage_data_protection
def person_erase(person_id: int):
    person = db.get_or_404(Person, person_id)
    form = ConfirmForm()
    in_force = holds.in_force(person=person)
    if form.validate_on_submit() and carry_out_and_flash(
            lambda: purge.erase_person(person, current_user),
            lambda result: f"Personal data erased from {len(result.references)} records"):
        return redirect(url_for(".data_protection"))
    records = list(db.session.scalars(select(Feedback).where(Feedback.person_id == person.id)
                                      .order_by(Feedback.reference)))
    return render_template("staff/data_protection/erase.html", person=person, records=records,
                           holds=in_force, form=form)


# --- Subject access requests ------------------------------------------------------------


@bp.get("/subject-access")
@export_data
def subject_access_requests():
    form = SearchForm(request.args)
    found = subject_access.find_people(form.q.data) if form.validate() and form.q.data else []
    return render_template("staff/data_protection/requests.html", search_form=form, found=found,
                           requests=subject_access.requests_list(), today=today(),
                           words=subject_access.deadline_words, overdue=subject_access.is_overdue,
                           searched=bool(form.q.data))


@bp.route("/subject-access/new/<int:person_id>", methods=["GET", "POST"])
@export_data
def subject_access_new(person_id: int):
    person = db.get_or_404(Person, person_id)
    form = NewRequestForm()
    made = carry_out(form, lambda f: subject_access.open_request(person, f.received_on.data, current_user, today()))
    if made.done:
        flash(f"Request recorded: the release is due by {spoken(made.result.due_on)}", "success")
        return redirect(url_for(".subject_access_request", request_id=made.result.id))
    return render_template("staff/data_protection/request_new.html", form=form, person=person,
                           found=subject_access.records_about(person))


@bp.route("/subject-access/<int:request_id>", methods=["GET", "POST"])
@export_data
def subject_access_request(request_id: int):
    sar = db.get_or_404(SubjectAccessRequest, request_id)
    document = subject_access.build_copy(sar.person, sar, today()) if sar.person is not None else None
    candidates = subject_access.fields(document) if document else []
    form = RedactionForm(paths=[f.path for f in candidates],
                         data={"redact": list(sar.redactions or [])})
    # Whatever the service names, a refusal is about the redactions chosen.
    if carry_out(form, lambda f: subject_access.prepare(sar, f.redact.data or [], today()),
                 fields={None: "redact"}).done:
        flash(f"Release prepared with {len(sar.redactions)} redactions", "success")
        return redirect(url_for(".subject_access_request", request_id=sar.id) + "#release")
    if sar.person is not None and request.method == "GET":
        access_log.record_view(current_user, "person", person_id=sar.person_id,
                               detail=f"subject access request {sar.id}")
    return render_template(
        "staff/data_protection/request.html", sar=sar, form=form, candidates=candidates,
        document=document, today=today(), words=subject_access.deadline_words(sar, today()),
        overdue=subject_access.is_overdue(sar, today()), confirm_form=ConfirmForm(formdata=None),
        sections=_sections(document, candidates),
    )


def _sections(document: dict | None, candidates) -> list[tuple[str, list]]:
    """The redactable fields grouped under a heading per part of the copy."""
    if document is None:
        return []
    titles = {"person": "Their details", "contact_restrictions": "Letters about persistent contact"}
    for i, record in enumerate(document["records"]):
        relation = "sent by them" if record["relation"] == "submitter" else "written about them"
        titles[f"records/{i}"] = f"{record['reference']} ({relation})"
    grouped: dict[str, list] = {key: [] for key in titles}
    for field in candidates:
        grouped.setdefault(field.section, []).append(field)
    return [(titles.get(key, key), fields) for key, fields in grouped.items() if fields]


@bp.post("/subject-access/<int:request_id>/release")
@export_data
def subject_access_release(request_id: int):
    sar = db.get_or_404(SubjectAccessRequest, request_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        carry_out_and_flash(lambda: subject_access.release(sar, current_user, today()),
                            "Release recorded as sent today")
    return redirect(url_for(".subject_access_request", request_id=sar.id))


@bp.get("/subject-access/<int:request_id>/release.json", defaults={"file_format": "json"})
@bp.get("/subject-access/<int:request_id>/release.pdf", defaults={"file_format": "pdf"})
@bp.get("/subject-access/<int:request_id>/release.zip", defaults={"file_format": "zip"})
@export_data
def subject_access_download(request_id: int, file_format: str):
    sar = db.get_or_404(SubjectAccessRequest, request_id)
    if sar.release is None:
        abort(404)
    if file_format == "zip":  # the release and the files the person sent (docs/case-file.md)
        content = subject_access.release_zip(sar, current_app.config["ORG_NAME"])
        mimetype = "application/zip"
    elif file_format == "json":
        content, mimetype = subject_access.release_json(sar), "application/json"
    else:
        content = subject_access.release_pdf(sar, current_app.config["ORG_NAME"])
        mimetype = "application/pdf"
    subject_access.downloaded(sar, current_user, file_format)
    access_log.record_view(current_user, "subject_access_release", person_id=sar.person_id,
                           detail=f"subject access request {sar.id} as {file_format.upper()}", commit=False)
    db.session.commit()
    response = make_response(content)
    response.mimetype = mimetype
    response.headers["Content-Disposition"] = (
        f'attachment; filename="subject-access-{sar.id}.{file_format}"')
    response.headers["Cache-Control"] = "no-store"
    return response


# --- Who viewed a case ------------------------------------------------------------------


@bp.get("/cases/<reference>/viewers")
@view_access_log
def case_viewers(reference: str):
    record = _case_or_404(reference)
    return render_template("staff/data_protection/viewers.html", record=record,
                           entries=access_log.viewers_of_case(record),
                           can_open_case=has_permission(current_user, "view_cases"))
