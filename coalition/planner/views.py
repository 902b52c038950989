"""The planner's page, /planner: a form sent with GET, the best starts, the day strip."""

from __future__ import annotations

from datetime import date, datetime, time

from flask import Blueprint, render_template, request, url_for
from flask_babel import get_timezone
from flask_babel import gettext as _
from flask_login import current_user

from coalition import permissions
from coalition.errors import InvalidValues
from coalition.forms import select_choices
from coalition.planner import present
from coalition.planner.forms import FIELD_NAMES, PlannerForm
from coalition.planner.queries import PlannerResult, body_choices, find_times
from coalition.planner.strip import CellKind, day_strip

bp = Blueprint("planner", __name__)

#: The form's field for each field a service names.
_FORM_FIELD = {"hours": "hours_end", "meeting": "participants"}


@bp.get("/planner")
def planner() -> tuple[str, int]:
    submitted = any(name in request.args for name in FIELD_NAMES)
    form = PlannerForm(formdata=request.args if submitted else None)
    form.body.choices = select_choices([("", _("None")), *body_choices()])
    zone = get_timezone()
    if not submitted:
        form.date.data = datetime.now(zone).date()
    result, status = None, 200
    if submitted:
        # The service checks even when the form found errors, so that every field at
        # fault shows its message at once; a field keeps the form's own message first.
        valid = form.validate()
        try:
            found = _find(form, zone)
        except InvalidValues as error:
            _show(form, error.errors)
        else:
            result = found if valid else None
        if result is None:
            status = 422
    strip = None
    if result is not None:
        strip = day_strip(result.plan, _strip_day(result), result.best)
    return render_template(
        "planner/planner.html",
        form=form,
        result=result,
        strip=strip,
        zone=str(zone),
        # The zone's offset on the chosen day, not today's (summer time may differ).
        zone_on_day=datetime.combine(form.date.data, time(12), tzinfo=zone)
        if isinstance(form.date.data, date)
        else None,
        present=present,
        kinds=CellKind,
        pick=_pick_link if form.pick.data == "1" else None,
    ), status


def _pick_link(result: PlannerResult, candidate) -> str:
    """The scheduling form (or the meeting's, when changing one) with this start, as
    wall-clock times in the viewer's zone."""
    zone = get_timezone()
    times = {
        "start": present.wall(candidate.start, zone),
        "end": present.wall(candidate.end, zone),
        "timezone": str(zone),
    }
    meeting = result.meeting
    if meeting is not None and permissions.can_manage_meeting(current_user, meeting):
        return url_for("meetings.edit", meeting_id=meeting.id, **times)
    if result.body is not None:
        return url_for("meetings.new", body=result.body.slug, **times)
    return url_for("meetings.new", **times)


def _find(form: PlannerForm, zone) -> PlannerResult:
    return find_times(
        codes=form.participants.data,
        body=form.body.data or None,
        meeting=form.meeting.data or None,
        viewer=current_user if current_user.is_authenticated else None,
        first_day=form.date.data,
        days=form.days.data,
        duration=form.duration.data,
        hours=(form.hours_start.data, form.hours_end.data),
        day_zone=zone,
    )


def _show(form: PlannerForm, errors: dict[str, list[str]]) -> None:
    for name, messages in errors.items():
        if name == "hours" and (form.hours_start.errors or form.hours_end.errors):
            continue  # a time the form could not read says so already
        field = getattr(form, _FORM_FIELD.get(name, name), None)
        if field is None:
            form.form_errors.extend(messages)
        elif not field.errors:
            field.errors = list(messages)


def _strip_day(result: PlannerResult) -> date:
    """The day asked for with ?strip=, else the day of the best start."""
    days = result.plan.request.day_list
    try:
        asked = date.fromisoformat(request.args.get("strip", ""))
    except ValueError:
        asked = None
    if asked in days:
        return asked
    best = result.best[0].start.astimezone(result.plan.request.day_zone).date()
    return best if best in days else days[0]
