"""Text people type is cleaned once, at the service boundary, whichever way it comes in.

Single-line values (names, titles, positions, acronyms, token names, websites) end up in
mail subjects, CSV cells and HTML attributes: line breaks (\\r, \\n, U+2028) become
spaces and other control characters (U+0001, U+0008, U+007F) go. Multi-line values
(descriptions, reasons) keep their line breaks, as \\n, and lose the other controls.
Each field is sent through its HTML form or the API, and read back from the database.
"""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from coalition.accounts.models import ApiToken, User
from coalition.bodies.models import Membership
from coalition.extensions import db
from coalition.initiatives.models import Initiative
from coalition.participants.models import Participant
from coalition.representations.models import Representation
from tests.conftest import PASSWORD
from tests.initiatives import rules_support
from tests.participants.test_organization_editing import VALID as ORGANIZATION

world = rules_support.world  # fixture
api_headers = rules_support.api_headers  # fixture

#: What the audit found accepted raw: (character, what a single line makes of it).
HOSTILE = [("\n", " "), ("\r", " "), ("\r\n", " "), ("\u2028", " "), ("\u0001", ""),
           ("\u0008", ""), ("\u007f", "")]  # fmt: skip
#: And in multi-line text.
MULTI = {"\n": "\n", "\r": "\n", "\r\n": "\n", "\u2028": "\n", "\u0001": "", "\u0008": "",
         "\u007f": ""}  # fmt: skip

CONTROLS = {chr(c) for c in [*range(0x20), 0x7F]} | {"\u2028", "\u2029", "\x85"}


def single(text: str) -> None:
    assert not set(text) & CONTROLS, repr(text)


def multi(text: str) -> None:
    assert not set(text) & (CONTROLS - {"\n", "\t"}), repr(text)


def _scalar(read, stmt):
    return read(lambda: db.session.scalar(stmt))


# -- single-line fields, through their forms ----------------------------------------------


@pytest.mark.parametrize(("char", "becomes"), HOSTILE)
def test_a_name_given_at_registration_is_one_clean_line(client, read, char, becomes):
    response = client.post(
        "/register",
        data={
            "name": f"Ama{char}Mensah",
            "email": "ama@example.org",
            "password": PASSWORD,
            "confirm": PASSWORD,
        },
    )
    assert response.status_code == 302
    name = _scalar(read, sa.select(User.name).where(User.email == "ama@example.org"))
    assert name == f"Ama{becomes}Mensah"
    single(name)


@pytest.mark.parametrize(("char", "becomes"), HOSTILE)
def test_a_name_changed_on_the_account_page_is_one_clean_line(
    client, login_as, make_user, read, char, becomes
):
    user = make_user()
    login_as(user)
    response = client.post(
        "/account",
        data={"action": "preferences", "prefs-name": f"Kofi{char}Annan", "prefs-locale": ""},
    )
    assert response.status_code == 302
    assert _scalar(read, sa.select(User.name).where(User.id == user.id)) == f"Kofi{becomes}Annan"


@pytest.mark.parametrize(("char", "becomes"), HOSTILE)
def test_an_api_token_name_is_one_clean_line(client, login_as, make_user, read, char, becomes):
    user = make_user()
    login_as(user)
    response = client.post("/account", data={"action": "token", "token-name": f"sync{char}script"})
    assert response.status_code == 200
    name = _scalar(read, sa.select(ApiToken.name).where(ApiToken.user_id == user.id))
    assert name == f"sync{becomes}script"


@pytest.mark.parametrize(("char", "becomes"), HOSTILE)
def test_an_organizations_single_line_fields_are_clean_and_its_description_keeps_its_lines(
    client, login_as, make_user, read, char, becomes
):
    login_as(make_user(staff=True))
    response = client.post(
        "/staff/organizations/new",
        data={
            **ORGANIZATION,
            "name": f"Center{char}for Law",
            "acronym": f"IC{char}NL",
            "website": f"https://www.icnl.org/{char}",
            "description": f"First line.{char}Second line.",
        },
    )
    assert response.status_code == 303
    org = read(
        lambda: db.session.scalars(sa.select(Participant).where(Participant.code == "icnl")).one()
    )
    assert org.name == f"Center{becomes}for Law"
    assert org.acronym == f"IC{becomes}NL"
    single(org.website)
    assert org.description == f"First line.{MULTI[char]}Second line."
    page = client.get("/participants/icnl").get_data(as_text=True)
    single(page.replace("\n", "").replace("\t", "").replace("\r", ""))


