"""The notifications inbox: what happened that concerns the user, in their language."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from coalition.extensions import db
from coalition.forms import EmptyForm
from coalition.notifications import messages, services
from coalition.notifications.models import Notification
from coalition.pagination import page_args, paginate
from coalition.security import safe_redirect_target

bp = Blueprint("notifications", __name__)


@bp.get("/notifications")
@login_required
def inbox() -> str:
    page, per_page = page_args()
    notes = paginate(
        sa.select(Notification)
        .where(Notification.user_id == current_user.id)
        .order_by(Notification.created_at.desc(), Notification.id.desc()),
        page,
        per_page,
    )
    # Rendered now, in the reader's language, not in the language of the moment it happened;
    # what became of what a notice asked is on its own row (no query per notice).
    items = [
        (
            note,
            *messages.render(note.kind, note.data or {}),
            messages.resolution(note.resolution) if note.resolved_at else None,
        )
        for note in notes.items
    ]
    return render_template(
        "notifications/inbox.html",
        notes=notes,
        items=items,
        unread=services.unread_count(current_user),
    )


@bp.post("/notifications/read")
@login_required
def mark_all_read() -> Response:
    _check_form()
    n = services.mark_read(current_user)
    db.session.commit()
    flash(
        ngettext(
            "%(num)d notification marked as read.", "%(num)d notifications marked as read.", n
        ),
        "success",
    )
    return redirect(_back(), code=303)


@bp.post("/notifications/<int:notification_id>/read")
@login_required
def mark_read(notification_id: int) -> Response:
    _check_form()
    note = db.session.get(Notification, notification_id)
    if note is None or note.user_id != current_user.id:
        abort(404)
    services.mark_read(current_user, [note.id])
    db.session.commit()
    flash(_("Marked as read."), "success")
    return redirect(_back(), code=303)


def _back() -> str:
    return safe_redirect_target(request.form.get("next"), url_for("notifications.inbox"))


def _check_form() -> None:
    if not EmptyForm().validate_on_submit():
        abort(400)
