"""Open data: initiatives, participants and memberships as CSV and JSON.

Values use the API's words (axis, status, role…) and ISO 8601 times in UTC. CSV and JSON
files are streamed row by row from one query each, with an ETag and a Last-Modified
from the data version (coalition.conditional).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date, datetime
from enum import Enum
from typing import Any

import sqlalchemy as sa
from flask import Blueprint, Response, abort, render_template, stream_with_context
from sqlalchemy.orm import aliased

from coalition.alliance.models import Endorsement
from coalition.bilingual import CONTENT_LANGUAGES, texts
from coalition.bodies.models import Body, Membership
from coalition.bodies.queries import current_co_chairs
from coalition.conditional import validator
from coalition.extensions import db
from coalition.i18n import UN_LANGUAGES
from coalition.initiatives.models import Initiative
from coalition.participants import countries
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
    # `title` and `summary` are as written, in `language`; here each in both languages
    # (empty where not written yet: coalition.bilingual).
    "language",
    *(f"{field}_{language}" for field in ("title", "summary") for language in CONTENT_LANGUAGES),
]


def _initiative_rows() -> Iterator[dict[str, Any]]:
    """Every initiative, with its current co-chairs' codes joined by ";" (2 queries)."""
    chairs = {
        body_id: [c.participant.code for c in rows] for body_id, rows in current_co_chairs().items()
    }
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
            "language": initiative.language,
            **{
                f"{field}_{language}": text
                for field in ("title", "summary")
                for language, text in texts(initiative, field).items()
            },
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
    # A state's UN Terminology names in the six UN languages, and its M49 regions.
    *(f"name_{language}" for language in UN_LANGUAGES),
    "formal_name_en",
    "region_code",
    "region",
    "subregion_code",
    "subregion",
    "intermediate_region_code",
    "intermediate_region",
]


def _participant_rows() -> Iterator[dict[str, Any]]:
    """Every participant and when it endorsed the Alliance, if it does now (1 query).
    `name` is the English name; region names are M49's English ones."""
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
    regions = countries.region_names_en()
    for participant, endorsed_at in db.session.execute(stmt):
        names = participant.names or {}
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
            **{f"name_{language}": names.get(language) for language in UN_LANGUAGES},
            "formal_name_en": (participant.formal_names or {}).get("en"),
            "region_code": participant.region_code,
            "region": regions.get(participant.region_code or ""),
            "subregion_code": participant.subregion_code,
            "subregion": regions.get(participant.subregion_code or ""),
            "intermediate_region_code": participant.intermediate_region_code,
            "intermediate_region": regions.get(participant.intermediate_region_code or ""),
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


def _membership_rows() -> Iterator[Sequence[Any]]:
    """Every membership row ever, current and closed, oldest first (1 query), as tuples
    in MEMBERSHIP_COLUMNS' order: the largest file, read without the ORM's per-row work
    (a server-side cursor on PostgreSQL, fetched _BATCH rows at a time)."""
    stmt = (
        sa.select(
            Membership.id,
            Body.slug,
            # The enumerations as stored, their values: the same words, without making
            # an enum member of each to write it back out.
            sa.type_coerce(Body.kind, sa.String),
            Participant.code,
            sa.type_coerce(Participant.kind, sa.String),
            sa.type_coerce(Membership.role, sa.String),
            sa.type_coerce(Membership.status, sa.String),
            Membership.created_at,
            Membership.since,
            Membership.ended_at,
        )
        .join(Body, Body.id == Membership.body_id)
        .join(Participant, Participant.id == Membership.participant_id)
        .order_by(Membership.id)
    )
    # On the statement, not the connection: a connection's options would stay for every
    # later statement on it (a server-side cursor for a ROLLBACK…).
    yield from db.session.connection().execute(stmt.execution_options(yield_per=_BATCH))


#: Rows are dicts by column name, or sequences in the columns' order.
Row = dict[str, Any] | Sequence[Any]

DATASETS: dict[str, tuple[list[str], Callable[[], Iterable[Row]]]] = {
    "initiatives": (INITIATIVE_COLUMNS, _initiative_rows),
    "participants": (PARTICIPANT_COLUMNS, _participant_rows),
    "memberships": (MEMBERSHIP_COLUMNS, _membership_rows),
}


# -- views -----------------------------------------------------------------------------------------


@bp.get("/data/")
def index() -> str:
    return render_template("opendata/index.html", datasets=DATASETS)


_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: Any) -> Any:
    """A CSV cell; text that a spreadsheet would run as a formula is quoted with '.
    By exact type, the converter found once per type: this runs for every cell."""
    try:
        convert = _CONVERTERS[type(value)]
    except KeyError:
        convert = _CONVERTERS.setdefault(type(value), _converter(type(value)))
    return convert(value)


