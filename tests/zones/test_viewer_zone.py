"""Times are shown in the reader's zone, always named: the zone chosen with the switch for
this visit, else the account's setting, else the browser's zone (the `tz` cookie that
static/js/timezone.js sets), else UTC."""

from __future__ import annotations

import re

import pytest

from coalition.accounts.models import User
from coalition.extensions import db
from coalition.i18n import timezone_choices
from coalition.viewer_zone import resolve_zone
from tests.conftest import state
from tests.initiatives.rules_support import new_initiative

KATHMANDU = "(Asia/Kathmandu, UTC+05:45)"
#: A time as pages show it, to the minute: "23 Nov 2026, 3:20 PM (…)", "15:20 (…)".
TIME = re.compile(r"\d{1,2}:\d{2}(?:\s?[AP]M)?(?= \()")
#: A public page with times on it: the history of an initiative Ghana proposed.
PAGE = "/initiatives/cyber-norms/history"


def times_and_what_follows(html: str) -> list[str]:
    """Each time on the page with the 40 characters after it."""
    main = html[html.index("<main") : html.index("</main>")]
    return [main[m.start() : m.end() + 40] for m in TIME.finditer(main)]


def browser_zone(client, value: str) -> None:
    """What static/js/timezone.js does in a browser."""
    client.set_cookie("tz", value, domain="coalition.test")


@pytest.fixture
def ghana_endorses(read, make_user) -> None:
    chair = make_user(represent="GHA")

    def write() -> None:
        new_initiative(db.session.get(User, chair.id), staff=None, title="Cyber norms")
        db.session.commit()

    read(write)


def test_without_a_zone_an_anonymous_reader_sees_utc_named(client, ghana_endorses):
    html = client.get(PAGE).get_data(as_text=True)

    times = times_and_what_follows(html)
    assert times
    assert all(" (UTC)" in t for t in times), times
    assert "Times are shown in UTC." in html
    assert "<body data-zone-unknown>" in html  # the script may reload once


def test_the_browsers_zone_is_used_for_an_anonymous_reader(client, ghana_endorses):
    browser_zone(client, "Asia/Kathmandu")

    html = client.get(PAGE).get_data(as_text=True)

    assert all(KATHMANDU in t for t in times_and_what_follows(html)), times_and_what_follows(html)
    assert "Times are shown in Asia/Kathmandu, UTC+05:45, your browser's zone." in html
    assert "data-zone-unknown" not in html


@pytest.mark.parametrize(
    "value", ["Mars/Olympus_Mons", "../../etc/passwd", "localtime", "Factory", "asia/kathmandu"]
)
def test_a_cookie_that_names_no_known_zone_is_ignored(client, ghana_endorses, value):
    browser_zone(client, value)

    response = client.get(PAGE)

    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert all(" (UTC)" in t for t in times_and_what_follows(html))
    assert "Times are shown in UTC." in html


def test_the_switch_shows_times_in_another_zone_for_this_visit(client, ghana_endorses):
    browser_zone(client, "Europe/Paris")

    response = client.post("/timezone", data={"zone": "kathmandu", "next": PAGE})
    html = client.get(PAGE).get_data(as_text=True)

    assert response.status_code == 303
    assert response.headers["Location"].endswith(PAGE)
    assert all(KATHMANDU in t for t in times_and_what_follows(html))
    assert "as chosen for this visit" in html
    assert "Times are now shown in Asia/Kathmandu" in html  # the flash

    client.post("/timezone", data={"reset": "1", "next": PAGE})
    html = client.get(PAGE).get_data(as_text=True)
    assert all("(Europe/Paris, UTC+0" in t for t in times_and_what_follows(html)), html[-2000:]


def test_an_unknown_zone_is_refused_with_a_message_and_changes_nothing(client, ghana_endorses):
    response = client.post("/timezone", data={"zone": "Atlantis/Poseidonis", "next": "/alliance"})

    assert response.status_code == 303
    assert "/timezone?next=" in response.headers["Location"]
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Unknown time zone Atlantis/Poseidonis" in page
    with client.session_transaction() as session:
        assert "timezone" not in session


def test_the_switch_returns_only_to_this_site(client):
    response = client.post("/timezone", data={"zone": "UTC", "next": "https://evil.example/"})

    assert response.headers["Location"] in ("/", "http://coalition.test/")


