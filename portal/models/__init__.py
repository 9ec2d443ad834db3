"""The portal's data: plain typed SQLAlchemy models, no workflows.

Import models from here; the modules are split along the domain's lines.
"""

from portal.models.audit import AuditEntry
from portal.models.calendar import NonWorkingDay
from portal.models.data_protection import (
    AccessLogEntry,
    LegalHold,
    RetentionRule,
    SubjectAccessRequest,
)
from portal.models.complaints import ELEMENT_OUTCOMES, PROCEDURES, Element, Stage
from portal.models.learning import ACTION_STATUSES, LearningAction
from portal.models.money import PAYMENT_KINDS, Payment
from portal.models.ombudsman import OmbudsmanEnquiry, OmbudsmanRecommendation
from portal.models.restrictions import RESTRICTION_CODES, REVIEW_OUTCOMES, ContactRestriction
from portal.models.timeline import TimelineEvent
from portal.models.feedback import (
    CHANNELS,
    CONTACT_METHODS,
    FEEDBACK_KINDS,
    SUBMITTER_ROLES,
    Feedback,
)
from portal.models.outbox import OutboxMessage
from portal.models.procedures import (
    NOTICE_METHODS,
    RESPONSE_METHODS,
    Pause,
    StageExtension,
    StageResponse,
    TimescaleSetting,
)
from portal.models.jobs import JobRun
from portal.models.people import Person
from portal.models.reference_data import ReferenceCounter, Team, Theme
from portal.models.drafts import Draft
from portal.models.staff import (
    STAFF_ROLES,
    RecoveryCode,
    SignInThrottle,
    StaffSession,
    StaffToken,
    StaffUser,
)

__all__ = [
    "AccessLogEntry",
    "LegalHold",
    "RetentionRule",
    "SubjectAccessRequest",
    "ACTION_STATUSES",
    "ELEMENT_OUTCOMES",
    "PAYMENT_KINDS",
    "PROCEDURES",
    "RESTRICTION_CODES",
    "REVIEW_OUTCOMES",
    "ContactRestriction",
    "Element",
    "LearningAction",
    "OmbudsmanEnquiry",
    "OmbudsmanRecommendation",
    "Payment",
    "Stage",
    "TimelineEvent",
    "STAFF_ROLES",
    "AuditEntry",
    "CHANNELS",
    "CONTACT_METHODS",
    "FEEDBACK_KINDS",
    "SUBMITTER_ROLES",
    "Draft",
    "Feedback",
    "NonWorkingDay",
    "JobRun",
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
    "NOTICE_METHODS",
    "RESPONSE_METHODS",
    "Pause",
    "StageExtension",
    "StageResponse",
    "TimescaleSetting",
]
