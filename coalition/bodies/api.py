"""The API of memberships and co-chairs, for every kind of body.

`/memberships/{id}/…` acts on one membership whatever its body; the list, join/invite and
co-chair routes are registered under each kind's section (`/initiatives/{slug}/…`) by
register_body_routes. Thin: parse, call the same services as the pages, commit, serialize.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import g
from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema

from coalition import permissions
from coalition.accounts.models import User
from coalition.api.auth import require_api_user
from coalition.api.docs import token_required
from coalition.bodies import co_chairs, memberships
from coalition.bodies.models import Body, CoChair, Membership, MembershipStatus
from coalition.bodies.queries import co_chairs_of, get_body, get_membership, memberships_query
from coalition.bodies.schemas import (
    CoChairCreateSchema,
    CoChairSchema,
    MembershipCreateSchema,
    MembershipListArgs,
    MembershipPageSchema,
    MembershipSchema,
    ReasonSchema,
    RemovalSchema,
)
from coalition.extensions import db
from coalition.i18n import api_names_language
from coalition.labels import participant_name
from coalition.pagination import paginate
from coalition.participants.models import Participant
from coalition.participants.services import get_participant

blp = Blueprint(
    "memberships_api",
    __name__,
    description="Memberships in initiatives and working groups, and their co-chairs.",
)


def participant_ref(participant: Participant) -> dict[str, Any]:
    return {
        "code": participant.code,
        "name": participant_name(participant, api_names_language()),
        "kind": participant.kind.value,
    }


def membership_data(membership: Membership) -> dict[str, Any]:
    """The membership as the caller may see it: a decline's reason only for those
    permissions.can_read_membership_reason lets read it (null for the others)."""
    viewer = g.get("api_user")
    return {
        "id": membership.id,
        "participant": participant_ref(membership.participant),
        "body": membership.body.slug,
        "role": membership.role.value,
        "status": membership.status.value,
        "since": membership.since,
        "created_at": membership.created_at,
        "ended_at": membership.ended_at,
        "reason": membership.reason
        if permissions.can_read_membership_reason(viewer, membership)
        else None,
        "term_ends_on": membership.term_ends_on,
    }


def co_chair_data(co_chair: CoChair) -> dict[str, Any]:
    return {
        "participant": participant_ref(co_chair.participant),
        "started_at": co_chair.started_at,
        "ended_at": co_chair.ended_at,
    }


# -- one membership, whatever its body -------------------------------------------------------


def _act(membership_id: int, act: Callable[[Membership, Any], object]) -> dict[str, Any]:
    actor = require_api_user()
    membership = get_membership(membership_id)
    act(membership, actor)
    db.session.commit()
    return membership_data(membership)


@blp.route("/memberships/<int:membership_id>")
@blp.response(200, MembershipSchema)
def membership_detail(membership_id: int):
    return membership_data(get_membership(membership_id))


@blp.route("/memberships/<int:membership_id>/approve", methods=["POST"])
@blp.response(200, MembershipSchema)
@token_required(403, 409)
def approve(membership_id: int):
    """Co-chairs, staff: approve a pending request."""
    return _act(membership_id, lambda m, a: memberships.approve(m, actor=a))


@blp.route("/memberships/<int:membership_id>/decline", methods=["POST"])
@blp.arguments(ReasonSchema, required=False)
@blp.response(200, MembershipSchema)
@token_required(403, 409)
def decline(data: dict[str, Any], membership_id: int):
    """Co-chairs, staff: decline a pending request (with an optional `reason`).
    The invited participant: decline its invitation."""

    def act(membership: Membership, actor) -> None:
        if membership.status is MembershipStatus.INVITED and permissions.can_act_on_own_membership(
            actor, membership
        ):
            memberships.decline_invitation(membership, actor=actor)
        else:
            memberships.decline(membership, actor=actor, reason=data.get("reason"))

    return _act(membership_id, act)


@blp.route("/memberships/<int:membership_id>/accept", methods=["POST"])
@blp.response(200, MembershipSchema)
@token_required(403, 409)
def accept(membership_id: int):
    """The invited participant accepts its invitation."""
    return _act(membership_id, lambda m, a: memberships.accept_invitation(m, actor=a))


@blp.route("/memberships/<int:membership_id>/withdraw", methods=["POST"])
@blp.arguments(ReasonSchema, required=False)
@blp.response(200, MembershipSchema)
@token_required(403, 409)
def withdraw(data: dict[str, Any], membership_id: int):
    """The member leaves (a co-chair hands over first), with an optional `reason` for
    the co-chairs and staff."""
    return _act(
        membership_id, lambda m, a: memberships.withdraw(m, actor=a, reason=data.get("reason"))
    )


@blp.route("/memberships/<int:membership_id>/cancel", methods=["POST"])
@blp.response(200, MembershipSchema)
@token_required(403, 409)
def cancel(membership_id: int):
    """The requester cancels its pending request."""
    return _act(membership_id, lambda m, a: memberships.cancel_request(m, actor=a))


@blp.route("/memberships/<int:membership_id>/revoke", methods=["POST"])
@blp.response(200, MembershipSchema)
@token_required(403, 409)
def revoke(membership_id: int):
    """Co-chairs, staff: revoke an invitation not yet answered."""
    return _act(membership_id, lambda m, a: memberships.revoke_invitation(m, actor=a))


@blp.route("/memberships/<int:membership_id>/remove", methods=["POST"])
@blp.arguments(RemovalSchema)
@blp.response(200, MembershipSchema)
@token_required(403, 409)
def remove(data: dict[str, Any], membership_id: int):
    """Staff: remove an active member, with a `reason`."""
    return _act(
        membership_id, lambda m, a: memberships.remove(m, actor=a, reason=data.get("reason"))
    )


# -- a body's memberships and co-chairs, under each kind's section ---------------------------


def _join_or_invite(body: Body, data: dict[str, Any], actor: User) -> Membership:
    code = data.get("participant")
    if not code:
        return memberships.join(body, actor=actor, message=data.get("message"))
    if data.get("direct"):
        return memberships.add_member(body, get_participant(code), actor=actor)
    return memberships.invite(body, get_participant(code), actor=actor, message=data.get("message"))


def _needs_a_field(schema: type[Schema]) -> bool:
    return any(field.required for field in schema().fields.values())


def register_body_routes(
    section: str,
    kind: type[Body],
    *,
    create: Callable[[Body, dict[str, Any], User], Membership] = _join_or_invite,
    create_schema: type[Schema] = MembershipCreateSchema,
    create_doc: str = (
        "Join or ask to join as the caller's participant; or name a `participant` to "
        'invite it (co-chairs, staff) or, with `"direct": true`, to add it (staff).'
    ),
) -> None:
    """The list, membership-creating and co-chair routes of one kind of body, at
    /<section>/{slug}; *create* is how that kind takes members (initiatives: join,
    request, invite; working groups: direct additions)."""

    @blp.route(f"/{section}/<slug>/memberships", endpoint=f"{section}_memberships")
    class BodyMemberships(MethodView):
        @blp.arguments(MembershipListArgs, location="query", as_kwargs=True)
        @blp.response(200, MembershipPageSchema)
        def get(self, slug: str, page: int, per_page: int, status=None):
            """Memberships of all statuses, or of one (`?status=active`)."""
            body = get_body(slug, kind=kind)
            result = paginate(memberships_query(body, status=status), page, per_page)
            return {
                "items": [membership_data(m) for m in result.items],
                "page": result.page,
                "per_page": result.per_page,
                "total": result.total,
            }

        # The body is optional when every field is (joining as the caller's participant).
        @blp.arguments(create_schema, required=_needs_a_field(create_schema))
        @blp.response(201, MembershipSchema)
        @token_required(403, 409)
        @blp.doc(summary="Create a membership", description=create_doc)
        def post(self, data: dict[str, Any], slug: str):
            actor = require_api_user()
            membership = create(get_body(slug, kind=kind), data, actor)
            db.session.commit()
            return membership_data(membership)

    @blp.route(f"/{section}/<slug>/co-chairs", endpoint=f"{section}_co_chairs")
    class CoChairs(MethodView):
        @blp.response(200, CoChairSchema(many=True))
        def get(self, slug: str):
            """The current co-chairs."""
            return [co_chair_data(c) for c in co_chairs_of(get_body(slug, kind=kind))]

        @blp.arguments(CoChairCreateSchema)
        @blp.response(201, CoChairSchema)
        @token_required(403, 409)
        def post(self, data: dict[str, Any], slug: str):
            """Staff: an active state member becomes a co-chair."""
            actor = require_api_user()
            body = get_body(slug, kind=kind)
            co_chair = co_chairs.assign_co_chair(
                body, get_participant(data["participant"]), actor=actor
            )
            db.session.commit()
            return co_chair_data(co_chair)

    @blp.route(
        f"/{section}/<slug>/co-chairs/<code>", methods=["DELETE"], endpoint=f"{section}_co_chair"
    )
    @blp.response(204)
    @token_required(403, 409)
    def end_co_chair(slug: str, code: str):
        """Staff: end a co-chair role (a body that must keep one keeps at least one)."""
        actor = require_api_user()
        body = get_body(slug, kind=kind)
        co_chairs.end_co_chair(body, get_participant(code), actor=actor)
        db.session.commit()
