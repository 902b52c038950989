"""The audit log for staff: /staff/audit and GET /api/v1/audit."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from html import unescape

import pytest
import sqlalchemy as sa

from coalition.accounts.models import User
from coalition.accounts.services import create_api_token
from coalition.audit.models import AuditEvent
from coalition.audit.services import record
from coalition.extensions import db
from tests.conftest import state


@pytest.fixture
def events(app, make_user):
    """Three events by two actors, on two days."""
    alice = make_user(email="alice@example.org", name="Alice Actor", represent="GHA")
    bob = make_user(email="bob@example.org", name="Bob Actor")
    with app.test_request_context():
        a = db.session.get(User, alice.id)
        b = db.session.get(User, bob.id)
        rows = [
            record(
                "alliance.endorse",
                object_type="endorsement",
                object_id=7,
                object_label="Ghana",
                actor=a,
                participant=state("GHA"),
                after={"endorsed_at": "2024-03-01T10:00:00+00:00"},
            ),
            record(
                "membership.approve",
                object_type="membership",
                object_id=12,
                object_label="Ghana in Paris Call",
                actor=b,
                before={"status": "pending"},
                after={"status": "active"},
            ),
            record(
                "user.update",
                object_type="user",
                object_id=alice.id,
                object_label=alice.email,
                actor=a,
                before={"name": "Alice Old"},
                after={"name": "Alice Actor"},
            ),
        ]
        rows[0].occurred_at = datetime(2024, 3, 1, 10, tzinfo=UTC)
        rows[1].occurred_at = datetime(2024, 3, 2, 10, tzinfo=UTC)
        rows[2].occurred_at = datetime(2024, 3, 3, 10, tzinfo=UTC)
        db.session.commit()
    return {"alice": alice, "bob": bob}


def _rows(html: str) -> list[str]:
    body = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0] if "<tbody>" in html else ""
    return list(body.split("<tr>")[1:])


def test_staff_see_every_event_newest_first_with_before_and_after(
    client, login_as, make_user, events
):
    login_as(make_user(staff=True))

    response = client.get("/staff/audit")

    assert response.status_code == 200
    rows = _rows(response.get_data(as_text=True))
    assert len(rows) == 3
    assert "user.update" in rows[0]
    assert "membership.approve" in rows[1]
    assert "alliance.endorse" in rows[2]
    assert "pending" in rows[1]
    assert "active" in rows[1]
    assert "Alice Old" in rows[0]
    assert "alice@example.org" in rows[2]
    assert "Ghana" in rows[2]


def test_the_changes_column_shows_only_what_changed(app, client, login_as, make_user):
    staff = make_user(staff=True)
    with app.test_request_context():
        record(
            "group.update",
            object_type="body",
            object_id=3,
            actor=db.session.get(User, staff.id),
            before={"title": "Drafting", "seat_limit": 10},
            after={"title": "Drafting", "seat_limit": 16},
        )
        db.session.commit()
    login_as(staff)

    (row,) = _rows(client.get("/staff/audit").get_data(as_text=True))

    assert "<dt>seat_limit</dt>" in row
    assert "<dt>title</dt>" not in row  # the same before and after


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"action": "membership.approve"}, ["membership.approve"]),
        ({"action": "alliance"}, ["alliance.endorse"]),
        ({"actor": "ALICE@example.org"}, ["user.update", "alliance.endorse"]),
        ({"participant": "gha"}, ["alliance.endorse"]),
        ({"object_type": "membership", "object_id": "12"}, ["membership.approve"]),
        ({"object_type": "membership", "object_id": "13"}, []),
        ({"date_from": "2024-03-02"}, ["user.update", "membership.approve"]),
        ({"date_to": "2024-03-02"}, ["membership.approve", "alliance.endorse"]),
        ({"date_from": "2024-03-02", "date_to": "2024-03-02"}, ["membership.approve"]),
    ],
)
def test_staff_filter_the_log(client, login_as, make_user, events, query, expected):
    login_as(make_user(staff=True))

    html = client.get("/staff/audit", query_string=query).get_data(as_text=True)

    rows = _rows(html)
    assert [
        next(a for a in ("user.update", "membership.approve", "alliance.endorse") if a in r)
        for r in rows
    ] == expected
    if not expected:
        assert "No event matches these filters" in html


def test_an_invalid_filter_is_shown_as_an_error(client, login_as, make_user, events):
    login_as(make_user(staff=True))
    response = client.get("/staff/audit", query_string={"date_from": "yesterday"})
    assert response.status_code == 422
    assert "field-error" in response.get_data(as_text=True)


def test_the_log_is_paginated_with_a_bounded_number_of_queries(
    client, login_as, make_user, events, count_queries, app
):
    login_as(make_user(staff=True))
    with count_queries() as few:
        page = client.get("/staff/audit?per_page=2")
    with app.test_request_context():
        actors = [db.session.get(User, make_user().id) for _ in range(5)]
        for actor in actors:
            record(
                "user.update",
                object_type="user",
                object_id=actor.id,
                actor=actor,
                participant=state("FRA"),
            )
        db.session.commit()
    with count_queries() as many:
        everything = client.get("/staff/audit?per_page=50")

    html = page.get_data(as_text=True)
    assert 'rel="next"' in html
    assert 'rel="prev"' not in html
    assert len(_rows(html)) == 2
    assert len(_rows(everything.get_data(as_text=True))) >= 8
    assert many.count == few.count


def _older_link(html: str) -> str | None:
    match = re.search(r'<a href="([^"]+)" rel="next">', html)
    return unescape(match.group(1)) if match else None


def _newer_link(html: str) -> str | None:
    match = re.search(r'<a href="([^"]+)" rel="prev">', html)
    return unescape(match.group(1)) if match else None


def _log_events(app, count: int, *, action: str = "user.update") -> None:
    """*count* more events, one a minute, by one staff actor."""
    with app.test_request_context():
        for n in range(count):
            event = record(action, object_type="user", object_id=n + 1, actor=None)
            event.occurred_at = datetime(2025, 1, 1, tzinfo=UTC) + timedelta(minutes=n)
        db.session.commit()


def test_keyset_pages_cost_the_same_statements_whatever_the_page(
    client, login_as, make_user, app, count_queries
):
    """Older and newer links carry a cursor; every page runs the same statements, and
    walking older then newer comes back to the same rows."""
    _log_events(app, 7)
    login_as(make_user(staff=True))
    counts, pages = [], []
    url: str | None = "/staff/audit?per_page=2"
    while url:
        with count_queries() as counted:
            response = client.get(url)
        assert response.status_code == 200
        html = response.get_data(as_text=True)
        counts.append(counted.count)
        pages.append([re.search(r"#(\d+)", row).group(1) for row in _rows(html)])
        url = _older_link(html)

    assert [len(p) for p in pages] == [2, 2, 2, 1]
    assert len(set(counts)) == 1
    ids = [i for p in pages for i in p]
    assert ids == [str(n) for n in range(7, 0, -1)]  # newest first

    # From the middle, older, then back newer.
    html = client.get(f"/staff/audit?per_page=2&after={_cursor_of(app, ids[3])}").get_data(
        as_text=True
    )
    assert [re.search(r"#(\d+)", r).group(1) for r in _rows(html)] == ids[4:6]
    newer = client.get(_newer_link(html)).get_data(as_text=True)
    assert [re.search(r"#(\d+)", r).group(1) for r in _rows(newer)] == ids[2:4]


def _cursor_of(app, object_id: str) -> str:
    from coalition.audit import paging

    with app.app_context():
        event = db.session.scalars(
            sa.select(AuditEvent).where(
                AuditEvent.object_type == "user", AuditEvent.object_id == int(object_id)
            )
        ).first()
        return paging.encode(event.occurred_at, event.id)


def test_the_cursor_keeps_the_filters(client, login_as, make_user, app):
    _log_events(app, 5, action="membership.approve")
    _log_events(app, 5, action="membership.decline")
    _log_events(app, 5, action="meeting.schedule")
    login_as(make_user(staff=True))

    seen = []
    url: str | None = "/staff/audit?per_page=4&action=membership"
    while url:
        html = client.get(url).get_data(as_text=True)
        assert "action=membership" in (url or "")
        seen += list(_rows(html))
        url = _older_link(html)

    assert len(seen) == 10
    assert all("membership." in r for r in seen)
    assert "10 events." in client.get("/staff/audit?action=membership").get_data(as_text=True)


@pytest.mark.parametrize(
    "cursor",
    # Not numbers; no id; an id of 0; too many digits; a NUL; digits that are not ASCII;
    # a time beyond the 16 digits; a sign on the id; spaces.
    ["nonsense", "123", "1.0", "1." + "9" * 19, f"1.{2**31}", "1.2\x00", "١٢.٣",
     "1" * 17 + ".1", "1.-2", " 1.2", "x" * 500],
)  # fmt: skip
def test_a_bad_cursor_is_a_400_never_a_500(client, app, login_as, make_user, events, cursor):
    staff = make_user(staff=True)
    login_as(staff)
    assert client.get("/staff/audit", query_string={"after": cursor}).status_code == 400
    assert client.get("/staff/audit", query_string={"before": cursor}).status_code == 400
    for value in (cursor, ""):
        response = client.get(
            "/api/v1/audit", headers=_token(app, staff), query_string={"cursor": value}
        )
        assert response.status_code == 400
        assert response.mimetype == "application/problem+json"


def test_any_cursor_of_the_documented_form_is_taken(client, app, make_user, events):
    """The OpenAPI pattern's extremes are pages, perhaps empty, never errors."""
    headers = _token(app, make_user(staff=True))
    for cursor in ("-9999999999999999.1", f"9999999999999999.{2**31 - 1}", "0.1"):
        response = client.get("/api/v1/audit", headers=headers, query_string={"cursor": cursor})
        assert response.status_code == 200
    everything = client.get(
        "/api/v1/audit", headers=headers, query_string={"cursor": "9999999999999999.1"}
    ).get_json()
    assert len(everything["items"]) == 4
    assert everything["page"] is None


