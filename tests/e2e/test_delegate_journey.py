"""A delegate's first day, in a real browser: register, claim Ghana, get verified, endorse.

Every step goes through the pages as a person would use them, finding fields by their
labels and buttons by their names: that also proves the forms are labelled. The second
test uses the keyboard alone.
"""

from __future__ import annotations

import re
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from playwright.sync_api import Page, expect

if TYPE_CHECKING:
    from tests.e2e.conftest import LiveServer

pytestmark = [pytest.mark.browser, pytest.mark.committed]

PASSWORD = "a long enough passphrase"
#: The whole journey must stay quick enough to run on every push.
BUDGET_SECONDS = 60
#: The last page of the journey, for a person to look at (not kept in the repository).
SCREENSHOT = Path(tempfile.gettempdir()) / "e2e-final.png"


def create_staff(live_server: LiveServer, email: str, name: str) -> None:
    def create() -> None:
        from coalition.accounts.services import register

        register(email, name, PASSWORD).is_staff = True

    live_server.run(create)


def create_user(live_server: LiveServer, email: str, name: str) -> None:
    def create() -> None:
        from coalition.accounts.services import register

        register(email, name, PASSWORD)

    live_server.run(create)


def log_in(page: Page, email: str, name: str) -> None:
    page.goto("/login")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(re.compile(r"/dashboard$"))
    expect(page.get_by_role("status").filter(has_text=f"Welcome, {name}.")).to_be_visible()


def log_out(page: Page) -> None:
    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("status").filter(has_text="You are logged out.")).to_be_visible()
    expect(page.get_by_role("link", name="Log in")).to_be_visible()


def test_a_registered_person_claims_ghana_is_verified_and_endorses_the_alliance(
    live_server: LiveServer, new_page
):
    started = time.monotonic()
    person = new_page()

    # 1. Ama registers and is taken to the claim page.
    person.goto("/register")
    expect(person.get_by_role("heading", level=1)).to_have_text("Create an account")
    person.get_by_label("Your name").fill("Ama Mensah")
    person.get_by_label("E-mail address").fill("ama.mensah@mfa.gov.gh.example")
    person.get_by_label("Password", exact=True).fill(PASSWORD)
    person.get_by_label("Repeat the password").fill(PASSWORD)
    person.get_by_role("button", name="Create the account").click()
    expect(person).to_have_url(re.compile(r"/participants/claim$"))
    expect(person.get_by_role("status").filter(has_text="Your account is ready")).to_be_visible()

    # 2. She asks to represent Ghana, then logs out.
    expect(person.get_by_role("heading", level=1)).to_have_text("Ask to represent a participant")
    person.get_by_label("Participant you speak for").select_option(label="Ghana")
    person.get_by_label("Delegate", exact=True).check()
    person.get_by_label("Your position").fill("Counsellor, Permanent Mission to the United Nations")
    person.get_by_role("button", name="Send the claim").click()
    expect(
        person.get_by_role("status").filter(has_text="Your claim to represent Ghana is sent.")
    ).to_be_visible()
    expect(person.get_by_role("button", name="Withdraw my claim")).to_be_visible()
    log_out(person)

    # 3. A member of the Secretariat verifies the claim.
    create_staff(live_server, "kofi.staff@secretariat.example", "Kofi Secretariat")
    staff = new_page()
    log_in(staff, "kofi.staff@secretariat.example", "Kofi Secretariat")
    staff.goto("/staff/representations")
    claim = staff.get_by_role("row").filter(has_text="Ama Mensah")
    expect(claim).to_contain_text("Ghana")
    claim.get_by_role("button", name="Verify").click()
    expect(staff).to_have_url(re.compile(r"/staff/representations$"))
    expect(
        staff.get_by_role("status").filter(has_text="Ama Mensah now represents Ghana.")
    ).to_be_visible()
    expect(staff.get_by_role("row").filter(has_text="Ama Mensah")).to_have_count(0)

    # 4. Ama logs back in and is told.
    log_in(person, "ama.mensah@mfa.gov.gh.example", "Ama Mensah")
    expect(person.get_by_text("You act for Ghana.")).to_be_visible()
    inbox_link = person.get_by_role("link", name=re.compile(r"^Notifications.*1 unread"))
    expect(inbox_link).to_be_visible()
    inbox_link.click()
    expect(person).to_have_url(re.compile(r"/notifications$"))
    expect(person.get_by_role("main")).to_contain_text("You now represent Ghana")
    person.get_by_role("button", name="Mark all as read").click()
    expect(person.get_by_role("main")).to_contain_text("You have read all your notifications.")
    expect(person.get_by_role("link", name="Notifications", exact=True)).to_be_visible()

    # 5. She reads the declaration and endorses it for Ghana.
    person.get_by_role("navigation", name="Main").get_by_role("link", name="The Alliance").click()
    expect(person).to_have_url(re.compile(r"/alliance$"))
    expect(person.get_by_role("heading", name="The declaration")).to_be_visible()
    person.get_by_role("button", name="Endorse on behalf of Ghana").click()
    expect(person).to_have_url(re.compile(r"/alliance$"))
    expect(
        person.get_by_role("status").filter(has_text="Ghana now endorses the Alliance declaration.")
    ).to_be_visible()
    participants = person.get_by_role("table", name=re.compile("endorse the declaration"))
    expect(participants.get_by_role("rowheader", name="Ghana")).to_be_visible()
    expect(person.get_by_role("button", name="Withdraw the endorsement")).to_be_visible()

    person.screenshot(path=SCREENSHOT, full_page=True)
    assert time.monotonic() - started < BUDGET_SECONDS


def test_the_skip_link_and_a_form_work_with_the_keyboard_alone(live_server: LiveServer, page):
    create_user(live_server, "keyboard.user@example.org", "Keyboard User")
    page.goto("/login")

    # The skip link is the first stop and takes focus to the main content.
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to content")
    expect(skip).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()

    # From there, the next stop is the first field of the login form.
    page.keyboard.press("Tab")
    expect(page.get_by_label("E-mail address")).to_be_focused()
    page.keyboard.type("keyboard.user@example.org")
    page.keyboard.press("Tab")
    expect(page.get_by_label("Password")).to_be_focused()
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")

    # The browser keeps the skip link's #main fragment across the redirect.
    expect(page).to_have_url(re.compile(r"/dashboard(#main)?$"))
    expect(page.get_by_role("status").filter(has_text="Welcome, Keyboard User.")).to_be_visible()
