"""The initiatives JSON API: the same rules through /api/v1, with problem+json refusals."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from coalition.audit.models import AuditEvent
from coalition.bodies import memberships
from coalition.bodies.models import CoChair, JoinPolicy, Membership, MembershipStatus
from coalition.db import utcnow
from coalition.extensions import db
from coalition.initiatives.models import Axis, Initiative, InitiativeStatus
from tests.initiatives import rules_support
from tests.initiatives.rules_support import ROLES, event_count, membership_state

world = rules_support.world  # fixture
api_headers = rules_support.api_headers  # fixture

API = "/api/v1"


def problem(response, status):
    assert response.status_code == status, response.get_json()
    assert response.mimetype == "application/problem+json"
    body = response.get_json()
    assert body["status"] == status
    assert body["detail"]
    return body


# -- reading -------------------------------------------------------------------------------------


def test_the_directory_lists_initiatives_with_co_chairs_and_counts(world, client):
    initiative = world.initiative(seat_limit=20)
    memberships.join(initiative, actor=world.member)
    world.initiative(title="Treaty law", axis="international_law", activate=False)
    db.session.commit()

    response = client.get(f"{API}/initiatives")
    assert response.status_code == 200
    body = response.get_json()
    assert (body["page"], body["per_page"], body["total"]) == (1, 50, 2)
    item = next(i for i in body["items"] if i["slug"] == "cyber-norms")
    assert item == {
        "slug": "cyber-norms",
        "title": "Cyber norms",
        "summary": "Norms of responsible state behaviour in cyberspace.",
        "language": "en",
        "titles": {"en": "Cyber norms", "fr": None},
        "summaries": {"en": "Norms of responsible state behaviour in cyberspace.", "fr": None},
        "axis": "governance_gaps",
        "status": "active",
        "join_policy": "open",
        "seat_limit": 20,
        "launched_on": initiative.launched_on.isoformat(),
        "member_count": 2,
        "co_chairs": ["GHA"],
    }


def test_the_directory_filters_by_axis_status_and_words(world, client):
    world.initiative(title="Cyber norms", axis="governance_gaps")
    world.initiative(title="Treaty law", axis="international_law", activate=False)
    world.initiative(title="Reform of the Council", axis="institutional_reform")
    db.session.commit()

    def slugs(query):
        response = client.get(f"{API}/initiatives?{query}")
        assert response.status_code == 200
        return sorted(i["slug"] for i in response.get_json()["items"])

    assert slugs("axis=international_law") == ["treaty-law"]
    assert slugs("status=active") == ["cyber-norms", "reform-of-the-council"]
    assert slugs("q=COUNCIL") == ["reform-of-the-council"]
    assert slugs("q=100%25") == []
    assert slugs("axis=governance_gaps&status=proposed") == []


@pytest.mark.parametrize("query", ["axis=peace", "status=dormant"])
def test_the_directory_refuses_unknown_filters(world, client, query):
    body = problem(client.get(f"{API}/initiatives?{query}"), 422)
    assert query.split("=")[0] in body["errors"]


def test_one_initiative_and_an_unknown_slug(world, client):
    world.initiative()
    db.session.commit()
    body = client.get(f"{API}/initiatives/cyber-norms").get_json()
    assert body["proposed_by"] == "GHA"
    assert body["activated_at"].endswith("+00:00")
    assert body["description"] == ""
    problem(client.get(f"{API}/initiatives/nothing-here"), 404)


def test_the_directory_runs_the_same_queries_for_5_or_200_initiatives(world, client, count_queries):
    def create(n, start):
        for i in range(start, start + n):
            initiative = Initiative(
                slug=f"initiative-{i}",
                title=f"Initiative {i}",
                summary="A summary.",
                axis=Axis.GOVERNANCE_GAPS,
                join_policy=JoinPolicy.OPEN,
                status=InitiativeStatus.ACTIVE,
                activated_at=utcnow(),
            )
            db.session.add(initiative)
            db.session.flush()
            db.session.add(CoChair(body_id=initiative.id, participant_id=world.gha.id))
        db.session.commit()

    create(5, 0)
    with count_queries() as few:
        response = client.get(f"{API}/initiatives?per_page=200")
    assert len(response.get_json()["items"]) == 5
    create(195, 5)
    with count_queries() as many:
        response = client.get(f"{API}/initiatives?per_page=200")
    items = response.get_json()["items"]
    assert len(items) == 200
    assert all(i["co_chairs"] == ["GHA"] for i in items)
    assert many.count == few.count <= 4


def test_the_membership_list_runs_the_same_queries_for_any_number(
    world, client, count_queries, make_user
):
    initiative = world.initiative()
    memberships.join(initiative, actor=world.member)
    db.session.commit()
    with count_queries() as few:
        client.get(f"{API}/initiatives/cyber-norms/memberships")
    for code in ("DEU", "ITA", "ESP", "PRT", "BRA", "CHL", "KEN", "JPN"):
        memberships.add_member(initiative, services_state(code), actor=world.staff)
    db.session.commit()
    with count_queries() as many:
        response = client.get(f"{API}/initiatives/cyber-norms/memberships")
    assert response.get_json()["total"] == 10
    assert many.count == few.count


def services_state(code):
    from tests.conftest import state

    return state(code)


def test_memberships_are_listed_with_participant_role_status_and_since(world, client):
    initiative = world.initiative(policy="approval")
    memberships.join(initiative, actor=world.member)
    db.session.commit()
    body = client.get(f"{API}/initiatives/cyber-norms/memberships?status=active").get_json()
    assert body["total"] == 1
    (item,) = body["items"]
    assert item["participant"] == {"code": "GHA", "name": "Ghana", "kind": "state"}
    assert (item["role"], item["status"]) == ("member", "active")
    assert item["since"].endswith("+00:00")
    assert isinstance(item["id"], int)
    pending = client.get(f"{API}/initiatives/cyber-norms/memberships?status=pending").get_json()
    assert [i["participant"]["code"] for i in pending["items"]] == ["FRA"]
    assert pending["items"][0]["since"] is None
    problem(client.get(f"{API}/initiatives/cyber-norms/memberships?status=lost"), 422)


# -- proposing and editing -----------------------------------------------------------------------


def test_a_delegate_proposes_through_the_api(world, client, api_headers):
    response = client.post(
        f"{API}/initiatives",
        json={
            "title": "Oceans",
            "summary": "The high seas.",
            "axis": "governance_gaps",
            "join_policy": "approval",
            "seat_limit": 12,
            "launched_on": "2026-09-24",
        },
        headers=api_headers(world.co_chair),
    )
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert (body["slug"], body["status"], body["co_chairs"], body["member_count"]) == (
        "oceans",
        "proposed",
        ["GHA"],
        1,
    )
    assert body["launched_on"] == "2026-09-24"


@pytest.mark.parametrize(
    ("field", "value"), [("axis", "peace"), ("join_policy", "lottery"), ("seat_limit", 0)]
)
def test_proposing_with_invalid_values_is_422_naming_the_field(
    world, client, api_headers, field, value
):
    data = {"title": "Oceans", "summary": "Seas.", "axis": "governance_gaps", "join_policy": "open"}
    data[field] = value
    response = client.post(f"{API}/initiatives", json=data, headers=api_headers(world.co_chair))
    assert field in problem(response, 422)["errors"]
    assert db.session.scalar(sa.select(sa.func.count(Initiative.id))) == 0


def test_a_taken_slug_is_409_on_the_slug_field(world, client, api_headers):
    """A slug already taken conflicts with current state (409, as API.md says)."""
    world.initiative()
    db.session.commit()
    data = {
        "title": "Oceans",
        "summary": "Seas.",
        "axis": "governance_gaps",
        "join_policy": "open",
        "slug": "cyber-norms",
    }
    response = client.post(f"{API}/initiatives", json=data, headers=api_headers(world.co_chair))
    assert "slug" in problem(response, 409)["errors"]


@pytest.mark.parametrize(
    ("slug", "status"), [("new", 409), ("propose", 409), ("Cyber_Norms", 422), (" x ", 422)]
)
def test_a_reserved_slug_is_taken_and_a_malformed_one_invalid(
    world, client, api_headers, slug, status
):
    """/initiatives/new is a page of the site: its address is taken (409); the API takes a
    slug as the document's pattern describes it, or refuses it (422)."""
    data = {
        "title": "Oceans",
        "summary": "Seas.",
        "axis": "governance_gaps",
        "join_policy": "open",
        "slug": slug,
    }
    response = client.post(f"{API}/initiatives", json=data, headers=api_headers(world.co_chair))
    assert "slug" in problem(response, status)["errors"]
    assert db.session.scalar(sa.select(sa.func.count(Initiative.id))) == 0


