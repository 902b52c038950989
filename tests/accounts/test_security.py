"""Headers, cookies, CSRF and the interface language."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa
from flask import Flask

from coalition.accounts.models import User
from coalition.accounts.services import hash_password
from coalition.extensions import db
from coalition.security import CONTENT_SECURITY_POLICY
from tests.conftest import PASSWORD


@pytest.mark.parametrize("path", ["/", "/login", "/alliance", "/no-such-page"])
def test_pages_carry_security_headers_and_a_strict_csp(client, path):
    headers = client.get(path).headers
    assert headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    assert "unsafe-inline" not in headers["Content-Security-Policy"]
    assert "script-src 'self'" in headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "same-origin"


def test_the_session_cookie_is_http_only_and_same_site_lax(client, make_user):
    user = make_user()
    response = client.post("/login", data={"email": user.email, "password": PASSWORD})
    cookies = [c for c in response.headers.getlist("Set-Cookie") if c.startswith("session=")]
    assert cookies
    assert "HttpOnly" in cookies[0]
    assert "SameSite=Lax" in cookies[0]


# -- CSRF, on an app configured as in production --------------------------------------------------


def _strict_user(app, email: str) -> None:
    with app.app_context():
        if db.session.scalar(sa.select(User).where(User.email == email)) is None:
            db.session.add(User(email=email, name="Strict", password_hash=hash_password(PASSWORD)))
            db.session.commit()


def _csrf_token(client, path: str) -> str:
    html = client.get(path).get_data(as_text=True)
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html)
    assert match, "no CSRF token in the form"
    return match.group(1)


def _logged_in(client) -> bool:
    return client.get("/account").status_code == 200


def test_login_without_a_csrf_token_is_refused(csrf_app):
    _strict_user(csrf_app, "csrf-login@example.org")
    client = csrf_app.test_client()

    response = client.post("/login", data={"email": "csrf-login@example.org", "password": PASSWORD})

    assert response.status_code == 400
    assert not _logged_in(client)
    # With the form's token it works: the refusal was about the token only.
    token = _csrf_token(client, "/login")
    ok = client.post(
        "/login",
        data={"email": "csrf-login@example.org", "password": PASSWORD, "csrf_token": token},
    )
    assert ok.status_code == 302
    assert _logged_in(client)


def test_register_without_a_csrf_token_creates_nothing(csrf_app):
    client = csrf_app.test_client()
    data = {
        "name": "Forged",
        "email": "forged@example.org",
        "password": PASSWORD,
        "confirm": PASSWORD,
    }

    assert client.post("/register", data=data).status_code == 400

    with csrf_app.app_context():
        assert db.session.scalar(sa.select(User).where(User.email == "forged@example.org")) is None


def test_logout_and_language_without_a_csrf_token_change_nothing(csrf_app):
    _strict_user(csrf_app, "csrf-logout@example.org")
    client = csrf_app.test_client()
    token = _csrf_token(client, "/login")
    client.post(
        "/login",
        data={"email": "csrf-logout@example.org", "password": PASSWORD, "csrf_token": token},
    )

    assert client.post("/logout").status_code == 400
    assert _logged_in(client)

    assert client.post("/language", data={"language": "fr"}).status_code == 400
    assert '<html lang="en">' in client.get("/").get_data(as_text=True)
    with csrf_app.app_context():
        user = db.session.scalar(sa.select(User).where(User.email == "csrf-logout@example.org"))
        assert user.locale is None


# -- language ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("accept", "lang"), [("fr-FR,fr;q=0.9", "fr"), ("en-GB", "en"), ("de", "en"), (None, "en")]
)
def test_the_browsers_language_is_followed(client, accept, lang):
    headers = {"Accept-Language": accept} if accept else {}
    html = client.get("/", headers=headers).get_data(as_text=True)
    assert f'<html lang="{lang}">' in html


def test_choosing_a_language_is_remembered_in_the_session(client):
    response = client.post("/language", data={"language": "fr", "next": "/alliance"})

    assert response.status_code == 302
    assert response.headers["Location"] == "/alliance"
    html = client.get("/alliance", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert '<html lang="fr">' in html


def test_a_logged_in_persons_choice_is_saved_on_the_account(client, app, login_as, make_user):
    user = make_user()
    login_as(user)

    client.post("/language", data={"language": "fr"})

    with app.app_context():
        assert db.session.get(User, user.id).locale == "fr"
    # Another browser of the same person follows the saved choice.
    other = app.test_client()
    other.post("/login", data={"email": user.email, "password": PASSWORD})
    assert '<html lang="fr">' in other.get("/", headers={"Accept-Language": "en"}).get_data(
        as_text=True
    )


@pytest.mark.parametrize("code", ["de", "", "fr\r\nSet-Cookie: x=y"])
def test_an_unknown_language_changes_nothing(client, code):
    client.post("/language", data={"language": code})
    assert '<html lang="en">' in client.get("/").get_data(as_text=True)


def test_choosing_a_language_never_redirects_elsewhere(client):
    response = client.post("/language", data={"language": "fr", "next": "//evil.example/x"})
    assert response.status_code == 302
    assert "evil" not in response.headers["Location"]


def test_production_hashes_passwords_with_the_strong_argon2_profile(tmp_path, monkeypatch):
    """Tests hash cheaply (PASSWORD_HASH_PROFILE=cheapest); a deployment never does."""
    from coalition import config

    monkeypatch.delenv("PASSWORD_HASH_PROFILE", raising=False)
    assert config.load(tmp_path)["PASSWORD_HASH_PROFILE"] == "strong"
    app = Flask(__name__)
    app.config["PASSWORD_HASH_PROFILE"] = "strong"
    with app.app_context():
        assert "$m=65536,t=3,p=4$" in hash_password("correct horse battery")
