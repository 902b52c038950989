"""Every model, imported once so that the metadata (and Alembic) sees all tables."""

from coalition.accounts.models import ApiToken, User
from coalition.alliance.models import Endorsement
from coalition.audit.models import AuditEvent
from coalition.initiatives.models import Body, CoChair, Initiative, Membership
from coalition.notifications.models import Notification
from coalition.participants.models import Participant, Representation

__all__ = [
    "ApiToken",
    "AuditEvent",
    "Body",
    "CoChair",
    "Endorsement",
    "Initiative",
    "Membership",
    "Notification",
    "Participant",
    "Representation",
    "User",
]
