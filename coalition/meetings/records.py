"""The pages that record what a meeting produced (minutes and outcome documents, each
language version on its own form) and the account's calendar link. Same blueprint as
the other meeting pages."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from coalition.errors import DomainError, refuse
from coalition.extensions import db
from coalition.forms import EmptyForm, show_domain_error, submitted
from coalition.meetings import documents, feeds, rules
from coalition.meetings.forms import DocumentForm
from coalition.meetings.manage import back_to_meeting, load_meeting
from coalition.meetings.models import DocumentLanguage
from coalition.meetings.views import bp

#: A request carrying a document may be this large, so that a text over the limit is
#: refused next to its field (not by a bare 413) and comes back to be shortened.
DOCUMENT_REQUEST_MAX = 4 * 1024 * 1024


# -- documents ----------------------------------------------------------------------------------


@bp.url_value_preprocessor
def _allow_long_documents(endpoint: str | None, _values: dict[str, Any] | None) -> None:
    """A document's text over the limit is refused next to its field, not by a 413.
    (URL value preprocessors run before every before_request function, some of which
    read the form.)"""
    if endpoint == "meetings.document":
        request.max_content_length = DOCUMENT_REQUEST_MAX
        request.max_form_memory_size = DOCUMENT_REQUEST_MAX


@bp.route("/meetings/<int:meeting_id>/documents/new", methods=["GET", "POST"])
@bp.route(
    "/meetings/<int:meeting_id>/documents/<int:document_id>/<language>", methods=["GET", "POST"]
)
@login_required
def document(meeting_id: int, document_id: int | None = None, language: str | None = None) -> Any:
    if language is not None and language not in {lang.value for lang in DocumentLanguage}:
        abort(404)
    meeting = load_meeting(meeting_id)
    refuse(rules.documents_refusal(current_user, meeting))
    existing = documents.get_document(meeting, document_id) if document_id else None
    version = (
        next((v for v in existing.versions if v.language == language), None) if existing else None
    )
    form = DocumentForm(obj=version)
    if existing is not None:
        form.kind.data = existing.kind.value
        form.language.data = language
    if form.validate_on_submit():
        values = {
            "title": form.title.data,
            "status": form.status.data,
            "content": form.content.data,
        }
        try:
            if existing is None:
                documents.add_document(
                    meeting,
                    actor=current_user,
                    kind=form.kind.data,
                    language=form.language.data,
                    **values,
                )
            else:
                documents.save_version(meeting, existing.id, language, actor=current_user, **values)
        except DomainError as error:
            db.session.rollback()
            show_domain_error(form, error)
        else:
            db.session.commit()
            flash(_("The document is saved."), "success")
            return back_to_meeting(meeting)
    status = 422 if request.method == "POST" else 200
    return render_template(
        "meetings/document.html", form=form, meeting=meeting, document=existing, language=language
    ), status


# -- the account's calendar link -------------------------------------------------------------


@bp.post("/account/calendar")
@login_required
def rotate_feed() -> Response:
    if submitted(EmptyForm()):
        had = feeds.feed_of(current_user) is not None
        feeds.rotate(current_user)
        db.session.commit()
        if had:
            flash(_("Your calendar link is new: the old one no longer works."), "success")
        else:
            flash(_("Your calendar link is ready: add it to your calendar app."), "success")
    return redirect(url_for("accounts.account") + "#calendar", code=303)


@bp.app_template_global()
def calendar_feed_url() -> str | None:
    """The account page's calendar link, when the user has made one (1 query)."""
    feed = feeds.feed_of(current_user)
    return feeds.feed_url(feed) if feed else None
