"""API: GET /planner, the best starts across the participants' time zones. Public.

Thin: parse the query, call the same find_times as the page, serialize.
"""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from flask import g
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from coalition import limits
from coalition.errors import InvalidValue
from coalition.i18n import api_names_language, is_known_zone, unknown_zone_message
from coalition.planner.calendars import DayOffReason
from coalition.planner.fairness import Fairness
from coalition.planner.queries import PlannerResult, find_times
from coalition.planner.service import Candidate, Plan

blp = Blueprint(
    "planner_api",
    __name__,
    description="The time-zone planner: meeting starts that suit participants across capitals.",
)


class PlannerArgs(Schema):
    participants = fields.String(
        validate=validate.Length(max=limits.PLANNER_CODES_MAX * 8),
        metadata={"description": "participant codes, comma-separated: GHA,CAN,SGP"},
    )
    body = fields.String(
        validate=validate.Length(max=limits.SLUG_MAX),
        metadata={"description": "a body's slug: its active members (and partners) take part"},
    )
    date = fields.Date(required=True, metadata={"description": "the first day searched"})
    days = fields.Integer(
        load_default=1,
        metadata={"description": "how many days", "minimum": 1, "maximum": limits.PLANNER_DAYS_MAX},
    )
    duration = fields.Integer(
        load_default=60,
        metadata={
            "description": "the meeting's length in minutes",
            "minimum": 1,
            "maximum": limits.PLANNER_DURATION_MAX,
        },
    )
    hours = fields.String(
        load_default="08:00-20:00",
        validate=validate.Length(max=20),
        metadata={"description": "local working hours in every capital"},
    )
    meeting = fields.Integer(
        validate=validate.Range(min=1, max=limits.ID_MAX),
        metadata={
            "description": "a meeting's id: everyone invited to it takes part (if the caller "
            "may see who is invited)"
        },
    )
    tz = fields.String(
        load_default="UTC",
        validate=validate.Length(max=64),
        metadata={"description": "IANA zone whose calendar days are searched"},
    )
    limit = fields.Integer(
        load_default=10,
        validate=validate.Range(min=1, max=limits.PLANNER_CANDIDATES_MAX),
        metadata={"description": "how many candidates, best first"},
    )


class ParticipantZoneSchema(Schema):
    code = fields.String()
    name = fields.String()
    timezone = fields.String(metadata={"description": "IANA zone of reference"})


class SeatSchema(Schema):
    code = fields.String()
    timezone = fields.String()
    local_start = fields.DateTime(metadata={"description": "with the local UTC offset"})
    local_end = fields.DateTime()
    inside = fields.Boolean(
        metadata={"description": "the whole meeting within working hours on a working day"}
    )
    night = fields.Boolean(metadata={"description": "some of it between 22:00 and 06:00"})
    holiday = fields.String(metadata={"description": "the public holiday's name, if any"})
    weekend = fields.Boolean(metadata={"description": "present (true) on the state's weekend"})


class CandidateSchema(Schema):
    start = fields.DateTime(metadata={"description": "UTC"})
    end = fields.DateTime()
    rank = fields.Integer()
    inside_hours = fields.Integer()
    at_night = fields.Integer()
    burden = fields.Integer(
        metadata={
            "description": "the burden so far (see `fairness`) of the participants this "
            "start leaves outside their working hours; 0 without a body"
        }
    )
    participants = fields.List(fields.Nested(SeatSchema))


class LoadSchema(Schema):
    code = fields.String()
    name = fields.String()
    meetings = fields.Integer(metadata={"description": "the body's meetings it was invited to"})
    outside_hours = fields.Integer(
        metadata={"description": "of them, outside its working hours or on a day off"}
    )
    at_night = fields.Integer(metadata={"description": "of them, partly between 22:00 and 06:00"})
    burden = fields.Integer(metadata={"description": "outside_hours + at_night"})


