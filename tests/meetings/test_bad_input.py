"""Bad input gets a clear message next to the field (422 naming it in the API), loses
nothing typed, changes nothing saved, and never a 500."""

from __future__ import annotations

import pytest

from coalition.extensions import db
from coalition.meetings.models import Document, Meeting
from tests.meetings.conftest import schedule, wall
from tests.test_pages_quality import parse_strict

GOOD = {
    "title": "Session on norms",
    "start": wall(20, 10),
    "end": wall(20, 12),
    "timezone": "Africa/Accra",
    "format": "hybrid",
    "visibility": "public",
    "venue": "Accra",
}

CASES = {
    "end before start": ({"end": wall(20, 9)}, "end", "must end after it starts"),
    "start in the past": ({"start": wall(-2, 10), "end": wall(-2, 12)}, "start", "in the past"),
    "unknown zone": ({"timezone": "Mars/Olympus_Mons"}, "timezone", "Unknown time zone"),
    "skipped time": (
        {"timezone": "Europe/Paris", "start": "2027-03-28T02:30", "end": "2027-03-28T04:00"},
        "start",
        "does not exist",
    ),
    "not a web link": ({"online_url": "javascript:alert(1)"}, "online_url", "https://"),
    "ftp link": ({"online_url": "ftp://files.example.org/x"}, "online_url", "https://"),
    "500 agenda items": ({"agenda": [f"Item {n}" for n in range(500)]}, "agenda", "at most 100"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_the_api_refuses_bad_input_naming_the_field(mw, client, api_headers, case):
    values, field, words = CASES[case]
    payload = {**GOOD, "body": mw.initiative.slug, **values}
    response = client.post("/api/v1/meetings", json=payload, headers=api_headers(mw.co_chair))
    assert response.status_code == 422, response.get_json()
    problem = response.get_json()
    assert field in problem["errors"]
    assert words in " ".join(problem["errors"][field])
    assert db.session.query(Meeting).count() == 0


@pytest.mark.parametrize("case", sorted(CASES))
def test_the_form_refuses_bad_input_next_to_the_field(mw, login_as, case):
    values, field, words = CASES[case]
    data = {**GOOD, **values}
    if "agenda" in data:
        data["agenda"] = "\n".join(data["agenda"])
    client = login_as(mw.co_chair)
    response = client.post(f"/meetings/new?body={mw.initiative.slug}", data=data)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    document = parse_strict(page)
    error = document.find(f".//*[@id='{field}-error']")
    assert error is not None, f"no message next to {field}"
    assert words in "".join(error.itertext())
    assert 'value="Session on norms"' in page  # what was typed comes back
    assert db.session.query(Meeting).count() == 0


def test_staff_record_a_past_meeting_only_on_purpose(mw, client, api_headers):
    payload = {**GOOD, "body": None, "start": wall(-2, 10), "end": wall(-2, 12)}
    headers = api_headers(mw.staff)
    refused = client.post("/api/v1/meetings", json=payload, headers=headers)
    assert refused.status_code == 422
    assert "Record a past meeting" in refused.get_json()["errors"]["start"][0]
    allowed = client.post(
        "/api/v1/meetings", json={**payload, "record_past": True}, headers=headers
    )
    assert allowed.status_code == 201


def test_a_co_chair_cannot_record_a_past_meeting(mw, client, api_headers):
    payload = {**GOOD, "body": mw.initiative.slug, "start": wall(-2, 10), "end": wall(-2, 12)}
    response = client.post(
        "/api/v1/meetings", json={**payload, "record_past": True}, headers=api_headers(mw.co_chair)
    )
    assert response.status_code == 422


def test_a_change_with_bad_input_keeps_the_saved_meeting(mw, client, api_headers):
    meeting = schedule(mw)
    response = client.patch(
        f"/api/v1/meetings/{meeting.id}",
        json={"end": wall(30, 14), "venue": "Elsewhere"},
        headers=api_headers(mw.co_chair),
    )
    assert response.status_code == 422
    assert "end" in response.get_json()["errors"]
    db.session.expire_all()
    again = db.session.get(Meeting, meeting.id)
    assert (again.venue, again.sequence) == ("Accra International Conference Centre", 0)


MEGABYTE = "Long minutes. " * 75_000  # about 1 MB


def test_megabyte_minutes_are_refused_by_the_api_naming_the_field(mw, client, api_headers):
    meeting = schedule(mw)
    response = client.post(
        f"/api/v1/meetings/{meeting.id}/documents",
        json={"language": "en", "title": "Minutes", "status": "draft", "content": MEGABYTE},
        headers=api_headers(mw.co_chair),
    )
    assert response.status_code == 422
    assert "content" in response.get_json()["errors"]
    assert db.session.query(Document).count() == 0


def test_megabyte_minutes_are_refused_next_to_the_field_and_kept(mw, login_as):
    meeting = schedule(mw)
    client = login_as(mw.co_chair)
    response = client.post(
        f"/meetings/{meeting.id}/documents/new",
        data={
            "kind": "minutes",
            "language": "en",
            "title": "Minutes",
            "status": "draft",
            "content": MEGABYTE,
        },
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "At most 200000 characters." in page
    assert page.count("Long minutes.") >= 75_000  # the text comes back to be shortened
    assert db.session.query(Document).count() == 0


def test_an_agenda_of_500_items_is_refused_on_the_agenda_page(mw, login_as):
    meeting = schedule(mw)
    client = login_as(mw.co_chair)
    data = {f"items-{n}": f"Item {n}" for n in range(500)}
    data["op"] = "save"
    response = client.post(f"/meetings/{meeting.id}/agenda", data=data)
    assert response.status_code == 422
    assert "at most 100 items" in response.get_data(as_text=True)
    db.session.expire_all()
    assert [i.title for i in db.session.get(Meeting, meeting.id).agenda] == [
        "Opening",
        "Norms",
        "Next steps",
    ]


@pytest.mark.parametrize(
    "payload",
    [
        {"title": ""},
        {"start": "tomorrow at noon"},
        {"format": "carrier pigeon"},
        {"visibility": "secret"},
        {"agenda": "not a list"},
        {"start_fold": 2},
    ],
)
def test_malformed_values_are_422_not_500(mw, client, api_headers, payload):
    response = client.post(
        "/api/v1/meetings",
        json={**GOOD, "body": mw.initiative.slug, **payload},
        headers=api_headers(mw.co_chair),
    )
    assert response.status_code == 422
    assert set(payload) <= set(response.get_json()["errors"])
