"""Working groups: a kind of body inside an initiative (a drafting group, say) or at
Alliance level (a governing body such as a convening group), whose members the
Secretariat and the group's co-chairs add directly."""

from __future__ import annotations

import enum
from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from flask_babel import lazy_gettext as _
from sqlalchemy.orm import Mapped, mapped_column, relationship, synonym

from coalition.bodies.models import Body, BodyKind, Membership, MembershipStatus
from coalition.db import enum_type
from coalition.errors import Conflict, Refusal
from coalition.extensions import db
from coalition.initiatives.models import Initiative, InitiativeStatus

if TYPE_CHECKING:
    from coalition.participants.models import Participant


class GroupStatus(enum.StrEnum):
    ACTIVE = "active"
    CLOSED = "closed"


class WorkingGroup(Body):
    """A working group of an initiative, or of the Alliance when it has no initiative."""

    __tablename__ = "working_groups"
    __table_args__ = (
        sa.Index("ix_working_groups_initiative_status", "initiative_id", "status"),
        sa.Index("ix_working_groups_status", "status"),
        sa.CheckConstraint("status <> 'closed' OR closed_at IS NOT NULL", name="closed_when"),
    )

    section = "groups"
    co_chairs_add_members = True
    direct_membership_only = True

    id: Mapped[int] = mapped_column(
        sa.ForeignKey("bodies.id", ondelete="CASCADE"), primary_key=True
    )
    #: The initiative the group works in; NULL: an Alliance-level body.
    initiative_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("initiatives.id", ondelete="RESTRICT")
    )
    status: Mapped[GroupStatus] = mapped_column(
        enum_type(GroupStatus, "group_status"), default=GroupStatus.ACTIVE
    )
    closed_at: Mapped[datetime | None]

    initiative: Mapped[Initiative | None] = relationship(foreign_keys=[initiative_id])
    #: The group's mandate, in Markdown (sanitized when rendered): the body's description.
    mandate = synonym("description")
    #: The mandate in the other language than `language` (coalition.bilingual).
    mandate_translation = synonym("description_translation")

    __mapper_args__ = {"polymorphic_identity": BodyKind.WORKING_GROUP}

    @property
    def is_closed(self) -> bool:
        return self.status is GroupStatus.CLOSED

    def lock_initiative(self) -> None:
        """Lock the row of the group's initiative, shared (PostgreSQL; SQLite serializes
        writers): what it decides about its members holds until the caller commits."""
        if self.initiative_id is not None:
            db.session.execute(
                sa.select(Body.id).where(Body.id == self.initiative_id).with_for_update(read=True)
            )

    # -- the policies of a body (see Body) ------------------------------------------------

    def membership_refusal(self, *, by_manager: bool = False) -> Refusal | None:
        if self.status is GroupStatus.CLOSED:
            return Refusal(_("This working group is closed: it takes no new members."), Conflict)
        if self.initiative is not None and self.initiative.status is InitiativeStatus.CONCLUDED:
            return Refusal(
                _("Its initiative has concluded: this working group takes no new members."),
                Conflict,
            )
        return None

    def acceptance_refusal(self) -> Refusal | None:
        return self.membership_refusal()

    def admission_refusals(
        self, participants: Sequence[Participant], *, lock: bool = False
    ) -> dict[int, Refusal]:
        """A group of an initiative takes only the initiative's active members (invariant
        4). Under *lock* the initiative's row is locked (shared) before the question is
        asked: a departure from the initiative, which locks it exclusively, then comes
        wholly before (and is seen) or wholly after (and closes this membership too)."""
        if self.initiative_id is None or not participants:
            return {}
        if lock:
            self.lock_initiative()
        active = set(
            db.session.scalars(
                sa.select(Membership.participant_id).where(
                    Membership.body_id == self.initiative_id,
                    Membership.participant_id.in_([p.id for p in participants]),
                    Membership.status == MembershipStatus.ACTIVE,
                )
            )
        )
        from coalition.groups.rules import not_initiative_member

        return {
            p.id: not_initiative_member(p, self.initiative)
            for p in participants
            if p.id not in active
        }
