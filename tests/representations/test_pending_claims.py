"""The staff's queue of claims waiting for verification."""

from __future__ import annotations


def test_the_queue_lists_pending_claims_oldest_first(client, make_user, make_claim, login_as):
    make_claim(make_user(name="First Claimant"), "GHA")
    make_claim(make_user(name="Second Claimant"), "SEN", role="focal_point")
    login_as(make_user(staff=True))

    body = client.get("/staff/representations").get_data(as_text=True)

    assert body.index("First Claimant") < body.index("Second Claimant")
    assert "focal point" in body


def test_the_empty_queue_says_what_happens_next(client, make_user, login_as):
    login_as(make_user(staff=True))

    body = client.get("/staff/representations").get_data(as_text=True)

    assert "No claim is waiting." in body


def test_the_queue_is_paginated_with_bounded_queries(
    client, make_user, make_claim, login_as, count_queries
):
    login_as(make_user(staff=True))
    make_claim(make_user(), "GHA")
    client.get("/staff/representations")
    with count_queries() as one:
        client.get("/staff/representations")
    for code in ("SEN", "FRA", "DEU", "CHL"):
        make_claim(make_user(), code)
    with count_queries() as five:
        body = client.get("/staff/representations?per_page=2").get_data(as_text=True)

    assert one.count == five.count
    assert "Page 1 of 3" in body
