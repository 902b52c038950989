"""The Alliance's declaration, its participants, and endorsing or withdrawing."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from coalition import permissions
from coalition.alliance import services
from coalition.extensions import db
from coalition.forms import EmptyForm
from coalition.labels import participant_name
from coalition.pagination import Page, page_args

bp = Blueprint("alliance", __name__)


@bp.get("/alliance")
def declaration() -> str:
    page, per_page = page_args()
    endorsements = services.open_endorsements_by_name()
    start = (page - 1) * per_page
    participants = Page(
        items=endorsements[start : start + per_page],
        page=page,
        per_page=per_page,
        total=len(endorsements),
    )
    user = current_user if current_user.is_authenticated else None
    acting = permissions.acting_participant(user)
    current = services.open_endorsement(acting) if acting is not None else None
    return render_template(
        "alliance/declaration.html",
        participants=participants,
        acting=acting,
        current_endorsement=current,
    )


@bp.post("/alliance/endorse")
@login_required
def endorse() -> Response:
    _check_form()
    participant = permissions.require_acting_participant(current_user)
    services.endorse(participant, actor=current_user)
    db.session.commit()
    flash(
        _(
            "%(participant)s now endorses the Alliance declaration. This enrols it in no "
            "initiative: join those you choose.",
            participant=participant_name(participant),
        ),
        "success",
    )
    return redirect(url_for("alliance.declaration"), code=303)


@bp.post("/alliance/withdraw")
@login_required
def withdraw() -> Response:
    _check_form()
    participant = permissions.require_acting_participant(current_user)
    services.withdraw_endorsement(participant, actor=current_user)
    db.session.commit()
    flash(
        _(
            "%(participant)s no longer endorses the Alliance declaration.",
            participant=participant_name(participant),
        ),
        "success",
    )
    return redirect(url_for("alliance.declaration"), code=303)


def _check_form() -> None:
    if not EmptyForm().validate_on_submit():
        abort(400)
