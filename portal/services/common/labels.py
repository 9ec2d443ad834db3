"""The codes the portal stores and the words people read for them: one vocabulary per
kind of code, each code with its words once.

A vocabulary is a ``Vocabulary`` (a ``StrEnum``), so a member is the stored code itself
(``PaymentKind.FINANCIAL_REMEDY == "financial_remedy"``) and the database keeps the codes
it always had. Each member carries

- ``words``: how the portal names it on a page, in an email or a timeline entry;
- ``choice``: how a form offers it, when that is worded as an answer ("Resolved
  informally"); otherwise the words;
- ``hint``: the line a form shows under the choice, if any.

Forms take their choices from here (``ActionStatus.choices()``); pages from ``words_of``
or, for the everyday codes, the ``label`` filter. The codes of interchange/FORMAT.md are
the same codes.
"""

from __future__ import annotations

from enum import EnumType, StrEnum


class _Codes(EnumType):
    def __contains__(cls, value) -> bool:
        # A stored code is a plain string: ``"done" in ActionStatus`` asks whether it is
        # one of the codes (Python 3.11 would otherwise refuse anything but a member).
        return isinstance(value, str) and value in cls._value2member_map_


class Vocabulary(StrEnum, metaclass=_Codes):
    """A set of stored codes, each with its words (see the module docstring)."""

    def __new__(cls, code: str, words: str, choice: str | None = None, hint: str | None = None):
        member = str.__new__(cls, code)
        member._value_ = code
        member.words = words
        member.choice = choice or words
        member.hint = hint
        return member

    @classmethod
    def codes(cls) -> tuple[str, ...]:
        return tuple(member.value for member in cls)

    @classmethod
    def words_of(cls, code: str | None, otherwise: str | None = None) -> str | None:
        """The words for a code; ``otherwise`` for a code that is not one of these
        (None, or a value from before the vocabulary had it)."""
        return cls(code).words if code in cls else otherwise

    @classmethod
    def choices(cls, *only: str) -> list[tuple[str, str]]:
        """``(code, words)`` pairs for a form: every code in order, or just ``only``, in
        the order given."""
        members = [cls(code) for code in only] if only else list(cls)
        return [(member.value, member.choice) for member in members]

    @classmethod
    def hints(cls) -> dict[str, str]:
        return {member.value: member.hint for member in cls if member.hint}


# --- Feedback -----------------------------------------------------------------------------


class FeedbackKind(Vocabulary):
    COMPLIMENT = "compliment", "Compliment"
    INITIAL_CONTACT = "initial_contact", "Initial contact"
    COMPLAINT = "complaint", "Complaint"


class RecordStatus(Vocabulary):
    """Where a feedback record is: new until staff first change it, then open, then closed."""

    NEW = "new", "New"
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"


class NotAcceptedReason(Vocabulary):
    """Why a complaint is not accepted under the procedure (the Complaint Handling Code)."""

    OUT_OF_TIME = "out_of_time", "Made more than 12 months after the events, with no good reason"
    ALREADY_DECIDED = "already_decided", "Already decided under the procedure"
    OTHER_ROUTE = "other_route", "Another route applies, such as a tribunal or a court"
    OTHER_BODY = "other_body", "A matter for another body"
    ANOTHER_REASON = "another_reason", "Another reason"


class Channel(Vocabulary):
    WEB = "web", "Web form"
    EMAIL = "email", "Email"
    PHONE = "phone", "Phone"
    LETTER = "letter", "Letter"
    IN_PERSON = "in_person", "In person"
    OTHER = "other", "Other"


class SubmitterRole(Vocabulary):
    """Who gave the feedback (DOMAIN.md, Feedback kinds)."""

    CHILD_OR_YOUNG_PERSON = "child_or_young_person", "Child or young person"
    CARE_LEAVER = "care_leaver", "Care leaver"
    PARENT_OR_CARER = "parent_or_carer", "Parent or carer"
    OTHER_FAMILY = "other_family", "Other family member"
    FOSTER_CARER = "foster_carer", "Foster carer"
    SPECIAL_GUARDIAN = "special_guardian", "Special guardian"
    PROFESSIONAL = "professional", "Professional"
    STAFF = "staff", "Member of staff"
    ADVOCATE_OR_REPRESENTATIVE = "advocate_or_representative", "Advocate or representative"
    OTHER = "other", "Other"


class ContactMethod(Vocabulary):
    EMAIL = "email", "Email"
    PHONE = "phone", "Phone"
    TEXT = "text", "Text message"
    POST = "post", "Post"