def test_an_accounts_zone_is_the_default_and_the_switch_overrides_it_for_the_visit(
    client, read, ghana_endorses, make_user, login_as
):
    user = make_user(represent="GHA")

    def set_zone() -> None:
        db.session.get(User, user.id).timezone = "America/St_Johns"
        db.session.commit()

    read(set_zone)
    login_as(user)
    browser_zone(client, "Europe/Paris")

    own = client.get(PAGE).get_data(as_text=True)
    client.post("/timezone", data={"zone": "Asia/Kathmandu"})
    switched = client.get(PAGE).get_data(as_text=True)
    client.post(
        "/account",
        data={
            "action": "preferences",
            "prefs-name": "Ama",
            "prefs-locale": "",
            "prefs-timezone": "Pacific/Kiritimati",
        },
    )
    saved = client.get(PAGE).get_data(as_text=True)

    assert all("(America/St_Johns, UTC-03:30)" in t for t in times_and_what_follows(own))
    assert "the zone of your account" in own
    assert all(KATHMANDU in t for t in times_and_what_follows(switched))
    # Saving a new default ends the choice made for the visit.
    assert all("(Pacific/Kiritimati, UTC+14:00)" in t for t in times_and_what_follows(saved))


def test_an_account_without_a_zone_follows_the_browser(client, ghana_endorses, make_user, login_as):
    login_as(make_user(represent="GHA"))
    browser_zone(client, "Asia/Kathmandu")

    html = client.get(PAGE).get_data(as_text=True)

    assert all(KATHMANDU in t for t in times_and_what_follows(html))


SAMPLE_PAGES = ["/staff/audit", "/notifications"]


def test_every_time_on_a_sample_of_pages_names_the_zone(client, app, make_user, login_as):
    """Times in sentences, in tables, and recorded in the audit log's before and after."""
    from coalition.alliance.services import endorse as endorse_for
    from coalition.notifications.services import notify_users

    delegate = make_user(represent="GHA", staff=True)
    with app.test_request_context():
        user = db.session.get(User, delegate.id)
        endorse_for(state("GHA"), actor=user)
        notify_users([user], "representation.verified", participant="Ghana")
        db.session.commit()
        db.session.remove()
    login_as(delegate)
    client.post("/timezone", data={"zone": "Asia/Kathmandu"})

    for path in SAMPLE_PAGES:
        html = client.get(path).get_data(as_text=True)
        times = times_and_what_follows(html)
        assert times, f"no time on {path}"
        assert all(KATHMANDU in t for t in times), (path, times)


def test_the_zone_page_offers_every_zone(client):
    html = client.get("/timezone").get_data(as_text=True)

    assert html.count('<option value="">') == 1  # the required select starts empty
    assert html.count("<option ") == len(timezone_choices()) + 1
    assert '<option value="Asia/Kathmandu">' in html


@pytest.mark.parametrize(
    ("typed", "zone"),
    [
        ("Europe/Paris", "Europe/Paris"),
        ("europe/paris", "Europe/Paris"),
        ("  Paris ", "Europe/Paris"),
        ("new york", "America/New_York"),
        ("St_Johns", "America/St_Johns"),
        ("utc", "UTC"),
        ("Springfield", None),
        ("", None),
    ],
)
def test_the_switch_understands_names_as_people_type_them(app, typed, zone):
    assert resolve_zone(typed) == zone


@pytest.mark.parametrize(
    ("language", "day", "moment"),
    [
        ("en", "30 Sep 2021", "30 Sep 2021, 3:36\u202fPM"),
        ("fr", "30 sept. 2021", "30 sept. 2021, 15:36"),
    ],
)
def test_one_format_per_language_days_as_days_times_to_the_minute(app, language, day, moment):
    from datetime import UTC, datetime

    from flask_babel import force_locale

    from coalition.i18n import format_datetime, format_day

    when = datetime(2021, 9, 30, 15, 36, 29, tzinfo=UTC)
    with app.test_request_context(), force_locale(language):
        assert format_day(when) == day
        assert format_day(when.date()) == day
        assert format_datetime(when) == f"{moment} (UTC)"


@pytest.mark.parametrize("language", ["en", "fr"])
def test_every_minute_of_a_day_reads_as_babel_writes_it(app, language):
    """The time of day is formatted once per minute and language, then reused: each of
    the day's 1,440 minutes still reads as Babel writes that moment."""
    from datetime import UTC, datetime, timedelta

    from babel.dates import format_time
    from flask_babel import force_locale

    from coalition.i18n import format_datetime

    start = datetime(2026, 3, 29, tzinfo=UTC)
    with app.test_request_context(), force_locale(language):
        for minute in range(24 * 60):
            when = start + timedelta(minutes=minute, seconds=minute % 60)
            written = format_time(when, format="short", locale=language)
            assert format_datetime(when).endswith(f", {written} (UTC)")
