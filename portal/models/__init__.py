"""The portal's data: plain typed SQLAlchemy models, no workflows.

Import models from here; the modules are split along the domain's lines. The codes their
columns hold, and the words for them, are the vocabularies of ``portal.services.common.labels``.
"""

from portal.models.annual import (
    MemberResponse,
    OmbudsmanCase,
    OmbudsmanColumn,
    OmbudsmanImport,
    SelfAssessmentAnswer,
)
from portal.models.audit import AuditEntry
from portal.models.calendar import NonWorkingDay
from portal.models.children import Advocacy, Child
from portal.models.data_protection import (
    AccessLogEntry,
    LegalHold,
    RetentionRule,
    SubjectAccessRequest,
)
from portal.models.complaints import Element, Stage
from portal.models.counts import OpenRecordCount
from portal.models.documents import Document
from portal.models.learning import LearningAction
from portal.models.money import Payment
from portal.models.ombudsman import OmbudsmanEnquiry, OmbudsmanRecommendation
from portal.models.restrictions import ContactRestriction
from portal.models.timeline import TimelineEvent
from portal.models.feedback import Feedback
from portal.models.outbox import OutboxMessage
from portal.models.mail_in import MailInMessage
from portal.models.procedures import (
    Pause,
    StageExtension,
    StageResponse,
    TimescaleSetRow,
    TimescaleSetting,
)
from portal.models.jobs import JobRun
from portal.models.letters import JargonTerm, Letter, LetterTemplate
from portal.models.people import Person
from portal.models.reference_data import ReferenceCounter, Team, Theme
from portal.models.saved_filters import SavedFilter
from portal.models.drafts import Draft, DraftUpload
from portal.models.staff import (
    RecoveryCode,
    SignInThrottle,
    StaffSession,
    StaffToken,
    StaffUser,
)

__all__ = [
    "MemberResponse",
    "OmbudsmanCase",
    "OmbudsmanColumn",
    "OmbudsmanImport",
    "SelfAssessmentAnswer",
    "Advocacy",
    "OpenRecordCount",
    "Child",
    "AccessLogEntry",
    "LegalHold",
    "RetentionRule",
    "SavedFilter",
    "SubjectAccessRequest",
    "ContactRestriction",
    "Document",
    "Element",
    "LearningAction",
    "OmbudsmanEnquiry",
    "OmbudsmanRecommendation",
    "Payment",
    "Stage",
    "TimelineEvent",
    "AuditEntry",
    "Draft",
    "DraftUpload",
    "Feedback",
    "NonWorkingDay",
    "JobRun",
    "MailInMessage",
    "JargonTerm",
    "Letter",
    "LetterTemplate",
    "OutboxMessage",
    "Person",
    "RecoveryCode",
    "ReferenceCounter",
    "SignInThrottle",
    "StaffSession",
    "StaffToken",
    "StaffUser",
    "Team",
    "Theme",
    "Pause",
    "StageExtension",
    "StageResponse",
    "TimescaleSetRow",
    "TimescaleSetting",
]
