"""The public's forms. Every message is worded as the GOV.UK Design System says."""

from __future__ import annotations

from portal.widgets import (
    GovCharacterCount,
    GovSelect,
    GovTextInput,
)
from wtforms import IntegerField, MultipleFileField, RadioField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import InputRequired, NumberRange, Optional, ValidationError

from portal.forms import BaseForm, Called, Email, MaxLength, UKPhone, clean_text, one_line
from portal.services.common.labels import ContactMethod, SubmitterRole
from portal.services.common.dates import read_date
from portal.services.intake.references import read_reference

NOT_SURE = "not_sure"
YES_NO = [("yes", "Yes"), ("no", "No")]
TEXT_LIMIT = 5000


def _text(label_text, message=None, max_length=200, required=False, subject=None, **kw):
    """A one-line answer; ``subject`` is what its messages call it ("Their name")."""
    validators = [InputRequired(message)] if required else [Optional()]
    validators.append(MaxLength(max_length, subject or label_text))
    return StringField(label_text, validators=validators, filters=[one_line], widget=GovTextInput(), **kw)


def _long_text(label_text, message=None, required=False, max_length=TEXT_LIMIT, subject=None, **kw):
    """A longer answer; ``subject`` is what its messages call it ("Your complaint")."""
    validators = [InputRequired(message)] if required else [Optional()]
    validators.append(MaxLength(max_length, subject or label_text))
    return TextAreaField(
        label_text, validators=validators, filters=[clean_text], widget=GovCharacterCount(), **kw
    )


def _email(label_text="Email address", required=False, **kw):
    validators = [InputRequired("Enter your email address")] if required else [Optional()]
    validators += [MaxLength(254, "Your email address"),
                   Email("Enter your email address in the correct format, like name@example.com")]
    return StringField(label_text, validators=validators, filters=[one_line], widget=GovTextInput(), **kw)


class HoneypotMixin:
    # Hidden from people (and from screen readers); bots fill it in.
    website = StringField("Leave this field empty", filters=[clean_text])

    @property
    def looks_like_spam(self) -> bool:
        return bool(self.website.data)


class FilesMixin:
    """Up to five files sent with the form (portal.services.intake.uploads checks and keeps
    them; the field is here for its label, its id and its errors)."""

    files = MultipleFileField(
        "Add files (optional)",
        description="For example, a letter, a plan or a photo. You can add up to 5 files: PDF, Word, "
                    "text, JPEG, PNG or HEIC, up to 10 MB each.",
    )


