"""The working groups API (API.md's groups rows): directory, create/edit/close, members
and co-chairs, terms, with problem+json for every refusal."""

from __future__ import annotations

from datetime import timedelta

from coalition.bodies.terms import today
from coalition.extensions import db

API = "/api/v1"


def test_the_directory_lists_groups_of_an_initiative_or_of_the_alliance(gw, client):
    everything = client.get(f"{API}/groups").get_json()
    assert {g["slug"] for g in everything["items"]} == {gw.group.slug, gw.alliance.slug}
    assert everything["total"] == 2
    of_initiative = client.get(f"{API}/groups?initiative={gw.initiative.slug}").get_json()
    assert [g["slug"] for g in of_initiative["items"]] == [gw.group.slug]
    assert of_initiative["items"][0] == {
        "slug": gw.group.slug,
        "title": "Infodemic working group",
        "summary": "",
        "language": "en",
        "titles": {"en": "Infodemic working group", "fr": None},
        "summaries": {"en": None, "fr": None},
        "initiative": gw.initiative.slug,
        "status": "active",
        "seat_limit": 5,
        "member_count": 1,
        "co_chairs": ["ITA"],
    }
    alliance = client.get(f"{API}/groups?initiative=").get_json()
    assert [g["slug"] for g in alliance["items"]] == [gw.alliance.slug]
    assert client.get(f"{API}/groups?status=sleeping").status_code == 422


def test_one_group_with_its_mandate(gw, client):
    data = client.get(f"{API}/groups/{gw.group.slug}").get_json()
    assert data["mandate"] == "Recommendations on the *infodemic*."
    assert data["closed_at"] is None
    assert client.get(f"{API}/groups/{gw.initiative.slug}").status_code == 404


def test_staff_create_edit_and_close_a_group(gw, client, api_headers):
    headers = api_headers(gw.staff)
    created = client.post(
        f"{API}/groups",
        json={"title": "Drafting group", "initiative": gw.initiative.slug, "seat_limit": 3},
        headers=headers,
    )
    assert created.status_code == 201
    assert created.get_json()["slug"] == "drafting-group"
    edited = client.patch(f"{API}/groups/drafting-group", json={"seat_limit": 7}, headers=headers)
    assert edited.get_json()["seat_limit"] == 7
    closed = client.post(f"{API}/groups/drafting-group/close", headers=headers)
    assert closed.get_json()["status"] == "closed"
    again = client.post(f"{API}/groups/drafting-group/close", headers=headers)
    assert again.status_code == 409


def test_a_slug_already_used_is_a_409_naming_the_field(gw, client, api_headers):
    response = client.post(
        f"{API}/groups", json={"title": "X", "slug": gw.group.slug}, headers=api_headers(gw.staff)
    )
    assert response.status_code == 409
    assert response.mimetype == "application/problem+json"
    assert "slug" in response.get_json()["errors"]


def test_bad_values_are_422_naming_the_field(gw, client, api_headers):
    headers = api_headers(gw.staff)
    for payload, field in [
        ({"title": "X", "initiative": "no-such"}, "initiative"),
        ({"title": "X", "seat_limit": 0}, "seat_limit"),
        ({"title": "X", "slug": "Not A Slug"}, "slug"),
        ({"title": ""}, "title"),
    ]:
        response = client.post(f"{API}/groups", json=payload, headers=headers)
        assert response.status_code == 422, payload
        assert field in response.get_json()["errors"], payload


def test_lowering_the_seat_limit_below_the_members_is_refused_with_their_number(
    gw, client, api_headers
):
    gw.add("FRA")
    db.session.commit()
    response = client.patch(
        f"{API}/groups/{gw.group.slug}", json={"seat_limit": 1}, headers=api_headers(gw.staff)
    )
    assert response.status_code == 409  # a valid number the current members rule out
    assert "2 participants are active members now" in response.get_json()["errors"]["seat_limit"][0]


