"""Every model, imported once so that the metadata (and Alembic) sees all tables."""

from coalition.accounts.models import ApiToken, User
from coalition.alliance.models import Endorsement
from coalition.audit.models import AuditEvent
from coalition.bodies.models import Body, CoChair, Membership
from coalition.caching.models import DataVersion
from coalition.groups.models import WorkingGroup
from coalition.initiatives.models import Initiative
from coalition.meetings.models import (
    AgendaItem,
    CalendarFeed,
    Document,
    DocumentVersion,
    Invitation,
    Meeting,
    MeetingSeries,
    Reminder,
    Rsvp,
)
from coalition.notifications.models import Notification
from coalition.outbox.models import OutgoingMail
from coalition.participants.models import Participant
from coalition.representations.models import Representation

__all__ = [
    "AgendaItem",
    "ApiToken",
    "AuditEvent",
    "Body",
    "CalendarFeed",
    "CoChair",
    "DataVersion",
    "Document",
    "DocumentVersion",
    "Endorsement",
    "Initiative",
    "Invitation",
    "Meeting",
    "MeetingSeries",
    "Membership",
    "Notification",
    "OutgoingMail",
    "Participant",
    "Reminder",
    "Representation",
    "Rsvp",
    "User",
    "WorkingGroup",
]