def test_the_count_stops_at_the_cap(client, app, login_as, make_user, monkeypatch):
    from coalition.audit import paging

    monkeypatch.setattr(paging, "COUNT_CAP", 3)
    _log_events(app, 5)
    staff = make_user(staff=True)
    login_as(staff)

    assert "More than 3 events." in client.get("/staff/audit").get_data(as_text=True)
    body = client.get("/api/v1/audit", headers=_token(app, staff)).get_json()
    assert (body["total"], body["total_exact"]) == (3, False)


def test_page_numbers_reach_the_first_pages_only(client, app, make_user, events):
    headers = _token(app, make_user(staff=True))
    assert client.get("/api/v1/audit?page=50", headers=headers).status_code == 200
    response = client.get("/api/v1/audit?page=51", headers=headers)
    assert response.status_code == 422
    assert "page" in response.get_json()["errors"]


@pytest.mark.parametrize("who", ["plain user", "delegate"])
def test_people_who_are_not_staff_are_refused(client, login_as, make_user, events, who):
    login_as(make_user(represent="FRA" if who == "delegate" else None))
    response = client.get("/staff/audit")
    assert response.status_code == 403
    assert "alliance.endorse" not in response.get_data(as_text=True)


def test_anonymous_visitors_are_sent_to_log_in(client, events):
    response = client.get("/staff/audit")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


