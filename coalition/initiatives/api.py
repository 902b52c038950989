"""The initiatives API: directory, proposals, editing, activation and conclusion. Their
memberships and co-chairs are served by coalition.bodies.api under /initiatives/{slug}/.

Thin: parse, call the same services as the HTML pages, commit, serialize.
"""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint

from coalition.api.auth import require_api_user
from coalition.api.docs import token_required
from coalition.bilingual import api_texts
from coalition.bodies.api import register_body_routes
from coalition.bodies.queries import current_co_chairs, get_body
from coalition.extensions import db
from coalition.initiatives import services
from coalition.initiatives.models import Initiative
from coalition.initiatives.schemas import (
    InitiativeCreateSchema,
    InitiativeDetailSchema,
    InitiativeListArgs,
    InitiativePageSchema,
    InitiativeUpdateSchema,
)
from coalition.pagination import paginate

blp = Blueprint(
    "initiatives_api",
    __name__,
    description="Initiatives (thematic coalitions): directory, proposals, lifecycle.",
)


_LIST_TEXTS = {"title": ("title", "titles"), "summary": ("summary", "summaries")}
_DETAIL_TEXTS = {**_LIST_TEXTS, "description": ("description", "descriptions")}


def _initiative(initiative: Initiative, co_chairs: list) -> dict[str, Any]:
    return {
        "slug": initiative.slug,
        **api_texts(initiative, _LIST_TEXTS),
        "axis": initiative.axis.value,
        "status": initiative.status.value,
        "join_policy": initiative.join_policy.value,
        "seat_limit": initiative.seat_limit,
        "launched_on": initiative.launched_on,
        "member_count": initiative.active_count,
        "co_chairs": [c.participant.code for c in co_chairs],
    }


def _initiative_detail(initiative: Initiative) -> dict[str, Any]:
    data = _initiative(initiative, current_co_chairs([initiative.id])[initiative.id])
    data.update(
        **api_texts(initiative, _DETAIL_TEXTS),
        results=initiative.results,
        proposed_by=initiative.proposed_by.code if initiative.proposed_by else None,
        activated_at=initiative.activated_at,
        concluded_at=initiative.concluded_at,
    )
    return data


def _get(slug: str) -> Initiative:
    return get_body(slug, kind=Initiative)


@blp.route("/initiatives")
class Initiatives(MethodView):
    @blp.arguments(InitiativeListArgs, location="query", as_kwargs=True)
    @blp.response(200, InitiativePageSchema)
    def get(self, page: int, per_page: int, axis=None, status=None, q=None):
        """The directory, filtered by axis and status, searched by `q`."""
        result = paginate(services.initiatives_query(axis=axis, status=status, q=q), page, per_page)
        co_chairs = current_co_chairs(i.id for i in result.items)
        return {
            "items": [_initiative(i, co_chairs[i.id]) for i in result.items],
            "page": result.page,
            "per_page": result.per_page,
            "total": result.total,
        }

    @blp.arguments(InitiativeCreateSchema)
    @blp.response(201, InitiativeDetailSchema)
    @token_required(403, 409)
    def post(self, data: dict[str, Any]):
        """Propose an initiative: the caller's state becomes its first co-chair."""
        initiative = services.propose_initiative(actor=require_api_user(), **data)
        db.session.commit()
        return _initiative_detail(initiative)


@blp.route("/initiatives/<slug>")
class InitiativeResource(MethodView):
    @blp.response(200, InitiativeDetailSchema)
    def get(self, slug: str):
        return _initiative_detail(_get(slug))

    # No body changes nothing, as `{}` does.
    @blp.arguments(InitiativeUpdateSchema, required=False)
    @blp.response(200, InitiativeDetailSchema)
    @token_required(403, 409)
    def patch(self, data: dict[str, Any], slug: str):
        """Edit the initiative (co-chairs and staff): the fields given, the others kept."""
        actor = require_api_user()
        initiative = _get(slug)
        services.edit_initiative(initiative, actor=actor, **data)
        db.session.commit()
        return _initiative_detail(initiative)


@blp.route("/initiatives/<slug>/activate", methods=["POST"])
@blp.response(200, InitiativeDetailSchema)
@token_required(403, 409)
def activate(slug: str):
    """Staff: a proposed initiative becomes active."""
    actor = require_api_user()
    initiative = services.activate_initiative(_get(slug), actor=actor)
    db.session.commit()
    return _initiative_detail(initiative)


@blp.route("/initiatives/<slug>/conclude", methods=["POST"])
@blp.response(200, InitiativeDetailSchema)
@token_required(403, 409)
def conclude(slug: str):
    """Staff: an active initiative is concluded."""
    actor = require_api_user()
    initiative = services.conclude_initiative(_get(slug), actor=actor)
    db.session.commit()
    return _initiative_detail(initiative)


register_body_routes("initiatives", Initiative)
