"""Every page of the demo is valid HTML, by the W3C Nu validator (vnu.jar), for every role
and in every language.

The demo (`make run`'s data) on a database of its own, CSRF protection on as in
production (the tokens are part of the markup). For each role and language a crawler
starts from the home page and the pages that need no argument (the dashboard, the
account, the staff pages…: every argument-less GET route), follows the links of each
page it gets and its forms' actions that answer GET (same site, GET only), and keeps a
few pages per route, plus those with forms of a new kind: new pages are covered as soon
as a link or a route leads to them, and 193 states do not make 193 pages to check.
Links that lead to an error fail the test, and so does a page route no role reached.

All pages are then checked in one run of the validator (one JVM); any error fails the
test, listed with its page. vnu.jar comes from the npm package vnu-jar, installed into
.tools/ by `make test` when Java and npm are there; without them the test is skipped,
saying why, unless REQUIRE_VALIDATOR=1 (CI), where it fails.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections import Counter, deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.exceptions import HTTPException

from coalition.extensions import db
from tests.conftest import log_in
from tests.demo_site import ROLES, demo_app, role_users

ROOT = Path(__file__).resolve().parent.parent
VNU_JAR = Path(os.environ.get("VNU_JAR") or ROOT / ".tools/node_modules/vnu-jar/build/dist/vnu.jar")
LANGUAGES = ("en", "fr")
#: Pages checked per route, role and language: the first ones the crawl meets, and any
#: other whose forms are of a kind not seen yet on that route (the co-chair's decision
#: buttons on the one initiative with a request waiting, say), among the first
#: FETCH_PER_ENDPOINT fetched.
PER_ENDPOINT = 3
FETCH_PER_ENDPOINT = 12
#: A bound on the pages of one crawl, far above what the demo has.
MAX_PAGES = 400
#: Routes that are not pages (files, the API, the health check) or that only a form's
#: POST reaches. Routes whose address ends in a file name (.csv, .ics, .json) are files.
NOT_PAGES = ("static", "api-docs.", "_api.", "opendata.dataset_", "web.health")
FILE_SUFFIXES = (".csv", ".ics", ".json")
#: An address no route answers: its 404 page is checked too.
MISSING_PAGE = "/no-such-page"
START = "(start)"
#: Validator messages that are not errors in our markup: none so far. Each entry is a
#: regular expression for vnu's --filterpattern, with the reason it is there.
FILTERS: dict[str, str] = {}

pytestmark = [pytest.mark.committed, pytest.mark.validator]


@pytest.fixture(scope="module")
def vnu() -> list[str]:
    java = shutil.which("java")
    missing = (
        "java is not installed"
        if java is None
        else f"{VNU_JAR} is missing (make test installs it with npm: npm install "
        "--prefix .tools vnu-jar)"
        if not VNU_JAR.exists()
        else None
    )
    if missing:
        message = f"The W3C Nu validator cannot run: {missing}"
        if os.environ.get("REQUIRE_VALIDATOR") == "1":
            pytest.fail(message)
        pytest.skip(message)
    return [java, "-Xss4m", "-jar", str(VNU_JAR)]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    yield from demo_app(tmp_path_factory, WTF_CSRF_ENABLED=True)


class _Links(HTMLParser):
    """The addresses a page leads to: its links, and its forms' actions."""

    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []
        self.actions: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "a" and values.get("href"):
            self.hrefs.append(values["href"])
        elif tag == "form" and values.get("action"):
            self.actions.append(values["action"])


@dataclass
class Crawl:
    """What one role saw in one language."""

    role: str
    language: str
    #: Address → HTML of every page kept for checking.
    pages: dict[str, str] = field(default_factory=dict)
    #: Links that led to an error, as "page → link: status".
    broken: list[str] = field(default_factory=list)
    endpoints: set[str] = field(default_factory=set)


def _endpoint(app: Flask, path: str, method: str = "GET") -> str | None:
    adapter = app.url_map.bind(app.config["SERVER_NAME"] or "localhost")
    try:
        endpoint, _args = adapter.match(path, method=method)
    except HTTPException:
        return None
    return endpoint


def _forms(app: Flask, url: str, actions: list[str]) -> frozenset[str]:
    """What a page's forms do: their routes, and the act named at the end of their address
    (…/join, …/approve), whatever the object they act on."""
    kinds = set()
    for action in actions:
        path = urlsplit(urljoin(url, action)).path
        last = path.rstrip("/").rsplit("/", 1)[-1]
        route = _endpoint(app, path, "POST") or _endpoint(app, path)
        kinds.add(f"{route}:{last if last.isalpha() else ''}")
    return frozenset(kinds)


def _seeds(app: Flask) -> list[str]:
    """The home page, every page that needs no argument, and a missing page."""
    paths = [
        rule.rule
        for rule in app.url_map.iter_rules()
        if "GET" in rule.methods
        and not rule.arguments
        and not any(part in rule.endpoint for part in NOT_PAGES)
    ]
    return ["/", *sorted(paths), MISSING_PAGE]


