"""Every page, public or behind a login, is well-formed, labelled and CSP-clean.

One test per page and language: the page answers 200; its HTML parses without a single
error in html5lib's strict mode (unclosed or misnested tags fail); it has exactly one
<h1>; every visible form control has a label; it carries no inline style or script
(the Content-Security-Policy would block them); the CSP header is sent without
'unsafe-inline'; and <html lang> follows the reader's language.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from xml.etree.ElementTree import Element

import html5lib
import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from coalition.accounts.models import User
from coalition.extensions import db
from tests.conftest import state

PUBLIC_PAGES = [
    "/",
    "/participants",
    "/participants/GHA",
    "/alliance",
    "/initiatives",
    "/groups",
    "/groups/convening-group",
    "/groups/convening-group/history",
    "/matrix",
    "/data/",
    "/login",
    "/register",
    "/planner",
    "/planner?participants=GHA,SAU,CAN,NPL&date=2026-03-06&days=2",
    "/timezone",
]
DELEGATE_PAGES = ["/account", "/dashboard", "/notifications"]
STAFF_PAGES = [
    "/staff/",
    "/staff/representations",
    "/staff/audit",
    "/staff/mail",
    "/staff/rosters",
    "/staff/terms",
    "/groups/new",
    "/groups/convening-group/edit",
    "/groups/convening-group/bulk",
    "/groups/convening-group?as=staff",
]

PAGES = (
    [pytest.param("public", path, id=path) for path in PUBLIC_PAGES]
    + [pytest.param("delegate", path, id=path) for path in DELEGATE_PAGES]
    + [pytest.param("staff", path, id=path) for path in STAFF_PAGES]
)

#: What a page must show, given the `people` fixture: proof that lists, tables and
#: forms were rendered and checked, not only their empty states.
EXPECTED_TEXT = {
    "/participants/GHA": "Ghana",
    "/planner?participants=GHA,SAU,CAN,NPL&date=2026-03-06&days=2": "Independence Day",
    "/alliance": "Ghana",
    "/dashboard": "Ghana",
    "/notifications": "You now represent Ghana",
    "/staff/representations": "Jean Dupont",
    "/staff/audit": "alliance.endorse",
    "/groups/convening-group": "Ghana",
    "/staff/rosters": "Convening Group",
    "/staff/terms": "Ghana",
    "/staff/mail": "550 5.1.1 No such mailbox",
}

#: Input types that need no label: not shown, or labelled by their own text.
UNLABELLED_INPUT_TYPES = {"hidden", "submit", "button", "reset", "image"}


@pytest.fixture
def people(app: Flask, make_user: Callable[..., User]) -> dict[str, User]:
    """A delegate of Ghana and a staff member, with something on every page to show:
    Ghana endorses the Alliance, a claim for France waits for staff (with its reject
    form), the delegate has a notification, the audit log has entries, and a message
    to the delegate keeps failing."""
    delegate = make_user(represent="GHA", name="Ama Mensah")
    staff = make_user(staff=True, name="Kofi Secretariat")
    claimant = make_user(name="Jean Dupont")
    with app.test_request_context():
        from coalition.alliance.services import endorse
        from coalition.notifications.services import notify_users
        from coalition.representations.services import claim_representation

        endorse(state("GHA"), actor=db.session.get(User, delegate.id))
        claim_representation(
            db.session.get(User, claimant.id), state("FRA"), role="delegate", position="Counsellor"
        )
        notify_users(
            [db.session.get(User, delegate.id)], "representation.verified", participant="Ghana"
        )
        db.session.flush()
        from coalition.outbox.models import OutgoingMail

        failing = db.session.scalars(
            sa.select(OutgoingMail).where(OutgoingMail.recipient == delegate.email)
        ).one()
        failing.attempts, failing.last_error = 3, "550 5.1.1 No such mailbox"
        failing.last_attempt_at = failing.created_at
        _convening_group(db.session.get(User, staff.id))
        db.session.commit()
        db.session.remove()
    return {"delegate": delegate, "staff": staff}


def _convening_group(staff: User) -> None:
    """An Alliance-level group with Ghana in it for a term ending soon, and its page's
    forms (remove, renew, end the term, add, co-chairs) for staff."""
    from datetime import timedelta

    from coalition.bodies.memberships import add_member
    from coalition.bodies.terms import today
    from coalition.groups.services import create_group

    group = create_group(actor=staff, title="Convening Group", seat_limit=16, mandate="*Consensus*")
    add_member(group, state("GHA"), actor=staff, term_ends_on=today() + timedelta(days=30))


@pytest.fixture
def fetch(
    client: FlaskClient, people: dict[str, User], login_as
) -> Callable[[str, str, str], tuple[int, dict, str]]:
    """fetch(who, path, language) → (status, headers, body) as that reader sees it."""

    def get(who: str, path: str, language: str):
        if who != "public":
            login_as(people[who])
        response = client.get(path, headers={"Accept-Language": language})
        return response.status_code, response.headers, response.get_data(as_text=True)

    return get


def parse_strict(body: str) -> Element:
    """The document tree; raises html5lib's ParseError at the first markup error."""
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
    return parser.parse(body)


