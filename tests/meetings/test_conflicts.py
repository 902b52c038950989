"""Meetings at the same time are named, with a link, and never block saving: another
meeting of the same body, one of a body sharing a co-chair, one a co-chair participant
is invited to. Touching ranges do not overlap; cancelled meetings do not count."""

from __future__ import annotations

import sqlalchemy as sa

from coalition.bodies import memberships
from coalition.extensions import db
from coalition.meetings import services
from coalition.meetings.models import Meeting
from tests.initiatives.rules_support import new_initiative
from tests.meetings.conftest import schedule, wall

BASE = {
    "title": "Second session",
    "format": "virtual",
    "visibility": "public",
    "timezone": "Africa/Accra",
}


def _post(client, headers, body, start, end):
    return client.post(
        "/api/v1/meetings",
        json={**BASE, "body": body.slug, "start": start, "end": end},
        headers=headers,
    )


def test_the_same_body_at_the_same_time_is_a_warning_not_a_refusal(mw, client, api_headers):
    first = schedule(mw, title="First session")
    response = _post(client, api_headers(mw.co_chair), mw.initiative, wall(30, 16), wall(30, 18))
    assert response.status_code == 201
    [warning] = response.get_json()["warnings"]
    assert warning["meeting"]["id"] == first.id
    assert warning["meeting"]["url"].endswith(f"/meetings/{first.id}")
    assert warning["reason"] == "same_body"
    assert db.session.scalar(sa.select(sa.func.count(Meeting.id))) == 2


def test_touching_and_cancelled_meetings_do_not_count(mw, client, api_headers):
    schedule(mw, title="Before", start=wall(30, 13), end=wall(30, 15))
    cancelled = schedule(mw, title="Called off", start=wall(30, 15), end=wall(30, 16))
    services.cancel(cancelled, actor=mw.co_chair)
    db.session.commit()
    response = _post(client, api_headers(mw.co_chair), mw.initiative, wall(30, 15), wall(30, 17))
    assert response.get_json()["warnings"] == []


def test_a_body_sharing_a_co_chair(mw, client, api_headers):
    other_body = new_initiative(mw.co_chair, staff=mw.staff, title="Digital public goods")
    db.session.commit()
    theirs = schedule(mw, body=other_body, title="DPG session")
    response = _post(client, api_headers(mw.co_chair), mw.initiative, wall(30, 16), wall(30, 17))
    [warning] = response.get_json()["warnings"]
    assert (warning["meeting"]["id"], warning["reason"]) == (theirs.id, "shared_co_chair")


def test_a_meeting_the_co_chair_is_invited_to(mw, client, api_headers):
    elsewhere = new_initiative(mw.other, staff=mw.staff, title="Ocean data")
    memberships.join(elsewhere, actor=mw.co_chair)  # GHA, our co-chair, joins DEU's body
    db.session.commit()
    theirs = schedule(mw, body=elsewhere, actor=mw.other, title="Ocean data session")
    response = _post(client, api_headers(mw.co_chair), mw.initiative, wall(30, 16), wall(30, 17))
    [warning] = response.get_json()["warnings"]
    assert (warning["meeting"]["id"], warning["reason"]) == (theirs.id, "co_chair_invited")
    # Changing a meeting warns too.
    mine = db.session.get(Meeting, response.get_json()["id"])
    moved = client.patch(
        f"/api/v1/meetings/{mine.id}",
        json={"start": wall(31, 9), "end": wall(31, 10)},
        headers=api_headers(mw.co_chair),
    )
    assert moved.status_code == 200
    assert moved.get_json()["warnings"] == []


def test_the_form_warns_with_links_and_saves(mw, login_as):
    first = schedule(mw, title="First session")
    client = login_as(mw.co_chair)
    # A start carried by a link (from the planner) is checked before saving.
    page = client.get(
        f"/meetings/new?body={mw.initiative.slug}&start={wall(30, 16)}&end={wall(30, 17)}"
        "&timezone=Africa/Accra"
    )
    text = page.get_data(as_text=True)
    assert f'href="/meetings/{first.id}"' in text
    assert "a meeting of the same body" in text
    response = client.post(
        "/meetings/new",
        data={
            **BASE,
            "body": mw.initiative.slug,
            "start": wall(30, 16),
            "end": wall(30, 17),
        },
        follow_redirects=True,
    )
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    assert "At the same time: First session" in text
    assert db.session.scalar(sa.select(sa.func.count(Meeting.id))) == 2
    # The meeting's page shows its managers what overlaps it, with a link.
    second = db.session.scalars(sa.select(Meeting).order_by(Meeting.id.desc())).first()
    page = client.get(f"/meetings/{second.id}").get_data(as_text=True)
    assert f'href="/meetings/{first.id}"' in page


def test_others_are_not_shown_what_overlaps(mw, login_as):
    schedule(mw, title="First session")
    second = schedule(mw, title="Second session", start=wall(30, 16), end=wall(30, 17))
    page = login_as(mw.member).get(f"/meetings/{second.id}").get_data(as_text=True)
    assert "at the same time" not in page.lower()
