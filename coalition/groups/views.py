"""HTML pages of working groups: the directory, one group, its history and members' CSV,
create/edit/close (the Secretariat; co-chairs edit), and adding a member directly.
Removing members, terms and co-chairs are coalition.bodies.views' routes (shared by
every kind of body); bulk changes and the Secretariat's rosters are registered here as
nested blueprints.

Views are thin: they parse the form, call a service (which asks the rules), commit,
flash and redirect. Reads come from queries in a bounded number of statements.
"""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from coalition import labels, permissions
from coalition.bilingual import localized_text
from coalition.bodies import memberships
from coalition.bodies import rules as body_rules
from coalition.bodies.forms import CoChairForm, RemoveForm, TermForm, participant_choices
from coalition.bodies.history import history_page, history_sentence
from coalition.bodies.queries import body_view, get_body
from coalition.bodies.terms import TERMS_HORIZON_DAYS, today
from coalition.errors import DomainError, refuse
from coalition.extensions import db
from coalition.forms import EmptyForm, select_choices, show_domain_error, submitted
from coalition.groups import queries, rules, services
from coalition.groups.forms import AddMemberForm, CreateGroupForm, EditGroupForm
from coalition.groups.models import GroupStatus, WorkingGroup
from coalition.labels import participant_name
from coalition.meetings import queries as meeting_queries
from coalition.opendata.views import csv_response
from coalition.pagination import page_args
from coalition.participants.services import get_participant

bp = Blueprint("groups", __name__)

#: The directory's and the API's word for "groups of no initiative": not a valid slug.
ALLIANCE_LEVEL = "-"


def _user():
    return current_user if current_user.is_authenticated else None


def _group(slug: str, **kwargs) -> WorkingGroup:
    return get_body(slug, kind=WorkingGroup, **kwargs)


def _back(group: WorkingGroup) -> Response:
    return redirect(url_for("groups.detail", slug=group.slug), code=303)


# -- reading ------------------------------------------------------------------------------


@bp.get("/groups")
def directory() -> str:
    of = request.args.get("initiative", "").strip()[:200]
    status = request.args.get("status", "")
    if status not in {s.value for s in GroupStatus}:
        status = ""
    page, per_page = page_args()
    listing = queries.directory_page(
        initiative=of if of != ALLIANCE_LEVEL else None,
        alliance=of == ALLIANCE_LEVEL,
        status=status or None,
        page=page,
        per_page=per_page,
    )
    return render_template(
        "groups/directory.html",
        listing=listing,
        of=of,
        status=status,
        initiatives=queries.initiative_choices(),
        alliance_level=ALLIANCE_LEVEL,
        statuses=labels.choices(GroupStatus),
        can_create=permissions.can_manage_groups(_user()),
    )


@bp.get("/groups/<slug>")
def detail(slug: str) -> str:
    group = _group(slug)
    view = body_view(group)
    user = _user()
    acting = permissions.acting_participant(user)
    can_add = permissions.can_add_members(user, group)
    add_form = None
    if can_add and not group.is_closed:
        add_form = AddMemberForm(prefix="add")
        add_form.participant.choices = participant_choices(queries.addable_participants(group))
    co_chair_form = None
    can_assign = permissions.can_assign_co_chairs(user, group)
    if can_assign:
        co_chair_form = CoChairForm(prefix="cochair")
        co_chair_form.participant.choices = participant_choices(view.co_chair_candidates)
    return render_template(
        "groups/detail.html",
        group=group,
        view=view,
        acting=acting,
        own=view.open_membership_of(acting),
        rules=body_rules,
        can_manage=permissions.can_manage_body(user, group),
        can_add=can_add,
        can_close=rules.close_refusal(user, group) is None,
        can_assign_co_chairs=can_assign,
        add_form=add_form,
        co_chair_form=co_chair_form,
        remove_form=RemoveForm(prefix="remove"),
        term_form=TermForm(prefix="term"),
        today=today(),
        horizon=TERMS_HORIZON_DAYS,
        meetings=meeting_queries.of_body(group, user),
        can_schedule_meeting=permissions.can_schedule_meeting(user, group),
    )


