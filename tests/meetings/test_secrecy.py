"""The online link and the invitees' note never reach those not invited: not the public
page, the public API, the public calendar file, nor the feed of a user whose participant
is not invited — a test per place. Members-only meetings do not exist for them at all."""

from __future__ import annotations

import pytest

from coalition.extensions import db
from coalition.meetings import feeds
from tests.meetings.conftest import NOTE, SECRET, schedule

UNINVITED = ["anonymous", "plain", "other", "org_user"]


def _client(mw, client, login_as, role):
    actor = mw.w.actor(role)
    return login_as(actor) if actor is not None else client


def _leaks(text: str) -> bool:
    return SECRET in text or NOTE in text


@pytest.mark.parametrize("role", UNINVITED)
def test_the_meeting_page_hides_the_link_from_the_uninvited(mw, client, login_as, role):
    meeting = schedule(mw)
    page = _client(mw, client, login_as, role).get(f"/meetings/{meeting.id}")
    assert page.status_code == 200
    assert not _leaks(page.get_data(as_text=True))


@pytest.mark.parametrize("role", ["member", "co_chair", "staff"])
def test_invitees_and_staff_see_the_link_on_the_page(mw, client, login_as, role):
    meeting = schedule(mw)
    page = _client(mw, client, login_as, role).get(f"/meetings/{meeting.id}")
    text = page.get_data(as_text=True)
    assert SECRET in text
    assert NOTE in text


@pytest.mark.parametrize("role", UNINVITED)
def test_the_api_hides_the_link_from_the_uninvited(mw, client, api_headers, role):
    meeting = schedule(mw)
    headers = api_headers(mw.w.actor(role))
    one = client.get(f"/api/v1/meetings/{meeting.id}", headers=headers)
    many = client.get("/api/v1/meetings", headers=headers)
    assert one.get_json()["online_url"] is None
    assert one.get_json()["invitee_note"] is None
    assert not _leaks(one.get_data(as_text=True))
    assert many.get_json()["total"] == 1
    assert not _leaks(many.get_data(as_text=True))


def test_the_api_gives_the_link_to_invitees(mw, client, api_headers):
    meeting = schedule(mw)
    data = client.get(f"/api/v1/meetings/{meeting.id}", headers=api_headers(mw.member)).get_json()
    assert SECRET in data["online_url"]


@pytest.mark.parametrize("role", UNINVITED)
def test_the_calendar_file_hides_the_link_from_the_uninvited(mw, client, login_as, role):
    meeting = schedule(mw)
    response = _client(mw, client, login_as, role).get(f"/meetings/{meeting.id}.ics")
    assert response.status_code == 200
    assert not _leaks(response.get_data(as_text=True))


def test_the_calendar_file_gives_the_link_to_invitees(mw, login_as):
    meeting = schedule(mw)
    response = login_as(mw.member).get(f"/meetings/{meeting.id}.ics")
    assert SECRET in response.get_data(as_text=True).replace("\r\n ", "")


def _feed(client, user) -> str:
    feed = feeds.rotate(user)
    db.session.commit()
    url = feeds.feed_url(feed)
    response = client.get(url.removeprefix("http://coalition.test"))
    assert response.status_code == 200
    return response.get_data(as_text=True).replace("\r\n ", "")


def test_an_uninvited_users_feed_has_neither_the_meeting_nor_its_link(mw, client, make_user):
    schedule(mw)
    text = _feed(client, mw.other)
    assert "Working session" not in text
    assert not _leaks(text)


def test_an_invitees_feed_has_the_meeting_and_its_link(mw, client):
    schedule(mw)
    text = _feed(client, mw.member)
    assert "Working session" in text
    assert SECRET in text


@pytest.mark.parametrize(
    "path", ["/", "/meetings?month={month}", "/meetings?view=list", "/initiatives/{slug}"]
)
def test_lists_never_show_the_link(mw, client, path):
    meeting = schedule(mw)
    month = meeting.starts_at.strftime("%Y-%m")
    page = client.get(path.format(slug=mw.initiative.slug, month=month)).get_data(as_text=True)
    assert "Working session" in page
    assert not _leaks(page)


@pytest.mark.parametrize("role", UNINVITED)
def test_a_members_only_meeting_does_not_exist_for_the_uninvited(
    mw, client, login_as, api_headers, role
):
    meeting = schedule(mw, visibility="members", title="Closed consultation")
    web = _client(mw, client, login_as, role)
    assert web.get(f"/meetings/{meeting.id}").status_code == 404
    assert web.get(f"/meetings/{meeting.id}.ics").status_code == 404
    month = meeting.starts_at.strftime("%Y-%m")
    assert "Closed consultation" not in web.get(f"/meetings?month={month}").get_data(as_text=True)
    headers = api_headers(mw.w.actor(role))
    assert client.get(f"/api/v1/meetings/{meeting.id}", headers=headers).status_code == 404
    assert client.get("/api/v1/meetings", headers=headers).get_json()["total"] == 0


def test_a_members_only_meeting_is_there_for_invitees(mw, client, login_as):
    meeting = schedule(mw, visibility="members", title="Closed consultation")
    member = login_as(mw.member)
    assert member.get(f"/meetings/{meeting.id}").status_code == 200
    month = meeting.starts_at.strftime("%Y-%m")
    assert "Closed consultation" in member.get(f"/meetings?month={month}").get_data(as_text=True)


def test_a_rotated_feed_link_stops_working(mw, client):
    schedule(mw)
    old = feeds.feed_url(feeds.rotate(mw.member)).removeprefix("http://coalition.test")
    db.session.commit()
    assert client.get(old).status_code == 200
    new = feeds.feed_url(feeds.rotate(mw.member)).removeprefix("http://coalition.test")
    db.session.commit()
    assert client.get(old).status_code == 404
    assert client.get(new).status_code == 200


def test_the_feed_token_is_not_stored(mw):
    from coalition.meetings.models import CalendarFeed

    url = feeds.feed_url(feeds.rotate(mw.member))
    token = url.rsplit("/", 1)[1].removesuffix(".ics")
    row = db.session.query(CalendarFeed).one()
    assert token not in (row.salt, row.token_hash)


def test_a_feed_stops_when_its_owner_no_longer_represents_the_participant(mw, client):
    from coalition.db import utcnow
    from coalition.permissions import forget_acting_representation
    from coalition.representations.models import Representation, RepresentationStatus

    schedule(mw)
    feed = feeds.rotate(mw.member)
    db.session.commit()
    rep = db.session.query(Representation).filter_by(user_id=mw.member.id).one()
    rep.status, rep.ended_at = RepresentationStatus.ENDED, utcnow()
    db.session.commit()
    forget_acting_representation()  # the test's requests share its application context
    text = client.get(feeds.feed_url(feed).removeprefix("http://coalition.test")).get_data(
        as_text=True
    )
    assert "Working session" not in text
