"""Open data: initiatives, participants and memberships as CSV and JSON.

Values use the API's words (axis, status, role…) and ISO 8601 times in UTC. CSV files are
streamed row by row from one query each; JSON files are built from the same rows.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Iterator
from datetime import date, datetime
from enum import Enum
from typing import Any

import sqlalchemy as sa
from flask import Blueprint, Response, abort, jsonify, render_template, stream_with_context
from sqlalchemy.orm import aliased

from coalition.alliance.models import Endorsement
from coalition.extensions import db
from coalition.initiatives.models import Body, CoChair, Initiative, Membership
from coalition.participants.models import Participant

bp = Blueprint("opendata", __name__)

_BATCH = 1000


def _value(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


# -- the datasets: (columns, rows) ---------------------------------------------------------------

INITIATIVE_COLUMNS = [
    "slug",
    "title",
    "summary",
    "axis",
    "status",
    "join_policy",
    "seat_limit",
    "active_count",
    "launched_on",
    "activated_at",
    "concluded_at",
    "co_chairs",
    "proposed_by",
    "created_at",
]


def _initiative_rows() -> Iterator[dict[str, Any]]:
    """Every initiative, with its current co-chairs' codes joined by ";" (2 queries)."""
    chairs: dict[int, list[str]] = {}
    for body_id, code in db.session.execute(
        sa.select(CoChair.body_id, Participant.code)
        .join(Participant, Participant.id == CoChair.participant_id)
        .join(Initiative, Initiative.id == CoChair.body_id)
        .where(CoChair.ended_at.is_(None))
        .order_by(CoChair.started_at, CoChair.id)
    ):
        chairs.setdefault(body_id, []).append(code)
    proposer = aliased(Participant)
    rows = db.session.execute(
        sa.select(Initiative, proposer.code)
        .outerjoin(proposer, proposer.id == Initiative.proposed_by_id)
        .order_by(Initiative.slug)
    )
    for initiative, proposed_by in rows:
        yield {
            "slug": initiative.slug,
            "title": initiative.title,
            "summary": initiative.summary,
            "axis": initiative.axis,
            "status": initiative.status,
            "join_policy": initiative.join_policy,
            "seat_limit": initiative.seat_limit,
            "active_count": initiative.active_count,
            "launched_on": initiative.launched_on,
            "activated_at": initiative.activated_at,
            "concluded_at": initiative.concluded_at,
            "co_chairs": ";".join(chairs.get(initiative.id, [])),
            "proposed_by": proposed_by,
            "created_at": initiative.created_at,
        }


PARTICIPANT_COLUMNS = [
    "code",
    "kind",
    "name",
    "acronym",
    "iso_alpha2",
    "un_status",
    "category",
    "timezone",
    "website",
    "alliance_endorsed_at",
]


def _participant_rows() -> Iterator[dict[str, Any]]:
    """Every participant and when it endorsed the Alliance, if it does now (1 query)."""
    stmt = (
        sa.select(Participant, Endorsement.endorsed_at)
        .outerjoin(
            Endorsement,
            sa.and_(
                Endorsement.participant_id == Participant.id, Endorsement.withdrawn_at.is_(None)
            ),
        )
        .order_by(Participant.kind, Participant.code)
        .execution_options(yield_per=_BATCH)
    )
    for participant, endorsed_at in db.session.execute(stmt):
        yield {
            "code": participant.code,
            "kind": participant.kind,
            "name": participant.name,
            "acronym": participant.acronym,
            "iso_alpha2": participant.iso_alpha2,
            "un_status": participant.un_status,
            "category": participant.category,
            "timezone": participant.timezone,
            "website": participant.website,
            "alliance_endorsed_at": endorsed_at,
        }


MEMBERSHIP_COLUMNS = [
    "id",
    "body_slug",
    "body_kind",
    "participant_code",
    "participant_kind",
    "role",
    "status",
    "created_at",
    "since",
    "ended_at",
]


def _membership_rows() -> Iterator[dict[str, Any]]:
    """Every membership row ever, current and closed, oldest first (1 query)."""
    stmt = (
        sa.select(
            Membership.id,
            Body.slug,
            Body.kind,
            Participant.code,
            Participant.kind,
            Membership.role,
            Membership.status,
            Membership.created_at,
            Membership.since,
            Membership.ended_at,
        )
        .join(Body, Body.id == Membership.body_id)
        .join(Participant, Participant.id == Membership.participant_id)
        .order_by(Membership.id)
        .execution_options(yield_per=_BATCH)
    )
    for row in db.session.execute(stmt):
        yield dict(zip(MEMBERSHIP_COLUMNS, row, strict=True))


DATASETS: dict[str, tuple[list[str], Callable[[], Iterable[dict[str, Any]]]]] = {
    "initiatives": (INITIATIVE_COLUMNS, _initiative_rows),
    "participants": (PARTICIPANT_COLUMNS, _participant_rows),
    "memberships": (MEMBERSHIP_COLUMNS, _membership_rows),
}


# -- views -----------------------------------------------------------------------------------------


@bp.get("/data/")
def index() -> str:
    return render_template("opendata/index.html", datasets=DATASETS)


def _cell(value: Any) -> str:
    """A CSV cell; text that a spreadsheet would run as a formula is quoted with '."""
    if value is None:
        return ""
    text = _value(value)
    if isinstance(text, str) and text[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + text
    return text


def _csv_lines(columns: list[str], rows: Iterable[dict[str, Any]]) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(columns)
    for n, row in enumerate(rows, start=1):
        writer.writerow([_cell(row[c]) for c in columns])
        if n % 200 == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


@bp.get("/data/<name>.csv")
def dataset_csv(name: str) -> Response:
    if name not in DATASETS:
        abort(404)
    columns, rows = DATASETS[name]
    return Response(
        stream_with_context(_csv_lines(columns, rows())),
        mimetype="text/csv",
        headers={
            "Content-Type": "text/csv; charset=utf-8",
            "Content-Disposition": f'attachment; filename="{name}.csv"',
        },
    )


@bp.get("/data/<name>.json")
def dataset_json(name: str) -> Response:
    if name not in DATASETS:
        abort(404)
    columns, rows = DATASETS[name]
    items = [{c: _value(row[c]) for c in columns} for row in rows()]
    response = jsonify({"items": items, "total": len(items)})
    response.headers["Content-Disposition"] = f'inline; filename="{name}.json"'
    return response
