"""Initiatives: the Alliance's thematic coalitions, a kind of body with a lifecycle
(proposed → active → concluded) and a line of action."""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from flask_babel import lazy_gettext as _
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coalition.bodies.models import Body, BodyKind
from coalition.db import enum_type
from coalition.errors import Conflict, Refusal
from coalition.participants.models import Participant

if TYPE_CHECKING:
    from coalition.accounts.models import User
    from coalition.bodies.models import Membership


class Axis(enum.StrEnum):
    """The Alliance's three lines of action."""

    INTERNATIONAL_LAW = "international_law"
    GOVERNANCE_GAPS = "governance_gaps"
    INSTITUTIONAL_REFORM = "institutional_reform"


class InitiativeStatus(enum.StrEnum):
    PROPOSED = "proposed"
    ACTIVE = "active"
    CONCLUDED = "concluded"


class Initiative(Body):
    """A thematic coalition of the Alliance."""

    __tablename__ = "initiatives"
    __table_args__ = (
        sa.Index("ix_initiatives_status_axis", "status", "axis"),
        sa.CheckConstraint(
            "status <> 'concluded' OR concluded_at IS NOT NULL", name="concluded_when"
        ),
    )

    section = "initiatives"

    id: Mapped[int] = mapped_column(
        sa.ForeignKey("bodies.id", ondelete="CASCADE"), primary_key=True
    )
    axis: Mapped[Axis] = mapped_column(enum_type(Axis, "axis"))
    status: Mapped[InitiativeStatus] = mapped_column(
        enum_type(InitiativeStatus, "initiative_status"), default=InitiativeStatus.PROPOSED
    )
    launched_on: Mapped[date | None]
    #: The participant that proposed it (its first co-chair).
    proposed_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("participants.id", ondelete="RESTRICT")
    )
    activated_at: Mapped[datetime | None]
    concluded_at: Mapped[datetime | None]
    #: What the coalition has achieved, in Markdown (sanitized when rendered).
    results: Mapped[str] = mapped_column(sa.Text, default="")

    proposed_by: Mapped[Participant | None] = relationship()

    __mapper_args__ = {"polymorphic_identity": BodyKind.INITIATIVE}

    # -- the policies of a body (see Body) ------------------------------------------------

    def membership_refusal(self, *, by_manager: bool = False) -> Refusal | None:
        """Only active initiatives take members; co-chairs and staff may prepare a proposed
        one (invite, add); a concluded one takes no one."""
        if self.status is InitiativeStatus.ACTIVE:
            return None
        if self.status is InitiativeStatus.PROPOSED:
            if by_manager:
                return None
            return Refusal(
                _(
                    "This initiative is only proposed: participants can join once the "
                    "Secretariat activates it."
                ),
                Conflict,
            )
        return Refusal(_("This initiative has concluded: it takes no new members."), Conflict)

    def acceptance_refusal(self) -> Refusal | None:
        if self.status is InitiativeStatus.ACTIVE:
            return None
        if self.status is InitiativeStatus.PROPOSED:
            return Refusal(
                _("This initiative is only proposed: accept the invitation once it is active."),
                Conflict,
            )
        return Refusal(
            _("This initiative is no longer active: the invitation cannot be accepted."),
            Conflict,
        )

    @property
    def was_refused(self) -> bool:
        """A proposal the Secretariat refused: concluded without ever being active."""
        return self.status is InitiativeStatus.CONCLUDED and self.activated_at is None

    @property
    def must_keep_a_co_chair(self) -> bool:
        return self.status is InitiativeStatus.ACTIVE

    def on_member_left(self, membership: Membership, *, actor: User | None) -> None:
        """Invariant 4: the participant's memberships in this initiative's working groups
        (and any group co-chair role) end with its membership here, each recorded."""
        from coalition.groups.services import leave_groups_with_initiative

        leave_groups_with_initiative(self, membership, actor=actor)

    def dependent_memberships(self, membership: Membership) -> list[Membership]:
        """The participant's open memberships of this initiative's working groups (1 query)."""
        from coalition.groups.services import open_group_memberships

        return open_group_memberships(self, membership.participant)