def test_a_blank_title_is_422_as_the_document_says(world, client, api_headers):
    data = {"title": " \u00a0\t", "summary": "Seas.", "axis": "governance_gaps"}
    data["join_policy"] = "open"
    response = client.post(f"{API}/initiatives", json=data, headers=api_headers(world.co_chair))
    assert "title" in problem(response, 422)["errors"]


@pytest.mark.parametrize(("role", "status"), [("anonymous", 401), ("plain", 403), ("member", 403)])
def test_proposing_needs_an_endorsing_state(world, client, api_headers, role, status):
    data = {"title": "Oceans", "summary": "Seas.", "axis": "governance_gaps", "join_policy": "open"}
    response = client.post(f"{API}/initiatives", json=data, headers=api_headers(world.actor(role)))
    problem(response, status)
    assert db.session.scalar(sa.select(sa.func.count(Initiative.id))) == 0


def test_a_write_without_a_token_is_401_whatever_its_body(client):
    """The token is checked before the body is read: an anonymous write is 401, not 422;
    a method the route does not take stays 405, and an unknown route 404."""
    problem(client.post(f"{API}/initiatives", json=["not", "an", "object"]), 401)
    problem(client.post(f"{API}/memberships/1/remove", json={}), 401)
    not_here = client.post(f"{API}/participants")
    problem(not_here, 405)
    assert "GET" in not_here.headers["Allow"]
    problem(client.post(f"{API}/no-such-thing"), 404)


