"""The zone times are shown in, and the switch that shows them in another.

The zone comes from coalition.i18n.viewer_zone: the switch's choice for this session,
else the account's setting, else the browser's zone (static/js/timezone.js leaves it in
a cookie), else UTC. The switch keeps its choice in the session only: a signed-in
person's account setting stays their default, and "back to my default" forgets the
choice.
"""

from __future__ import annotations

from collections import defaultdict

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from coalition.forms import check_button_form
from coalition.i18n import (
    ZoneSource,
    format_recorded,
    is_known_zone,
    timezone_choices,
    unknown_zone_message,
    viewer_zone,
    zone_label,
)
from coalition.security import safe_redirect_target

bp = Blueprint("zone", __name__)


def resolve_zone(text: str | None) -> str | None:
    """The zone the person meant: its IANA name in any case ("europe/paris"), or its
    city alone when only one zone has it ("kathmandu", "new york"); else None."""
    wanted = " ".join((text or "").split()).replace(" ", "_").casefold()
    if not wanted:
        return None
    by_name = {zone.casefold(): zone for zone in timezone_choices()}
    if wanted in by_name:
        return by_name[wanted]
    cities = [zone for zone in timezone_choices() if zone.rsplit("/", 1)[-1].casefold() == wanted]
    return cities[0] if len(cities) == 1 else None


@bp.get("/timezone")
def choose() -> str:
    regions: dict[str, list[str]] = defaultdict(list)
    for zone in timezone_choices():
        regions[zone.split("/", 1)[0] if "/" in zone else ""].append(zone)
    return render_template(
        "zone/choose.html",
        regions=dict(regions),
        next=safe_redirect_target(request.args.get("next"), url_for("web.home")),
    )


@bp.post("/timezone")
def switch() -> Response:
    check_button_form()
    target = safe_redirect_target(request.form.get("next"), url_for("web.home"))
    if request.form.get("reset"):
        session.pop("timezone", None)
        zone, _source = viewer_zone()
        flash(_("Times are shown in %(zone)s again.", zone=zone_label(zone)), "success")
        return redirect(target, code=303)
    zone = resolve_zone(request.form.get("zone"))
    if zone is None:
        flash(unknown_zone_message((request.form.get("zone") or "").strip()[:64]), "error")
        return redirect(url_for("zone.choose", next=target), code=303)
    session["timezone"] = zone
    flash(_("Times are now shown in %(zone)s.", zone=zone_label(zone)), "success")
    return redirect(target, code=303)


bp.add_app_template_filter(format_recorded, "recorded")


@bp.app_context_processor
def _zone_context() -> dict:
    zone, source = viewer_zone()
    return {
        "viewer_zone": zone,
        "viewer_zone_source": source,
        "zone_sources": ZoneSource,
        # The browser's script may reload a page rendered in UTC for want of its zone:
        # only after a GET, which a reload repeats harmlessly.
        "zone_unknown": source is ZoneSource.DEFAULT and request.method == "GET",
        "known_zone": is_known_zone,
    }
