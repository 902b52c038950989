"""The initiatives API: directory, proposals, memberships and co-chairs.

Thin: parse, call the same services as the HTML pages, commit, serialize.
"""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint

from coalition.api.auth import require_api_user
from coalition.extensions import db
from coalition.initiatives import services
from coalition.initiatives.models import CoChair, Initiative, Membership, MembershipStatus
from coalition.initiatives.schemas import (
    CoChairCreateSchema,
    CoChairSchema,
    InitiativeCreateSchema,
    InitiativeDetailSchema,
    InitiativeListArgs,
    InitiativePageSchema,
    InitiativeUpdateSchema,
    MembershipCreateSchema,
    MembershipListArgs,
    MembershipPageSchema,
    MembershipSchema,
    ReasonSchema,
)
from coalition.pagination import paginate
from coalition.participants.models import Participant
from coalition.participants.services import get_participant

blp = Blueprint(
    "initiatives_api",
    __name__,
    description="Initiatives (thematic coalitions), their memberships and co-chairs.",
)


def _participant_ref(participant: Participant) -> dict[str, Any]:
    return {"code": participant.code, "name": participant.name, "kind": participant.kind.value}


def _initiative(initiative: Initiative, co_chairs: list[str]) -> dict[str, Any]:
    return {
        "slug": initiative.slug,
        "title": initiative.title,
        "summary": initiative.summary,
        "axis": initiative.axis.value,
        "status": initiative.status.value,
        "join_policy": initiative.join_policy.value,
        "seat_limit": initiative.seat_limit,
        "launched_on": initiative.launched_on,
        "member_count": initiative.active_count,
        "co_chairs": co_chairs,
    }


def _initiative_detail(initiative: Initiative) -> dict[str, Any]:
    data = _initiative(initiative, services.co_chair_codes([initiative.id])[initiative.id])
    data.update(
        description=initiative.description,
        results=initiative.results,
        proposed_by=initiative.proposed_by.code if initiative.proposed_by else None,
        activated_at=initiative.activated_at,
        concluded_at=initiative.concluded_at,
    )
    return data


def _membership(membership: Membership, body_slug: str | None = None) -> dict[str, Any]:
    return {
        "id": membership.id,
        "participant": _participant_ref(membership.participant),
        "body": body_slug or membership.body.slug,
        "role": membership.role.value,
        "status": membership.status.value,
        "since": membership.since,
        "created_at": membership.created_at,
        "ended_at": membership.ended_at,
        "reason": membership.reason,
    }


def _co_chair(co_chair: CoChair) -> dict[str, Any]:
    return {
        "participant": _participant_ref(co_chair.participant),
        "started_at": co_chair.started_at,
        "ended_at": co_chair.ended_at,
    }


# -- initiatives ---------------------------------------------------------------------------------


@blp.route("/initiatives")
class Initiatives(MethodView):
    @blp.arguments(InitiativeListArgs, location="query", as_kwargs=True)
    @blp.response(200, InitiativePageSchema)
    def get(self, page: int, per_page: int, axis=None, status=None, q=None):
        """The directory, filtered by axis and status, searched by `q`."""
        stmt = services.initiatives_query(axis=axis, status=status, q=q)
        result = paginate(stmt, page, per_page)
        codes = services.co_chair_codes(i.id for i in result.items)
        return {
            "items": [_initiative(i, codes[i.id]) for i in result.items],
            "page": result.page,
            "per_page": result.per_page,
            "total": result.total,
        }

    @blp.arguments(InitiativeCreateSchema)
    @blp.response(201, InitiativeDetailSchema)
    @blp.doc(security=[{"bearerAuth": []}])
    def post(self, data: dict[str, Any]):
        """Propose an initiative: the caller's state becomes its first co-chair."""
        actor = require_api_user()
        initiative = services.propose_initiative(actor=actor, **data)
        db.session.commit()
        return _initiative_detail(initiative)