# -- API -----------------------------------------------------------------------------------------


def _token(app, user: User) -> dict[str, str]:
    with app.app_context():
        _row, token = create_api_token(db.session.get(User, user.id))
        db.session.commit()
    return {"Authorization": f"Bearer {token}"}


def test_the_api_gives_staff_the_log_filtered_by_object_and_actor(client, app, make_user, events):
    headers = _token(app, make_user(staff=True))

    body = client.get("/api/v1/audit", headers=headers).get_json()
    # The staff member's own token creation is audited too.
    assert body["total"] == 4
    assert {"items", "page", "per_page", "total"} <= set(body)

    body = client.get(
        "/api/v1/audit", headers=headers, query_string={"object": "membership:12"}
    ).get_json()
    assert body["total"] == 1
    item = body["items"][0]
    assert item["action"] == "membership.approve"
    assert item["actor"] == "bob@example.org"
    assert item["before"] == {"status": "pending"}
    assert item["after"] == {"status": "active"}
    assert item["occurred_at"].startswith("2024-03-02T10:00:00")

    body = client.get(
        "/api/v1/audit",
        headers=headers,
        query_string={"actor": "alice@example.org", "action": "alliance"},
    ).get_json()
    assert [i["action"] for i in body["items"]] == ["alliance.endorse"]
    assert body["items"][0]["participant"] == "GHA"


def test_the_api_pages_newest_first(client, app, make_user, events):
    headers = _token(app, make_user(staff=True))
    body = client.get(
        "/api/v1/audit", headers=headers, query_string={"per_page": 2, "page": 2}
    ).get_json()
    assert (body["page"], body["per_page"], body["total"]) == (2, 2, 4)
    assert [i["action"] for i in body["items"]] == ["membership.approve", "alliance.endorse"]


