"""Who may propose, activate or conclude an initiative now, and why not (see
coalition.bodies.rules for the shape: None when allowed, else a Refusal)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import sqlalchemy as sa
from flask_babel import lazy_gettext as _

from coalition import limits, permissions
from coalition.alliance.services import is_alliance_participant
from coalition.errors import Conflict, Refusal
from coalition.extensions import db
from coalition.initiatives.models import Initiative, InitiativeStatus
from coalition.labels import participant_name
from coalition.participants.models import Participant

if TYPE_CHECKING:
    from coalition.accounts.models import User


def propose_refusal(user: User | None) -> Refusal | None:
    """Any Alliance state may propose an initiative (and becomes its first co-chair)."""
    participant = permissions.acting_participant(user)
    if participant is None:
        return Refusal(
            _(
                "Only a verified delegate can propose an initiative. Ask to represent your "
                "state first; the Secretariat will verify your claim."
            )
        )
    if not participant.is_state:
        return Refusal(
            _(
                "Initiatives are proposed by states, which co-chair them. An organization can "
                "join an initiative as a partner."
            )
        )
    if not is_alliance_participant(participant):
        return Refusal(
            _(
                "%(participant)s has not endorsed the Alliance declaration. Endorse it first: "
                "any Alliance participant may then propose an initiative.",
                participant=participant_name(participant),
            )
        )
    return proposals_limit_refusal(participant)


def proposals_waiting(participant: Participant) -> int:
    """How many of the initiatives *participant* proposed still wait for the Secretariat."""
    return (
        db.session.scalar(
            sa.select(sa.func.count(Initiative.id)).where(
                Initiative.proposed_by_id == participant.id,
                Initiative.status == InitiativeStatus.PROPOSED,
            )
        )
        or 0
    )


def proposals_limit_refusal(participant: Participant) -> Refusal | None:
    """A participant has at most limits.PROPOSALS_WAITING_MAX proposals waiting at once."""
    if proposals_waiting(participant) >= limits.PROPOSALS_WAITING_MAX:
        return Refusal(
            _(
                "%(participant)s already has %(num)d proposals waiting for the Secretariat, "
                "the most one participant may have at once. Propose another once one of them "
                "is activated or refused.",
                participant=participant_name(participant),
                num=limits.PROPOSALS_WAITING_MAX,
            ),
            Conflict,
        )
    return None


def edit_refusal(user: User | None, initiative: Initiative) -> Refusal | None:
    if not permissions.can_manage_body(user, initiative):
        return Refusal(_("Only the initiative's co-chairs and the Secretariat can edit it."))
    return None


def activate_refusal(user: User | None, initiative: Initiative) -> Refusal | None:
    if not permissions.can_change_initiative_status(user):
        return Refusal(_("Only the Secretariat activates initiatives."))
    if initiative.status is not InitiativeStatus.PROPOSED:
        return Refusal(_("Only a proposed initiative can be activated; this one is not."), Conflict)
    return None


def conclude_refusal(user: User | None, initiative: Initiative) -> Refusal | None:
    if not permissions.can_change_initiative_status(user):
        return Refusal(_("Only the Secretariat concludes initiatives."))
    if initiative.status is not InitiativeStatus.ACTIVE:
        return Refusal(_("Only an active initiative can be concluded; this one is not."), Conflict)
    return None


def refuse_proposal_refusal(user: User | None, initiative: Initiative) -> Refusal | None:
    if not permissions.can_change_initiative_status(user):
        return Refusal(_("Only the Secretariat refuses proposed initiatives."))
    if initiative.status is not InitiativeStatus.PROPOSED:
        return Refusal(_("Only a proposed initiative can be refused; this one is not."), Conflict)
    return None