class InitialContactCategory(Vocabulary):
    QUERY = "query", "Question"
    CONCERN = "concern", "Concern"
    INFORMATION_REQUEST = "information_request", "Information request"
    ISSUE = "issue", "Issue"


class Consent(Vocabulary):
    """Whether the child agrees to feedback written on their behalf."""

    YES = "yes", "Yes"
    NO = "no", "No"
    NOT_ASKED = "not_asked", "Not asked yet"


class InitialContactOutcome(Vocabulary):
    """How an initial contact ends (DOMAIN.md, Feedback kinds); "open" until it does."""

    OPEN = "open", "Open"
    RESOLVED = "resolved", "Resolved", "Resolved informally"
    PROGRESSED = "progressed", "Progressed", "Progressed to a Stage 1 complaint"
    WITHDRAWN = "withdrawn", "Withdrawn"
    REFERRED = "referred", "Referred", "Referred elsewhere"


class TimelineKind(Vocabulary):
    RECEIVED = "received", "Received"  # the record arrived or was logged
    NOTE = "note", "Note"  # an internal note by staff
    STATUS_CHANGE = "status_change", "Status change"
    ASSIGNMENT = "assignment", "Assignment"
    EMAIL_SENT = "email_sent", "Email sent"
    INFORMATION_ADDED = "information_added", "Information added"  # by the person, from their status page
    DOCUMENT_ADDED = "document_added", "Document added"  # to the case file (issue 17)
    DOCUMENT_REMOVED = "document_removed", "Document removed"
    LETTER_SENT = "letter_sent", "Letter or email sent"  # from a template (issue 18), kept with its PDF
    EMAIL_RECEIVED = "email_received", "Email received"  # read from the team's mailbox (issue 19)
    OMBUDSMAN = "ombudsman", "Ombudsman"  # an enquiry, its decision, recommendations, compliance


# --- The case file (issue 17, docs/case-file.md) -------------------------------------------


class DocumentKind(Vocabulary):
    """The kinds of file the case file accepts, found from the content (never the name):
    the code is the extension a download is given."""

    PDF = "pdf", "PDF"
    DOCX = "docx", "Word document"
    DOC = "doc", "Word document (97 to 2003)"
    TXT = "txt", "Plain text"
    JPEG = "jpg", "JPEG image"
    PNG = "png", "PNG image"
    HEIC = "heic", "HEIC image"
    # An email as it came (issue 19): never uploaded, only kept by the mail reader.
    EML = "eml", "Email as it came"


class DocumentSource(Vocabulary):
    STAFF = "staff", "Added by staff"
    PUBLIC = "public", "Sent by the person"
    EMAIL = "email", "Came by email"


class MailInKind(Vocabulary):
    """Where a message read from the team's mailbox went (issue 19, docs/mail-in.md): a
    case, a new record, or the list staff review (everything else)."""

    CASE = "case", "Added to its case"
    NEW_RECORD = "new_record", "A new record to triage"
    UNKNOWN_SENDER = "unknown_sender", "Names a case, from an address the case does not know"
    AUTO_REPLY = "auto_reply", "Automatic reply or out of office"
    BOUNCE = "bounce", "Our email could not be delivered"
    LOOP = "loop", "Sent by the portal itself"
    SPAM = "spam", "Marked as spam by the mail server"
    UNREADABLE = "unreadable", "Could not be read properly"


class MailInReview(Vocabulary):
    """What staff did with a message on the review list."""

    ADDED_TO_CASE = "added_to_case", "Added to the case it names"
    NEW_RECORD = "new_record", "Made a new record"
    DISMISSED = "dismissed", "Nothing to do"


class ScanStatus(Vocabulary):
    """What the virus scanner (ClamAV's clamd) said. Infected and waiting are the quarantine."""

    CLEAN = "clean", "Scanned: no virus found"
    INFECTED = "infected", "A virus was found"
    WAITING = "waiting", "Waiting to be scanned (the scanner could not be reached)"
    NOT_SCANNED = "not_scanned", "Not scanned (no virus scanner is set up)"


class AttachedTo(Vocabulary):
    """What in a case a document is attached to."""

    CASE = "case", "The case as a whole"
    STAGE = "stage", "A stage"
    ELEMENT = "element", "An element of the complaint"
    OMBUDSMAN = "ombudsman", "An Ombudsman enquiry"


# --- Complaint procedures -----------------------------------------------------------------


