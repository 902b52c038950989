"""The working groups API: directory, create/edit/close (staff; co-chairs edit), direct
additions, bulk changes, and the terms of any membership. A group's membership list and
co-chairs are served by coalition.bodies.api under /groups/{slug}/.

Thin: parse, call the same services as the HTML pages, commit, serialize.
"""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_babel import gettext as _
from flask_smorest import Blueprint

from coalition.accounts.models import User
from coalition.api.auth import require_api_user
from coalition.api.docs import token_required
from coalition.api.problems import problem_response
from coalition.bilingual import api_texts
from coalition.bodies import memberships, terms
from coalition.bodies.api import membership_data, register_body_routes
from coalition.bodies.models import Body, Membership
from coalition.bodies.queries import current_co_chairs, get_body, get_membership
from coalition.bodies.schemas import MembershipSchema
from coalition.extensions import db
from coalition.groups import services
from coalition.groups.bulk import BulkResult, bulk_change
from coalition.groups.models import WorkingGroup
from coalition.groups.schemas import (
    BulkChangeSchema,
    BulkRefusedSchema,
    BulkResultSchema,
    GroupCreateSchema,
    GroupDetailSchema,
    GroupListArgs,
    GroupMembershipCreateSchema,
    GroupPageSchema,
    GroupUpdateSchema,
    TermSchema,
)
from coalition.pagination import paginate
from coalition.participants.services import get_participant

blp = Blueprint(
    "groups_api",
    __name__,
    description="Working groups of initiatives and of the Alliance, and their members.",
)
ALLIANCE_LEVEL = ("", "-")


_LIST_TEXTS = {"title": ("title", "titles"), "summary": ("summary", "summaries")}
_DETAIL_TEXTS = {**_LIST_TEXTS, "description": ("mandate", "mandates")}


def _group(group: WorkingGroup, co_chairs: list) -> dict[str, Any]:
    return {
        "slug": group.slug,
        **api_texts(group, _LIST_TEXTS),
        "initiative": group.initiative.slug if group.initiative else None,
        "status": group.status.value,
        "seat_limit": group.seat_limit,
        "member_count": group.active_count,
        "co_chairs": [c.participant.code for c in co_chairs],
    }


def _group_detail(group: WorkingGroup) -> dict[str, Any]:
    data = _group(group, current_co_chairs([group.id])[group.id])
    data.update(
        **api_texts(group, _DETAIL_TEXTS), created_at=group.created_at, closed_at=group.closed_at
    )
    return data


def _get(slug: str) -> WorkingGroup:
    return get_body(slug, kind=WorkingGroup)


@blp.route("/groups")
class Groups(MethodView):
    @blp.arguments(GroupListArgs, location="query", as_kwargs=True)
    @blp.response(200, GroupPageSchema)
    def get(self, page: int, per_page: int, initiative=None, status=None):
        """Working groups: of one initiative (`?initiative=slug`), of the Alliance
        (`?initiative=`), or all."""
        alliance = initiative is not None and initiative in ALLIANCE_LEVEL
        stmt = services.groups_query(
            initiative=None if alliance else initiative, alliance=alliance, status=status
        )
        result = paginate(stmt, page, per_page)
        co_chairs = current_co_chairs(g.id for g in result.items)
        return {
            "items": [_group(g, co_chairs[g.id]) for g in result.items],
            "page": result.page,
            "per_page": result.per_page,
            "total": result.total,
        }

    @blp.arguments(GroupCreateSchema)
    @blp.response(201, GroupDetailSchema)
    @token_required(403, 409)
    def post(self, data: dict[str, Any]):
        """Staff: create a working group of an initiative, or of the Alliance."""
        group = services.create_group(actor=require_api_user(), **data)
        db.session.commit()
        return _group_detail(group)


