"""Meetings of a body (or Alliance-wide), their agendas, invitations, answers and documents,
and the secret calendar feeds of users."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coalition import limits
from coalition.bodies.models import Body
from coalition.db import enum_type, utcnow
from coalition.extensions import db
from coalition.participants.models import Participant

if TYPE_CHECKING:
    from coalition.accounts.models import User


class MeetingFormat(enum.StrEnum):
    IN_PERSON = "in_person"
    VIRTUAL = "virtual"
    HYBRID = "hybrid"


class MeetingStatus(enum.StrEnum):
    SCHEDULED = "scheduled"
    CANCELLED = "cancelled"
    HELD = "held"


class Visibility(enum.StrEnum):
    PUBLIC = "public"
    MEMBERS = "members"


class InvitationSource(enum.StrEnum):
    #: An active member or partner of the meeting's body (Alliance-wide: an endorser).
    MEMBER = "member"
    #: A participant the co-chairs or staff invited by name.
    GUEST = "guest"


class RsvpResponse(enum.StrEnum):
    ATTENDING = "attending"
    TENTATIVE = "tentative"
    DECLINED = "declined"


class DelegationLevel(enum.StrEnum):
    """The rank of the head of a delegation, highest first."""

    HEAD_OF_STATE = "head_of_state"
    MINISTER = "minister"
    VICE_MINISTER = "vice_minister"
    AMBASSADOR = "ambassador"
    SENIOR_OFFICIAL = "senior_official"
    EXPERT = "expert"


class DocumentKind(enum.StrEnum):
    MINUTES = "minutes"
    OUTCOME = "outcome"


class DocumentStatus(enum.StrEnum):
    DRAFT = "draft"
    FINAL = "final"


class DocumentLanguage(enum.StrEnum):
    EN = "en"
    FR = "fr"


_WALL = sa.DateTime(timezone=False)


class Meeting(db.Model):
    """A meeting. Its times are kept twice: the instants in UTC (what everything reads)
    and the wall-clock times in its IANA zone (what was agreed), so that when the zone's
    rules change, the instants can be computed again from what people were told."""

    __tablename__ = "meetings"
    __table_args__ = (
        sa.CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        sa.CheckConstraint("length(title) > 0", name="title_not_empty"),
        sa.CheckConstraint("length(timezone) > 0", name="timezone_not_empty"),
        sa.CheckConstraint("sequence >= 0", name="sequence_not_negative"),
        sa.CheckConstraint("start_fold IN (0, 1) AND end_fold IN (0, 1)", name="folds"),
        sa.CheckConstraint(
            "(status = 'cancelled') = (cancelled_at IS NOT NULL)", name="cancelled_when"
        ),
        sa.CheckConstraint("(status = 'held') = (held_at IS NOT NULL)", name="held_when"),
        sa.Index("ix_meetings_starts_at", "starts_at"),
        sa.Index("ix_meetings_body_starts_at", "body_id", "starts_at"),
        sa.Index("ix_meetings_visibility_starts_at", "visibility", "starts_at"),
        sa.CheckConstraint(
            "(series_id IS NULL) = (recurrence_id IS NULL)", name="recurrence_in_series"
        ),
        sa.Index("uq_meetings_series_recurrence", "series_id", "recurrence_id", unique=True),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The initiative or group whose meeting it is; NULL for an Alliance-wide meeting.
    body_id: Mapped[int | None] = mapped_column(sa.ForeignKey("bodies.id", ondelete="RESTRICT"))
    title: Mapped[str] = mapped_column(sa.String(limits.TITLE_MAX))
    #: Markdown, sanitized when rendered; as public as the meeting.
    description: Mapped[str] = mapped_column(sa.Text, default="")
    #: The language of title and description ("en", "fr"); the same texts in the other
    #: language are the *_translation columns ("" until written): see coalition.bilingual.
    language: Mapped[str] = mapped_column(sa.String(2), default="en", server_default="en")
    title_translation: Mapped[str] = mapped_column(
        sa.String(limits.TITLE_MAX), default="", server_default=""
    )
    description_translation: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]
    #: The IANA zone the wall-clock times are in (the venue's, usually).
    timezone: Mapped[str] = mapped_column(sa.String(64))
    local_start: Mapped[datetime] = mapped_column(_WALL)
    local_end: Mapped[datetime] = mapped_column(_WALL)
    #: Which of two identical wall-clock times (when clocks go back) is meant: 0 the first.
    start_fold: Mapped[int] = mapped_column(sa.SmallInteger, default=0, server_default="0")
    end_fold: Mapped[int] = mapped_column(sa.SmallInteger, default=0, server_default="0")
    format: Mapped[MeetingFormat] = mapped_column(enum_type(MeetingFormat, "meeting_format"))
    venue: Mapped[str] = mapped_column(sa.String(limits.VENUE_MAX), default="")
    #: Shown to invitees and staff only.
    online_url: Mapped[str] = mapped_column(sa.String(limits.URL_MAX), default="")
    #: Details for invitees only (room, access, dial-in), Markdown.
    invitee_note: Mapped[str] = mapped_column(sa.Text, default="")
    visibility: Mapped[Visibility] = mapped_column(enum_type(Visibility, "meeting_visibility"))
    status: Mapped[MeetingStatus] = mapped_column(
        enum_type(MeetingStatus, "meeting_status"), default=MeetingStatus.SCHEDULED
    )
    #: iCalendar SEQUENCE: raised by every change, so that calendars take the new version.
    sequence: Mapped[int] = mapped_column(default=0, server_default="0")
    cancelled_at: Mapped[datetime | None]
    cancel_reason: Mapped[str] = mapped_column(sa.Text, default="")
    held_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="RESTRICT")
    )
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    #: The recurring series this meeting is an occurrence of, if any.
    series_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("meeting_series.id", ondelete="RESTRICT")
    )
    #: The occurrence's date and time as the series' rule generates it, wall-clock in the
    #: series' zone (iCalendar's RECURRENCE-ID): it names the occurrence even once moved.
    recurrence_id: Mapped[datetime | None] = mapped_column(_WALL)
    #: Changed alone, apart from its series: calendar files carry it as an exception.
    is_exception: Mapped[bool] = mapped_column(default=False, server_default=sa.false())

    body: Mapped[Body | None] = relationship()
    created_by: Mapped[User | None] = relationship()
    series: Mapped[MeetingSeries | None] = relationship()
    agenda: Mapped[list[AgendaItem]] = relationship(
        order_by="AgendaItem.position", cascade="all, delete-orphan", back_populates="meeting"
    )

    @property
    def path(self) -> str:
        return f"/meetings/{self.id}"

    @property
    def is_public(self) -> bool:
        return self.visibility is Visibility.PUBLIC

    def __repr__(self) -> str:
        return f"<Meeting {self.id} {self.title!r}>"


class MeetingSeries(db.Model):
    """A recurring series ("every third Wednesday at 15:00 New York time, six times"):
    its rule and first wall-clock times. Each occurrence is a Meeting row of its own."""

    __tablename__ = "meeting_series"
    __table_args__ = (
        sa.CheckConstraint("length(rule) > 0", name="rule_not_empty"),
        sa.CheckConstraint("local_end > local_start", name="ends_after_start"),
        sa.CheckConstraint("(count IS NULL) <> (until_local IS NULL)", name="one_end"),
        sa.CheckConstraint("count IS NULL OR count > 0", name="count_positive"),
        sa.CheckConstraint("sequence >= 0", name="sequence_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    body_id: Mapped[int | None] = mapped_column(sa.ForeignKey("bodies.id", ondelete="RESTRICT"))
    #: The RRULE without its end: "FREQ=MONTHLY;BYDAY=3WE".
    rule: Mapped[str] = mapped_column(sa.String(limits.RRULE_MAX))
    #: How it ends: after *count* occurrences, or at *until_local* (wall-clock, inclusive).
    count: Mapped[int | None]
    until_local: Mapped[datetime | None] = mapped_column(_WALL)
    timezone: Mapped[str] = mapped_column(sa.String(64))
    #: The first occurrence's wall-clock start and end (iCalendar's DTSTART and DTEND).
    local_start: Mapped[datetime] = mapped_column(_WALL)
    local_end: Mapped[datetime] = mapped_column(_WALL)
    #: SEQUENCE of the series' own calendar event (raised when its rule or exceptions change).
    sequence: Mapped[int] = mapped_column(default=0, server_default="0")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="RESTRICT")
    )
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class Reminder(db.Model):
    """The ledger of reminders sent: one row per meeting, person and start. The unique
    key makes two runs at once send each reminder once; the start in it makes a moved
    meeting reminded again at its new time."""

    __tablename__ = "meeting_reminders"
    __table_args__ = (sa.UniqueConstraint("meeting_id", "user_id", "starts_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(sa.ForeignKey("meetings.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    #: The meeting's start this reminder was for.
    starts_at: Mapped[datetime]
    sent_at: Mapped[datetime] = mapped_column(default=utcnow)


class AgendaItem(db.Model):
    __tablename__ = "meeting_agenda_items"
    __table_args__ = (
        sa.Index("ix_meeting_agenda_items_meeting_position", "meeting_id", "position"),
        sa.CheckConstraint("length(title) > 0", name="title_not_empty"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(sa.ForeignKey("meetings.id", ondelete="CASCADE"))
    position: Mapped[int]
    title: Mapped[str] = mapped_column(sa.String(limits.AGENDA_ITEM_MAX))

    meeting: Mapped[Meeting] = relationship(back_populates="agenda")


class Invitation(db.Model):
    """A participant invited to a meeting. Withdrawn (never deleted) when it leaves the
    body before the meeting; past meetings keep theirs."""

    __tablename__ = "meeting_invitations"
    __table_args__ = (
        sa.Index(
            "uq_meeting_invitations_one_open",
            "meeting_id",
            "participant_id",
            unique=True,
            sqlite_where=sa.text("withdrawn_at IS NULL"),
            postgresql_where=sa.text("withdrawn_at IS NULL"),
        ),
        sa.Index("ix_meeting_invitations_participant", "participant_id", "withdrawn_at"),
        sa.CheckConstraint(
            "withdrawn_at IS NULL OR withdrawn_at >= created_at", name="withdrawn_after_created"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(sa.ForeignKey("meetings.id", ondelete="RESTRICT"))
    participant_id: Mapped[int] = mapped_column(
        sa.ForeignKey("participants.id", ondelete="RESTRICT")
    )
    source: Mapped[InvitationSource] = mapped_column(
        enum_type(InvitationSource, "invitation_source")
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="RESTRICT")
    )
    withdrawn_at: Mapped[datetime | None]

    meeting: Mapped[Meeting] = relationship()
    participant: Mapped[Participant] = relationship()


class Rsvp(db.Model):
    """A participant's current answer to a meeting (every answer is also an audit event)."""

    __tablename__ = "meeting_rsvps"
    __table_args__ = (
        sa.UniqueConstraint("meeting_id", "participant_id"),
        sa.CheckConstraint(
            "response = 'attending' OR (level IS NULL AND head = '')", name="details_if_attending"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(sa.ForeignKey("meetings.id", ondelete="RESTRICT"))
    participant_id: Mapped[int] = mapped_column(
        sa.ForeignKey("participants.id", ondelete="RESTRICT")
    )
    response: Mapped[RsvpResponse] = mapped_column(enum_type(RsvpResponse, "rsvp_response"))
    #: Name of the head of delegation.
    head: Mapped[str] = mapped_column(sa.String(limits.NAME_MAX), default="")
    level: Mapped[DelegationLevel | None] = mapped_column(
        enum_type(DelegationLevel, "delegation_level")
    )
    #: Names of the other delegates.
    delegates: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    answered_at: Mapped[datetime] = mapped_column(default=utcnow)
    answered_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="RESTRICT"))

    participant: Mapped[Participant] = relationship()
    answered_by: Mapped[User] = relationship()