class Procedure(Vocabulary):
    """The two complaint procedures (DOMAIN.md, Procedures, stages and clocks)."""

    # Children's social care, Children Act 1989.
    STATUTORY = ("statutory", "Statutory children's social care procedure", "Statutory (children's social care)",
                 "Children's social care services to a child or young person, complained about by them or "
                 "on their behalf (Children Act 1989). Stages 1, 2 and 3.")
    # Everything else, LGSCO Complaint Handling Code.
    CORPORATE = ("corporate", "Corporate complaints procedure", "Corporate",
                 "Everything else. Stages 1 and 2, then the Ombudsman.")


class ElementOutcome(Vocabulary):
    UPHELD = "upheld", "Upheld"
    PARTIALLY_UPHELD = "partially_upheld", "Partially upheld"
    NOT_UPHELD = "not_upheld", "Not upheld"
    UNABLE_TO_DETERMINE = "unable_to_determine", "Unable to determine"
    WITHDRAWN = "withdrawn", "Withdrawn"


class ResponseMethod(Vocabulary):
    """How a stage response reaches the complainant."""

    EMAIL = "email", "By email (through the outbox)"
    POST = "post", "By post (you have posted it)"


class NoticeMethod(Vocabulary):
    """How the complainant is told of an extension."""

    EMAIL = "email", "By email (the portal sends it)"
    LETTER = "letter", "By letter (you post it)"


# --- Casework -----------------------------------------------------------------------------


class OmbudsmanStatus(Vocabulary):
    INITIAL_ENQUIRIES = "initial_enquiries", "Initial enquiries"
    INVESTIGATION = "investigation", "Investigation"
    DECIDED = "decided", "Decided"  # set by recording the decision, never chosen


class OmbudsmanDecision(Vocabulary):
    UPHELD = "upheld", "Upheld"
    NOT_UPHELD = "not_upheld", "Not upheld"
    CLOSED_AFTER_INITIAL_ENQUIRIES = "closed_after_initial_enquiries", "Closed after initial enquiries"
    REFERRED_BACK = "referred_back", "Referred back for local resolution"
    INVALID = "invalid", "Incomplete or invalid"
    ADVICE_GIVEN = "advice_given", "Advice given"


class Compliance(Vocabulary):
    """Whether an Ombudsman recommendation was complied with."""

    PENDING = "pending", "Not yet complied with"
    ON_TIME = "on_time", "Complied with on time"
    LATE = "late", "Complied with late"
    NOT_COMPLIED = "not_complied", "Not complied with"


class Complies(Vocabulary):
    """Whether the organisation meets a requirement of the Complaint Handling Code."""

    YES = "yes", "Yes, we meet it"
    PARTLY = "partly", "Partly"
    NO = "no", "No, not yet"


class PaymentKind(Vocabulary):
    INVESTIGATION_COST = ("investigation_cost", "Investigation cost",
                          "Investigation cost (external Investigating Officer, Independent Person or panel fee)")
    FINANCIAL_REMEDY = "financial_remedy", "Financial remedy", "Financial remedy (compensation)"


class ActionStatus(Vocabulary):
    OPEN = "open", "Open"
    IN_PROGRESS = "in_progress", "In progress"
    DONE = "done", "Done"


class ActionSource(Vocabulary):
    """Where a learning action's recommendation came from."""

    STAGE_1 = "1", "Stage 1"
    STAGE_2 = "2", "Stage 2"
    STAGE_3 = "3", "Stage 3"
    OMBUDSMAN = "ombudsman", "Ombudsman"


class RestrictionCode(Vocabulary):
    """The restrictions a letter about persistent contact may set, in DOMAIN.md's order."""

    SINGLE_POINT_OF_CONTACT = ("single_point_of_contact", "Single point of contact", None,
                               "They contact one named member of staff")
    WRITTEN_CONTACT_ONLY = ("written_contact_only", "Written contact only", None,
                            "By letter or email, not by phone or in person")
    LIMITED_PHONE_CALLS = ("limited_phone_calls", "Limited phone calls", None,
                           "For example, one call a week at an agreed time")
    NO_ACKNOWLEDGEMENT_OF_REPEATED_CORRESPONDENCE = (
        "no_acknowledgement_of_repeated_correspondence", "No acknowledgement of repeated correspondence", None,
        "We read it, but do not reply to points already answered")
    RESTRICTED_ACCESS_TO_PREMISES = ("restricted_access_to_premises", "Restricted access to premises", None,
                                     "They visit only by appointment")


class ReviewOutcome(Vocabulary):
    """The result of reviewing a letter's restrictions."""

    RENEWED = "renewed", "Renewed", "Renewed: the same restrictions continue"
    CHANGED = "changed", "Changed", "Changed: different restrictions apply"
    LIFTED = "lifted", "Lifted", "Lifted: no restrictions from now"