class FairnessSchema(Schema):
    body = fields.String(metadata={"description": "the body's slug"})
    meetings = fields.Integer(metadata={"description": "its meetings counted, held or scheduled"})
    participants = fields.List(
        fields.Nested(LoadSchema), metadata={"description": "the most burdened first"}
    )


class PlannerSchema(Schema):
    timezone = fields.String(metadata={"description": "the zone whose days were searched"})
    from_ = fields.DateTime(data_key="from", metadata={"description": "first day's start, UTC"})
    to = fields.DateTime(metadata={"description": "last day's end, UTC"})
    days = fields.Integer()
    duration = fields.Integer()
    hours = fields.String()
    total = fields.Integer(metadata={"description": "candidates considered"})
    participants = fields.List(fields.Nested(ParticipantZoneSchema))
    candidates = fields.List(fields.Nested(CandidateSchema), metadata={"description": "best first"})
    fairness = fields.Nested(
        FairnessSchema,
        allow_none=True,
        metadata={"description": "with a body (or a meeting of one): the burden so far"},
    )


@blp.get("/planner")
@blp.arguments(PlannerArgs, location="query", as_kwargs=True)
@blp.response(200, PlannerSchema)
def plan(**args: Any) -> dict[str, Any]:
    """Candidate starts every 30 minutes over the days asked, best first: most
    participants inside their working hours on a working day (holidays and each state's
    weekend count), then fewest at night, then earliest. Public."""
    if not is_known_zone(args["tz"]):
        raise InvalidValue(unknown_zone_message(args["tz"]), field="tz")
    result = find_times(
        codes=args.get("participants"),
        body=args.get("body"),
        first_day=args["date"],
        days=args["days"],
        duration=args["duration"],
        hours=args["hours"],
        day_zone=ZoneInfo(args["tz"]),
        top=args["limit"],
        names_language=api_names_language(),
        meeting=args.get("meeting"),
        viewer=g.get("api_user"),
    )
    return _answer(result)


def _answer(result: PlannerResult) -> dict[str, Any]:
    plan = result.plan
    request = plan.request
    return {
        "timezone": request.day_zone.key,
        "from_": request.day_bounds(request.first_day)[0],
        "to": request.day_bounds(request.day_list[-1])[1],
        "days": request.days,
        "duration": request.duration,
        "hours": str(request.hours),
        "total": len(plan.candidates),
        "participants": [
            {"code": a.code, "name": a.name, "timezone": a.timezone} for a in plan.attendees
        ],
        "candidates": [_candidate(plan, c) for c in result.best],
        "fairness": _fairness(result.fairness) if result.fairness else None,
    }


def _fairness(fairness: Fairness) -> dict[str, Any]:
    return {
        "body": fairness.body.slug,
        "meetings": fairness.meetings,
        "participants": [
            {
                "code": load.attendee.code,
                "name": load.attendee.name,
                "meetings": load.meetings,
                "outside_hours": load.outside,
                "at_night": load.night,
                "burden": load.burden,
            }
            for load in fairness.loads
        ],
    }


def _candidate(plan: Plan, candidate: Candidate) -> dict[str, Any]:
    seats = []
    for seat in plan.seats(candidate):
        row: dict[str, Any] = {
            "code": seat.attendee.code,
            "timezone": seat.attendee.timezone,
            "local_start": seat.local_start,
            "local_end": seat.local_end,
            "inside": seat.inside,
            "night": seat.night,
        }
        if seat.day_off is not None and seat.day_off.reason is DayOffReason.HOLIDAY:
            row["holiday"] = seat.day_off.name
        elif seat.day_off is not None:
            row["weekend"] = True
        seats.append(row)
    return {
        "start": candidate.start,
        "end": candidate.end,
        "rank": candidate.rank,
        "inside_hours": candidate.inside,
        "at_night": candidate.night,
        "burden": candidate.burden,
        "participants": seats,
    }