def test_a_bad_token_is_401(world, client):
    response = client.post(
        f"{API}/initiatives/cyber-norms/memberships",
        headers={"Authorization": "Bearer nope"},
    )
    problem(response, 401)


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("anonymous", 401),
        ("plain", 403),
        ("other", 403),
        ("member", 403),
        ("co_chair", 200),
        ("staff", 200),
    ],
)
def test_editing_through_the_api(world, client, api_headers, role, status):
    world.initiative()
    db.session.commit()
    response = client.patch(
        f"{API}/initiatives/cyber-norms",
        json={"summary": "New summary.", "results": "A declaration."},
        headers=api_headers(world.actor(role)),
    )
    assert response.status_code == status
    summary = db.session.scalar(
        sa.select(Initiative.summary).where(Initiative.slug == "cyber-norms")
    )
    assert (summary == "New summary.") is (status == 200)


@pytest.mark.parametrize("body", [None, {}])
def test_editing_with_no_body_changes_nothing(world, client, api_headers, body):
    """The document marks PATCH's body optional: without one, nothing changes (200)."""
    world.initiative()
    db.session.commit()
    headers = api_headers(world.co_chair)
    events = event_count()
    response = client.patch(f"{API}/initiatives/cyber-norms", json=body, headers=headers)
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["summary"] == "Norms of responsible state behaviour in cyberspace."
    assert event_count() == events


def test_editing_the_seat_limit_below_the_members_is_a_409_conflict(world, client, api_headers):
    initiative = world.initiative()
    memberships.join(initiative, actor=world.member)
    db.session.commit()
    response = client.patch(
        f"{API}/initiatives/cyber-norms", json={"seat_limit": 1}, headers=api_headers(world.staff)
    )
    assert "seat_limit" in problem(response, 409)["errors"]


@pytest.mark.parametrize(
    ("role", "status"), [("anonymous", 401), ("co_chair", 403), ("staff", 200)]
)
def test_only_staff_activate_and_conclude(world, client, api_headers, role, status):
    world.initiative(activate=False)
    db.session.commit()
    headers = api_headers(world.actor(role))
    response = client.post(f"{API}/initiatives/cyber-norms/activate", headers=headers)
    assert response.status_code == status
    if status == 200:
        assert response.get_json()["status"] == "active"
        problem(client.post(f"{API}/initiatives/cyber-norms/activate", headers=headers), 409)
        response = client.post(f"{API}/initiatives/cyber-norms/conclude", headers=headers)
        assert response.get_json()["status"] == "concluded"
        assert response.get_json()["concluded_at"].endswith("+00:00")
    else:
        stored = db.session.scalar(
            sa.select(Initiative.status).where(Initiative.slug == "cyber-norms")
        )
        assert stored is InitiativeStatus.PROPOSED