@pytest.mark.parametrize(("char", "becomes"), HOSTILE)
def test_the_position_given_in_a_claim_is_one_clean_line(
    client, login_as, make_user, read, char, becomes
):
    user = make_user()
    login_as(user)
    response = client.post(
        "/participants/claim",
        data={"participant": "GHA", "role": "delegate", "position": f"Counsellor{char}Mission"},
    )
    assert response.status_code in (302, 303)
    position = _scalar(
        read, sa.select(Representation.position).where(Representation.user_id == user.id)
    )
    assert position == f"Counsellor{becomes}Mission"


@pytest.mark.parametrize("char", list(MULTI))
def test_a_rejection_reason_keeps_its_lines_and_loses_other_controls(
    client, login_as, make_user, read, char
):
    claimant = make_user()
    login_as(claimant).post("/participants/claim", data={"participant": "GHA", "role": "delegate"})
    rep_id = _scalar(
        read, sa.select(Representation.id).where(Representation.user_id == claimant.id)
    )
    login_as(make_user(staff=True))
    response = client.post(
        f"/staff/representations/{rep_id}/reject", data={"reason": f"Unknown{char}to the mission."}
    )
    assert response.status_code in (302, 303)
    reason = _scalar(read, sa.select(Representation.reason).where(Representation.id == rep_id))
    assert reason == f"Unknown{MULTI[char]}to the mission."


@pytest.mark.parametrize(("char", "becomes"), HOSTILE)
def test_an_initiative_title_proposed_in_the_form_is_one_clean_line(
    world, login_as, read, char, becomes
):
    rules_support.endorse(world.fra)
    db.session.commit()
    response = login_as(world.member).post(
        "/initiatives/propose",
        data={
            "title": f"Ocean{char}Governance",
            "summary": "Seas.",
            "axis": "governance_gaps",
            "join_policy": "open",
        },
    )
    assert response.status_code in (302, 303)
    title = _scalar(read, sa.select(Initiative.title).order_by(Initiative.id.desc()).limit(1))
    assert title == f"Ocean{becomes}Governance"


# -- through the API --------------------------------------------------------------------------


@pytest.mark.parametrize(("char", "becomes"), HOSTILE)
def test_an_initiative_title_sent_to_the_api_is_one_clean_line(
    client, world, api_headers, char, becomes
):
    rules_support.endorse(world.fra)
    db.session.commit()
    response = client.post(
        "/api/v1/initiatives",
        json={
            "title": f"Ocean{char}Governance",
            "summary": f"Seas{char}and more.",
            "axis": "governance_gaps",
            "join_policy": "open",
        },
        headers=api_headers(world.member),
    )
    assert response.status_code == 201
    assert response.get_json()["title"] == f"Ocean{becomes}Governance"
    multi(response.get_json()["summary"])


@pytest.mark.parametrize("char", list(MULTI))
def test_a_decline_reason_sent_to_the_api_keeps_its_lines_only(client, world, api_headers, char):
    initiative = world.initiative(policy="approval")
    db.session.commit()
    joined = client.post(
        f"/api/v1/initiatives/{initiative.slug}/memberships",
        json={"message": f"Please{char}let us in."},
        headers=api_headers(world.member),
    )
    assert joined.status_code == 201
    membership_id = joined.get_json()["id"]
    response = client.post(
        f"/api/v1/memberships/{membership_id}/decline",
        json={"reason": f"Not{char}now."},
        headers=api_headers(world.co_chair),
    )
    assert response.status_code == 200
    assert response.get_json()["reason"] == f"Not{MULTI[char]}now."
    message = db.session.scalar(sa.select(Membership.message).where(Membership.id == membership_id))
    assert message == f"Please{MULTI[char]}let us in."
