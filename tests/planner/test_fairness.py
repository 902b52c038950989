"""Fairness over a body's meetings: each participant's meetings outside its working
hours and at night are counted (held and scheduled, not cancelled), shown on the page
and in the API, and the ranking leaves outside their hours those who carried the least
so far. The planner also takes everyone invited to a meeting, and links its candidates
back to the scheduling form. Statements do not grow with meetings or members."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from coalition.bodies import memberships
from coalition.extensions import db
from coalition.meetings import services
from coalition.meetings.models import (
    Invitation,
    InvitationSource,
    Meeting,
    MeetingFormat,
    Visibility,
)
from coalition.participants.models import Participant
from coalition.planner.calendars import WorkCalendar
from coalition.planner.service import Attendee, Plan, WorkingHours, plan_request
from tests.meetings import conftest as meeting_fixtures
from tests.meetings.conftest import schedule
from tests.planner.conftest import initiative_with
from tests.planner.test_planner_scale import measure, member_states

# The meetings' fixtures, here too.
world = meeting_fixtures.world
mw = meeting_fixtures.mw
api_headers = meeting_fixtures.api_headers
_fresh_state_per_request = meeting_fixtures._fresh_state_per_request

#: A Wednesday late in January: a working day in Ghana, France, Japan and Canada.
DAY = date(datetime.now(UTC).year + 1, 1, 27)
DAY += timedelta(days=(2 - DAY.weekday()) % 7)


def _four(mw, make_user):
    """GHA co-chairs, FRA joined; JPN and CAN join too."""
    for code in ("JPN", "CAN"):
        memberships.join(mw.initiative, actor=make_user(represent=code))
    db.session.commit()


def _past_working_days(n: int) -> list[date]:
    """The last *n* days before this week that are working days in Ghana, France, Japan
    and Canada: a meeting on a holiday in one of them (Japan's Culture Day, 3 November,
    say) would count against that one too, whatever day the suite runs."""
    calendar = WorkCalendar("en")
    day, found = (datetime.now(UTC) - timedelta(days=7)).date(), []
    while len(found) < n:
        if all(calendar.day_off(country, day) is None for country in ("GH", "FR", "JP", "CA")):
            found.append(day)
        day -= timedelta(days=1)
    return found


def _past_meetings_at_night_for_canada(mw, n: int = 3) -> None:
    for day in _past_working_days(n):
        schedule(
            mw,
            actor=mw.staff,
            start=f"{day}T08:00",
            end=f"{day}T09:00",
            timezone="UTC",
            record_past=True,
        )


def test_burden_is_counted_per_participant_and_shown(mw, make_user, client):
    _four(mw, make_user)
    _past_meetings_at_night_for_canada(mw)
    cancelled = schedule(
        mw, actor=mw.staff, start=f"{DAY}T03:00", end=f"{DAY}T04:00", timezone="UTC"
    )
    services.cancel(cancelled, actor=mw.staff)
    db.session.commit()
    data = client.get(
        "/api/v1/planner", query_string={"body": mw.initiative.slug, "date": DAY.isoformat()}
    ).get_json()
    fairness = data["fairness"]
    assert fairness["body"] == mw.initiative.slug
    assert fairness["meetings"] == 3  # the cancelled one does not count
    loads = {p["code"]: p for p in fairness["participants"]}
    assert (loads["CAN"]["outside_hours"], loads["CAN"]["at_night"]) == (3, 3)
    assert loads["CAN"]["burden"] == 6
    assert fairness["participants"][0]["code"] == "CAN"  # the most burdened first
    assert loads["GHA"]["outside_hours"] == 0
    page = client.get(
        "/planner", query_string={"body": mw.initiative.slug, "date": DAY.isoformat()}
    ).get_data(as_text=True)
    assert "Burden so far" in page


def test_the_ranking_spreads_the_burden(mw, make_user, client):
    _four(mw, make_user)
    query = {"body": mw.initiative.slug, "date": DAY.isoformat(), "duration": 60}
    before = client.get("/api/v1/planner", query_string=query).get_json()
    best = before["candidates"][0]
    outside = [p["code"] for p in best["participants"] if not p["inside"]]
    assert outside == ["CAN"]  # with no history, the earliest of the best: 08:00 UTC
    _past_meetings_at_night_for_canada(mw)
    after = client.get("/api/v1/planner", query_string=query).get_json()
    best = after["candidates"][0]
    assert best["inside_hours"] == before["candidates"][0]["inside_hours"]
    outside = [p["code"] for p in best["participants"] if not p["inside"]]
    assert outside == ["JPN"]  # Canada has carried the night three times
    assert best["burden"] == 0


def test_burden_ranks_after_inside_and_before_night():
    """Pure: among starts with as many inside, the one leaving out the least burdened."""
    request = plan_request(
        first_day=DAY,
        days=1,
        duration=60,
        hours=WorkingHours(),
        day_zone=ZoneInfo("UTC"),
    )
    people = [
        Attendee("GHA", "Ghana", "Africa/Accra", "GH"),
        Attendee("JPN", "Japan", "Asia/Tokyo", "JP"),
        Attendee("CAN", "Canada", "America/Toronto", "CA"),
    ]
    calendar = WorkCalendar("en")
    plain = Plan(request, people, calendar).ranked(limit=1)[0]
    weighed = Plan(request, people, calendar, {"GHA": 5}).ranked(limit=1)[0]
    assert plain.inside == weighed.inside == 2
    assert plain.start.hour < weighed.start.hour


def test_everyone_invited_to_a_meeting_and_a_link_back(mw, make_user, login_as):
    _four(mw, make_user)
    meeting = schedule(mw, visibility="members")
    client = login_as(mw.co_chair)
    page = client.get(
        "/planner",
        query_string={"meeting": meeting.id, "date": DAY.isoformat(), "duration": 60, "pick": "1"},
    )
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Everyone invited to" in text
    assert "4 participants" in text
    assert f"/meetings/{meeting.id}/edit?start=" in text
    # The link fills the form: start, end and zone.
    link = text.split(f'href="/meetings/{meeting.id}/edit?', 1)[1].split('"', 1)[0]
    form = client.get(f"/meetings/{meeting.id}/edit?" + link.replace("&amp;", "&"))
    assert 'value="UTC"' in form.get_data(as_text=True)
    # The form offers the planner for its invitees.
    assert f"meeting={meeting.id}" in form.get_data(as_text=True)


def test_invitees_of_a_meeting_one_may_not_see_are_refused(mw, make_user, client, api_headers):
    meeting = schedule(mw, visibility="members")
    query = {"meeting": meeting.id, "date": DAY.isoformat()}
    refused = client.get("/api/v1/planner", query_string=query)
    assert refused.status_code == 422
    assert "meeting" in refused.get_json()["errors"]
    allowed = client.get("/api/v1/planner", query_string=query, headers=api_headers(mw.member))
    assert allowed.status_code == 200
    assert {p["code"] for p in allowed.get_json()["participants"]} == {"GHA", "FRA"}


# -- at scale ----------------------------------------------------------------------------------


def _meetings(slug: str, count: int, codes: list[str]) -> None:
    """*count* meetings of the body, half past and half to come, each inviting *codes*
    (written directly: scheduling is tested elsewhere)."""
    from coalition.bodies.models import Body

    body_id = db.session.scalar(sa.select(Body.id).where(Body.slug == slug))
    now = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
    rows = []
    for n in range(count):
        start = now + timedelta(days=n - count // 2, hours=n % 24)
        rows.append(
            Meeting(
                body_id=body_id,
                title=f"Session {n}",
                starts_at=start,
                ends_at=start + timedelta(minutes=90),
                timezone="UTC",
                local_start=start.replace(tzinfo=None),
                local_end=(start + timedelta(minutes=90)).replace(tzinfo=None),
                format=MeetingFormat.VIRTUAL,
                visibility=Visibility.PUBLIC,
            )
        )
    db.session.add_all(rows)
    db.session.flush()
    ids = sa.select(Participant.id).where(Participant.code.in_(codes))
    db.session.execute(
        sa.insert(Invitation).from_select(
            ["meeting_id", "participant_id", "source", "created_at"],
            sa.select(
                Meeting.id,
                Participant.id,
                sa.literal(InvitationSource.MEMBER.value),
                sa.literal(now, type_=Invitation.created_at.type),
            )
            .join(Participant, sa.true())
            .where(Meeting.id.in_([m.id for m in rows]), Participant.id.in_(ids)),
        )
    )
    db.session.commit()


def test_fairness_costs_the_same_statements_for_200_meetings_and_193_members(
    client, read, count_queries
):
    states = read(member_states)
    small = read(lambda: initiative_with("pair", ["GHA", "CAN"]))
    read(lambda: _meetings(small, 2, ["GHA", "CAN"]))
    large = read(lambda: initiative_with("all-states", states))
    read(lambda: _meetings(large, 200, states))
    report = []
    for url in ("/api/v1/planner", "/planner"):
        base = {"date": "2026-12-03", "duration": 90}
        few, _s = measure(client, url, {**base, "body": small}, count_queries, repeat=1)
        for days in (1, 7):
            statements, seconds = measure(
                client, url, {**base, "body": large, "days": days}, count_queries
            )
            report.append(
                f"{url:16} body of 193 states with 200 meetings, {days} day(s): "
                f"{statements} statements, median {seconds * 1000:6.1f} ms"
            )
            assert statements == few
            assert seconds < 3  # shared machine; ~0.3 s on a quiet one
    data = client.get("/api/v1/planner", query_string={**base, "body": large}).get_json()
    assert data["fairness"]["meetings"] == 200
    assert len(data["fairness"]["participants"]) == 193
    print("\n" + "\n".join(report))
