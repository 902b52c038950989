"""In a real browser: times follow the browser's zone from the first page (the script
sets the `tz` cookie and reloads once), the switch shows them in another zone, and the
planner works with the keyboard and without any script of its own."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

if TYPE_CHECKING:
    from tests.e2e.conftest import LiveServer

pytestmark = [pytest.mark.browser, pytest.mark.committed]


#: A public page with times on it (days alone, as "since" dates are, carry no zone).
HISTORY = "/initiatives/cyber-norms/history"


def ghana_proposes(live_server: LiveServer) -> None:
    """Ghana proposes "Cyber norms": its history page records when, to the minute."""

    def write() -> None:
        from coalition.accounts.models import User
        from coalition.extensions import db
        from coalition.initiatives.models import Initiative
        from coalition.representations.models import (
            Representation,
            RepresentationRole,
            RepresentationStatus,
        )
        from tests.conftest import _hash, state
        from tests.initiatives.rules_support import new_initiative

        if db.session.scalar(sa.select(Initiative.id).where(Initiative.slug == "cyber-norms")):
            return
        chair = User(email="chair@example.org", name="Chair", password_hash=_hash())
        db.session.add(chair)
        db.session.flush()
        db.session.add(
            Representation(
                user_id=chair.id,
                participant_id=state("GHA").id,
                role=RepresentationRole.FOCAL_POINT,
                status=RepresentationStatus.VERIFIED,
                decided_at=chair.created_at,
            )
        )
        db.session.flush()
        new_initiative(chair, staff=None, title="Cyber norms")
        db.session.commit()

    live_server.run(write)


def test_the_first_page_already_shows_the_browsers_zone(new_page, live_server):
    ghana_proposes(live_server)
    page = new_page(timezone_id="Asia/Kathmandu")

    page.goto(HISTORY)

    # Chromium names the zone by its older spelling, Asia/Katmandu: both are known.
    expect(page.locator("#zone-now")).to_contain_text(re.compile(r"Asia/Kat\w*mandu, UTC\+05:45"))
    expect(page.locator("#zone-now")).to_contain_text("your browser's zone")
    expect(page.locator("main table time").first).to_contain_text("UTC+05:45)")
    page.reload()  # no further reload: the cookie is set
    expect(page.locator("#zone-now")).to_contain_text("UTC+05:45")


def test_a_browser_in_utc_is_not_reloaded_and_sees_utc(new_page, live_server):
    page = new_page(timezone_id="UTC")
    navigations = []
    page.on("framenavigated", lambda frame: navigations.append(frame.url))

    page.goto("/alliance")

    expect(page.locator("#zone-now")).to_have_text("Times are shown in UTC.")
    page.wait_for_timeout(300)
    assert len(navigations) == 1


def test_the_switch_shows_times_in_another_zone(new_page, live_server):
    ghana_proposes(live_server)
    page = new_page(timezone_id="Europe/Paris")
    page.goto(HISTORY)
    expect(page.locator("#zone-now")).to_contain_text("Europe/Paris")

    page.get_by_label("Show times in another zone").fill("singapore")
    page.get_by_role("button", name="Show", exact=True).click()

    expect(page.locator("#zone-now")).to_contain_text(
        "Asia/Singapore, UTC+08:00, as chosen for this visit"
    )
    expect(page.locator("main table time").first).to_contain_text("(Asia/Singapore, UTC+08:00)")
    page.get_by_role("button", name="Back to my default zone").click()
    expect(page.locator("#zone-now")).to_contain_text("Europe/Paris")


def test_co_chairs_find_a_time_with_the_keyboard(new_page):
    page = new_page(timezone_id="Africa/Accra")
    page.goto("/planner")

    page.get_by_label("Participants").fill("GHA, CAN, SGP")
    page.get_by_label("Date").fill("2026-12-03")
    page.get_by_label("Duration (minutes)").fill("90")
    page.get_by_label("Duration (minutes)").press("Enter")

    first = page.locator("ol.candidates > li").first
    expect(first).to_contain_text("08:00")
    expect(first).to_contain_text("2 of 3 inside working hours, 1 at night")
    first.locator("summary").click()
    expect(first).to_contain_text("Canada 03:00")
    strip = page.get_by_role("region", name="The day strip, scrolled sideways and down")
    expect(strip.get_by_role("table")).to_be_visible()
    expect(strip.get_by_role("row", name=re.compile("UTC\\+08:00 Singapore"))).to_be_visible()