# -- memberships ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("policy", "expected"), [("open", "active"), ("approval", "pending")])
def test_the_caller_joins_or_requests_with_no_body(world, client, api_headers, policy, expected):
    world.initiative(policy=policy)
    db.session.commit()
    url = f"{API}/initiatives/cyber-norms/memberships"
    response = client.post(url, headers=api_headers(world.member))
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert (body["status"], body["participant"]["code"], body["role"]) == (
        expected,
        "FRA",
        "member",
    )
    again = client.post(url, json={}, headers=api_headers(world.member))
    assert "already" in problem(again, 409)["detail"]


def test_joining_by_invitation_only_or_a_proposal_is_409(world, client, api_headers):
    world.initiative(policy="invitation")
    world.initiative(title="Draft", activate=False)
    db.session.commit()
    for slug in ("cyber-norms", "draft"):
        response = client.post(
            f"{API}/initiatives/{slug}/memberships", headers=api_headers(world.member)
        )
        problem(response, 409)


def test_joining_an_unknown_initiative_is_404_and_anonymous_is_401(world, client, api_headers):
    problem(
        client.post(f"{API}/initiatives/nothing/memberships", headers=api_headers(world.member)),
        404,
    )
    world.initiative()
    db.session.commit()
    problem(client.post(f"{API}/initiatives/cyber-norms/memberships"), 401)
    problem(
        client.post(f"{API}/initiatives/cyber-norms/memberships", headers=api_headers(world.plain)),
        403,
    )


@pytest.mark.parametrize(
    ("role", "direct", "status", "created"),
    [
        ("co_chair", False, 201, "invited"),
        ("staff", False, 201, "invited"),
        ("staff", True, 201, "active"),
        ("co_chair", True, 403, None),
        ("other", False, 403, None),
        ("member", False, 403, None),
        ("plain", False, 403, None),
        ("anonymous", False, 401, None),
    ],
)
def test_naming_a_participant_invites_or_adds_it(
    world, client, api_headers, role, direct, status, created
):
    world.initiative(policy="invitation")
    db.session.commit()
    response = client.post(
        f"{API}/initiatives/cyber-norms/memberships",
        json={"participant": "FRA", "direct": direct, "message": "Welcome"},
        headers=api_headers(world.actor(role)),
    )
    assert response.status_code == status
    stored = db.session.scalar(
        sa.select(Membership.status)
        .join(Initiative, Initiative.id == Membership.body_id)
        .where(Initiative.slug == "cyber-norms", Membership.participant_id == world.fra.id)
    )
    assert stored == (MembershipStatus(created) if created else None)


def test_naming_an_unknown_participant_is_404(world, client, api_headers):
    world.initiative()
    db.session.commit()
    response = client.post(
        f"{API}/initiatives/cyber-norms/memberships",
        json={"participant": "XYZ"},
        headers=api_headers(world.co_chair),
    )
    problem(response, 404)


# The membership actions, each allowed to its actor only (invariant 7 through the API).
ENDPOINTS = {
    "approve": ("pending", {"co_chair", "staff"}, "active"),
    "decline": ("pending", {"co_chair", "staff"}, "declined"),
    "cancel": ("pending", {"member"}, "cancelled"),
    "accept": ("invited", {"member"}, "active"),
    "revoke": ("invited", {"co_chair", "staff"}, "revoked"),
    "withdraw": ("active", {"member"}, "withdrawn"),
    "remove": ("active", {"staff"}, "removed"),
}


def _fra_membership(world, start):
    if start == "active":
        return memberships.join(world.initiative(policy="open"), actor=world.member)
    initiative = world.initiative(policy="approval")
    if start == "pending":
        return memberships.join(initiative, actor=world.member)
    return memberships.invite(initiative, world.fra, actor=world.co_chair)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", sorted(ENDPOINTS))
def test_membership_action_matrix_through_the_api(world, client, api_headers, action, role):
    start, allowed, new = ENDPOINTS[action]
    membership = _fra_membership(world, start)
    db.session.commit()
    headers = api_headers(world.actor(role))
    before, events = membership_state(membership.id), event_count()
    response = client.post(
        f"{API}/memberships/{membership.id}/{action}", json={"reason": "Because"}, headers=headers
    )
    if role in allowed:
        assert response.status_code == 200, response.get_json()
        assert response.get_json()["status"] == new
        assert membership_state(membership.id)[0] is MembershipStatus(new)
        assert event_count() == events + 1
    else:
        problem(response, 401 if role == "anonymous" else 403)
        assert membership_state(membership.id) == before
        assert event_count() == events


