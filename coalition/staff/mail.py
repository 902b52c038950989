"""The Secretariat's view of outgoing mail that keeps failing: /staff/mail.

Its routes join the staff blueprint (and so its staff-only guard); coalition.web
imports this module before registering the blueprint.
"""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from coalition.extensions import db
from coalition.forms import check_button_form
from coalition.outbox import services as outbox
from coalition.pagination import page_args, paginate
from coalition.staff.views import bp


@bp.get("/mail")
def mail() -> str:
    page, per_page = page_args()
    listing = paginate(outbox.troubled_statement(), page, per_page)
    return render_template("staff/mail.html", listing=listing, counts=outbox.queue_counts())


@bp.post("/mail/<int:message_id>/retry")
def retry_mail(message_id: int) -> Response:
    check_button_form()
    message = outbox.get_message(message_id)
    outbox.retry(message, actor=current_user)
    db.session.commit()
    flash(
        _("The message to %(recipient)s will be sent again shortly.", recipient=message.recipient),
        "success",
    )
    return redirect(url_for("staff.mail", page=request.form.get("page") or None), code=303)
