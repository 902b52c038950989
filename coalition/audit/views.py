"""The full audit log, for the Secretariat."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import NamedTuple

from flask import Blueprint, abort, render_template, request
from flask_babel import get_timezone
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from wtforms import DateField, EmailField, IntegerField, StringField
from wtforms.validators import Email, NumberRange, Optional, ValidationError

from coalition import limits, permissions
from coalition.audit.paging import BadCursor
from coalition.audit.services import events_page
from coalition.forms import Form
from coalition.i18n import format_recorded
from coalition.pagination import page_args

bp = Blueprint("audit", __name__)


#: Dates the filters accept: any real event, and far enough from date.min and date.max
#: that a day added or a time zone applied stays a valid date.
_DATES = (date(1900, 1, 1), date(9000, 12, 31))


def _plausible_date(_form: Form, field: DateField) -> None:
    if field.data is not None and not _DATES[0] <= field.data <= _DATES[1]:
        raise ValidationError(_l("Give a date between 1900 and 9000."))


class AuditFilterForm(Form):
    """Filters in the query string: a GET form, so no CSRF token (it changes nothing)."""

    class Meta:
        csrf = False

    action = StringField(
        _l("Action"),
        validators=[Optional()],
        description=_l("e.g. “alliance.endorse”, or “alliance” for all its actions."),
    )
    actor = EmailField(_l("Actor's e-mail address"), validators=[Optional(), Email()])
    participant = StringField(
        _l("Participant code"), validators=[Optional()], description=_l("e.g. GHA")
    )
    object_type = StringField(
        _l("Object type"), validators=[Optional()], description=_l("e.g. membership, user")
    )
    object_id = IntegerField(
        _l("Object number"), validators=[Optional(), NumberRange(min=1, max=limits.ID_MAX)]
    )
    date_from = DateField(_l("From (date)"), validators=[Optional(), _plausible_date])
    date_to = DateField(_l("To (date, included)"), validators=[Optional(), _plausible_date])


def _start_of_day(day: date) -> datetime:
    """Midnight of *day* in the viewer's time zone, as the viewer reads dates."""
    return datetime.combine(day, time.min, tzinfo=get_timezone())


@bp.get("/staff/audit")
@login_required
def log() -> tuple[str, int]:
    permissions.require(permissions.can_read_audit_log(current_user))
    form = AuditFilterForm(request.args)
    status = 200
    if request.args and not form.validate():
        # Show the errors and the unfiltered log rather than a silently wrong filter.
        status = 422
        filters: dict = {}
    else:
        filters = {
            "action": form.action.data,
            "actor_email": form.actor.data,
            "participant_code": form.participant.data,
            "object_type": form.object_type.data,
            "object_id": form.object_id.data,
            "occurred_from": _start_of_day(form.date_from.data) if form.date_from.data else None,
            "occurred_before": (
                _start_of_day(form.date_to.data + timedelta(days=1)) if form.date_to.data else None
            ),
        }
    _page, per_page = page_args()
    try:
        events = events_page(
            per_page=per_page,
            after=request.args.get("after") or None,
            before=request.args.get("before") or None,
            **filters,
        )
    except BadCursor as error:
        abort(400, description=str(error.message))
    return render_template("audit/log.html", form=form, events=events), status


class Change(NamedTuple):
    """One value an event changed, as the log shows it: what it was and what it became,
    each None where the event did not record that side."""

    key: str
    before: object | None
    after: object | None


def _shown(value: object) -> object:
    return "—" if value is None else format_recorded(value)


@bp.app_template_global("audit_changes")
def changes(before: dict | None, after: dict | None) -> list[Change]:
    """What an event changed: every key recorded on either side, in the order recorded,
    but those an update recorded with the same value before and after (it records the
    whole row). Computed here rather than in the template: a page shows fifty events."""
    before, after = before or {}, after or {}
    keys = list(before) + [key for key in after if key not in before]
    return [
        Change(
            key,
            _shown(before[key]) if key in before else None,
            _shown(after[key]) if key in after else None,
        )
        for key in keys
        if not (key in before and key in after and before[key] == after[key])
    ]
