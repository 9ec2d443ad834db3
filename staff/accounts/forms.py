"""Staff forms. Messages are worded as the GOV.UK Design System says."""

from __future__ import annotations

from portal.widgets import (
    GovPasswordInput,
    GovSelect,
    GovTextInput,
)
from wtforms import PasswordField, RadioField, SelectField, StringField
from wtforms.validators import EqualTo, InputRequired, Length, Optional

from portal.forms import BaseForm, Email, MaxLength, one_line
from portal.services.common.labels import StaffRole
from staff.fields import date_field

NO_TEAM = ""
YES_NO = [("yes", "Yes"), ("no", "No")]


def _email(label="Email address", message="Enter your email address"):
    return StringField(label, validators=[InputRequired(message), Length(max=254), Email()],
                       filters=[one_line], widget=GovTextInput())


class SignInForm(BaseForm):
    email = _email()
    password = PasswordField("Password", validators=[InputRequired("Enter your password")],
                             widget=GovPasswordInput())


def _code(label, description):
    return StringField(label, description=description,
                       validators=[InputRequired("Enter the code from your authenticator app"), Length(max=40)],
                       filters=[one_line], widget=GovTextInput())


class CodeForm(BaseForm):
    code = _code("Code", "Enter the 6-digit code from your authenticator app, or one of your recovery codes.")


class EnrolForm(BaseForm):
    code = _code("Code from your authenticator app", "Enter the 6-digit code the app shows for this account.")


def _new_password(label: str, message: str):
    return PasswordField(
        label,
        description="Use at least 12 characters, not your name or email address. A few unrelated words together make a strong password that is easy to remember.",
        validators=[InputRequired(message)],
        widget=GovPasswordInput(),
    )


def _confirm_password(which: str):
    """The password typed again: ``which`` is how the page names it ("password", "new password")."""
    return PasswordField(
        f"Confirm your {which}",
        validators=[InputRequired(f"Confirm your {which}"),
                    EqualTo("password", f"Enter the same {which} in both fields")],
        widget=GovPasswordInput(),
    )


class NewPasswordForm(BaseForm):
    password = _new_password("Create a password", "Enter a password of at least 12 characters")
    confirm = _confirm_password("password")


def _current_password():
    return PasswordField("Your current password",
                         validators=[InputRequired("Enter your current password")],
                         widget=GovPasswordInput())


class ChangePasswordForm(NewPasswordForm):
    current_password = _current_password()
    password = _new_password("New password", "Enter a new password of at least 12 characters")
    confirm = _confirm_password("new password")


class RecoveryCodesForm(BaseForm):
    current_password = _current_password()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Its own id: the password form on the same page has a current_password too.
        self.current_password.id = "codes-current-password"


class PasswordResetRequestForm(BaseForm):
    email = _email()


def _team_choices(teams):
    return [(NO_TEAM, "No team")] + [(str(t.id), t.name) for t in teams]


class StaffRoleForm(BaseForm):
    role = RadioField("Role", choices=StaffRole.choices(), validators=[InputRequired("Select a role")])
    team = SelectField("Team", description="Team managers see their team\u2019s cases and actions.",
                       widget=GovSelect(), validate_choice=True)

    def __init__(self, *args, teams=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.team.choices = _team_choices(teams)

    @property
    def team_id(self) -> int | None:
        return int(self.team.data) if self.team.data else None


class InviteForm(StaffRoleForm):
    name = StringField("Full name", validators=[InputRequired("Enter their full name"), Length(max=200)],
                       filters=[one_line], widget=GovTextInput())
    email = _email("Work email address", "Enter their email address")


class TeamForm(BaseForm):
    name = StringField("Name", validators=[InputRequired("Enter the team\u2019s name"), Length(max=120)],
                       filters=[one_line], widget=GovTextInput())
    public_description = StringField(
        "What the public sees", description="How the public forms describe this team, in plain words.",
        validators=[Optional(), Length(max=300)], filters=[one_line], widget=GovTextInput())
    manager_email = StringField("Manager\u2019s email address", validators=[Optional(), Length(max=254), Email()],
                                filters=[one_line], widget=GovTextInput())
    active = RadioField("Is the team in use?", choices=YES_NO, default="yes",
                        validators=[InputRequired("Select yes if the team is in use")])


class ThemeForm(BaseForm):
    name = StringField("Name", validators=[InputRequired("Enter the theme\u2019s name"), Length(max=120)],
                       filters=[one_line], widget=GovTextInput())
    active = RadioField("Is the theme in use?", choices=YES_NO, default="yes",
                        validators=[InputRequired("Select yes if the theme is in use")])


class NonWorkingDayForm(BaseForm):
    day = date_field("Date", "Enter the date", hint="For example, 8 5 2023")
    description = StringField(
        "Description", description="For example, Extra bank holiday for the coronation",
        validators=[InputRequired("Enter a description"), Length(max=200)],
        filters=[one_line], widget=GovTextInput())


class AuditSearchForm(BaseForm):
    """A search changes nothing, so it is a GET form without a CSRF token."""

    class Meta:
        csrf = False

    person = SelectField("Person", default="", widget=GovSelect(), validate_choice=True)
    record_type = SelectField("Type of record", default="", widget=GovSelect(), validate_choice=True)
    record_id = StringField("Record", description="The record\u2019s number, or a feedback reference like CF-2026-00042.",
                            validators=[Optional(), MaxLength(60, "The record")], filters=[one_line], widget=GovTextInput())
    date_from = date_field("From", hint="For example, 1 4 2026", invalid="‘From’ must be a real date")
    date_to = date_field("To", hint="For example, 30 9 2026", invalid="‘To’ must be a real date")

    def __init__(self, *args, people=(), record_types=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.person.choices = [("", "Anyone")] + [(str(p.id), f"{p.name} ({p.email})") for p in people]
        self.record_type.choices = [("", "Any")] + [(t, t.replace("_", " ").capitalize()) for t in record_types]

    def validate_date_to(self, field):
        from wtforms.validators import ValidationError

        if field.data and self.date_from.data and field.data < self.date_from.data:
            raise ValidationError("The \u2018to\u2019 date must be the same as or after the \u2018from\u2019 date")
