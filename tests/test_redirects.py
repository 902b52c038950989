"""No redirect leaves the site, whatever a request puts in `next` or Referer.

What is checked is the Location header actually sent (Werkzeug rewrites it on the way
out: `http:evil.example` becomes `http:///evil.example`, a tab disappears), against
every place that builds a redirect from user input: the login's `next`, the language
switcher's `next`, the `next` of the body actions and the notification buttons, and the
Referer fallback after a refused action.
"""

from __future__ import annotations

import ast
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from coalition.extensions import db
from tests.conftest import PASSWORD
from tests.initiatives import rules_support

world = rules_support.world  # fixture

HOSTILE = [
    "http:evil.example",
    "https:evil.example",
    "http:/evil.example",
    "http:\\\\evil.example",
    "https:\\\\evil.example",
    "http:/\\evil.example",
    "/\\evil.example",
    "\\/evil.example",
    "\\\\evil.example",
    "//evil.example",
    "///evil.example",
    "////evil.example",
    "/\t/evil.example",
    "/\n/evil.example",
    "/\r\n/evil.example",
    "\t//evil.example",
    " //evil.example",
    "/\x0b/evil.example",
    "/\u2028/evil.example",
    "/\u200b/evil.example",
    "%2F%2Fevil.example",
    "/%2F%2Fevil.example",
    "/%2f%5Cevil.example",
    "%5C%5Cevil.example",
    "https://evil.example",
    "https://evil.example/alliance",
    "http://coalition.test@evil.example/",
    "http://coalition.test.evil.example/",
    "https://coalition.test:443@evil.example/",
    "http://evil.example\\@coalition.test/",
    "http://evil.example#@coalition.test/",
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "ftp://coalition.test/",
    "alliance",
    "/" + "a" * 3000,
]

SAME_SITE = [
    ("/alliance", "/alliance"),
    ("/initiatives?axis=governance_gaps&page=2", "/initiatives?axis=governance_gaps&page=2"),
    ("/participants/GHA#history", "/participants/GHA#history"),
    ("http://coalition.test/alliance?x=1", "/alliance?x=1"),
    ("/initiatives?q=réseau", "/initiatives?q=r%C3%A9seau"),
]


def stays_on_site(location: str) -> bool:
    """Whether every browser resolves *location* on this site: a path-absolute URL with
    nothing a URL parser strips or reinterprets (WHATWG removes tabs and newlines, reads
    backslashes as slashes, skips leading spaces and control characters)."""
    if any(ord(c) <= 0x20 or ord(c) == 0x7F for c in location) or "\\" in location:
        return False
    return (
        location.startswith("/")
        and not location.startswith("//")
        and not unquote(location).startswith(("//", "/\\"))
        and not urlsplit(location).netloc
    )


def test_the_oracle_itself_knows_what_browsers_do():
    assert not stays_on_site("http:///evil.example")
    assert not stays_on_site("/\t/evil.example")
    assert not stays_on_site("/%2F%2Fevil.example")
    assert stays_on_site("/alliance?next=//x")


# -- login ----------------------------------------------------------------------------------


@pytest.mark.parametrize("target", HOSTILE)
def test_login_never_sends_anyone_off_site(client, make_user, target):
    user = make_user()
    response = client.post(
        "/login", data={"email": user.email, "password": PASSWORD, "next": target}
    )
    assert response.status_code == 302
    location = response.headers["Location"]
    assert stays_on_site(location), location
    assert location == "/dashboard"


@pytest.mark.parametrize(("target", "sent"), SAME_SITE)
def test_login_returns_to_a_page_of_this_site(client, make_user, target, sent):
    user = make_user()
    response = client.post(
        "/login", data={"email": user.email, "password": PASSWORD, "next": target}
    )
    assert response.headers["Location"] == sent


# -- the language switcher -----------------------------------------------------------------


@pytest.mark.parametrize("target", HOSTILE)
def test_the_language_switcher_never_sends_anyone_off_site(client, target):
    response = client.post("/language", data={"language": "fr", "next": target})
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


