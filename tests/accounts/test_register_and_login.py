"""Registering, logging in and out, and the login rate limit."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from coalition.accounts.models import User
from coalition.extensions import db
from tests.conftest import PASSWORD


def _users(app) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count(User.id)))


def _register(client, **overrides):
    data = {
        "name": "Ama Mensah",
        "email": "Ama.Mensah@Example.org",
        "password": PASSWORD,
        "confirm": PASSWORD,
    }
    data.update(overrides)
    return client.post("/register", data=data)


def _logged_in(client) -> bool:
    return client.get("/account").status_code == 200


# -- register ----------------------------------------------------------------------------------


def test_registering_creates_the_account_logs_in_and_leads_to_the_claim(client, app):
    response = _register(client)

    assert response.status_code == 302
    assert response.headers["Location"].endswith("/participants/claim")
    assert _logged_in(client)
    with app.app_context():
        user = db.session.scalar(sa.select(User).where(User.email == "ama.mensah@example.org"))
        assert user is not None
        assert user.name == "Ama Mensah"
        assert user.password_hash != PASSWORD
        assert user.password_hash.startswith("$argon2")


def test_registering_a_taken_address_in_other_letters_is_refused_keeping_what_was_typed(
    client, app, make_user
):
    make_user(email="taken@example.org")
    before = _users(app)

    response = _register(client, email="TAKEN@Example.org", name="Kofi Typed")

    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "An account with this e-mail address already exists." in html
    assert 'id="email-error"' in html
    assert 'value="Kofi Typed"' in html
    assert 'value="TAKEN@Example.org"' in html
    assert PASSWORD not in html  # a password is never sent back
    assert _users(app) == before
    assert not _logged_in(client)


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"password": "short", "confirm": "short"}, "between 10 and 200 characters"),
        ({"confirm": "something else entirely"}, "The passwords differ."),
        ({"email": "not an address"}, "Invalid email address."),
        ({"name": ""}, "This field is required."),
    ],
)
def test_registering_with_invalid_values_creates_nothing(client, app, overrides, message):
    before = _users(app)

    response = _register(client, **overrides)

    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert _users(app) == before


def test_a_logged_in_person_is_sent_from_register_to_the_dashboard(client, login_as, make_user):
    login_as(make_user())
    response = client.get("/register")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/dashboard")


# -- log in and out ------------------------------------------------------------------------------


def test_logging_in_with_the_right_password(client, make_user):
    user = make_user()

    response = client.post("/login", data={"email": user.email.upper(), "password": PASSWORD})

    assert response.status_code == 302
    assert response.headers["Location"].endswith("/dashboard")
    assert _logged_in(client)


@pytest.mark.parametrize("email", ["known", "unknown@example.org"])
def test_a_wrong_password_or_unknown_address_gets_the_same_message(client, make_user, email):
    user = make_user()

    response = client.post(
        "/login",
        data={"email": user.email if email == "known" else email, "password": "wrong password"},
    )

    assert response.status_code == 422
    assert "Wrong e-mail address or password." in response.get_data(as_text=True)
    assert not _logged_in(client)


def test_a_disabled_account_cannot_log_in(client, app, make_user):
    user = make_user()
    with app.app_context():
        db.session.get(User, user.id).is_enabled = False
        db.session.commit()

    response = client.post("/login", data={"email": user.email, "password": PASSWORD})

    assert response.status_code == 422
    assert not _logged_in(client)


@pytest.mark.parametrize("target", ["/alliance", "/initiatives?axis=governance_gaps"])
def test_login_returns_to_the_page_asked_for_on_this_site(client, make_user, target):
    user = make_user()
    response = client.post(
        "/login", data={"email": user.email, "password": PASSWORD, "next": target}
    )
    assert response.status_code == 302
    assert response.headers["Location"] == target


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example",
        "https://evil.example/alliance",
        "//evil.example",
        "/\\evil.example",
        "\\\\evil.example",
        "javascript:alert(1)",
        "http://coalition.test.evil.example/",
    ],
)
def test_login_ignores_a_next_page_elsewhere(client, make_user, target):
    user = make_user()
    response = client.post(
        "/login", data={"email": user.email, "password": PASSWORD, "next": target}
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/dashboard")
    assert "evil" not in response.headers["Location"]


def test_the_login_form_carries_next_from_the_address(client):
    html = client.get("/login?next=/alliance").get_data(as_text=True)
    assert 'name="next" type="hidden" value="/alliance"' in html


def test_logging_out_ends_the_session(client, login_as, make_user):
    login_as(make_user())
    assert _logged_in(client)

    response = client.post("/logout")

    assert response.status_code == 302
    assert not _logged_in(client)


def test_logging_out_needs_a_post(client, login_as, make_user):
    login_as(make_user())
    assert client.get("/logout").status_code == 405
    assert _logged_in(client)


# -- rate limit ------------------------------------------------------------------------------------


def test_login_attempts_are_rate_limited(rate_limited_app):
    client = rate_limited_app.test_client()
    attempt = {"email": "nobody@example.org", "password": "guess number"}

    statuses = [client.post("/login", data=attempt).status_code for _ in range(3)]
    blocked = client.post("/login", data=attempt)

    assert statuses == [422, 422, 422]
    assert blocked.status_code == 429
    assert "Too many attempts" in blocked.get_data(as_text=True)
    # Reading the form is not an attempt.
    assert client.get("/login").status_code == 200


def test_the_rate_limit_of_one_app_does_not_leak_into_the_others(rate_limited_app, client):
    limited = rate_limited_app.test_client()
    for _ in range(4):
        limited.post("/login", data={"email": "a@example.org", "password": "x"})
    statuses = {
        client.post("/login", data={"email": "a@example.org", "password": "x"}).status_code
        for _ in range(5)
    }
    assert statuses == {422}