class Document(db.Model):
    """Minutes or an outcome document of a meeting, in one or more languages."""

    __tablename__ = "meeting_documents"
    __table_args__ = (sa.Index("ix_meeting_documents_meeting", "meeting_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(sa.ForeignKey("meetings.id", ondelete="RESTRICT"))
    kind: Mapped[DocumentKind] = mapped_column(enum_type(DocumentKind, "document_kind"))
    position: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    versions: Mapped[list[DocumentVersion]] = relationship(
        order_by="DocumentVersion.language", back_populates="document"
    )


class DocumentVersion(db.Model):
    """One language version of a document: its own title, status and Markdown text."""

    __tablename__ = "meeting_document_versions"
    __table_args__ = (
        sa.UniqueConstraint("document_id", "language"),
        sa.CheckConstraint("length(title) > 0", name="title_not_empty"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(
        sa.ForeignKey("meeting_documents.id", ondelete="RESTRICT")
    )
    language: Mapped[DocumentLanguage] = mapped_column(
        enum_type(DocumentLanguage, "document_language")
    )
    title: Mapped[str] = mapped_column(sa.String(limits.TITLE_MAX))
    status: Mapped[DocumentStatus] = mapped_column(enum_type(DocumentStatus, "document_status"))
    #: Markdown, sanitized when rendered.
    content: Mapped[str] = mapped_column(sa.Text, default="")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="RESTRICT")
    )

    document: Mapped[Document] = relationship(back_populates="versions")


class CalendarFeed(db.Model):
    """A user's private subscription feed. The token in its URL is derived from `salt`
    and the application's secret key, so that the account page can show it again while
    a copy of the database alone reveals no working URL; rotating changes the salt."""

    __tablename__ = "calendar_feeds"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), unique=True)
    salt: Mapped[str] = mapped_column(sa.String(64))
    #: SHA-256 of the token: how a request's token finds its feed.
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    rotated_at: Mapped[datetime | None]

    user: Mapped[User] = relationship()


def audit_values(meeting: Meeting) -> dict[str, Any]:
    """What a change of the meeting records before and after (the audit log, the history)."""
    return {
        "title": meeting.title,
        "local_start": meeting.local_start.isoformat(),
        "local_end": meeting.local_end.isoformat(),
        "timezone": meeting.timezone,
        "format": meeting.format.value,
        "venue": meeting.venue,
        "online_url": meeting.online_url,
        "visibility": meeting.visibility.value,
        "status": meeting.status.value,
    }