class PublicForm(FilesMixin, HoneypotMixin, BaseForm):
    """Fields shared by every public form; subclasses add the rest."""

    team = SelectField(
        "Which service or team is it about?",
        description="If you are not sure, choose \u201cI\u2019m not sure\u201d and we will find the right team.",
        widget=GovSelect(),
        validate_choice=True,
        validators=[Called(choice="a service or team")],
    )

    def __init__(self, *args, teams=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.team.choices = [(NOT_SURE, "I\u2019m not sure")] + [
            (str(t.id), t.public_description or t.name) for t in teams
        ]

    ORDER: list[str] = []  # the questions in the order the page asks them

    @property
    def looks_like_spam(self) -> bool:
        return bool(self.website.data)

    def answers(self) -> dict:
        """The answers as plain data, to keep in a draft between pages."""
        return {name: field.data for name, field in self._fields.items() if name not in ("csrf_token", "website", "files")}


def _roles(exclude=()):
    return SubmitterRole.choices(*(r for r in SubmitterRole if r not in exclude))


class ContactDetailsMixin:
    name = _text("Your full name", "Enter your full name", required=True)
    contact_methods = SelectMultipleField(
        "How should we contact you?",
        description="Select all that apply.",
        choices=ContactMethod.choices(),
        validators=[Optional(), Called(choice="how we should contact you")],
    )
    email = _email()
    phone = StringField(
        "Phone number",
        validators=[Optional(), MaxLength(40, "Your phone number"),
                    UKPhone("Enter your phone number, like 01632 960 001, 07700 900 982 or +44 808 157 0192")],
        filters=[one_line], widget=GovTextInput(),
    )
    address = _long_text("Postal address", max_length=500, subject="Your postal address")

    contact_methods_message = "Select how we should contact you"

    def validate_contact_details(self) -> bool:
        """At least one way to reach the person, and each way chosen needs its detail."""
        ok = True
        methods = set(self.contact_methods.data or [])
        if not methods:
            self.contact_methods.errors = [self.contact_methods_message]
            return False
        if "email" in methods and not self.email.data:
            self.email.errors.append("Enter your email address")
            ok = False
        if methods & {"phone", "text"} and not self.phone.data:
            self.phone.errors.append("Enter your phone number")
            ok = False
        if "post" in methods and not self.address.data:
            self.address.errors.append("Enter your postal address")
            ok = False
        return ok


class ConcernOrComplaintFields(ContactDetailsMixin):
    role = RadioField(
        "Who are you?",
        choices=_roles(),
        validators=[InputRequired("Select who you are")],
    )
    about = RadioField(
        "Who is this about?",
        choices=[
            ("myself", "Me"),
            ("child", "A child or young person"),
            ("someone_else", "Someone else"),
        ],
        validators=[InputRequired("Select who this is about")],
    )
    about_name = _text("Their name", description="Leave this empty if you would rather not say.")
    about_consent = RadioField(
        "Do they know you are contacting us, and do they agree?",
        choices=[("yes", "Yes"), ("no", "No"), ("not_asked", "I have not been able to ask them")],
        validators=[Optional()],
    )
    when_it_happened = _text(
        "Roughly when did it happen?",
        description="For example, \u2018last week\u2019 or \u2018March 2026\u2019.",
        max_length=200,
        subject="When it happened",
    )
    desired_outcome = _long_text("What would put things right?", max_length=2000,
                                 subject="What would put things right")
    support_needs = _long_text(
        "Do you need any support to take part?",
        description="For example, an interpreter, large print, or a meeting instead of letters.",
        max_length=2000,
        subject="The support you need",
    )
    advocate = RadioField(
        "Would you like help from an advocate?",
        description=(
            "An advocate is someone independent who helps a child or young person say what they "
            "think and makes sure they are listened to. It is free."
        ),
        choices=YES_NO,
        validators=[InputRequired("Select yes if you would like help from an advocate")],
    )
    at_risk = RadioField(
        "Is a child at risk of harm right now?",
        choices=[("yes", "Yes"), ("no", "No"), ("not_sure", "I\u2019m not sure")],
        validators=[InputRequired("Select yes if a child is at risk of harm right now")],
    )

    def validate_about_someone_else(self) -> bool:
        """Someone writing for another person is asked whether that person agrees."""
        if self.about.data in ("child", "someone_else") and not self.about_consent.data:
            self.about_consent.errors = ["Select whether they know you are contacting us and agree"]
            return False
        return True

    def validate(self, extra_validators=None):
        ok = super().validate(extra_validators)
        ok = self.validate_about_someone_else() and ok
        return self.validate_contact_details() and ok


_CONTACT = ["name", "contact_methods", "email", "phone", "address"]
_ABOUT = ["role", "about", "about_name", "about_consent"]
_STORY = ["team", "summary", "when_it_happened", "desired_outcome", "files", "at_risk", "advocate"]


class ConcernForm(ConcernOrComplaintFields, PublicForm):
    ORDER = ["category", *_ABOUT, *_STORY, *_CONTACT, "support_needs"]
    category = RadioField(
        "Is this a question or a concern?",
        choices=[("query", "A question"), ("concern", "A concern")],
        validators=[InputRequired("Select whether this is a question or a concern")],
    )
    summary = _long_text(
        "Tell us your question or concern",
        "Enter your question or concern",
        required=True,
        subject="Your question or concern",
        description="Include names, dates and places if you can. Do not worry about getting it perfect.",
    )


class ComplaintForm(ConcernOrComplaintFields, PublicForm):
    ORDER = [*_ABOUT, *_STORY, *_CONTACT, "support_needs"]
    summary = _long_text(
        "What is your complaint about?",
        "Enter what your complaint is about",
        required=True,
        subject="Your complaint",
        description="Tell us what happened, who was involved and how it has affected you or the child.",
    )


class ComplimentForm(PublicForm):
    ORDER = ["role", "team", "named_staff", "summary", "files", "publish_consent", "name", "email"]
    role = RadioField(
        "Who are you?",
        choices=_roles(),
        validators=[InputRequired("Select who you are")],
    )
    named_staff = _text(
        "Who would you like to thank?",
        description="The names of the people, if you know them. You can leave this empty.",
        max_length=500,
        subject="The names of the people you would like to thank",
    )
    summary = _long_text(
        "What would you like to tell us?",
        "Enter what you would like to tell us",
        required=True,
        subject="Your compliment",
    )
    publish_consent = RadioField(
        "Can we share what you said, without your name, to show what we do well?",
        choices=YES_NO,
        validators=[InputRequired("Select yes if we can share what you said without your name")],
    )
    name = _text("Your name (optional)", description="You can stay anonymous.", subject="Your name")
    email = _email(
        "Email address (optional)",
        description="We will only use this to say thank you and tell you we passed it on.",
    )


class YoungPersonForm(ContactDetailsMixin, PublicForm):
    """The same records underneath, with short questions in everyday words."""

    ORDER = ["what", "role", "age", "young_name", "date_of_birth", "summary", "team", "desired_outcome", "files", "at_risk",
             "advocate", *_CONTACT]

    what = RadioField(
        "What do you want to do?",
        choices=[
            ("compliment", "Say thank you or tell us something good"),
            ("concern", "Ask a question or tell us about a worry"),
            ("complaint", "Make a complaint"),
        ],
        validators=[InputRequired("Choose what you want to do")],
    )
    role = RadioField(
        "Which of these are you?",
        choices=[
            ("child_or_young_person", "A child or young person"),
            ("care_leaver", "A care leaver"),
            ("advocate_or_representative", "Someone helping a young person"),
        ],
        validators=[InputRequired("Choose which of these you are")],
    )
    age = IntegerField(
        "How old are you? (optional)",
        validators=[Optional(), NumberRange(min=4, max=30, message="Enter your age as a number, like 14")],
        widget=GovTextInput(),
        render_kw={"inputmode": "numeric", "spellcheck": "false", "class": "govuk-input--width-3"},
    )
    # The child the case is about (portal.services.intake.children): the young person
    # themselves, or the one a helper writes for.
    young_name = _text("If you are helping a young person, what is their name? (optional)",
                       subject="Their name")
    date_of_birth = _text("What is the young person\u2019s date of birth? (optional)", max_length=40,
                          subject="The date of birth",
                          description="If it is about you, put your own. For example, 27/3/2012")
    summary = _long_text(
        "What do you want to tell us?",
        "Tell us what you want to say",
        required=True,
        subject="Your message",
        description="Write it in your own words. It does not have to be perfect.",
    )
    desired_outcome = _long_text("What would make things better? (optional)", max_length=2000,
                                 subject="What would make things better")
    advocate = RadioField(
        "Would you like an advocate?",
        description="An advocate is on your side. They help you say what you think and make sure we listen. It is free.",
        choices=YES_NO,
        validators=[InputRequired("Choose yes if you would like an advocate")],
    )
    at_risk = RadioField(
        "Are you, or another child, being hurt or in danger right now?",
        choices=[("yes", "Yes"), ("no", "No"), ("not_sure", "I\u2019m not sure")],
        validators=[InputRequired("Choose yes if you or another child are in danger right now")],
    )
    name = _text("What is your name?", description="You do not have to tell us if you are saying thank you.",
                 subject="Your name")
    contact_methods_message = "Choose how we can get back to you"

    def validate_date_of_birth(self, field):
        if field.data and read_date(field.data) is None:
            raise ValidationError("Enter the date of birth as a real date, like 27/3/2012")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.team.label.text = "Who is it about? (optional)"
        self.team.description = "Choose \u201cI\u2019m not sure\u201d if you don\u2019t know."
        self.contact_methods.label.text = "How can we get back to you?"

    def validate(self, extra_validators=None):
        ok = super().validate(extra_validators)
        if self.what.data == "compliment" and not self.contact_methods.data:
            return ok
        if not self.name.data:
            self.name.errors = ["Tell us your name"]
            ok = False
        return self.validate_contact_details() and ok


class AddInformationForm(FilesMixin, HoneypotMixin, BaseForm):
    information = _long_text(
        "What would you like to add?",
        "Enter what you would like to add",
        required=True,
        subject="What you add",
        description="For example, something that has happened since.",
    )


class NextStageForm(HoneypotMixin, BaseForm):
    unhappy_about = _long_text(
        "What are you still unhappy about?",
        "Enter what you are still unhappy about",
        required=True,
        subject="What you are still unhappy about",
        description="Tell us which parts of our answer you do not agree with, and why. "
                    "The person who looks at your complaint next will read this.",
    )

    def reasons_optional(self) -> None:
        """For a stage asked for without reasons (the Complaint Handling Code): the box
        may be left empty."""
        field = self.unhappy_about
        field.validators = [Optional(), *(v for v in field.validators if not isinstance(v, InputRequired))]
        field.flags.required = False
        field.description = ("You do not have to give reasons. If you tell us which parts of our "
                             "answer you do not agree with, the person who looks at your "
                             "complaint next will read it.")


class StatusLinkForm(HoneypotMixin, BaseForm):
    reference = _text(
        "Reference number",
        "Enter your reference number",
        required=True,
        max_length=40,
        subject="Your reference number",
        description="For example, CF-2026-00042. It is in the email we sent you.",
    )

    def validate_reference(self, field):
        """Read as people type it (cf-2026-42, CF 2026 00042), then written as the portal writes it."""
        reference = read_reference(field.data)
        if reference is None:
            raise ValidationError("Enter your reference number in the correct format, like CF-2026-00042")
        field.data = reference
    email = _email(required=True, description="The email address you gave us.")