@blp.route("/initiatives/<slug>")
class InitiativeResource(MethodView):
    @blp.response(200, InitiativeDetailSchema)
    def get(self, slug: str):
        return _initiative_detail(services.get_initiative(slug))

    @blp.arguments(InitiativeUpdateSchema)
    @blp.response(200, InitiativeDetailSchema)
    @blp.doc(security=[{"bearerAuth": []}])
    def patch(self, data: dict[str, Any], slug: str):
        """Edit the initiative (co-chairs and staff)."""
        actor = require_api_user()
        initiative = services.get_initiative(slug)
        services.edit_initiative(initiative, actor=actor, **data)
        db.session.commit()
        return _initiative_detail(initiative)


@blp.route("/initiatives/<slug>/activate", methods=["POST"])
@blp.response(200, InitiativeDetailSchema)
@blp.doc(security=[{"bearerAuth": []}])
def activate(slug: str):
    """Staff: a proposed initiative becomes active."""
    actor = require_api_user()
    initiative = services.get_initiative(slug)
    services.activate_initiative(initiative, actor=actor)
    db.session.commit()
    return _initiative_detail(initiative)


@blp.route("/initiatives/<slug>/conclude", methods=["POST"])
@blp.response(200, InitiativeDetailSchema)
@blp.doc(security=[{"bearerAuth": []}])
def conclude(slug: str):
    """Staff: an active initiative is concluded."""
    actor = require_api_user()
    initiative = services.get_initiative(slug)
    services.conclude_initiative(initiative, actor=actor)
    db.session.commit()
    return _initiative_detail(initiative)


# -- memberships ---------------------------------------------------------------------------------


@blp.route("/initiatives/<slug>/memberships")
class InitiativeMemberships(MethodView):
    @blp.arguments(MembershipListArgs, location="query", as_kwargs=True)
    @blp.response(200, MembershipPageSchema)
    def get(self, slug: str, page: int, per_page: int, status=None):
        """Memberships of all statuses, or of one (`?status=active`)."""
        initiative = services.get_initiative(slug)
        result = paginate(services.memberships_query(initiative, status=status), page, per_page)
        return {
            "items": [_membership(m, initiative.slug) for m in result.items],
            "page": result.page,
            "per_page": result.per_page,
            "total": result.total,
        }

    @blp.arguments(MembershipCreateSchema)
    @blp.response(201, MembershipSchema)
    @blp.doc(security=[{"bearerAuth": []}])
    def post(self, data: dict[str, Any], slug: str):
        """Join or ask to join as the caller's participant; or name a `participant`
        to invite it (co-chairs, staff) or, with `"direct": true`, to add it (staff)."""
        actor = require_api_user()
        initiative = services.get_initiative(slug)
        code = data.get("participant")
        if not code:
            membership = services.join(initiative, actor=actor, message=data.get("message"))
        else:
            participant = get_participant(code)
            if data.get("direct"):
                membership = services.add_member(initiative, participant, actor=actor)
            else:
                membership = services.invite(
                    initiative, participant, actor=actor, message=data.get("message")
                )
        db.session.commit()
        return _membership(membership)


def _membership_action(membership_id: int, act) -> dict[str, Any]:
    actor = require_api_user()
    membership = services.get_membership(membership_id)
    act(membership, actor)
    db.session.commit()
    return _membership(membership)


@blp.route("/memberships/<int:membership_id>")
@blp.response(200, MembershipSchema)
def membership_detail(membership_id: int):
    return _membership(services.get_membership(membership_id))


@blp.route("/memberships/<int:membership_id>/approve", methods=["POST"])
@blp.response(200, MembershipSchema)
@blp.doc(security=[{"bearerAuth": []}])
def approve(membership_id: int):
    """Co-chairs, staff: approve a pending request."""
    return _membership_action(membership_id, lambda m, a: services.approve(m, actor=a))


