"""The account page: changing the password, creating and revoking API tokens."""

from __future__ import annotations

import hashlib
import re

import sqlalchemy as sa

from coalition.accounts.models import ApiToken, User
from coalition.extensions import db
from tests.conftest import PASSWORD

NEW_PASSWORD = "another long passphrase"


def _change_password(client, current: str, new: str, confirm: str | None = None):
    return client.post(
        "/account",
        data={
            "action": "password",
            "password-current_password": current,
            "password-new_password": new,
            "password-confirm": confirm if confirm is not None else new,
        },
    )


def _can_log_in(app, email: str, password: str) -> bool:
    fresh = app.test_client()
    return fresh.post("/login", data={"email": email, "password": password}).status_code == 302


def test_the_account_page_needs_a_login(client):
    response = client.get("/account")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_changing_the_password(client, app, login_as, make_user):
    user = make_user()
    login_as(user)

    response = _change_password(client, PASSWORD, NEW_PASSWORD)

    assert response.status_code == 302
    assert "Your password is changed." in client.get("/account").get_data(as_text=True)
    assert _can_log_in(app, user.email, NEW_PASSWORD)
    assert not _can_log_in(app, user.email, PASSWORD)


def test_changing_the_password_needs_the_current_one(client, app, login_as, make_user):
    user = make_user()
    login_as(user)

    response = _change_password(client, "not my password", NEW_PASSWORD)

    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "This is not your current password." in html
    assert 'id="password-current_password-error"' in html
    assert _can_log_in(app, user.email, PASSWORD)


def test_a_short_new_password_is_refused(client, app, login_as, make_user):
    user = make_user()
    login_as(user)
    assert _change_password(client, PASSWORD, "short").status_code == 422
    assert _can_log_in(app, user.email, PASSWORD)


def _create_token(client, name: str = "membership sync") -> str:
    response = client.post("/account", data={"action": "token", "token-name": name})
    assert response.status_code == 200
    match = re.search(r'<code id="new-token">([^<]+)</code>', response.get_data(as_text=True))
    assert match
    return match.group(1)


def test_a_new_api_token_is_shown_once_and_only_its_hash_is_stored(
    client, app, login_as, make_user
):
    user = make_user()
    login_as(user)

    token = _create_token(client)

    with app.app_context():
        row = db.session.scalars(sa.select(ApiToken).where(ApiToken.user_id == user.id)).one()
        assert row.name == "membership sync"
        assert row.token_hash == hashlib.sha256(token.encode()).hexdigest()
        assert row.prefix == token[:10]
        stored = [str(v) for v in db.session.execute(sa.select(ApiToken.__table__)).one()]
        assert token not in stored
    again = client.get("/account").get_data(as_text=True)
    assert token not in again
    assert token[:10] in again  # its beginning, to tell tokens apart


def test_a_token_acts_for_its_user_until_it_is_revoked(client, app, login_as, make_user):
    user = make_user(represent="GHA")
    login_as(user)
    token = _create_token(client)
    api = app.test_client()
    headers = {"Authorization": f"Bearer {token}"}
    assert api.post("/api/v1/alliance/endorsements", headers=headers).status_code == 201
    assert api.delete("/api/v1/alliance/endorsements/GHA", headers=headers).status_code == 204
    with app.app_context():
        token_id = db.session.scalar(sa.select(ApiToken.id).where(ApiToken.user_id == user.id))

    response = client.post(f"/account/tokens/{token_id}/revoke")

    assert response.status_code == 302
    assert "revoked" in client.get("/account").get_data(as_text=True)
    refused = api.post("/api/v1/alliance/endorsements", headers=headers)
    assert refused.status_code == 401
    assert refused.mimetype == "application/problem+json"


def test_nobody_revokes_someone_elses_token(client, app, login_as, make_user):
    from coalition.accounts.services import create_api_token

    owner = make_user()
    with app.app_context():
        row, _token = create_api_token(db.session.get(User, owner.id))
        db.session.commit()
        token_id = row.id
    login_as(make_user())

    assert client.post(f"/account/tokens/{token_id}/revoke").status_code == 404
    with app.app_context():
        assert db.session.get(ApiToken, token_id).revoked_at is None


def test_saving_preferences(client, app, login_as, make_user):
    user = make_user()
    login_as(user)
    response = client.post(
        "/account",
        data={
            "action": "preferences",
            "prefs-name": "New Name",
            "prefs-locale": "fr",
            "prefs-timezone": "Africa/Accra",
        },
    )
    assert response.status_code == 302
    with app.app_context():
        saved = db.session.get(User, user.id)
        assert (saved.name, saved.locale, saved.timezone) == ("New Name", "fr", "Africa/Accra")
