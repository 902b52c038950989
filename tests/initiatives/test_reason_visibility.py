"""Who reads the reasons given for a membership decision.

A removal's reason is public: the removal form says so, and the public history shows it.
A declined request's reason is "shown to the participant": its delegates read it, as do
the body's co-chairs and staff, and no one else — not in the API (one membership or a
list), not in the public history.
"""

from __future__ import annotations

import pytest

from coalition.bodies import memberships
from coalition.extensions import db
from tests.initiatives import rules_support

world = rules_support.world  # fixture
api_headers = rules_support.api_headers  # fixture

DECLINED = "Not before the ministerial meeting."
REMOVED = "Sanctioned by the Council."
#: Viewer → whether a decline's reason is theirs to read.
READS_DECLINE = {
    "anonymous": False,
    "plain": False,
    "other": False,
    "org_user": False,
    "member": True,
    "co_chair": True,
    "staff": True,
}


@pytest.fixture
def decided(world):
    """FRA's request declined with a reason; DEU added, then removed with a reason."""
    initiative = world.initiative(policy="approval")
    declined = memberships.join(initiative, actor=world.member)
    memberships.decline(declined, actor=world.co_chair, reason=DECLINED)
    removed = memberships.add_member(initiative, world.deu, actor=world.staff)
    memberships.remove(removed, actor=world.staff, reason=REMOVED)
    db.session.commit()
    return initiative, declined.id, removed.id


@pytest.mark.parametrize(("viewer", "reads"), READS_DECLINE.items())
def test_a_decline_reason_in_the_api_is_for_the_participant_co_chairs_and_staff_only(
    client, world, api_headers, decided, viewer, reads
):
    initiative, declined_id, removed_id = decided
    headers = api_headers(world.actor(viewer))

    one = client.get(f"/api/v1/memberships/{declined_id}", headers=headers).get_json()
    listed = client.get(
        f"/api/v1/initiatives/{initiative.slug}/memberships", headers=headers
    ).get_json()["items"]

    assert one["status"] == "declined"
    assert one["reason"] == (DECLINED if reads else None)
    by_id = {m["id"]: m for m in listed}
    assert by_id[declined_id]["reason"] == (DECLINED if reads else None)
    # A removal's reason is public.
    assert by_id[removed_id]["reason"] == REMOVED
    assert (
        client.get(f"/api/v1/memberships/{removed_id}", headers=headers).get_json()["reason"]
        == REMOVED
    )


@pytest.mark.parametrize(("viewer", "reads"), READS_DECLINE.items())
def test_the_public_history_shows_a_decline_reason_only_to_those_who_may_read_it(
    client, world, login_as, decided, viewer, reads
):
    initiative, _declined, _removed = decided
    user = world.actor(viewer)
    if user is not None:
        login_as(user)

    page = client.get(f"/initiatives/{initiative.slug}/history").get_data(as_text=True)

    assert "was declined" in page
    assert (DECLINED in page) is reads
    assert REMOVED in page


def test_the_history_page_still_runs_a_bounded_number_of_queries(
    client, world, login_as, count_queries
):
    """Reading who may see each reason costs no query per row."""
    initiative = world.initiative(policy="approval")

    def declined_request(delegate) -> None:
        request = memberships.join(initiative, actor=delegate)
        memberships.decline(request, actor=world.co_chair, reason="No.")
        db.session.commit()

    declined_request(world.member)
    login_as(world.member)
    with count_queries() as one:
        client.get(f"/initiatives/{initiative.slug}/history")
    declined_request(world.other)
    declined_request(world.org_user)
    with count_queries() as three:
        client.get(f"/initiatives/{initiative.slug}/history")
    assert three.count == one.count
