"""The meeting pages: the month grid (server-rendered, accessible, no JavaScript), the
list and its filters, one meeting with times in the reader's zone and the meeting's,
answers by level and region with their CSV, the agenda edited without JavaScript,
documents side by side, the history of changes, and the lists on the home page, the
dashboard and a body's page. Every page parses strictly and labels every control."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

import pytest

from coalition.accounts.models import User
from coalition.extensions import db
from coalition.meetings import documents, rsvps, services
from coalition.meetings.models import Meeting
from tests.meetings.conftest import schedule, wall
from tests.test_pages_quality import inline_code, parse_strict, unlabelled_controls


def set_zone(user, zone: str) -> None:
    db.session.get(User, user.id).timezone = zone
    db.session.commit()


def check(response, status: int = 200) -> str:
    assert response.status_code == status, response.get_data(as_text=True)[-2000:]
    body = response.get_data(as_text=True)
    document = parse_strict(body)
    assert len(list(document.iter("h1"))) == 1
    assert unlabelled_controls(document) == []
    assert inline_code(document) == []
    return body


def test_the_month_grid_is_an_accessible_table(mw, client):
    meeting = schedule(mw, start="2027-02-17T09:30", end="2027-02-17T12:00")
    body = check(client.get("/meetings?month=2027-02"))
    document = parse_strict(body)
    table = document.find(".//table[@class='calendar']")
    assert "February 2027" in "".join(table.find("caption").itertext())
    headers = table.findall(".//thead/tr/th")
    assert len(headers) == 7
    assert all(th.get("scope") == "col" and th.find("abbr") is not None for th in headers)
    assert headers[0].find("abbr").get("title") == "Monday"  # CLDR: weeks start on Monday
    links = [a.get("href") for a in table.iter("a")]
    assert f"/meetings/{meeting.id}" in links
    assert 'rel="prev" href="/meetings?month=2027-01"' in body
    assert 'rel="next" href="/meetings?month=2027-03"' in body
    # Navigation is links, not script: the only script is the site's optional zone guess.
    scripts = [s.get("src") for s in document.iter("script")]
    assert scripts == ["/static/js/timezone.js"]


def test_the_month_grid_follows_the_readers_language_and_marks_today(mw, client):
    body = check(client.get("/meetings", headers={"Accept-Language": "fr"}))
    document = parse_strict(body)
    first = document.find(".//table[@class='calendar']/thead/tr/th/abbr")
    assert first.get("title") == "lundi"
    today = [td for td in document.iter("td") if td.get("aria-current") == "date"]
    assert len(today) == 1


def test_the_grid_is_in_the_readers_zone_and_says_when_midnight_is_crossed(mw, client, login_as):
    """23:00-01:00 in Accra (UTC) is 08:00-10:00 next day in Tokyo: a reader in Tokyo
    sees it on the 11th; one in Los Angeles sees it start at 15:00 on the 10th."""
    meeting = schedule(mw, start="2027-03-10T23:00", end="2027-03-11T01:00")
    set_zone(mw.member, "Asia/Tokyo")
    page = check(login_as(mw.member).get(f"/meetings/{meeting.id}"))
    assert "Thursday, March 11, 2027" in page
    assert "Japan Standard Time" in page
    assert "Greenwich Mean Time" in page  # the meeting's own zone, named
    set_zone(mw.member, "Africa/Accra")
    page = check(login_as(mw.member).get(f"/meetings/{meeting.id}"))
    assert "crosses midnight in your time zone" in page


def test_the_list_view_filters_by_body_and_axis(mw, client):
    schedule(mw, title="Cyber session")
    other = mw.w.initiative(title="Oceans", axis="international_law")
    schedule(mw, body=other, title="Oceans session")
    listed = check(client.get(f"/meetings?view=list&body={mw.initiative.slug}"))
    assert "Cyber session" in listed
    assert "Oceans session" not in listed
    by_axis = check(client.get("/meetings?view=list&axis=international_law"))
    assert "Oceans session" in by_axis
    assert "Cyber session" not in by_axis
    assert "Oceans session" in check(client.get("/meetings?view=list"))
    past = check(client.get("/meetings?view=list&when=past"))
    assert "Cyber session" not in past


def test_home_dashboard_and_body_page_list_meetings(mw, client, login_as):
    for n in range(7):
        schedule(mw, title=f"Session {n}", start=wall(10 + n, 9), end=wall(10 + n, 10))
    schedule(mw, title="Closed one", visibility="members", start=wall(5, 9), end=wall(5, 10))
    home = check(client.get("/"))
    assert "Session 0" in home
    assert "Session 4" in home
    assert "Session 5" not in home
    assert "Closed one" not in home
    body_page = check(client.get(f"/initiatives/{mw.initiative.slug}"))
    assert "Session 0" in body_page
    assert "Closed one" not in body_page
    dashboard = check(login_as(mw.member).get("/dashboard"))
    assert "Closed one" in dashboard  # FRA is invited: its next five, the nearest first
    assert dashboard.index("Closed one") < dashboard.index("Session 0")
    assert "Session 4" not in dashboard


def test_a_co_chair_sees_answers_by_level_and_region_and_exports_them(mw, login_as, make_user):
    meeting = schedule(mw)
    rsvps.answer(
        meeting,
        actor=mw.member,
        response="attending",
        level="minister",
        head="Minister for Europe",
        delegates=["=HYPERLINK(1)", "Counsellor"],
    )
    rsvps.answer(meeting, actor=mw.co_chair, response="tentative")
    db.session.commit()
    client = login_as(mw.co_chair)
    page = check(client.get(f"/meetings/{meeting.id}"))
    assert "Attending delegations by level" in page
    assert "Europe" in page
    assert "Africa" in page
    response = client.get(f"/meetings/{meeting.id}/rsvps.csv")
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert [r["code"] for r in rows] == ["FRA", "GHA"]
    assert rows[0]["level"] == "minister"
    assert rows[0]["delegates"].startswith("'=")  # no formula reaches a spreadsheet
    member = login_as(mw.member)
    assert member.get(f"/meetings/{meeting.id}/rsvps.csv").status_code == 403


def test_a_delegate_answers_through_the_page(mw, login_as):
    meeting = schedule(mw)
    client = login_as(mw.member)
    page = check(client.get(f"/meetings/{meeting.id}"))
    assert "The answer of France" in page
    response = client.post(
        f"/meetings/{meeting.id}/rsvp",
        data={
            "rsvp-response": "attending",
            "rsvp-level": "ambassador",
            "rsvp-head": "H.E. Ambassador",
            "rsvp-delegates": "First delegate\nSecond delegate",
        },
    )
    assert response.status_code == 303
    answer = rsvps.own_answer(meeting, mw.member)
    assert answer.delegates == ["First delegate", "Second delegate"]
    assert "Answer given: attending" in check(client.get(f"/meetings/{meeting.id}"))


def test_the_agenda_is_edited_without_javascript(mw, login_as):
    meeting = schedule(mw)
    client = login_as(mw.co_chair)
    check(client.get(f"/meetings/{meeting.id}/agenda"))
    items = {"items-0": "Opening", "items-1": "Norms (revised)", "items-2": "Next steps"}

    def post(op: str, **extra):
        response = client.post(f"/meetings/{meeting.id}/agenda", data={**items, "op": op, **extra})
        assert response.status_code == 303
        db.session.expire_all()
        return [i.title for i in db.session.get(Meeting, meeting.id).agenda]

    assert post("up-1") == ["Norms (revised)", "Opening", "Next steps"]
    items = {"items-0": "Norms (revised)", "items-1": "Opening", "items-2": "Next steps"}
    assert post("down-1") == ["Norms (revised)", "Next steps", "Opening"]
    items = {"items-0": "Norms (revised)", "items-1": "Next steps", "items-2": "Opening"}
    assert post("remove-2") == ["Norms (revised)", "Next steps"]
    items = {"items-0": "Norms (revised)", "items-1": "Next steps"}
    assert post("add", new_item="Any other business") == [
        "Norms (revised)",
        "Next steps",
        "Any other business",
    ]


def test_documents_show_side_by_side_drafts_to_invitees_only(mw, client, login_as):
    meeting = schedule(mw)
    version = documents.add_document(
        meeting,
        actor=mw.co_chair,
        kind="minutes",
        language="en",
        title="Minutes",
        status="final",
        content="**Agreed** <script>alert(1)</script>",
    )
    documents.save_version(
        meeting,
        version.document_id,
        "fr",
        actor=mw.co_chair,
        title="Compte rendu",
        status="draft",
        content="Projet",
    )
    db.session.commit()
    public = check(client.get(f"/meetings/{meeting.id}"))
    assert "<strong>Agreed</strong>" in public
    assert "<script>alert" not in public
    assert "Compte rendu" not in public
    member = check(login_as(mw.member).get(f"/meetings/{meeting.id}"))
    assert 'lang="fr"' in member
    assert "Compte rendu" in member
    editor = login_as(mw.co_chair)
    check(editor.get(f"/meetings/{meeting.id}/documents/new"))
    check(editor.get(f"/meetings/{meeting.id}/documents/{version.document_id}/fr"))


def test_the_page_keeps_the_history_of_changes_and_hides_the_link_in_it(mw, client, login_as):
    meeting = schedule(mw)
    services.change(meeting, actor=mw.co_chair, venue="Geneva", online_url="https://x.example/new")
    services.cancel(meeting, actor=mw.co_chair, reason="Travel restrictions")
    db.session.commit()
    page = check(client.get(f"/meetings/{meeting.id}"))
    assert "from Accra International Conference Centre to Geneva" in page
    assert "online link" in page
    assert "x.example/new" not in page
    assert "Travel restrictions" in page
    assert "x.example/new" in check(login_as(mw.member).get(f"/meetings/{meeting.id}"))


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_forms_are_well_formed_and_labelled(mw, login_as, language):
    meeting = schedule(mw)
    client = login_as(mw.staff)
    headers = {"Accept-Language": language}
    db.session.get(User, mw.staff.id).locale = language
    db.session.commit()
    for path in (
        f"/meetings/new?body={mw.initiative.slug}",
        "/meetings/new",
        f"/meetings/{meeting.id}/edit",
        f"/meetings/{meeting.id}",
        "/account",
    ):
        page = check(client.get(path, headers=headers))
        assert f'lang="{language}"' in page


def test_the_schedule_form_offers_the_likely_zones_first(mw, login_as):
    page = check(login_as(mw.co_chair).get(f"/meetings/new?body={mw.initiative.slug}"))
    datalist = page[page.index('<datalist id="zones">') :]
    assert datalist.index("Africa/Accra") < datalist.index("Africa/Abidjan")
    assert datalist.index('"UTC"') < datalist.index("Africa/Abidjan")
    assert 'list="zones"' in page


def test_account_page_shows_and_rotates_the_calendar_link(mw, login_as):
    client = login_as(mw.member)
    assert "Make my calendar link" in check(client.get("/account"))
    assert client.post("/account/calendar").status_code == 303
    page = check(client.get("/account"))
    first = page.split('id="calendar-link" value="')[1].split('"')[0]
    assert first.startswith("http://coalition.test/calendar/")
    client.post("/account/calendar")
    second = check(client.get("/account")).split('id="calendar-link" value="')[1].split('"')[0]
    assert first != second
    assert client.get(first.removeprefix("http://coalition.test")).status_code == 404


def test_marking_held_only_once_started(mw, login_as):
    future = schedule(mw)
    client = login_as(mw.co_chair)
    client.post(f"/meetings/{future.id}/held")
    db.session.expire_all()
    assert db.session.get(Meeting, future.id).held_at is None
    past = schedule(mw, actor=mw.staff, start=wall(-1, 8), end=wall(-1, 9), record_past=True)
    client.post(f"/meetings/{past.id}/held")
    db.session.expire_all()
    assert db.session.get(Meeting, past.id).held_at <= datetime.now(UTC)
