"""A participant's page says first where it takes part: its current initiatives and
working groups with its role in each, linked; then its history across bodies. Requests
and invitations, and the reasons given to it, are its delegates' and staff's to see."""

from __future__ import annotations

import re

import pytest
from flask_babel import refresh

from coalition.bodies import memberships
from coalition.bodies.queries import open_membership
from coalition.extensions import db
from tests.conftest import state
from tests.groups.support import gw  # noqa: F401  (fixture)
from tests.initiatives.rules_support import world  # noqa: F401  (fixture)


def _html(response) -> str:
    assert response.status_code == 200
    return response.get_data(as_text=True).replace("&#39;", "'")


def _places(html: str) -> str:
    """The "Where it takes part" section."""
    start = html.index('id="takes-part"')
    return html[start : html.index("</section>", start)]


def _words(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html))


def _viewer(gw, login_as, who: str):  # noqa: F811
    if who != "anonymous":
        login_as({"staff": gw.staff, "delegate": gw.member, "other": gw.other}[who])


def test_the_page_lists_current_bodies_with_roles_each_linked(gw, client):  # noqa: F811
    gw.add("ITA", group=gw.alliance)
    db.session.commit()
    places = _places(_html(client.get("/participants/ITA")))
    words = _words(places)
    assert f'href="/initiatives/{gw.initiative.slug}"' in places
    assert f'href="/groups/{gw.group.slug}"' in places
    assert f'href="/groups/{gw.alliance.slug}"' in places
    assert "Information and democracy — member since" in words
    assert re.search(r"Infodemic working group — member since [^—]*, co-chair", words)
    assert not re.search(r"Convening Group — member since [^—]*co-chair", words)
    # Initiatives first, then working groups, each sorted by title.
    assert words.index("Information and democracy") < words.index("Working groups")
    assert words.index("Convening Group") < words.index("Infodemic working group")


def test_a_participant_in_nothing_says_what_it_means(gw, client):  # noqa: F811
    words = _words(_places(_html(client.get("/participants/NOR"))))
    assert "Not a member of any initiative yet." in words
    assert "Not a member of any working group yet." in words
    page = _words(_html(client.get("/participants/NOR")))
    assert "No membership yet: it has not belonged to or co-chaired" in page


def test_the_places_come_before_anything_else(gw, client):  # noqa: F811
    html = _html(client.get("/participants/ITA"))
    assert html.index('id="takes-part"') < html.index("<dl>")
    assert html.index("<h1>") < html.index('id="takes-part"')


def test_in_french_the_places_use_french_words(gw, client):  # noqa: F811
    refresh()  # the world was made in this test's application context, in English
    html = _html(client.get("/participants/ITA", headers={"Accept-Language": "fr"}))
    places = _places(html)
    assert "Groupes de travail" in places
    assert "coprésident" in places
    assert 'lang="fr"' in html


SEES_REQUESTS = {"anonymous": False, "other": False, "delegate": True, "staff": True}


@pytest.mark.parametrize(("who", "sees"), SEES_REQUESTS.items())
def test_requests_and_invitations_are_for_the_participant_and_staff(
    gw,  # noqa: F811
    world,  # noqa: F811
    client,
    login_as,
    who,
    sees,
):
    """FRA asks to join one initiative and is invited to another: its delegates and
    staff see both, on the list and in the history; others do not."""
    approval = world.initiative(title="Cyber norms", policy="approval")
    memberships.join(approval, actor=gw.member)
    invitation = world.initiative(title="Digital commons", policy="invitation")
    memberships.invite(invitation, gw.fra, actor=gw.co_chair)
    db.session.commit()
    _viewer(gw, login_as, who)
    html = _html(client.get("/participants/FRA"))
    words = _words(_places(html))
    assert "Information and democracy — member since" in words  # public
    assert ("Cyber norms — request pending" in words) is sees
    assert ("Digital commons — invited" in words) is sees
    history = _words(html[html.index('id="bodies-heading"') :])
    assert ("Cyber norms" in history) is sees
    assert ("shown to this participant's delegates" in words) is sees


@pytest.mark.parametrize(("who", "sees"), SEES_REQUESTS.items())
def test_a_decline_reason_is_the_participants_a_removal_reason_public(
    gw,  # noqa: F811
    world,  # noqa: F811
    client,
    login_as,
    who,
    sees,
):
    approval = world.initiative(title="Cyber norms", policy="approval")
    request = memberships.join(approval, actor=gw.member)
    memberships.decline(request, actor=gw.co_chair, reason="Not before the ministerial.")
    memberships.remove(
        open_membership(gw.initiative, gw.fra), actor=gw.staff, reason="Dues unpaid."
    )
    db.session.commit()
    _viewer(gw, login_as, who)
    words = _words(_html(client.get("/participants/FRA")))
    assert "Dues unpaid." in words
    assert ("Not before the ministerial." in words) is sees
    # What it holds now: nothing, whoever looks.
    assert "Not a member of any initiative yet." in words


def test_the_history_says_joined_left_and_co_chaired_with_dates(gw, client):  # noqa: F811
    memberships.withdraw(open_membership(gw.initiative, state("ITA")), actor=gw.group_chair)
    db.session.commit()
    html = _html(client.get("/participants/ITA"))
    history = html[html.index('id="bodies-heading"') :]
    rows = re.findall(r"<tr>(.*?)</tr>", history, re.S)
    texts = [_words(r) for r in rows[1:]]
    assert any("Information and democracy" in t and "withdrawn" in t for t in texts)
    assert any("Infodemic working group" in t and "co-chair" in t for t in texts)
    assert f'href="/initiatives/{gw.initiative.slug}"' in history
    # Withdrawing from the initiative left the group too; ITA holds nothing now.
    assert "Not a member of any initiative yet." in _words(_places(html))


def test_the_history_is_paged(gw, client):  # noqa: F811
    html = _html(client.get("/participants/ITA?per_page=1"))
    assert "Page 1 of" in html
    assert 'rel="next"' in html
    second = _html(client.get("/participants/ITA?per_page=1&page=2"))
    assert 'rel="prev"' in second