def test_members_are_added_directly_with_a_term_and_listed(gw, client, api_headers):
    term = (today() + timedelta(days=60)).isoformat()
    response = client.post(
        f"{API}/groups/{gw.group.slug}/memberships",
        json={"participant": "fra", "term_ends_on": term},
        headers=api_headers(gw.group_chair),
    )
    assert response.status_code == 201
    assert response.get_json()["term_ends_on"] == term
    assert response.get_json()["status"] == "active"
    listed = client.get(f"{API}/groups/{gw.group.slug}/memberships?status=active").get_json()
    assert {m["participant"]["code"] for m in listed["items"]} == {"FRA", "ITA"}


def test_an_addition_the_rules_refuse_is_a_409_saying_why(gw, client, api_headers):
    headers = api_headers(gw.staff)
    outsider = client.post(
        f"{API}/groups/{gw.group.slug}/memberships", json={"participant": "DEU"}, headers=headers
    )
    assert outsider.status_code == 409
    assert "not an active member of Information and democracy" in outsider.get_json()["detail"]
    twice = client.post(
        f"{API}/groups/{gw.group.slug}/memberships", json={"participant": "ITA"}, headers=headers
    )
    assert twice.status_code == 409
    assert "already a member" in twice.get_json()["detail"]
    unknown = client.post(
        f"{API}/groups/{gw.group.slug}/memberships", json={"participant": "XYZ"}, headers=headers
    )
    assert unknown.status_code == 404
    no_one = client.post(f"{API}/groups/{gw.group.slug}/memberships", json={}, headers=headers)
    assert no_one.status_code == 422


def test_a_delegate_cannot_join_a_group_through_the_api(gw, client, api_headers):
    response = client.post(
        f"{API}/groups/{gw.group.slug}/memberships",
        json={"participant": "FRA"},
        headers=api_headers(gw.member),
    )
    assert response.status_code == 403
    assert gw.member_of(gw.group, "FRA") is None


def test_group_co_chairs_are_assigned_and_ended_by_staff(gw, client, api_headers):
    headers = api_headers(gw.staff)
    gw.add("FRA")
    db.session.commit()
    assert (
        client.get(f"{API}/groups/{gw.group.slug}/co-chairs").get_json()[0]["participant"]["code"]
        == "ITA"
    )
    assigned = client.post(
        f"{API}/groups/{gw.group.slug}/co-chairs", json={"participant": "FRA"}, headers=headers
    )
    assert assigned.status_code == 201
    ended = client.delete(f"{API}/groups/{gw.group.slug}/co-chairs/ITA", headers=headers)
    assert ended.status_code == 204
    ended = client.delete(f"{API}/groups/{gw.group.slug}/co-chairs/FRA", headers=headers)
    assert ended.status_code == 204  # a group may be left without a co-chair
    assert client.get(f"{API}/groups/{gw.group.slug}/co-chairs").get_json() == []


def test_terms_are_renewed_and_ended_through_the_api(gw, client, api_headers):
    membership = gw.add("FRA", term_ends_on=today() + timedelta(days=10))
    db.session.commit()
    headers = api_headers(gw.staff)
    renewed = client.post(
        f"{API}/memberships/{membership.id}/term", json={"term_ends_on": None}, headers=headers
    )
    assert renewed.status_code == 200
    assert renewed.get_json()["term_ends_on"] is None
    no_term = client.post(f"{API}/memberships/{membership.id}/end-term", headers=headers)
    assert no_term.status_code == 409
    past = client.post(
        f"{API}/memberships/{membership.id}/term",
        json={"term_ends_on": "2001-01-01"},
        headers=headers,
    )
    assert past.status_code == 422
    assert "term_ends_on" in past.get_json()["errors"]


def test_the_openapi_document_describes_the_groups_api(client):
    paths = client.get(f"{API}/openapi.json").get_json()["paths"]
    for path in (
        "/api/v1/groups",
        "/api/v1/groups/{slug}",
        "/api/v1/groups/{slug}/close",
        "/api/v1/groups/{slug}/memberships",
        "/api/v1/groups/{slug}/memberships/bulk",
        "/api/v1/groups/{slug}/co-chairs",
        "/api/v1/memberships/{membership_id}/term",
    ):
        assert path in paths, path
    post = paths["/api/v1/groups/{slug}/memberships"]["post"]
    assert "term_ends_on" in str(post)
    initiatives_post = paths["/api/v1/initiatives/{slug}/memberships"]["post"]
    assert "Join or ask to join" in initiatives_post["description"]
