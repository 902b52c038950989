"""Participants' pages: the directory, one participant, and editing (staff)."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from coalition import permissions
from coalition.alliance.services import open_endorsement
from coalition.bodies.queries import participant_places
from coalition.errors import DomainError
from coalition.extensions import db
from coalition.forms import show_domain_error
from coalition.groups.queries import participant_history
from coalition.i18n import UN_LANGUAGES
from coalition.pagination import page_args
from coalition.participants import regions, services
from coalition.participants.forms import OrganizationForm, TimezoneForm
from coalition.participants.models import ParticipantKind
from coalition.representations.queries import current_representations, representation_history

bp = Blueprint("participants", __name__)


def _viewer():
    return current_user if current_user.is_authenticated else None


@bp.get("/participants")
def directory() -> str:
    q = request.args.get("q", "").strip()
    kind = request.args.get("kind", "")
    if kind not in {k.value for k in ParticipantKind}:
        kind = ""
    region = request.args.get("region", "")
    if not regions.is_region(region):
        region = ""
    page, per_page = page_args()
    listing = services.directory(q, kind or None, region or None, page=page, per_page=per_page)
    return render_template(
        "participants/directory.html",
        listing=listing,
        q=q,
        kind=kind,
        kinds=[(k.value, k) for k in ParticipantKind],
        region=region,
        region_groups=regions.region_groups(),
        region_name=regions.region_name,
    )


@bp.get("/participants/<code>")
def detail(code: str) -> str:
    participant = services.get_participant(code)
    viewer = _viewer()
    representatives = (
        current_representations(participant)
        if permissions.can_see_representatives(viewer)
        else None
    )
    history = (
        representation_history(participant)
        if permissions.can_see_representation_history(viewer, participant)
        else None
    )
    # Requests, invitations and the reasons given to the participant are its own
    # delegates' and staff's to read; the memberships it holds and held are public.
    own = permissions.can_see_requests_of(viewer, participant)
    page, per_page = page_args()
    return render_template(
        "participants/detail.html",
        participant=participant,
        places=participant_places(participant, with_requests=own),
        sees_requests=own,
        bodies=participant_history(participant, page, per_page, with_requests=own, all_reasons=own),
        endorsement=open_endorsement(participant),
        representatives=representatives,
        history=history,
        can_edit=permissions.can_edit_participant(viewer, participant),
        region_name=regions.region_name,
        un_languages=UN_LANGUAGES,
    )


@bp.route("/participants/<code>/edit", methods=["GET", "POST"])
@login_required
def edit(code: str) -> str | Response | tuple[str, int]:
    participant = services.get_participant(code)
    permissions.require(permissions.can_edit_participant(current_user, participant))
    if participant.kind is ParticipantKind.STATE:
        form = TimezoneForm(obj=participant)
    else:
        form = OrganizationForm(obj=participant)
    if form.validate_on_submit():
        try:
            if participant.kind is ParticipantKind.STATE:
                services.set_reference_timezone(participant, form.timezone.data, actor=current_user)
            else:
                services.update_organization(
                    participant, organization_data(form), actor=current_user
                )
        except DomainError as error:
            db.session.rollback()
            show_domain_error(form, error)
        else:
            db.session.commit()
            flash(_("The changes are saved."), "success")
            return redirect(url_for("participants.detail", code=participant.code), code=303)
    status = 422 if request.method == "POST" else 200
    return render_template("participants/edit.html", form=form, participant=participant), status


def organization_data(form: OrganizationForm) -> services.OrganizationData:
    return services.OrganizationData(
        code=form.code.data or "",
        name=form.name.data or "",
        category=form.category.data or "",
        acronym=form.acronym.data,
        website=form.website.data,
        description=form.description.data,
        timezone=form.timezone.data or "",
    )