@bp.get("/groups/<slug>/history")
def history(slug: str) -> str:
    group = _group(slug)
    page, per_page = page_args()
    result, entries = history_page(group, page, per_page, viewer=_user())
    return render_template(
        "bodies/history.html",
        body=group,
        back_label=_("Back to the working group"),
        endpoint="groups.history",
        page=result,
        entries=entries,
        sentence=history_sentence,
    )


@bp.get("/groups/<slug>/members.csv")
def members_csv(slug: str) -> Response:
    """The group's roster, whose `code` column a bulk change reads back."""
    group = _group(slug)
    return csv_response(
        f"{group.slug}-members.csv",
        queries.ROSTER_COLUMNS,
        queries.roster_rows(queries.RosterFilters(), body=group),
    )


# -- the Secretariat creates, edits and closes ------------------------------------------------


@bp.route("/groups/new", methods=["GET", "POST"])
@login_required
def create() -> str | Response | tuple[str, int]:
    permissions.require(permissions.can_manage_groups(current_user))
    form = CreateGroupForm()
    form.initiative.choices = select_choices(
        [("", _("The Alliance itself (no initiative)")), *queries.initiative_choices()]
    )
    if request.method == "GET":
        form.initiative.data = request.args.get("initiative", "")
    if form.validate_on_submit():
        try:
            group = services.create_group(
                actor=current_user,
                title=form.title.data,
                initiative=form.initiative.data or None,
                slug=form.slug.data,
                summary=form.summary.data or "",
                mandate=form.mandate.data or "",
                language=form.language.data,
                title_translation=form.title_translation.data or "",
                summary_translation=form.summary_translation.data or "",
                mandate_translation=form.mandate_translation.data or "",
                seat_limit=form.seat_limit.data,
            )
        except DomainError as error:
            db.session.rollback()
            show_domain_error(form, error)
        else:
            db.session.commit()
            flash(
                _("The working group %(title)s is created.", title=localized_text(group, "title")),
                "success",
            )
            return _back(group)
    status = 422 if request.method == "POST" else 200
    return render_template("groups/form.html", form=form, group=None), status


@bp.route("/groups/<slug>/edit", methods=["GET", "POST"])
@login_required
def edit(slug: str) -> str | Response | tuple[str, int]:
    group = _group(slug, actor=current_user, require=permissions.can_manage_body)
    form = EditGroupForm(obj=group)
    if form.validate_on_submit():
        try:
            services.edit_group(
                group,
                actor=current_user,
                title=form.title.data,
                summary=form.summary.data or "",
                mandate=form.mandate.data or "",
                language=form.language.data,
                title_translation=form.title_translation.data or "",
                summary_translation=form.summary_translation.data or "",
                mandate_translation=form.mandate_translation.data or "",
                seat_limit=form.seat_limit.data,
            )
        except DomainError as error:
            db.session.rollback()
            show_domain_error(form, error)
        else:
            db.session.commit()
            flash(_("The working group's page is updated."), "success")
            return _back(group)
    status = 422 if request.method == "POST" else 200
    return render_template("groups/form.html", form=form, group=group), status


@bp.post("/groups/<slug>/close")
@login_required
def close(slug: str) -> Response:
    group = _group(slug)
    if submitted(EmptyForm()):
        services.close_group(group, actor=current_user)
        db.session.commit()
        flash(_("The working group is closed. Its record stays public."), "success")
    return _back(group)


# -- adding a member directly (removals, terms and co-chairs: coalition.bodies.views) ------


@bp.post("/groups/<slug>/members")
@login_required
def add_member(slug: str) -> Response:
    group = _group(slug)
    refuse(body_rules.add_member_refusal(current_user, group))
    form = AddMemberForm(prefix="add")
    form.participant.choices = participant_choices(queries.addable_participants(group))
    if submitted(form):
        participant = get_participant(form.participant.data)
        memberships.add_member(
            group, participant, actor=current_user, term_ends_on=form.term_ends_on.data
        )
        db.session.commit()
        flash(
            _(
                "%(participant)s is now a member of %(title)s.",
                participant=participant_name(participant),
                title=localized_text(group, "title"),
            ),
            "success",
        )
    return _back(group)


def _register_nested() -> None:
    from coalition.groups.bulk_views import bp as bulk_bp
    from coalition.groups.staff_views import bp as staff_bp

    bp.register_blueprint(bulk_bp)
    bp.register_blueprint(staff_bp)


_register_nested()
