"""The public history names whom the actor spoke for — "approved by Ghana as co-chair" —
and links the participants it names to their pages; never a person."""

from __future__ import annotations

import re

from flask_babel import refresh

from coalition.bodies import memberships
from coalition.extensions import db
from tests.initiatives import rules_support

world = rules_support.world  # fixture


def _words(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html)).replace("&#39;", "'")


def test_a_co_chairs_approval_names_its_state_as_co_chair(client, world):
    initiative = world.initiative(policy="approval")
    request = memberships.join(initiative, actor=world.member)
    memberships.approve(request, actor=world.co_chair)
    db.session.commit()
    html = client.get(f"/initiatives/{initiative.slug}/history").get_data(as_text=True)
    words = _words(html)
    assert "The request of France was approved by Ghana as co-chair: it joined." in words
    assert "France asked to join." in words  # its own delegate: nobody else to name
    assert 'href="/participants/GHA">Ghana</a> as co-chair' in html
    assert 'href="/participants/FRA">France</a></th>' in html  # the participant column
    assert "France delegate" not in words
    assert "Ghana delegate" not in words


def test_in_french_the_acting_participant_is_named_too(client, world):
    initiative = world.initiative(policy="invitation")
    memberships.invite(initiative, world.fra, actor=world.co_chair)
    db.session.commit()
    refresh()  # the world was made in this test's application context, in English
    html = client.get(
        f"/initiatives/{initiative.slug}/history", headers={"Accept-Language": "fr"}
    ).get_data(as_text=True)
    assert 'lang="fr"' in html
    assert 'href="/participants/GHA">Ghana</a>' in html
    assert 'href="/participants/FRA">France</a>' in html


def test_staff_acting_for_no_participant_are_not_named(client, world):
    initiative = world.initiative(policy="approval")
    memberships.add_member(initiative, world.fra, actor=world.staff)
    db.session.commit()
    words = _words(client.get(f"/initiatives/{initiative.slug}/history").get_data(as_text=True))
    assert "France was added as a member." in words
    assert "Staff" not in words


def test_staff_speaking_for_a_state_that_does_not_co_chair_are_not_named(client, world, make_user):
    """Staff who also speak for a state act as the Secretariat where that state does not
    co-chair: the history does not lend the act to their state."""
    initiative = world.initiative(policy="approval")
    staff_of_deu = db.session.merge(make_user(staff=True, represent="DEU"))
    memberships.add_member(initiative, world.fra, actor=staff_of_deu)
    db.session.commit()
    words = _words(client.get(f"/initiatives/{initiative.slug}/history").get_data(as_text=True))
    assert "France was added as a member" in words
    assert "Germany" not in words
    assert "as co-chair" not in words


def test_a_groups_history_links_its_participants(client, world):
    from coalition.groups import services as groups

    group = groups.create_group(actor=world.staff, title="Convening Group", seat_limit=16)
    memberships.add_member(group, world.fra, actor=world.staff)
    db.session.commit()
    html = client.get(f"/groups/{group.slug}/history").get_data(as_text=True)
    assert 'href="/participants/FRA">France</a>' in html