# --- Accounts -----------------------------------------------------------------------------


# --- The child and advocacy ---------------------------------------------------------------


class ChildStatus(Vocabulary):
    """What staff record about the child a case is about (DOMAIN.md, "The child and
    advocacy"); a child may have several."""

    IN_CARE = "in_care", "Child in care"
    CARE_LEAVER = "care_leaver", "Care leaver"
    CHILD_IN_NEED = "child_in_need", "Child in need plan"
    CHILD_PROTECTION_PLAN = "child_protection_plan", "Child protection plan"
    EHC_PLAN = "ehc_plan", "EHC plan"
    DISABLED = "disabled", "Disabled"


class AdvocacyOfferMethod(Vocabulary):
    """How an advocate was offered to the child (Children Act 1989 s.26A)."""

    YOUNG_PERSONS_FORM = "young_persons_form", "On the young person's form"
    IN_PERSON = "in_person", "In person"
    PHONE = "phone", "By phone"
    LETTER = "letter", "By letter"
    EMAIL = "email", "By email"


class AdvocacyAnswer(Vocabulary):
    ACCEPTED = "accepted", "Accepted"
    DECLINED = "declined", "Declined"


class StaffRole(Vocabulary):
    """The roles, in the order the administration pages offer them. Their permissions are
    in portal/services/accounts/permissions.py (one table), documented in docs/permissions.md."""

    ADMINISTRATOR = "administrator", "Administrator"
    FEEDBACK_MANAGER = "feedback_manager", "Feedback manager"
    FEEDBACK_OFFICER = "feedback_officer", "Feedback officer"
    INVESTIGATING_OFFICER = "investigating_officer", "Investigating Officer"
    INDEPENDENT_PERSON = "independent_person", "Independent Person"
    TEAM_MANAGER = "team_manager", "Team manager"
    REPORT_VIEWER = "report_viewer", "Report viewer"
    # The Member Responsible for Complaints and scrutiny members (the Complaint Handling
    # Code's oversight): figures, reports and the self-assessment, never a case or a person.
    ELECTED_MEMBER = "elected_member", "Elected member"


# --- Letters (issue 18) ------------------------------------------------------------------


class LetterPurpose(Vocabulary):
    """What a template is for: one template of each in each channel and audience."""

    ACKNOWLEDGEMENT = "acknowledgement", "Acknowledgement"
    EXTENSION = "extension", "Extension"
    STAGE1_RESPONSE = "stage1_response", "Stage 1 response"
    STAGE2_RESPONSE = "stage2_response", "Stage 2 response"
    STAGE3_RESPONSE = "stage3_response", "Stage 3 response"
    INITIAL_CONTACT_OUTCOME = "initial_contact_outcome", "Outcome of an initial contact"
    PERSISTENT_CONTACT = "persistent_contact", "Persistent-contact letter"
    RESTRICTION_REVIEW = "restriction_review", "Restriction review"
    REFERRAL = "referral", "Referral elsewhere"
    OMBUDSMAN_COVER_NOTE = "ombudsman_cover_note", "Ombudsman response cover note"
    NOT_ACCEPTED = "not_accepted", "Decision not to accept a complaint"


class LetterChannel(Vocabulary):
    EMAIL = "email", "Email"
    LETTER = "letter", "Letter to post"


class LetterAudience(Vocabulary):
    ADULT = "adult", "Adults"
    YOUNG = "young", "Young people (plainer words)"


# --- The label filter ---------------------------------------------------------------------

# The vocabularies whose codes pages show through ``label`` (a code they share, such as
# "email" or "withdrawn", has the same words in each). The others have words that need
# their context, and are read through their own ``words_of``.
EVERYDAY = (FeedbackKind, RecordStatus, Channel, SubmitterRole, ContactMethod, InitialContactCategory, Consent,
            InitialContactOutcome, TimelineKind, ElementOutcome, ActionStatus, OmbudsmanStatus, RestrictionCode)


def _everyday_words() -> dict[str, str]:
    words: dict[str, str] = {}
    for vocabulary in EVERYDAY:
        for member in vocabulary:
            if words.setdefault(member.value, member.words) != member.words:
                raise ValueError(f"{member.value!r} has two sets of words: {words[member.value]!r} "
                                 f"and {member.words!r} ({vocabulary.__name__})")
    return words


LABELS = _everyday_words()


def label(code: str | None) -> str:
    """The words for an everyday code; a code no vocabulary knows reads as itself,
    spaced and capitalised (a report's ``not_recorded``: "Not recorded")."""
    if code is None:
        return ""
    return LABELS.get(code, code.replace("_", " ").capitalize())
