"""The portal's data: plain typed SQLAlchemy models, no workflows.

Import models from here; the modules are split along the domain's lines.
"""

from portal.models.feedback import (
    CHANNELS,
    CONTACT_METHODS,
    FEEDBACK_KINDS,
    SUBMITTER_ROLES,
    Feedback,
)
from portal.models.outbox import OutboxMessage
from portal.models.people import Person
from portal.models.reference_data import ReferenceCounter, Team, Theme
from portal.models.drafts import Draft

__all__ = [
    "CHANNELS",
    "CONTACT_METHODS",
    "FEEDBACK_KINDS",
    "SUBMITTER_ROLES",
    "Draft",
    "Feedback",
    "OutboxMessage",
    "Person",
    "ReferenceCounter",
    "Team",
    "Theme",
]