def test_the_invitee_declines_its_invitation_through_decline(world, client, api_headers):
    initiative = world.initiative(policy="invitation")
    membership = memberships.invite(initiative, world.fra, actor=world.co_chair)
    db.session.commit()
    problem(
        client.post(f"{API}/memberships/{membership.id}/decline", headers=api_headers(world.other)),
        403,
    )
    response = client.post(
        f"{API}/memberships/{membership.id}/decline", headers=api_headers(world.member)
    )
    assert response.status_code == 200
    assert response.get_json()["status"] == "declined"
    action = db.session.scalar(
        sa.select(AuditEvent.action)
        .where(AuditEvent.object_id == membership.id)
        .order_by(AuditEvent.id.desc())
        .limit(1)
    )
    assert action == "membership.decline_invitation"


def test_deciding_twice_is_409_and_removing_needs_a_reason(world, client, api_headers):
    initiative = world.initiative(policy="approval")
    membership = memberships.join(initiative, actor=world.member)
    db.session.commit()
    headers = api_headers(world.co_chair)
    assert (
        client.post(f"{API}/memberships/{membership.id}/approve", headers=headers).status_code
        == 200
    )
    body = problem(client.post(f"{API}/memberships/{membership.id}/decline", headers=headers), 409)
    assert "already been decided" in body["detail"]
    response = client.post(
        f"{API}/memberships/{membership.id}/remove", json={}, headers=api_headers(world.staff)
    )
    assert "reason" in problem(response, 422)["errors"]
    problem(client.post(f"{API}/memberships/999999/approve", headers=headers), 404)


def test_a_delegate_can_never_act_for_another_participant(world, client, api_headers):
    """Invariant 7: the participant comes from the verified representation, never the request."""
    initiative = world.initiative(policy="open")
    fra = memberships.join(initiative, actor=world.member)
    db.session.commit()
    headers = api_headers(world.other)
    before, events = membership_state(fra.id), event_count()
    for action in ("withdraw", "cancel", "accept", "decline", "remove", "approve", "revoke"):
        response = client.post(
            f"{API}/memberships/{fra.id}/{action}", json={"reason": "Mine now"}, headers=headers
        )
        problem(response, 403)
    # Naming FRA while joining does not make DEU's delegate act for FRA: it is an invitation,
    # which only co-chairs and staff may send.
    problem(
        client.post(
            f"{API}/initiatives/cyber-norms/memberships",
            json={"participant": "FRA"},
            headers=headers,
        ),
        403,
    )
    assert membership_state(fra.id) == before
    assert event_count() == events


# -- co-chairs -----------------------------------------------------------------------------------


def test_co_chairs_are_listed_assigned_and_ended_by_staff(world, client, api_headers):
    initiative = world.initiative()
    memberships.join(initiative, actor=world.member)
    db.session.commit()
    url = f"{API}/initiatives/cyber-norms/co-chairs"
    assert [c["participant"]["code"] for c in client.get(url).get_json()] == ["GHA"]

    problem(client.post(url, json={"participant": "FRA"}), 401)
    problem(client.post(url, json={"participant": "FRA"}, headers=api_headers(world.co_chair)), 403)
    response = client.post(url, json={"participant": "FRA"}, headers=api_headers(world.staff))
    assert response.status_code == 201
    assert response.get_json()["started_at"].endswith("+00:00")
    problem(client.post(url, json={"participant": "FRA"}, headers=api_headers(world.staff)), 409)
    problem(client.post(url, json={"participant": "DEU"}, headers=api_headers(world.staff)), 409)
    assert [c["participant"]["code"] for c in client.get(url).get_json()] == ["GHA", "FRA"]

    problem(client.delete(f"{url}/GHA", headers=api_headers(world.co_chair)), 403)
    assert client.delete(f"{url}/GHA", headers=api_headers(world.staff)).status_code == 204
    problem(client.delete(f"{url}/FRA", headers=api_headers(world.staff)), 409)
    assert [c["participant"]["code"] for c in client.get(url).get_json()] == ["FRA"]


def test_the_openapi_document_describes_the_initiatives_api(client):
    paths = client.get(f"{API}/openapi.json").get_json()["paths"]
    for path in (
        "/api/v1/initiatives",
        "/api/v1/initiatives/{slug}",
        "/api/v1/initiatives/{slug}/memberships",
        "/api/v1/memberships/{membership_id}/approve",
        "/api/v1/initiatives/{slug}/co-chairs/{code}",
    ):
        assert path in paths