@blp.route("/memberships/<int:membership_id>/decline", methods=["POST"])
@blp.arguments(ReasonSchema)
@blp.response(200, MembershipSchema)
@blp.doc(security=[{"bearerAuth": []}])
def decline(data: dict[str, Any], membership_id: int):
    """Co-chairs, staff: decline a pending request (with an optional `reason`).
    The invited participant: decline its invitation."""

    def act(membership: Membership, actor) -> None:
        from coalition import permissions

        if membership.status is MembershipStatus.INVITED and permissions.can_act_on_own_membership(
            actor, membership
        ):
            services.decline_invitation(membership, actor=actor)
        else:
            services.decline(membership, actor=actor, reason=data.get("reason"))

    return _membership_action(membership_id, act)


@blp.route("/memberships/<int:membership_id>/accept", methods=["POST"])
@blp.response(200, MembershipSchema)
@blp.doc(security=[{"bearerAuth": []}])
def accept(membership_id: int):
    """The invited participant accepts its invitation."""
    return _membership_action(membership_id, lambda m, a: services.accept_invitation(m, actor=a))


@blp.route("/memberships/<int:membership_id>/withdraw", methods=["POST"])
@blp.response(200, MembershipSchema)
@blp.doc(security=[{"bearerAuth": []}])
def withdraw(membership_id: int):
    """The member leaves (a co-chair hands over first)."""
    return _membership_action(membership_id, lambda m, a: services.withdraw(m, actor=a))


@blp.route("/memberships/<int:membership_id>/cancel", methods=["POST"])
@blp.response(200, MembershipSchema)
@blp.doc(security=[{"bearerAuth": []}])
def cancel(membership_id: int):
    """The requester cancels its pending request."""
    return _membership_action(membership_id, lambda m, a: services.cancel_request(m, actor=a))


@blp.route("/memberships/<int:membership_id>/revoke", methods=["POST"])
@blp.response(200, MembershipSchema)
@blp.doc(security=[{"bearerAuth": []}])
def revoke(membership_id: int):
    """Co-chairs, staff: revoke an invitation not yet answered."""
    return _membership_action(membership_id, lambda m, a: services.revoke_invitation(m, actor=a))


@blp.route("/memberships/<int:membership_id>/remove", methods=["POST"])
@blp.arguments(ReasonSchema)
@blp.response(200, MembershipSchema)
@blp.doc(security=[{"bearerAuth": []}])
def remove(data: dict[str, Any], membership_id: int):
    """Staff: remove an active member, with a `reason`."""
    return _membership_action(
        membership_id, lambda m, a: services.remove(m, actor=a, reason=data.get("reason"))
    )


# -- co-chairs -------------------------------------------------------------------------------------


@blp.route("/initiatives/<slug>/co-chairs")
class CoChairs(MethodView):
    @blp.response(200, CoChairSchema(many=True))
    def get(self, slug: str):
        """The current co-chairs."""
        initiative = services.get_initiative(slug)
        return [_co_chair(c) for c in services.current_co_chairs(initiative)]

    @blp.arguments(CoChairCreateSchema)
    @blp.response(201, CoChairSchema)
    @blp.doc(security=[{"bearerAuth": []}])
    def post(self, data: dict[str, Any], slug: str):
        """Staff: an active state member becomes a co-chair."""
        actor = require_api_user()
        initiative = services.get_initiative(slug)
        participant = get_participant(data["participant"])
        co_chair = services.assign_co_chair(initiative, participant, actor=actor)
        db.session.commit()
        return _co_chair(co_chair)


@blp.route("/initiatives/<slug>/co-chairs/<code>", methods=["DELETE"])
@blp.response(204)
@blp.doc(security=[{"bearerAuth": []}])
def end_co_chair(slug: str, code: str):
    """Staff: end a co-chair role (an active initiative keeps at least one)."""
    actor = require_api_user()
    initiative = services.get_initiative(slug)
    participant = get_participant(code)
    services.end_co_chair(initiative, participant, actor=actor)
    db.session.commit()
