"""The Secretariat's membership tools: the rosters of every body (filter by initiative,
participant and kind; CSV export) and the terms ending soon, with renew and end."""

from __future__ import annotations

from flask import Blueprint, render_template, request
from flask_babel import get_timezone
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from coalition.bodies.forms import TermForm
from coalition.bodies.models import BodyKind
from coalition.bodies.terms import TERMS_HORIZON_DAYS, today
from coalition.forms import EmptyForm, select_choices
from coalition.groups import queries
from coalition.groups.bulk import find_participants
from coalition.groups.forms import RosterFilterForm
from coalition.i18n import zone_label
from coalition.opendata.views import csv_response
from coalition.pagination import page_args
from coalition.staff.guard import staff_only

bp = Blueprint("staff", __name__, url_prefix="/staff")

#: Bodies per roster page: each lists all its members.
ROSTER_PER_PAGE = 10


@bp.before_request
@staff_only
def _every_page_is_for_staff() -> None:
    """Rosters and terms are the Secretariat's (coalition.staff.guard)."""


def _filters() -> tuple[RosterFilterForm, queries.RosterFilters, bool]:
    """The filter form from the query string, and the filters it means; False when the
    participant code names nobody (the page then says so)."""
    form = RosterFilterForm(request.args)
    form.kind.choices = select_choices(
        [
            ("", _("Initiatives and working groups")),
            (BodyKind.INITIATIVE.value, _("Initiatives")),
            (BodyKind.WORKING_GROUP.value, _("Working groups")),
        ]
    )
    form.initiative.choices = select_choices([("", _("All")), *queries.initiative_choices()])
    filters = queries.RosterFilters()
    if form.validate():
        filters.kind = form.kind.data or None
        filters.initiative = form.initiative.data or None
    known = True
    code = (form.participant.data or "").strip()
    if code:
        participant = find_participants([code]).get(code)
        known = participant is not None
        filters.participant = participant
    return form, filters, known


@bp.get("/rosters")
def rosters() -> str:
    form, filters, known = _filters()
    page, _per_page = page_args()
    roster = None
    if known:
        roster = queries.roster_page(filters, page, ROSTER_PER_PAGE)
    return render_template(
        "groups/rosters.html",
        form=form,
        roster=roster,
        known=known,
        filters=filters,
        section_of=queries.section_of,
        today=today(),
        horizon=TERMS_HORIZON_DAYS,
        zone=zone_label(str(get_timezone())),
    )


@bp.get("/rosters.csv")
def rosters_csv() -> Response:
    _form, filters, known = _filters()
    rows = queries.roster_rows(filters) if known else iter(())
    return csv_response("rosters.csv", queries.ROSTER_COLUMNS, rows)


@bp.get("/terms")
def terms() -> str:
    page, per_page = page_args()
    return render_template(
        "groups/terms.html",
        listing=queries.terms_ending(page=page, per_page=per_page),
        term_form=TermForm(prefix="term"),
        end_form=EmptyForm(),
        section_of=queries.section_of,
        today=today(),
        horizon=TERMS_HORIZON_DAYS,
    )