@blp.route("/groups/<slug>")
class GroupResource(MethodView):
    @blp.response(200, GroupDetailSchema)
    def get(self, slug: str):
        return _group_detail(_get(slug))

    # No body changes nothing, as `{}` does.
    @blp.arguments(GroupUpdateSchema, required=False)
    @blp.response(200, GroupDetailSchema)
    @token_required(403, 409)
    def patch(self, data: dict[str, Any], slug: str):
        """Staff and the group's co-chairs: edit the title, summary, mandate, seat limit."""
        actor = require_api_user()
        group = _get(slug)
        services.edit_group(group, actor=actor, **data)
        db.session.commit()
        return _group_detail(group)


@blp.route("/groups/<slug>/close", methods=["POST"])
@blp.response(200, GroupDetailSchema)
@token_required(403, 409)
def close(slug: str):
    """Staff: close the group; it takes no new members, its record stays."""
    group = services.close_group(_get(slug), actor=require_api_user())
    db.session.commit()
    return _group_detail(group)


def _bulk_rows(result: BulkResult) -> list[dict[str, str]]:
    return [{"code": row.code, "outcome": row.outcome.value} for row in result.rows]


@blp.route("/groups/<slug>/memberships/bulk", methods=["POST"])
@blp.arguments(BulkChangeSchema)
@blp.response(200, BulkResultSchema)
@blp.alt_response(409, schema=BulkRefusedSchema, content_type="application/problem+json")
@token_required(403)
def bulk(data: dict[str, Any], slug: str):
    """Staff and the group's co-chairs: add and remove many participants at once, by
    code. Each row's outcome: `added`, `removed`, `already_member`, `not_member` (nothing
    to do), `not_initiative_member`, `unknown`, `seat_limit` (refused). With `dry_run`,
    only the preview. Otherwise applied all or nothing: if a row is refused, nothing
    changes and the answer is 409, a problem that also carries `applied` (false) and the
    same `rows`."""
    actor = require_api_user()
    result = bulk_change(_get(slug), actor=actor, **data)
    if result.refused and not data["dry_run"]:
        db.session.rollback()
        return problem_response(
            409,
            _(
                "Nothing was changed: %(n)s of the rows are refused (see their outcomes).",
                n=len(result.refused),
            ),
            extra={"applied": False, "rows": _bulk_rows(result)},
        )
    if result.applied:
        db.session.commit()
    return {"applied": result.applied, "rows": _bulk_rows(result)}


# -- terms of any membership ------------------------------------------------------------------


@blp.route("/memberships/<int:membership_id>/term", methods=["POST"])
@blp.arguments(TermSchema)
@blp.response(200, MembershipSchema)
@token_required(403, 409)
def renew_term(data: dict[str, Any], membership_id: int):
    """Staff (and a group's co-chairs): set the day an active membership's term ends
    (null: no end)."""
    actor = require_api_user()
    membership = get_membership(membership_id)
    terms.renew_term(membership, data["term_ends_on"], actor=actor)
    db.session.commit()
    return membership_data(membership)


@blp.route("/memberships/<int:membership_id>/end-term", methods=["POST"])
@blp.response(200, MembershipSchema)
@token_required(403, 409)
def end_term(membership_id: int):
    """Staff (and a group's co-chairs): end a member's term now; the membership closes."""
    actor = require_api_user()
    membership = get_membership(membership_id)
    terms.end_term(membership, actor=actor)
    db.session.commit()
    return membership_data(membership)


def _add(body: Body, data: dict[str, Any], actor: User) -> Membership:
    return memberships.add_member(
        body, get_participant(data["participant"]), actor=actor, term_ends_on=data["term_ends_on"]
    )


register_body_routes(
    "groups",
    WorkingGroup,
    create=_add,
    create_schema=GroupMembershipCreateSchema,
    create_doc=(
        "Staff and the group's co-chairs: add the `participant` directly, for a term "
        "ending on `term_ends_on` if given. (Joining an initiative never adds to its "
        "groups.)"
    ),
)