def _neutralized(text: str) -> str:
    return "'" + text if text[:1] in _FORMULA_STARTS else text


def _converter(kind: type) -> Callable[[Any], Any]:
    if issubclass(kind, Enum):
        return lambda value: _neutralized(value.value)
    if issubclass(kind, datetime | date):
        return lambda value: value.isoformat()
    if issubclass(kind, str):
        return _neutralized

    def general(value: Any) -> Any:
        text = _value(value)
        return _neutralized(text) if isinstance(text, str) else text

    return general


_CONVERTERS: dict[type, Callable[[Any], Any]] = {
    type(None): lambda _value: "",
    int: lambda value: value,
    str: _neutralized,
}


def _ordered(columns: list[str], rows: Iterable[Row]) -> Iterator[Sequence[Any]]:
    for row in rows:
        yield [row[c] for c in columns] if isinstance(row, dict) else row


#: Rows written to the buffer between two chunks sent.
_CHUNK_ROWS = 500


def _csv_lines(columns: list[str], rows: Iterable[Row]) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(columns)
    cell, formula = _cell, _FORMULA_STARTS
    for n, row in enumerate(_ordered(columns, rows), start=1):
        # The common cells inline (a call per cell is most of the cost): text, checked
        # for a formula; numbers and NULL as they are (csv writes None as nothing).
        writer.writerow(
            [
                ("'" + v if v[:1] in formula else v)
                if (kind := type(v)) is str
                else v
                if v is None or kind is int
                else cell(v)
                for v in row
            ]
        )
        if n % _CHUNK_ROWS == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def _json_chunks(columns: list[str], rows: Iterable[Row]) -> Iterator[str]:
    """{"items": [...], "total": n}, written item by item: the total comes last, once
    counted, which leaves the document as valid as when it was built whole."""
    yield '{"items":['
    total = 0
    parts: list[str] = []
    dumps = json.JSONEncoder(sort_keys=True, separators=(",", ":")).encode
    plain = (str, int, float, bool, type(None))
    for total, row in enumerate(_ordered(columns, rows), start=1):
        item = {c: v if type(v) in plain else _value(v) for c, v in zip(columns, row, strict=True)}
        parts.append(("," if total > 1 else "") + dumps(item))
        if total % _CHUNK_ROWS == 0:
            yield "".join(parts)
            parts.clear()
    parts.append(f'],"total":{total}}}\n')
    yield "".join(parts)


def _streamed(chunks: Iterator[str], mimetype: str, disposition: str, name: str) -> Response:
    return Response(
        stream_with_context(chunks),
        mimetype=mimetype,
        headers={"Content-Disposition": f'{disposition}; filename="{name}"'},
    )


def _public_download(
    name: str, chunks: Callable[[], Iterator[str]], mimetype: str, disposition: str
) -> Response:
    """A public file streamed as it is read from the database, memory flat whatever its
    size, with a validator from the data version: a repeat with If-None-Match or
    If-Modified-Since is a 304 that reads nothing else. (Public: the same for every
    reader, so that a shared cache may keep it.)

    The validator's query also checks the database before answering, so that one that
    is away is a 503 (see coalition.web), not a 200 whose body breaks off after the
    headers have gone."""
    check = validator(name)
    unchanged = check.not_modified()
    if unchanged is not None:
        return unchanged
    return check.apply(_streamed(chunks(), mimetype, disposition, name))


def csv_response(filename: str, columns: list[str], rows: Iterable[Row]) -> Response:
    """A CSV download streamed row by row, cells a spreadsheet would run neutralized.

    *rows* is a generator: its query runs while the file streams, in the streamed
    context's own session (a server-side cursor opened here would close with this view's
    session, mid-file). The database is asked once before answering, so that one that
    is away is a 503 (see coalition.web), not a 200 whose body breaks off after the
    headers have gone."""
    db.session.execute(sa.select(1))
    response = _streamed(_csv_lines(columns, rows), "text/csv", "attachment", filename)
    response.headers["Content-Type"] = "text/csv; charset=utf-8"
    return response


@bp.get("/data/<name>.csv")
def dataset_csv(name: str) -> Response:
    if name not in DATASETS:
        abort(404)
    columns, rows = DATASETS[name]
    response = _public_download(
        f"{name}.csv", lambda: _csv_lines(columns, rows()), "text/csv", "attachment"
    )
    response.headers["Content-Type"] = "text/csv; charset=utf-8"
    return response


@bp.get("/data/<name>.json")
def dataset_json(name: str) -> Response:
    if name not in DATASETS:
        abort(404)
    columns, rows = DATASETS[name]
    return _public_download(
        f"{name}.json", lambda: _json_chunks(columns, rows()), "application/json", "inline"
    )