def describe(element: Element) -> str:
    attributes = " ".join(f'{k}="{v}"' for k, v in element.attrib.items())
    return f"<{element.tag} {attributes}>"


def unlabelled_controls(document: Element) -> list[str]:
    label_targets = {label.get("for") for label in document.iter("label") if label.get("for")}
    missing = []
    for control in document.iter():
        if control.tag not in ("input", "select", "textarea"):
            continue
        if control.tag == "input" and control.get("type", "text") in UNLABELLED_INPUT_TYPES:
            continue
        if control.get("aria-label") or control.get("aria-labelledby"):
            continue
        if control.get("id") and control.get("id") in label_targets:
            continue
        missing.append(describe(control))
    return missing


def inline_code(document: Element) -> list[str]:
    """Inline CSS and JavaScript of any kind: style attributes, <style>, inline <script>,
    on… event-handler attributes and javascript: links."""
    found = []
    for element in document.iter():
        if not isinstance(element.tag, str):  # comments
            continue
        if element.tag == "style" or (element.tag == "script" and not element.get("src")):
            found.append(describe(element))
        for name, value in element.attrib.items():
            handler = name == "style" or name.startswith("on")
            script_url = name in ("href", "src", "action") and value.strip().lower().startswith(
                "javascript:"
            )
            if handler or script_url:
                found.append(describe(element))
    return found


@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize(("who", "path"), PAGES)
def test_page_is_well_formed_accessible_and_csp_clean(fetch, who, path, language):
    status, headers, body = fetch(who, path, language)

    assert status == 200, f"{path} answered {status}"

    csp = headers.get("Content-Security-Policy", "")
    assert "default-src" in csp, f"{path} sends no Content-Security-Policy"
    assert "unsafe-inline" not in csp

    document = parse_strict(body)

    assert document.get("lang") == language
    headings = list(document.iter("h1"))
    assert len(headings) == 1, f"{path} has {len(headings)} <h1> elements"
    assert unlabelled_controls(document) == []
    assert inline_code(document) == []
    if language == "en" and path in EXPECTED_TEXT:
        assert EXPECTED_TEXT[path] in "".join(document.find("body").itertext())


def test_strict_parsing_catches_misnested_markup():
    """The check above is only worth something if it fails on broken pages."""
    with pytest.raises(html5lib.html5parser.ParseError):
        parse_strict("<!doctype html><html lang=en><title>x</title><p><b><i>x</b></i></p>")


def test_label_check_catches_an_unlabelled_input():
    document = parse_strict(
        "<!doctype html><html lang=en><title>x</title>"
        '<label for="a">A</label><input id="a"><input id="b" name="b">'
        '<input type="hidden" name="c"><select aria-label="D"></select>'
    )
    assert unlabelled_controls(document) == ['<input id="b" name="b">']


def repeated_ids(document: Element) -> list[str]:
    ids = Counter(e.get("id") for e in document.iter() if isinstance(e.tag, str) and e.get("id"))
    return sorted(i for i, n in ids.items() if n > 1)


def required_selects_without_placeholder(document: Element) -> list[str]:
    """HTML asks a required single select to start with an empty option (a placeholder)."""
    return [
        describe(select)
        for select in document.iter("select")
        if select.get("required") is not None
        and select.get("multiple") is None
        and (first := select.find("option")) is not None
        and first.get("value", "x") != ""
    ]


@pytest.mark.parametrize(
    ("who", "path"),
    [
        ("delegate", "/"),
        ("delegate", "/account"),
        ("delegate", "/initiatives/propose"),
        ("staff", "/staff/representations"),
        ("staff", "/staff/organizations/new"),
    ],
)
def test_no_id_repeats_and_required_selects_start_empty_with_csrf_on(
    app, client, login_as, people, monkeypatch, who, path
):
    """What the W3C validator (tests/test_html_validity.py) found, checked without Java:
    with CSRF protection on, as in production, the log-out and language forms of every
    page, and each row's form, would each carry a token with the same id."""
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    login_as(people[who])
    response = client.get(path)
    assert response.status_code == 200
    document = parse_strict(response.get_data(as_text=True))
    assert document.find(".//input[@name='csrf_token']") is not None
    assert repeated_ids(document) == []
    assert required_selects_without_placeholder(document) == []
