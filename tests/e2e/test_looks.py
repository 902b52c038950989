"""The main pages as each role sees them, at 1280 px and on a phone (390 px), in English and
French, in Chromium: nothing overflows the page sideways (wide tables scroll in their own
box), axe-core finds no WCAG 2.1 A/AA violation, and a screenshot of each is kept.

Screenshots go to $SCREENSHOTS_DIR (default .artifacts/screenshots/, not in git): CI keeps
them as its output, for a person to look at. axe-core is the npm package `make test`
installs into .tools/ beside the W3C validator; without it the axe check skips, saying why
(CI requires it). It is injected into the page by the test, so the pages keep their CSP.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask

from coalition.demo.facts import ACCOUNTS
from tests.demo_site import demo_app
from tests.e2e.conftest import TIMEOUT_MS
from tests.live import LiveServer, serving

pytestmark = [pytest.mark.browser, pytest.mark.committed]

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / ".tools" / "node_modules" / "axe-core" / "axe.min.js"
SHOTS = Path(os.environ.get("SCREENSHOTS_DIR", ROOT / ".artifacts" / "screenshots"))
WIDTHS = {"desktop": 1280, "phone": 390}
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

#: Who logs in (an e-mail of the demo's accounts; None: a visitor), and what each looks at.
ROLES = {
    "visitor": None,
    "delegate": "ghana@coalition.example",
    "co_chair": "france@coalition.example",
    "staff": "staff@coalition.example",
}
PASSWORDS = {account[0]: account[2] for account in ACCOUNTS}
PAGES = {
    "visitor": [
        "/",
        "/initiatives",
        "/initiatives/paris-call-for-trust-and-security-in-cyberspace",
        "/groups",
        "/participants",
        "/participants/FRA",
        "/matrix",
        "/meetings",
        "/alliance",
        "/login",
    ],
    "delegate": ["/dashboard", "/notifications", "/account"],
    "co_chair": ["/dashboard", "/initiatives/paris-call-for-trust-and-security-in-cyberspace"],
    "staff": ["/staff", "/staff/audit", "/staff/rosters", "/staff/representations"],
}


#: The outermost elements that reach past the right edge of the window, named as a CSS
#: selector would (tag, id, classes), so that the report says what to fix.
WIDEST_JS = """() => {
  const width = document.documentElement.clientWidth, found = [];
  for (const el of document.body.querySelectorAll('*')) {
    if (el.getBoundingClientRect().right <= width + 1) continue;
    if (found.some(f => f.contains(el))) continue;
    let scrolled = false;
    for (let p = el.parentElement; p; p = p.parentElement) {
      if (getComputedStyle(p).overflowX !== 'visible') { scrolled = true; break; }
    }
    if (!scrolled) found.push(el);
  }
  return found.slice(0, 3).map(el => el.tagName.toLowerCase()
    + (el.id ? '#' + el.id : '') + [...el.classList].map(c => '.' + c).join(''));
}"""


@pytest.fixture(scope="module")
def demo_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    app: Flask
    for app in demo_app(tmp_path_factory, SERVER_NAME=None, WTF_CSRF_ENABLED=True):
        with serving(app) as live:
            yield live


def _axe_source() -> str | None:
    if AXE.exists():
        return AXE.read_text()
    message = f"axe-core not found at {AXE}: `make test` installs it with npm"
    if os.environ.get("REQUIRE_VALIDATOR") == "1":
        pytest.fail(message)
    return None


def _log_in(page, email: str) -> None:
    page.goto("/login")
    page.locator("input[name=email]").fill(email)
    page.locator("input[name=password]").fill(PASSWORDS[email])
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert "/login" not in page.url, f"{email} could not log in"


def _name(path: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", path.lower()).strip("-") or "home"


@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize("role", list(ROLES))
def test_main_pages_fit_pass_axe_and_are_photographed(browser, demo_site, role, language):
    axe = _axe_source()
    problems: list[str] = []
    context = browser.new_context(
        base_url=demo_site.url,
        locale="fr-FR" if language == "fr" else "en-GB",
        viewport={"width": WIDTHS["desktop"], "height": 900},
        # Only for injecting axe: the pages' own CSP is tested elsewhere.
        bypass_csp=True,
    )
    context.set_default_timeout(TIMEOUT_MS)
    try:
        page = context.new_page()
        if ROLES[role]:
            _log_in(page, ROLES[role])
        for path in PAGES[role]:
            for device, width in WIDTHS.items():
                page.set_viewport_size({"width": width, "height": 900})
                response = page.goto(path)
                assert response is not None
                assert response.status == 200, (path, response.status)
                SHOTS.mkdir(parents=True, exist_ok=True)
                page.screenshot(
                    path=str(SHOTS / f"{language}-{device}-{role}-{_name(path)}.png"),
                    full_page=True,
                )
                overflow = page.evaluate(
                    "document.documentElement.scrollWidth - document.documentElement.clientWidth"
                )
                if overflow > 1:
                    problems.append(
                        f"{path} at {width} px is {overflow} px too wide, by "
                        + ", ".join(page.evaluate(WIDEST_JS))
                    )
                if axe and device == "desktop":
                    page.add_script_tag(content=axe)
                    violations = page.evaluate(
                        "async (tags) => (await axe.run(document, {runOnly: tags})).violations"
                        ".map(v => v.id + ': ' + v.help + ' — ' + v.nodes.slice(0, 3)"
                        ".map(n => n.target.join(' ')).join(', '))",
                        WCAG_21_AA,
                    )
                    problems.extend(f"{path}: {v}" for v in violations)
    finally:
        context.close()
    errors, demo_site.errors[:] = list(demo_site.errors), []
    assert not errors, "The server raised:\n" + "\n".join(errors)
    assert not problems, f"{role} ({language}):\n" + "\n".join(problems)