def crawl(app: Flask, client: FlaskClient, role: str, language: str, extra: list[str]) -> Crawl:
    result = Crawl(role, language)
    host = app.config["SERVER_NAME"] or "localhost"
    queue = deque((seed, START) for seed in [*_seeds(app), *extra])
    seen: set[str] = set()
    fetched: Counter[str] = Counter()
    kept: Counter[str] = Counter()
    forms_kept: dict[str, set[frozenset[str]]] = {}
    while queue and len(result.pages) < MAX_PAGES:
        url, came_from = queue.popleft()
        if url in seen:
            continue
        seen.add(url)
        endpoint = _endpoint(app, urlsplit(url).path)
        if endpoint is not None and any(part in endpoint for part in NOT_PAGES):
            continue
        key = endpoint or "(no route)"
        if fetched[key] >= FETCH_PER_ENDPOINT:
            continue
        fetched[key] += 1
        response = client.get(url, headers={"Accept-Language": language})
        if response.status_code in (301, 302, 303, 307, 308):
            target = urljoin(url, response.headers["Location"])
            parts = urlsplit(target)
            if parts.netloc in ("", host):
                queue.append((parts.path + (f"?{parts.query}" if parts.query else ""), url))
            continue
        # A starting page may be refused to this role (its 403 page is checked too); a
        # link a page shows must lead somewhere.
        if response.status_code != 200 and came_from != START:
            result.broken.append(f"{came_from} → {url}: {response.status_code}")
        if response.mimetype != "text/html":
            continue
        html = response.get_data(as_text=True)
        parser = _Links()
        parser.feed(html)
        forms = _forms(app, url, parser.actions)
        known = forms_kept.setdefault(key, set())
        if kept[key] < PER_ENDPOINT or forms not in known:
            kept[key] += 1
            known.add(forms)
            result.endpoints.add(key)
            result.pages[url] = html
        # A form's action is a page too when its route answers GET (a rejection form
        # shown alone, say); a link must lead somewhere, so it is followed whatever.
        actions = [a for a in parser.actions if _endpoint(app, urlsplit(urljoin(url, a)).path)]
        for href in [*parser.hrefs, *actions]:
            parts = urlsplit(urljoin(url, href))
            if parts.scheme in ("http", "https", "") and parts.netloc in ("", host):
                queue.append((parts.path + (f"?{parts.query}" if parts.query else ""), url))
    return result


def _reset_link(app: Flask, user_id: int) -> str:
    """The page a password-reset e-mail links to (no page links to it)."""
    from coalition.accounts.models import User
    from coalition.accounts.services import password_reset_token

    with app.test_request_context():
        token = password_reset_token(db.session.get(User, user_id))
        db.session.remove()
    return f"/password/reset/{token}"


def validate(vnu: list[str], pages: dict[str, str], folder: Path) -> list[dict]:
    """vnu's messages about *pages*, each with the address of its page under "page"."""
    files: dict[str, str] = {}
    for n, (url, html) in enumerate(sorted(pages.items())):
        path = folder / f"page-{n:04d}.html"
        path.write_text(html, encoding="utf-8")
        files[path.name] = url
    command = [*vnu, "--format", "json", "--stdout", "--exit-zero-always", "--no-langdetect"]
    for pattern in FILTERS:
        command += ["--filterpattern", pattern]
    completed = subprocess.run(
        [*command, *sorted(str(folder / name) for name in os.listdir(folder))],
        capture_output=True,
        text=True,
        check=True,
        timeout=600,
    )
    messages = json.loads(completed.stdout)["messages"]
    for message in messages:
        name = message.get("url", "?").rsplit("/", 1)[-1]
        message["page"] = files.get(name, name)
    return messages


def test_every_page_of_the_demo_is_valid_html_for_every_role_and_language(
    site: Flask, vnu: list[str], tmp_path: Path
):
    users = role_users(site)
    crawls: list[Crawl] = []
    for role in ROLES:
        for language in LANGUAGES:
            client = site.test_client()
            extra = []
            if users[role] is None:
                extra.append(_reset_link(site, users["no_participant"]))
            else:
                log_in(site, client, users[role])
            crawls.append(crawl(site, client, role, language, extra))

    # Each crawl shows its own language, and found its way around.
    for c in crawls:
        for url, html in c.pages.items():
            assert f'<html lang="{c.language}">' in html, (c.role, c.language, url)
    broken = [f"{c.role}/{c.language}: {link}" for c in crawls for link in c.broken]
    assert not broken, "Links that lead to an error:\n" + "\n".join(broken)

    # Every page route is reached by some role.
    reached = set().union(*(c.endpoints for c in crawls))
    page_routes = {
        rule.endpoint
        for rule in site.url_map.iter_rules()
        if "GET" in rule.methods
        and not any(part in rule.endpoint for part in NOT_PAGES)
        and not rule.rule.endswith(FILE_SUFFIXES)
    }
    assert page_routes <= reached, f"No role reached: {sorted(page_routes - reached)}"

    pages = {f"{c.role}/{c.language} {url}": html for c in crawls for url, html in c.pages.items()}
    messages = validate(vnu, pages, tmp_path)
    errors = [m for m in messages if m["type"] in ("error", "non-document-error")]
    # One entry per message, with the pages it is on: the same template error shows on
    # every page of a route.
    by_message: dict[str, list[str]] = {}
    for m in errors:
        by_message.setdefault(m["message"], []).append(f"{m['page']} line {m.get('lastLine')}")
    report = "\n".join(
        f"- {message}\n  {len(where)} times, e.g. " + "; ".join(where[:4])
        for message, where in sorted(by_message.items(), key=lambda kv: -len(kv[1]))
    )
    assert not errors, f"{len(errors)} HTML errors in {len(pages)} pages:\n{report}"