def test_the_api_pages_by_cursor_with_next_links_keeping_the_filters(
    client, app, make_user, count_queries
):
    _log_events(app, 5, action="membership.approve")
    _log_events(app, 4, action="meeting.schedule")
    headers = _token(app, make_user(staff=True))

    seen, counts = [], []
    url: str | None = "/api/v1/audit?per_page=2&action=membership"
    while url:
        with count_queries() as counted:
            response = client.get(url, headers=headers)
        body = response.get_json()
        counts.append(counted.count)
        seen += [i["action"] for i in body["items"]]
        assert body["total"] == 5
        assert body["total_exact"] is True
        url = body["next"]
        if url:
            assert response.headers["Link"] == f'<{url}>; rel="next"'
            assert "action=membership" in url
            assert body["next_cursor"] in url
        else:
            assert "Link" not in response.headers
    assert seen == ["membership.approve"] * 5
    assert len(set(counts)) == 1
    # Page numbers still work, and give the first page with a next link.
    first = client.get("/api/v1/audit?per_page=2&page=1", headers=headers).get_json()
    assert first["page"] == 1
    assert first["next"]
    # With a cursor, the page number is not used.
    with_page = client.get(f"{first['next']}&page=3", headers=headers).get_json()
    assert with_page["items"] == client.get(first["next"], headers=headers).get_json()["items"]


def test_the_api_refuses_a_malformed_object(client, app, make_user, events):
    headers = _token(app, make_user(staff=True))
    response = client.get("/api/v1/audit", headers=headers, query_string={"object": "user:x"})
    assert response.status_code == 422
    assert "object" in response.get_json()["errors"]


@pytest.mark.parametrize(
    "value",
    [
        "membership:²",
        "membership:١٢",  # Arabic-Indic digits: int() reads them, the URL converter does not
        "membership:0",
        "membership:-1",
        "membership: 12",
        "membership:12 ",
        "membership:+12",
        "membership:2147483648",
        "membership:99999999999999999999",
        "membership:" + "9" * 5000,
    ],
)
def test_the_api_refuses_an_object_number_that_is_no_id_naming_the_field(
    client, app, make_user, events, value
):
    """Ids are ASCII digits within the integer columns' range, as in URLs."""
    headers = _token(app, make_user(staff=True))
    response = client.get("/api/v1/audit", headers=headers, query_string={"object": value})
    assert response.status_code == 422
    assert response.mimetype == "application/problem+json"
    assert list(response.get_json()["errors"]) == ["object"]


def test_the_api_takes_the_largest_id_there_can_be(client, app, make_user, events):
    headers = _token(app, make_user(staff=True))
    response = client.get(
        "/api/v1/audit", headers=headers, query_string={"object": f"membership:{2**31 - 1}"}
    )
    assert response.status_code == 200
    assert response.get_json()["total"] == 0


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("object_id", "²"),
        ("object_id", "99999999999999999999"),
        ("object_id", "2147483648"),
        ("object_id", "0"),
        ("date_from", "0001-01-01"),
        ("date_to", "9999-12-31"),
        ("date_to", "99999-01-01"),
    ],
)
def test_the_pages_filters_refuse_what_no_event_can_match_naming_the_field(
    client, login_as, make_user, events, field, value
):
    login_as(make_user(staff=True))
    response = client.get("/staff/audit", query_string={field: value})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert f'id="{field}"' in html
    assert 'aria-invalid="true"' in html


def test_the_api_needs_a_token(client, events):
    response = client.get("/api/v1/audit")
    assert response.status_code == 401
    assert response.mimetype == "application/problem+json"


@pytest.mark.parametrize("who", ["plain user", "delegate"])
def test_the_api_refuses_people_who_are_not_staff(client, app, make_user, events, who):
    headers = _token(app, make_user(represent="FRA" if who == "delegate" else None))
    response = client.get("/api/v1/audit", headers=headers)
    assert response.status_code == 403
    assert "items" not in response.get_json()


def test_audit_events_record_who_acted_and_for_whom(app, events):
    with app.app_context():
        event = db.session.scalars(
            sa.select(AuditEvent).where(AuditEvent.action == "alliance.endorse")
        ).one()
        assert event.actor.email == "alice@example.org"
        assert event.participant.code == "GHA"
