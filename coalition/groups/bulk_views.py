"""Bulk changes of a working group's members, in three steps: paste codes or upload a CSV
file → a preview, row by row → confirm. The confirmation carries the codes (hidden
fields) and plans the change again under the group's lock: what applies is what holds
then, all rows or none."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required
from werkzeug.datastructures import FileStorage
from werkzeug.wrappers import Response

from coalition import limits
from coalition.bodies.queries import get_body
from coalition.errors import DomainError, InvalidValue, refuse
from coalition.extensions import db
from coalition.forms import show_domain_error
from coalition.groups import rules
from coalition.groups.bulk import BulkResult, Outcome, bulk_change
from coalition.groups.codes import read_csv, split_pasted
from coalition.groups.forms import BulkConfirmForm, BulkForm
from coalition.groups.models import WorkingGroup

bp = Blueprint("bulk", __name__)


def _group(slug: str) -> WorkingGroup:
    group = get_body(slug, kind=WorkingGroup)
    refuse(rules.bulk_refusal(current_user, group))
    return group


def _codes(form: BulkForm) -> list[str]:
    """The codes pasted or in the uploaded file (one of the two); InvalidValue naming
    the field and the problem."""
    upload: FileStorage | None = form.file.data if isinstance(form.file.data, FileStorage) else None
    has_file = upload is not None and bool(upload.filename)
    pasted = (form.codes.data or "").strip()
    if has_file and pasted:
        raise InvalidValue(_("Paste codes or choose a file, not both."), field="codes")
    if has_file:
        return read_csv(upload.stream.read(limits.UPLOAD_BYTES_MAX + 1))
    if pasted:
        return split_pasted(pasted)
    raise InvalidValue(_("Paste participant codes, or choose a CSV file."), field="codes")


def _change(operation: str, codes: list[str]) -> dict[str, list[str]]:
    return {"add": codes, "remove": []} if operation == "add" else {"add": [], "remove": codes}


def _preview(
    group: WorkingGroup, result: BulkResult, operation: str, reason: str | None, status: int = 200
) -> tuple[str, int]:
    confirm = BulkConfirmForm(
        formdata=None,  # the values below, not the submitted form's
        operation=operation,
        codes=",".join(row.code for row in result.rows),
        reason=reason or "",
    )
    return render_template(
        "groups/bulk_preview.html",
        group=group,
        result=result,
        operation=operation,
        confirm=confirm,
        Outcome=Outcome,
    ), status


@bp.route("/groups/<slug>/bulk", methods=["GET", "POST"])
@login_required
def start(slug: str) -> str | tuple[str, int]:
    group = _group(slug)
    form = BulkForm()
    if form.validate_on_submit():
        operation = form.operation.data
        try:
            codes = _codes(form)
            result = bulk_change(
                group, **_change(operation, codes), dry_run=True, actor=current_user
            )
        except DomainError as error:
            db.session.rollback()
            show_domain_error(form, error)
        else:
            return _preview(group, result, operation, form.reason.data)
    status = 422 if form.is_submitted() else 200
    return render_template("groups/bulk.html", group=group, form=form), status


@bp.post("/groups/<slug>/bulk/apply")
@login_required
def apply(slug: str) -> Response | tuple[str, int]:
    group = _group(slug)
    form = BulkConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    operation = form.operation.data
    codes = [c for c in form.codes.data.split(",") if c]
    result = bulk_change(
        group,
        **_change(operation, codes),
        dry_run=False,
        actor=current_user,
        reason=form.reason.data or None,
    )
    if not result.applied:
        db.session.rollback()
        flash(
            _(
                "Nothing was changed: the members changed since the preview. Here is the "
                "change as it stands now."
            ),
            "error",
        )
        return _preview(group, result, operation, form.reason.data, status=409)
    db.session.commit()
    added, removed = result.count(Outcome.ADDED), result.count(Outcome.REMOVED)
    if not added and not removed:
        flash(_("Nothing to change: the members were already as asked."), "success")
    if added:
        flash(
            ngettext("%(num)d participant added.", "%(num)d participants added.", added), "success"
        )
    if removed:
        flash(
            ngettext("%(num)d participant removed.", "%(num)d participants removed.", removed),
            "success",
        )
    return redirect(url_for("groups.detail", slug=group.slug), code=303)
