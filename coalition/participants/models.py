"""Participants (states and organizations) and the people who speak for them."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coalition.db import Base, enum_type, utcnow

if TYPE_CHECKING:
    from coalition.accounts.models import User


class ParticipantKind(enum.StrEnum):
    STATE = "state"
    ORGANIZATION = "organization"


class OrganizationCategory(enum.StrEnum):
    INTERNATIONAL_ORGANIZATION = "international_organization"
    REGIONAL_INSTITUTION = "regional_institution"
    CIVIL_SOCIETY = "civil_society"
    PRIVATE_SECTOR = "private_sector"
    OTHER = "other"


class UNStatus(enum.StrEnum):
    MEMBER = "member"
    OBSERVER = "observer"


class Participant(Base):
    __tablename__ = "participants"
    __table_args__ = (
        # A state has an ISO alpha-3 code and no category; an organization a category.
        sa.CheckConstraint(
            "(kind = 'state' AND category IS NULL AND iso_alpha2 IS NOT NULL "
            "AND length(code) = 3 AND code = upper(code)) "
            "OR (kind = 'organization' AND category IS NOT NULL AND un_status IS NULL)",
            name="kind_fields",
        ),
        sa.CheckConstraint("length(name) > 0", name="name_not_empty"),
        sa.Index("ix_participants_kind_name", "kind", "name"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[ParticipantKind] = mapped_column(enum_type(ParticipantKind, "participant_kind"))
    #: ISO 3166-1 alpha-3 for a state (GHA), a slug for an organization (unesco).
    code: Mapped[str] = mapped_column(sa.String(64), unique=True)
    #: English name; a state's name is shown localized from CLDR by its alpha-2 code.
    name: Mapped[str] = mapped_column(sa.String(200))
    #: Short form for organizations (UNESCO, ICNL).
    acronym: Mapped[str | None] = mapped_column(sa.String(32))
    iso_alpha2: Mapped[str | None] = mapped_column(sa.String(2), unique=True)
    un_status: Mapped[UNStatus | None] = mapped_column(enum_type(UNStatus, "un_status"))
    category: Mapped[OrganizationCategory | None] = mapped_column(
        enum_type(OrganizationCategory, "organization_category")
    )
    #: IANA zone of reference (a state's capital); editable by staff.
    timezone: Mapped[str] = mapped_column(sa.String(64), default="UTC")
    website: Mapped[str | None] = mapped_column(sa.String(300))
    description: Mapped[str | None] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    representations: Mapped[list[Representation]] = relationship(
        back_populates="participant", viewonly=True, order_by="Representation.claimed_at.desc()"
    )

    @property
    def is_state(self) -> bool:
        return self.kind is ParticipantKind.STATE

    def __repr__(self) -> str:
        return f"<Participant {self.code}>"


class RepresentationRole(enum.StrEnum):
    FOCAL_POINT = "focal_point"
    DELEGATE = "delegate"


class RepresentationStatus(enum.StrEnum):
    PENDING = "pending"
    VERIFIED = "verified"
    REJECTED = "rejected"
    #: The diplomat moved on, or withdrew the claim before it was decided.
    ENDED = "ended"


class Representation(Base):
    """A person speaking for a participant: claimed, then verified or rejected by staff.

    Rows are never deleted: who spoke for which participant, from when to when, is the
    participant's record, kept when diplomats rotate.
    """

    __tablename__ = "representations"
    __table_args__ = (
        # A person acts for at most one participant at a time.
        sa.Index(
            "uq_representations_one_open_per_user",
            "user_id",
            unique=True,
            sqlite_where=sa.text("status IN ('pending', 'verified')"),
            postgresql_where=sa.text("status IN ('pending', 'verified')"),
        ),
        # One focal point at a time per participant.
        sa.Index(
            "uq_representations_one_focal_point",
            "participant_id",
            unique=True,
            sqlite_where=sa.text("status = 'verified' AND role = 'focal_point'"),
            postgresql_where=sa.text("status = 'verified' AND role = 'focal_point'"),
        ),
        sa.Index("ix_representations_participant_status", "participant_id", "status"),
        sa.Index("ix_representations_status_claimed_at", "status", "claimed_at"),
        sa.CheckConstraint(
            "(status = 'pending' AND decided_at IS NULL) "
            "OR (status <> 'pending' AND decided_at IS NOT NULL)",
            name="decided_when_not_pending",
        ),
        sa.CheckConstraint(
            "(status = 'ended') = (ended_at IS NOT NULL)", name="ended_at_iff_ended"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="RESTRICT"), index=True)
    participant_id: Mapped[int] = mapped_column(
        sa.ForeignKey("participants.id", ondelete="RESTRICT")
    )
    role: Mapped[RepresentationRole] = mapped_column(
        enum_type(RepresentationRole, "representation_role")
    )
    status: Mapped[RepresentationStatus] = mapped_column(
        enum_type(RepresentationStatus, "representation_status"),
        default=RepresentationStatus.PENDING,
    )
    #: What the claimant says of their position (e.g. "Counsellor, Permanent Mission").
    position: Mapped[str | None] = mapped_column(sa.String(200))
    claimed_at: Mapped[datetime] = mapped_column(default=utcnow)
    decided_at: Mapped[datetime | None]
    decided_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="RESTRICT")
    )
    #: Why a claim was rejected, or why a representation ended.
    reason: Mapped[str | None] = mapped_column(sa.Text)
    ended_at: Mapped[datetime | None]
    ended_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="RESTRICT"))

    user: Mapped[User] = relationship(foreign_keys=[user_id], back_populates="representations")
    participant: Mapped[Participant] = relationship(back_populates="representations")
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])
    ended_by: Mapped[User | None] = relationship(foreign_keys=[ended_by_id])

    @property
    def is_verified(self) -> bool:
        return self.status is RepresentationStatus.VERIFIED