@pytest.mark.parametrize(("target", "sent"), SAME_SITE)
def test_the_language_switcher_returns_to_the_page(client, target, sent):
    response = client.post("/language", data={"language": "fr", "next": target})
    assert response.headers["Location"] == sent


# -- actions on bodies, notifications, and the Referer after a refusal -----------------------


@pytest.mark.parametrize("target", HOSTILE)
def test_a_body_action_never_sends_anyone_off_site(world, login_as, target):
    initiative = world.initiative(policy="open")
    db.session.commit()
    response = login_as(world.member).post(
        f"/initiatives/{initiative.slug}/join", data={"next": target}
    )
    assert response.status_code == 303
    assert response.headers["Location"] == f"/initiatives/{initiative.slug}"


def test_a_body_action_returns_to_the_page_it_came_from(world, login_as):
    initiative = world.initiative(policy="open")
    db.session.commit()
    response = login_as(world.member).post(
        f"/initiatives/{initiative.slug}/join", data={"next": "/dashboard"}
    )
    assert response.headers["Location"] == "/dashboard"


@pytest.mark.parametrize("target", HOSTILE)
def test_the_notification_buttons_never_send_anyone_off_site(client, login_as, make_user, target):
    login_as(make_user())
    response = client.post("/notifications/read", data={"next": target})
    assert response.status_code == 303
    assert response.headers["Location"] == "/notifications"


# (No header carries a line break: HTTP servers refuse those, and so does the test client.)
@pytest.mark.parametrize("referrer", [t for t in HOSTILE if "\n" not in t])
def test_a_refused_action_never_goes_back_off_site(world, login_as, referrer):
    """A domain refusal in a page goes back to the Referer: a header the sender writes."""
    initiative = world.initiative(policy="open")
    db.session.commit()
    client = login_as(world.co_chair)  # GHA already belongs: joining again is refused
    response = client.post(
        f"/initiatives/{initiative.slug}/join",
        headers={"Referer": referrer},
    )
    assert response.status_code == 303
    location = response.headers["Location"]
    assert stays_on_site(location), location
    assert location == "/"


def test_a_refused_action_goes_back_to_the_page_of_this_site_it_came_from(world, login_as):
    initiative = world.initiative(policy="open")
    db.session.commit()
    response = login_as(world.co_chair).post(
        f"/initiatives/{initiative.slug}/join",
        headers={"Referer": f"http://coalition.test/initiatives/{initiative.slug}"},
    )
    assert response.headers["Location"] == f"/initiatives/{initiative.slug}"


# -- one gate -------------------------------------------------------------------------------

ROOT = Path(__file__).resolve().parents[1] / "coalition"


def _redirect_targets_read(tree: ast.AST) -> list[ast.AST]:
    """Where the code reads a place to go from the request: `request.referrer`, a
    `.get("next")` on the form or query string, a form's `.next.data`."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr == "referrer":
            found.append(node)
        elif isinstance(node, ast.Attribute) and node.attr == "data":
            if isinstance(node.value, ast.Attribute) and node.value.attr == "next":
                found.append(node)
        elif (
            isinstance(node, ast.Call)
            and getattr(node.func, "attr", None) == "get"
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and node.args[0].value == "next"
        ):
            found.append(node)
    return found


def test_every_redirect_target_read_from_the_request_goes_through_the_one_gate():
    """Each read of `next` or Referer sits inside `safe_redirect_target(...)` (or fills a
    form's `next=` field, checked when that form comes back): a new redirect cannot skip
    the check."""
    offenders = []
    for path in sorted(ROOT.rglob("*.py")):
        tree = ast.parse(path.read_text(), str(path))
        parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
        for read in _redirect_targets_read(tree):
            node, gated = read, False
            while node in parents and not gated:
                node = parents[node]
                gated = (
                    isinstance(node, ast.Call)
                    and getattr(node.func, "id", None) == "safe_redirect_target"
                ) or (isinstance(node, ast.keyword) and node.arg == "next")
            if not gated:
                offenders.append(f"{path.relative_to(ROOT.parent)}:{read.lineno}")
    assert offenders == []
