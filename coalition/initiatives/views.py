"""HTML pages of initiatives: directory, one initiative, its history, propose/edit, matrix.

Views are thin: they parse the form, call a service from services.py (where every rule
lives), commit, flash and redirect. Reads come from queries.py in a bounded number of
queries.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from coalition import labels, permissions
from coalition.alliance.services import is_alliance_participant
from coalition.errors import DomainError
from coalition.extensions import db
from coalition.forms import EmptyForm, select_choices, show_domain_error
from coalition.initiatives import queries, services
from coalition.initiatives.forms import (
    CoChairForm,
    DeclineForm,
    EditInitiativeForm,
    InviteForm,
    JoinForm,
    ProposeInitiativeForm,
    RemoveForm,
)
from coalition.initiatives.models import (
    Axis,
    Initiative,
    InitiativeStatus,
    JoinPolicy,
    Membership,
    MembershipStatus,
)
from coalition.pagination import page_args
from coalition.participants.models import Participant, ParticipantKind
from coalition.participants.services import get_participant

bp = Blueprint("initiatives", __name__)


def _user():
    return current_user if current_user.is_authenticated else None


def _initiative(slug: str) -> Initiative:
    """The initiative with this slug; NotFound (404 page) otherwise."""
    return services.get_initiative(slug)


def _membership_of(initiative: Initiative, membership_id: int) -> Membership:
    membership = services.get_membership(membership_id)
    if membership.body_id != initiative.id:
        abort(404)
    return membership


def _back(initiative: Initiative) -> Response:
    return redirect(url_for("initiatives.detail", slug=initiative.slug), code=303)


# -- reading ------------------------------------------------------------------------------


@bp.get("/initiatives")
def directory() -> str:
    axis = queries.parse_enum(Axis, request.args.get("axis"))
    status = queries.parse_enum(InitiativeStatus, request.args.get("status"))
    words = request.args.get("q", "").strip()[:200]
    page, per_page = page_args()
    result = queries.directory_page(
        axis=axis, status=status, words=words, page=page, per_page=per_page
    )
    co_chairs = queries.current_co_chairs_by_body([i.id for i in result.items])
    user = _user()
    return render_template(
        "initiatives/directory.html",
        page=result,
        co_chairs=co_chairs,
        axis=axis,
        status=status,
        words=words,
        axes=labels.choices(Axis),
        statuses=labels.choices(InitiativeStatus),
        can_propose=permissions.acting_participant(user) is not None,
        filtered=bool(axis or status or words),
    )


@bp.get("/initiatives/<slug>")
def detail(slug: str) -> str:
    initiative = _initiative(slug)
    view = queries.initiative_view(initiative)
    user = _user()
    acting = permissions.acting_participant(user)
    can_manage = permissions.can_manage_body(user, initiative)
    invite_form = None
    if can_manage and initiative.status is not InitiativeStatus.CONCLUDED:
        invite_form = InviteForm(prefix="invite")
        invite_form.participant.choices = _participant_choices(
            queries.invitable_participants(initiative)
        )
    co_chair_form = None
    if permissions.can_assign_co_chairs(user, initiative):
        co_chair_form = CoChairForm(prefix="cochair")
        co_chair_form.participant.choices = _participant_choices(view.co_chair_candidates)
    return render_template(
        "initiatives/detail.html",
        initiative=initiative,
        view=view,
        acting=acting,
        own=view.open_membership_of(acting),
        acting_is_co_chair=acting is not None and acting.id in view.co_chair_ids,
        can_manage=can_manage,
        is_staff=permissions.is_staff(user),
        can_remove=permissions.can_remove_member(user, initiative),
        invite_form=invite_form,
        co_chair_form=co_chair_form,
        join_form=JoinForm(prefix="join"),
        decline_form=DeclineForm(prefix="decline"),
        remove_form=RemoveForm(prefix="remove"),
        InitiativeStatus=InitiativeStatus,
        JoinPolicy=JoinPolicy,
        MembershipStatus=MembershipStatus,
    )


def _participant_choices(participants: list[Participant]) -> list:
    states = [p for p in participants if p.kind is ParticipantKind.STATE]
    others = [p for p in participants if p.kind is not ParticipantKind.STATE]
    named = sorted(((p.code, labels.participant_name(p)) for p in states), key=lambda c: c[1])
    named += sorted(((p.code, labels.participant_name(p)) for p in others), key=lambda c: c[1])
    return select_choices([("", _("Choose…")), *named])


@bp.get("/initiatives/<slug>/history")
def history(slug: str) -> str:
    initiative = _initiative(slug)
    page, per_page = page_args()
    result, entries = queries.history_page(initiative, page, per_page)
    return render_template(
        "initiatives/history.html",
        initiative=initiative,
        page=result,
        entries=entries,
        sentence=history_sentence,
    )


def history_sentence(entry: queries.HistoryEntry) -> str:
    """What happened, as one translated sentence naming the participant (never a person)."""
    who = labels.participant_name(entry.participant) if entry.participant else _("A participant")
    action = entry.event.action
    sentences = {
        "membership.join": lambda: _("%(participant)s joined.", participant=who),
        "membership.add": lambda: _("%(participant)s was added as a member.", participant=who),
        "membership.request": lambda: _("%(participant)s asked to join.", participant=who),
        "membership.approve": lambda: _(
            "The request of %(participant)s was approved: it joined.", participant=who
        ),
        "membership.decline": lambda: _(
            "The request of %(participant)s was declined.", participant=who
        ),
        "membership.cancel": lambda: _("%(participant)s cancelled its request.", participant=who),
        "membership.invite": lambda: _("%(participant)s was invited.", participant=who),
        "membership.accept": lambda: _(
            "%(participant)s accepted the invitation and joined.", participant=who
        ),
        "membership.decline_invitation": lambda: _(
            "%(participant)s declined the invitation.", participant=who
        ),
        "membership.revoke": lambda: _(
            "The invitation of %(participant)s was revoked.", participant=who
        ),
        "membership.withdraw": lambda: _("%(participant)s withdrew.", participant=who),
        "membership.remove": lambda: _("%(participant)s was removed.", participant=who),
        "co_chair.assign": lambda: _("%(participant)s became a co-chair.", participant=who),
        "co_chair.end": lambda: _("%(participant)s stopped co-chairing.", participant=who),
        "initiative.propose": lambda: _(
            "%(participant)s proposed the initiative.", participant=who
        ),
        "initiative.activate": lambda: _("The initiative was activated."),
        "initiative.conclude": lambda: _("The initiative was concluded."),
        "initiative.edit": lambda: _("The initiative's page was edited."),
    }
    make = sentences.get(action)
    return make() if make else _("%(participant)s: %(action)s", participant=who, action=action)


@bp.get("/matrix")
def matrix() -> str:
    axis = queries.parse_enum(Axis, request.args.get("axis"))
    kind = queries.parse_enum(ParticipantKind, request.args.get("kind"))
    page, per_page = page_args()
    data = queries.matrix(axis=axis, kind=kind, page=page, per_page=per_page)
    # Cell texts computed once here: a 50 x 200 grid is 10,000 cells.
    words = {"member": _("member"), "partner": _("partner"), "co_chair": _("co-chair")}
    grid = [
        (p, [words.get(data.cells.get((p.id, i.id)), "") for i in data.initiatives])
        for p in data.rows.items
    ]
    return render_template(
        "initiatives/matrix.html",
        data=data,
        grid=grid,
        axis=axis,
        kind=kind,
        axes=labels.choices(Axis),
        kinds=labels.choices(ParticipantKind),
    )


# -- proposing and editing ------------------------------------------------------------------


@bp.route("/initiatives/propose", methods=["GET", "POST"])
@login_required
def propose() -> str | Response | tuple[str, int]:
    acting = permissions.acting_participant(current_user)
    refusal = None
    if acting is None:
        refusal = _(
            "Only a verified delegate can propose an initiative. Ask to represent your "
            "state first; the Secretariat will verify your claim."
        )
    elif acting.kind is not ParticipantKind.STATE:
        refusal = _(
            "Initiatives are proposed by states, which co-chair them. An organization can "
            "join an initiative as a partner."
        )
    elif not is_alliance_participant(acting):
        refusal = _(
            "%(participant)s has not endorsed the Alliance declaration. Endorse it first: "
            "any Alliance participant may then propose an initiative.",
            participant=labels.participant_name(acting),
        )
    form = ProposeInitiativeForm()
    if refusal is None and form.validate_on_submit():
        try:
            initiative = services.propose_initiative(
                actor=current_user,
                title=form.title.data.strip(),
                summary=form.summary.data.strip(),
                description=form.description.data or "",
                axis=Axis(form.axis.data),
                join_policy=JoinPolicy(form.join_policy.data),
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
                    participant=labels.participant_name(acting),
                ),
                "success",
            )
            return redirect(url_for("initiatives.detail", slug=initiative.slug), code=303)
    status = 200
    if request.method == "POST":
        status = 403 if refusal else 422
    return render_template("initiatives/propose.html", form=form, refusal=refusal), status


@bp.route("/initiatives/<slug>/edit", methods=["GET", "POST"])
@login_required
def edit(slug: str) -> str | Response | tuple[str, int]:
    initiative = _initiative(slug)
    permissions.require(permissions.can_manage_body(current_user, initiative))
    form = EditInitiativeForm(obj=initiative)
    if form.validate_on_submit():
        try:
            services.edit_initiative(
                initiative,
                actor=current_user,
                title=form.title.data.strip(),
                summary=form.summary.data.strip(),
                description=form.description.data or "",
                join_policy=JoinPolicy(form.join_policy.data),
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


# -- one-button and small-form actions -------------------------------------------------------


def _valid_or_back(form, initiative: Initiative) -> bool:
    if form.validate_on_submit():
        return True
    for errors in form.errors.values():
        for message in errors:
            flash(str(message), "error")
    return False


@bp.post("/initiatives/<slug>/join")
@login_required
def join(slug: str) -> Response:
    initiative = _initiative(slug)
    form = JoinForm(prefix="join")
    if not _valid_or_back(form, initiative):
        return _back(initiative)
    membership = services.join(
        initiative, actor=current_user, message=(form.message.data or "").strip() or None
    )
    db.session.commit()
    if membership.status is MembershipStatus.ACTIVE:
        flash(_("You have joined %(title)s.", title=initiative.title), "success")
    else:
        flash(
            _("Your request to join is sent; the co-chairs will decide."),
            "success",
        )
    return _back(initiative)


@bp.post("/initiatives/<slug>/invite")
@login_required
def invite(slug: str) -> Response | tuple[str, int]:
    initiative = _initiative(slug)
    permissions.require(permissions.can_manage_body(current_user, initiative))
    form = InviteForm(prefix="invite")
    form.participant.choices = _participant_choices(queries.invitable_participants(initiative))
    if not _valid_or_back(form, initiative) or not form.participant.data:
        if not form.participant.data:
            flash(_("Choose the participant to invite."), "error")
        return _back(initiative)
    participant = get_participant(form.participant.data)
    services.invite(
        initiative,
        participant,
        actor=current_user,
        message=(form.message.data or "").strip() or None,
    )
    db.session.commit()
    flash(
        _("%(participant)s is invited.", participant=labels.participant_name(participant)),
        "success",
    )
    return _back(initiative)


#: URL action → the service that does it.
_SIMPLE_ACTIONS = {
    "approve": "approve",
    "cancel": "cancel_request",
    "accept": "accept_invitation",
    "decline-invitation": "decline_invitation",
    "revoke": "revoke_invitation",
    "withdraw": "withdraw",
}


def _done_message(action: str, participant: str) -> str:
    # Literal msgids, so that the catalog extractor finds every sentence.
    if action == "approve":
        return _("The request of %(participant)s is approved.", participant=participant)
    if action == "cancel":
        return _("Your request is cancelled.")
    if action == "accept":
        return _("You accepted the invitation. Welcome.")
    if action == "decline-invitation":
        return _("You declined the invitation.")
    if action == "revoke":
        return _("The invitation of %(participant)s is revoked.", participant=participant)
    return _("%(participant)s has withdrawn from the initiative.", participant=participant)


@bp.post("/initiatives/<slug>/memberships/<int:membership_id>/<action>")
@login_required
def membership_action(slug: str, membership_id: int, action: str) -> Response:
    if action not in _SIMPLE_ACTIONS:
        abort(404)
    initiative = _initiative(slug)
    membership = _membership_of(initiative, membership_id)
    if not _valid_or_back(EmptyForm(), initiative):
        return _back(initiative)
    getattr(services, _SIMPLE_ACTIONS[action])(membership, actor=current_user)
    db.session.commit()
    flash(_done_message(action, labels.participant_name(membership.participant)), "success")
    return _back(initiative)


@bp.post("/initiatives/<slug>/memberships/<int:membership_id>/decline")
@login_required
def decline(slug: str, membership_id: int) -> Response:
    initiative = _initiative(slug)
    membership = _membership_of(initiative, membership_id)
    form = DeclineForm(prefix="decline")
    if not _valid_or_back(form, initiative):
        return _back(initiative)
    services.decline(
        membership, actor=current_user, reason=(form.reason.data or "").strip() or None
    )
    db.session.commit()
    flash(
        _(
            "The request of %(participant)s is declined.",
            participant=labels.participant_name(membership.participant),
        ),
        "success",
    )
    return _back(initiative)


@bp.post("/initiatives/<slug>/memberships/<int:membership_id>/remove")
@login_required
def remove(slug: str, membership_id: int) -> Response:
    initiative = _initiative(slug)
    membership = _membership_of(initiative, membership_id)
    permissions.require(permissions.can_remove_member(current_user, initiative))
    form = RemoveForm(prefix="remove")
    if not form.validate_on_submit() or not form.reason.data.strip():
        flash(_("Give the reason for the removal: it is shown in the public history."), "error")
        return _back(initiative)
    services.remove(membership, actor=current_user, reason=form.reason.data.strip())
    db.session.commit()
    flash(
        _(
            "%(participant)s is removed from the initiative.",
            participant=labels.participant_name(membership.participant),
        ),
        "success",
    )
    return _back(initiative)


@bp.post("/initiatives/<slug>/activate")
@login_required
def activate(slug: str) -> Response:
    initiative = _initiative(slug)
    if _valid_or_back(EmptyForm(), initiative):
        services.activate_initiative(initiative, actor=current_user)
        db.session.commit()
        flash(_("The initiative is active: participants can now join it."), "success")
    return _back(initiative)


@bp.post("/initiatives/<slug>/conclude")
@login_required
def conclude(slug: str) -> Response:
    initiative = _initiative(slug)
    if _valid_or_back(EmptyForm(), initiative):
        services.conclude_initiative(initiative, actor=current_user)
        db.session.commit()
        flash(_("The initiative is concluded. Its record stays public."), "success")
    return _back(initiative)


@bp.post("/initiatives/<slug>/co-chairs")
@login_required
def assign_co_chair(slug: str) -> Response:
    initiative = _initiative(slug)
    permissions.require(permissions.can_assign_co_chairs(current_user, initiative))
    form = CoChairForm(prefix="cochair")
    form.participant.choices = _participant_choices(
        queries.initiative_view(initiative).co_chair_candidates
    )
    if not _valid_or_back(form, initiative) or not form.participant.data:
        if not form.participant.data:
            flash(_("Choose an active member state."), "error")
        return _back(initiative)
    participant = get_participant(form.participant.data)
    services.assign_co_chair(initiative, participant, actor=current_user)
    db.session.commit()
    flash(
        _("%(participant)s now co-chairs.", participant=labels.participant_name(participant)),
        "success",
    )
    return _back(initiative)


@bp.post("/initiatives/<slug>/co-chairs/<code>/end")
@login_required
def end_co_chair(slug: str, code: str) -> Response:
    initiative = _initiative(slug)
    participant = get_participant(code)
    if _valid_or_back(EmptyForm(), initiative):
        services.end_co_chair(initiative, participant, actor=current_user)
        db.session.commit()
        flash(
            _(
                "%(participant)s no longer co-chairs.",
                participant=labels.participant_name(participant),
            ),
            "success",
        )
    return _back(initiative)
