"""HTML pages of initiatives: directory, one initiative, its history, propose/edit, matrix,
and the Secretariat's activate/conclude buttons. Membership actions on an initiative's
page are coalition.bodies.views'.

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
from coalition.bodies import rules as body_rules
from coalition.bodies.forms import (
    CoChairForm,
    DeclineForm,
    InviteForm,
    JoinForm,
    RemoveForm,
    participant_choices,
)
from coalition.bodies.history import history_page, history_sentence
from coalition.bodies.queries import body_view, current_co_chairs, get_body, invitable_participants
from coalition.errors import DomainError, refuse
from coalition.extensions import db
from coalition.forms import EmptyForm, show_domain_error, submitted
from coalition.groups.queries import initiative_groups
from coalition.initiatives import queries, rules, services
from coalition.initiatives.forms import (
    EditInitiativeForm,
    ProposeInitiativeForm,
    RefuseProposalForm,
)
from coalition.initiatives.models import Axis, Initiative, InitiativeStatus
from coalition.meetings import queries as meeting_queries
from coalition.pagination import page_args
from coalition.participants import regions
from coalition.participants.models import ParticipantKind

bp = Blueprint("initiatives", __name__)


def _user():
    return current_user if current_user.is_authenticated else None


def _initiative(slug: str, **kwargs) -> Initiative:
    return get_body(slug, kind=Initiative, **kwargs)


def _back(initiative: Initiative) -> Response:
    return redirect(url_for("initiatives.detail", slug=initiative.slug), code=303)


# -- reading ------------------------------------------------------------------------------


@bp.get("/initiatives")
def directory() -> str:
    """Active initiatives by default; proposed and concluded ones each under their own
    status, every status at once under "all" (the API lists every status unless asked)."""
    axis = queries.parse_enum(Axis, request.args.get("axis"))
    status_arg = request.args.get("status", "")
    status = queries.parse_enum(InitiativeStatus, status_arg)
    any_status = status_arg == queries.ANY_STATUS
    if status is None and not any_status:
        status = InitiativeStatus.ACTIVE
    words = request.args.get("q", "").strip()[:200]
    page, per_page = page_args()
    result = queries.directory_page(
        axis=axis, status=status, words=words, page=page, per_page=per_page
    )
    return render_template(
        "initiatives/directory.html",
        page=result,
        co_chairs=current_co_chairs([i.id for i in result.items]),
        axis=axis,
        status=status,
        any_status=queries.ANY_STATUS,
        words=words,
        axes=labels.choices(Axis),
        statuses=labels.choices(InitiativeStatus),
        propose_refusal=rules.propose_refusal(_user()),
        waiting=queries.proposals_waiting_count() if status is InitiativeStatus.ACTIVE else 0,
        filtered=bool(axis or words or status is not InitiativeStatus.ACTIVE),
        InitiativeStatus=InitiativeStatus,
    )


@bp.get("/initiatives/<slug>")
def detail(slug: str) -> str:
    initiative = _initiative(slug)
    view = body_view(initiative)
    user = _user()
    acting = permissions.acting_participant(user)
    own = view.open_membership_of(acting)
    invite_form = None
    if body_rules.invite_refusal(user, initiative) is None:
        invite_form = InviteForm(prefix="invite")
        invite_form.participant.choices = participant_choices(invitable_participants(initiative))
    co_chair_form = None
    if permissions.can_assign_co_chairs(user, initiative):
        co_chair_form = CoChairForm(prefix="cochair")
        co_chair_form.participant.choices = participant_choices(view.co_chair_candidates)
    return render_template(
        "initiatives/detail.html",
        initiative=initiative,
        view=view,
        acting=acting,
        own=own,
        join_refusal=body_rules.join_refusal(user, initiative, own=own) if own is None else None,
        rules=body_rules,
        can_manage=permissions.can_manage_body(user, initiative),
        can_change_status=permissions.can_change_initiative_status(user),
        refuse_form=RefuseProposalForm(prefix="refuse"),
        can_remove=permissions.can_remove_member(user, initiative),
        can_assign_co_chairs=permissions.can_assign_co_chairs(user, initiative),
        invite_form=invite_form,
        co_chair_form=co_chair_form,
        join_form=JoinForm(prefix="join"),
        decline_form=DeclineForm(prefix="decline"),
        remove_form=RemoveForm(prefix="remove"),
        InitiativeStatus=InitiativeStatus,
        meetings=meeting_queries.of_body(initiative, user),
        can_schedule_meeting=permissions.can_schedule_meeting(user, initiative),
        groups=initiative_groups(initiative),
        can_create_group=permissions.can_manage_groups(user),
    )


@bp.get("/initiatives/<slug>/history")
def history(slug: str) -> str:
    initiative = _initiative(slug)
    page, per_page = page_args()
    result, entries = history_page(initiative, page, per_page, viewer=_user())
    return render_template(
        "bodies/history.html",
        body=initiative,
        back_label=_("Back to the initiative"),
        endpoint="initiatives.history",
        page=result,
        entries=entries,
        sentence=history_sentence,
    )


@bp.get("/matrix")
def matrix() -> str:
    axis = queries.parse_enum(Axis, request.args.get("axis"))
    kind = queries.parse_enum(ParticipantKind, request.args.get("kind"))
    region = request.args.get("region", "")
    if not regions.is_region(region):
        region = ""
    page, per_page = page_args()
    column_page = request.args.get("cols", 1, type=int) or 1
    data = queries.matrix(
        axis=axis,
        kind=kind,
        page=page,
        per_page=per_page,
        region=region,
        column_page=column_page,
    )
    # Cell texts computed once here: a 50 x 200 grid is 10,000 cells.
    words = {"member": _("member"), "partner": _("partner"), "co_chair": _("co-chair")}
    # Rows in groups: states by M49 region, then organizations (the query's order).
    groups: list[tuple[str, list]] = []
    for p in data.rows.items:
        name = regions.region_name(p.region_code) if p.is_state else _("Organizations")
        name = name or _("Other states")
        if not groups or groups[-1][0] != name:
            groups.append((name, []))
        groups[-1][1].append(
            (p, [words.get(data.cells.get((p.id, i.id)), "") for i in data.initiatives])
        )
    return render_template(
        "initiatives/matrix.html",
        data=data,
        groups=groups,
        axis=axis,
        kind=kind,
        axes=labels.choices(Axis),
        kinds=labels.choices(ParticipantKind),
        region=region,
        region_groups=regions.region_groups(),
    )


# -- proposing and editing ------------------------------------------------------------------


@bp.route("/initiatives/propose", methods=["GET", "POST"])
@login_required
def propose() -> str | Response | tuple[str, int]:
    refusal = rules.propose_refusal(current_user)
    form = ProposeInitiativeForm()
    if refusal is None and form.validate_on_submit():
        try:
            initiative = services.propose_initiative(
                actor=current_user,
                title=form.title.data,
                summary=form.summary.data,
                description=form.description.data or "",
                language=form.language.data,
                title_translation=form.title_translation.data or "",
                summary_translation=form.summary_translation.data or "",
                description_translation=form.description_translation.data or "",
                axis=form.axis.data,
                join_policy=form.join_policy.data,
                seat_limit=form.seat_limit.data,
                launched_on=form.launched_on.data,
            )
        except DomainError as error:
            db.session.rollback()
            show_domain_error(form, error)
        else:
            db.session.commit()
            flash(
                _(
                    "Your proposal is recorded. %(participant)s is its first co-chair; "
                    "the Secretariat will review and activate it.",
                    participant=labels.participant_name(
                        permissions.acting_participant(current_user)
                    ),
                ),
                "success",
            )
            return _back(initiative)
    status = 200
    if request.method == "POST":
        status = refusal.exception().status if refusal else 422
    return render_template("initiatives/propose.html", form=form, refusal=refusal), status


@bp.route("/initiatives/<slug>/edit", methods=["GET", "POST"])
@login_required
def edit(slug: str) -> str | Response | tuple[str, int]:
    initiative = _initiative(slug, actor=current_user, require=permissions.can_manage_body)
    form = EditInitiativeForm(obj=initiative)
    if form.validate_on_submit():
        try:
            services.edit_initiative(
                initiative,
                actor=current_user,
                title=form.title.data,
                summary=form.summary.data,
                description=form.description.data or "",
                language=form.language.data,
                title_translation=form.title_translation.data or "",
                summary_translation=form.summary_translation.data or "",
                description_translation=form.description_translation.data or "",
                join_policy=form.join_policy.data,
                seat_limit=form.seat_limit.data,
                launched_on=form.launched_on.data,
                results=form.results.data or "",
            )
        except DomainError as error:
            db.session.rollback()
            show_domain_error(form, error)
        else:
            db.session.commit()
            flash(_("The initiative's page is updated."), "success")
            return _back(initiative)
    status = 422 if request.method == "POST" else 200
    return render_template("initiatives/edit.html", form=form, initiative=initiative), status


# -- the Secretariat's buttons ----------------------------------------------------------


@bp.post("/initiatives/<slug>/activate")
@login_required
def activate(slug: str) -> Response:
    initiative = _initiative(slug)
    if submitted(EmptyForm()):
        services.activate_initiative(initiative, actor=current_user)
        db.session.commit()
        flash(_("The initiative is active: participants can now join it."), "success")
    return _back(initiative)


@bp.post("/initiatives/<slug>/conclude")
@login_required
def conclude(slug: str) -> Response:
    initiative = _initiative(slug)
    if submitted(EmptyForm()):
        services.conclude_initiative(initiative, actor=current_user)
        db.session.commit()
        flash(_("The initiative is concluded. Its record stays public."), "success")
    return _back(initiative)


@bp.post("/initiatives/<slug>/refuse")
@login_required
def refuse_proposal(slug: str) -> Response:
    """Staff refuse a proposal, with a reason (from its page or the staff's list)."""
    initiative = _initiative(slug)
    refuse(rules.refuse_proposal_refusal(current_user, initiative))
    if submitted(RefuseProposalForm(prefix="refuse")):
        services.refuse_proposal(
            initiative, actor=current_user, reason=request.form.get("refuse-reason", "")
        )
        db.session.commit()
        flash(
            _(
                "The proposal “%(title)s” is refused; the reason is public in its history.",
                title=localized_text(initiative, "title"),
            ),
            "success",
        )
        if request.form.get("back") == "staff":
            return redirect(url_for("staff.proposals"), code=303)
    return _back(initiative)
