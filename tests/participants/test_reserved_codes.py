"""An organization's code is the last word of its page's address (/participants/<code>):
no code may be a word the site itself uses there (/participants/claim), or the
organization's page would be out of reach. The words come from the URL map, so a page
added later under /participants/ is reserved without anyone remembering to."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from coalition.extensions import db
from coalition.participants.models import Participant
from coalition.participants.services import reserved_codes
from tests.conftest import make_app
from tests.participants.test_organization_editing import VALID


def fixed_words_after_participants(app) -> set[str]:
    """Independently of the service: the URL map's fixed segments after /participants/."""
    words = set()
    for rule in app.url_map.iter_rules():
        match = re.match(r"^(?:/api/v1)?/participants/([^/<]+)", rule.rule)
        if match:
            words.add(match.group(1))
    return words


def test_every_fixed_word_under_participants_is_reserved(app, app_ctx):
    words = fixed_words_after_participants(app)
    assert "claim" in words
    assert reserved_codes() == frozenset(words)


def test_a_route_added_later_is_reserved_too():
    app = make_app("sqlite://", "/nonexistent")
    app.add_url_rule("/participants/new-thing", "new_thing", lambda: "")
    with app.app_context():
        assert "new-thing" in reserved_codes()


def _reserved_words() -> list[str]:
    app = make_app("sqlite://", "/nonexistent")
    with app.app_context():
        return sorted(reserved_codes())


@pytest.mark.parametrize("code", _reserved_words())
@pytest.mark.parametrize("spelling", [str.lower, str.upper])
def test_staff_cannot_give_an_organization_a_reserved_code(
    client, make_user, login_as, read, code, spelling
):
    login_as(make_user(staff=True))

    response = client.post("/staff/organizations/new", data={**VALID, "code": spelling(code)})

    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "part of the site&#39;s own addresses" in html
    assert 'id="code"' in html
    assert 'aria-invalid="true"' in html
    count = sa.select(sa.func.count()).where(Participant.code == code)
    assert read(lambda: db.session.scalar(count)) == 0


def test_an_organization_cannot_be_renamed_to_a_reserved_code(
    client, make_user, make_organization, login_as
):
    org = make_organization(code="icnl-2")
    login_as(make_user(staff=True))

    response = client.post(f"/participants/{org.code}/edit", data={**VALID, "code": "claim"})

    assert response.status_code == 422
    assert client.get("/participants/icnl-2").status_code == 200
