"""Only staff and the group's co-chair delegates change its membership; only staff create
and close groups and assign their co-chairs. Every role tries every act, on the pages
and through the API: the right actor succeeds, every other one is refused (login, 403 or
401) and nothing changes."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

import pytest

from coalition.bodies.terms import today
from coalition.extensions import db
from coalition.groups.models import GroupStatus, WorkingGroup
from tests.groups.support import MAY_CHANGE, ROLES, GroupWorld

API = "/api/v1"
LATER = (today() + timedelta(days=200)).isoformat()


@dataclass
class Act:
    """One act: how to send it (HTML form or JSON), who may, and what it changed."""

    html: Callable[[GroupWorld], tuple[str, dict]] | None
    api: Callable[[GroupWorld], tuple[str, str, dict]] | None
    changed: Callable[[GroupWorld], bool]
    may: frozenset[str] = frozenset(MAY_CHANGE)
    #: Prepare the world (e.g. a member to remove) before the act.
    given: Callable[[GroupWorld], None] = lambda gw: None


def _fra_membership(gw: GroupWorld) -> int:
    return gw.member_of(gw.group, "FRA").id


def _add_fra_with_term(gw: GroupWorld) -> None:
    gw.add("FRA", term_ends_on=today() + timedelta(days=20))
    db.session.commit()


def _group(gw: GroupWorld) -> WorkingGroup:
    db.session.expire_all()
    return db.session.get(WorkingGroup, gw.group.id)


ACTS = {
    "add": Act(
        html=lambda gw: (f"/groups/{gw.group.slug}/members", {"add-participant": "FRA"}),
        api=lambda gw: (
            "POST",
            f"{API}/groups/{gw.group.slug}/memberships",
            {"participant": "FRA"},
        ),
        changed=lambda gw: gw.member_of(gw.group, "FRA") is not None,
    ),
    "remove": Act(
        given=_add_fra_with_term,
        html=lambda gw: (
            f"/groups/{gw.group.slug}/memberships/{_fra_membership(gw)}/remove",
            {"remove-reason": "Rotation"},
        ),
        api=lambda gw: (
            "POST",
            f"{API}/memberships/{_fra_membership(gw)}/remove",
            {"reason": "Rotation"},
        ),
        changed=lambda gw: gw.member_of(gw.group, "FRA") is None,
    ),
    "bulk": Act(
        html=lambda gw: (
            f"/groups/{gw.group.slug}/bulk/apply",
            {"operation": "add", "codes": "FRA,icnl"},
        ),
        api=lambda gw: (
            "POST",
            f"{API}/groups/{gw.group.slug}/memberships/bulk",
            {"add": ["FRA", "icnl"]},
        ),
        changed=lambda gw: gw.active_codes(gw.group) == {"ITA", "FRA", "icnl"},
    ),
    "renew_term": Act(
        given=_add_fra_with_term,
        html=lambda gw: (
            f"/groups/{gw.group.slug}/memberships/{_fra_membership(gw)}/term",
            {"term-term_ends_on": LATER},
        ),
        api=lambda gw: (
            "POST",
            f"{API}/memberships/{_fra_membership(gw)}/term",
            {"term_ends_on": LATER},
        ),
        changed=lambda gw: gw.member_of(gw.group, "FRA").term_ends_on.isoformat() == LATER,
    ),
    "end_term": Act(
        given=_add_fra_with_term,
        html=lambda gw: (f"/groups/{gw.group.slug}/memberships/{_fra_membership(gw)}/end-term", {}),
        api=lambda gw: ("POST", f"{API}/memberships/{_fra_membership(gw)}/end-term", {}),
        changed=lambda gw: gw.member_of(gw.group, "FRA") is None,
    ),
    "edit": Act(
        html=lambda gw: (
            f"/groups/{gw.group.slug}/edit",
            {"title": "Renamed group", "seat_limit": "6", "mandate": "", "summary": ""},
        ),
        api=lambda gw: ("PATCH", f"{API}/groups/{gw.group.slug}", {"title": "Renamed group"}),
        changed=lambda gw: _group(gw).title == "Renamed group",
    ),
    "close": Act(
        may=frozenset({"staff"}),
        html=lambda gw: (f"/groups/{gw.group.slug}/close", {}),
        api=lambda gw: ("POST", f"{API}/groups/{gw.group.slug}/close", {}),
        changed=lambda gw: _group(gw).status is GroupStatus.CLOSED,
    ),
    "assign_co_chair": Act(
        may=frozenset({"staff"}),
        given=_add_fra_with_term,
        html=lambda gw: (f"/groups/{gw.group.slug}/co-chairs", {"cochair-participant": "FRA"}),
        api=lambda gw: ("POST", f"{API}/groups/{gw.group.slug}/co-chairs", {"participant": "FRA"}),
        changed=lambda gw: "FRA" in {c.participant.code for c in _co_chairs(gw)},
    ),
    "create": Act(
        may=frozenset({"staff"}),
        html=lambda gw: ("/groups/new", {"title": "Shadow group", "initiative": ""}),
        api=lambda gw: ("POST", f"{API}/groups", {"title": "Shadow group"}),
        changed=lambda gw: (
            db.session.scalar(db.select(WorkingGroup).where(WorkingGroup.slug == "shadow-group"))
            is not None
        ),
    ),
}


def _co_chairs(gw: GroupWorld):
    from coalition.bodies.queries import co_chairs_of

    db.session.expire_all()
    return co_chairs_of(gw.group)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("act", list(ACTS))
def test_on_the_pages_only_the_right_actors_change_a_group(gw, login_as, client, act, role):
    spec = ACTS[act]
    spec.given(gw)
    url, data = spec.html(gw)
    user = gw.actor(role)
    browser = login_as(user) if user is not None else client

    response = browser.post(url, data=data)

    if role in spec.may:
        assert response.status_code in (302, 303), response.get_data(as_text=True)[:500]
        assert spec.changed(gw), f"{role} could not {act}"
    else:
        expected = 302 if role == "anonymous" else 403
        assert response.status_code == expected
        if role == "anonymous":
            assert "/login" in response.headers["Location"]
        assert not spec.changed(gw), f"{role} could {act}"


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("act", list(ACTS))
def test_through_the_api_only_the_right_actors_change_a_group(gw, client, api_headers, act, role):
    spec = ACTS[act]
    spec.given(gw)
    method, url, payload = spec.api(gw)

    response = client.open(url, method=method, json=payload, headers=api_headers(gw.actor(role)))

    if role in spec.may:
        assert response.status_code in (200, 201), response.get_json()
        assert spec.changed(gw), f"{role} could not {act}"
    else:
        assert response.status_code == (401 if role == "anonymous" else 403)
        assert response.mimetype == "application/problem+json"
        assert not spec.changed(gw), f"{role} could {act}"


@pytest.mark.parametrize("role", ["anonymous", "plain", "member", "co_chair", "group_chair"])
@pytest.mark.parametrize(
    "path", ["/staff/", "/staff/rosters", "/staff/rosters.csv", "/staff/terms"]
)
def test_the_secretariats_pages_are_for_staff_only(gw, login_as, client, role, path):
    user = gw.actor(role)
    response = (login_as(user) if user else client).get(path)
    assert response.status_code == (302 if role == "anonymous" else 403)


def test_a_group_member_may_withdraw_its_own_participant(gw, login_as):
    """Leaving is the member's own act (as in any body); adding and removing others is not."""
    membership_id = gw.add("FRA").id
    db.session.commit()
    response = login_as(gw.member).post(
        f"/groups/{gw.group.slug}/memberships/{membership_id}/withdraw"
    )
    assert response.status_code == 303
    assert gw.member_of(gw.group, "FRA") is None
