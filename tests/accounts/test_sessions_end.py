"""Ending a session ends it on the server: a copy of the session cookie taken before
logging out, a new password, a disabled account or an ended representation no longer
opens anything afterwards, on any app server (the check is in the database, not the
cookie)."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from coalition.accounts import services as accounts
from coalition.accounts.models import User
from coalition.extensions import db
from coalition.representations.models import Representation, RepresentationStatus
from tests.conftest import PASSWORD

NEW_PASSWORD = "another long password"


def logged_in_client(app, user: User, password: str = PASSWORD):
    client = app.test_client()
    response = client.post("/login", data={"email": user.email, "password": password})
    assert response.status_code == 302, "logging in failed"
    return client


def copy_of(app, client):
    """Another browser holding a copy of *client*'s session cookie (say, stolen)."""
    cookie = client.get_cookie("session", domain="coalition.test")
    assert cookie is not None
    thief = app.test_client()
    thief.set_cookie("session", cookie.value, domain=cookie.domain)
    return thief


def opens_the_dashboard(client) -> bool:
    response = client.get("/dashboard")
    assert response.status_code in (200, 302)
    return response.status_code == 200


def test_no_remember_me_cookie_is_ever_set(app, make_user):
    """Only the session cookie exists: there is no long-lived cookie to end as well."""
    client = logged_in_client(app, make_user())
    assert client.get_cookie("remember_token", domain="coalition.test") is None
    assert client.get_cookie("session", domain="coalition.test") is not None


def test_a_session_cookie_copied_before_logout_no_longer_opens_anything(app, make_user):
    client = logged_in_client(app, make_user())
    copy = copy_of(app, client)
    assert opens_the_dashboard(copy)

    assert client.post("/logout").status_code == 302

    assert not opens_the_dashboard(client)
    assert not opens_the_dashboard(copy)


def test_logging_out_ends_the_persons_other_sessions_too(app, make_user):
    """The price of ending a session for good without keeping sessions on the server:
    the person's other browsers have to log in again."""
    user = make_user()
    here, elsewhere = logged_in_client(app, user), logged_in_client(app, user)

    here.post("/logout")

    assert not opens_the_dashboard(elsewhere)
    # Logging in again works at once.
    assert opens_the_dashboard(logged_in_client(app, user))


def test_changing_the_password_ends_a_copied_session_and_keeps_this_one(app, make_user):
    client = logged_in_client(app, make_user())
    copy = copy_of(app, client)

    response = client.post(
        "/account",
        data={
            "action": "password",
            "password-current_password": PASSWORD,
            "password-new_password": NEW_PASSWORD,
            "password-confirm": NEW_PASSWORD,
        },
    )

    assert response.status_code == 302
    assert opens_the_dashboard(client)
    assert not opens_the_dashboard(copy)


def test_resetting_the_password_ends_every_session(app, make_user):
    user = make_user()
    client = logged_in_client(app, user)
    copy = copy_of(app, client)
    with app.test_request_context():
        token = accounts.password_reset_token(db.session.get(User, user.id))

    response = app.test_client().post(
        f"/password/reset/{token}", data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
    )

    assert response.status_code == 302
    assert not opens_the_dashboard(client)
    assert not opens_the_dashboard(copy)


def test_a_disabled_account_stays_logged_out_once_enabled_again(app, make_user, login_as):
    user = make_user()
    client = logged_in_client(app, user)
    copy = copy_of(app, client)
    admin = login_as(make_user(staff=True, admin=True))

    assert admin.post(f"/staff/users/{user.id}/enabled", data={"enabled": "0"}).status_code == 303
    assert not opens_the_dashboard(copy)
    assert admin.post(f"/staff/users/{user.id}/enabled", data={"enabled": "1"}).status_code == 303

    assert not opens_the_dashboard(client)
    assert not opens_the_dashboard(copy)


def _representation_of(user: User) -> Representation:
    return db.session.scalars(
        sa.select(Representation).where(
            Representation.user_id == user.id,
            Representation.status == RepresentationStatus.VERIFIED,
        )
    ).one()


def _representation_id(app, user: User) -> int:
    # In an app context of its own: requests made while one is pushed would share it,
    # and Flask-Login's user with it.
    with app.app_context():
        return _representation_of(user).id


def test_staff_ending_a_representation_ends_the_persons_sessions(app, make_user, login_as):
    delegate = make_user(represent="GHA")
    client = logged_in_client(app, delegate)
    copy = copy_of(app, client)
    rep_id = _representation_id(app, delegate)
    staff = login_as(make_user(staff=True))

    response = staff.post(f"/representations/{rep_id}/end", data={"reason": "Posted home."})

    assert response.status_code == 303
    assert not opens_the_dashboard(client)
    assert not opens_the_dashboard(copy)


def test_ending_ones_own_representation_keeps_this_session_only(app, make_user):
    delegate = make_user(represent="GHA")
    client = logged_in_client(app, delegate)
    copy = copy_of(app, client)
    rep_id = _representation_id(app, delegate)

    response = client.post(f"/representations/{rep_id}/end", data={"reason": ""})

    assert response.status_code == 303
    assert opens_the_dashboard(client)
    assert not opens_the_dashboard(copy)


@pytest.mark.parametrize("act", ["logout", "password", "disable", "end_representation"])
def test_the_session_epoch_is_what_ends_them(app, app_ctx, make_user, act):
    """Each act raises the person's session epoch in the database, whatever the server
    that answered it: another app server reading that row refuses the old sessions."""
    user = make_user(represent="GHA")
    before = db.session.get(User, user.id).session_epoch
    person = db.session.get(User, user.id)
    if act == "logout":
        accounts.end_sessions(person)
    elif act == "password":
        accounts.change_password(person, PASSWORD, NEW_PASSWORD)
    elif act == "disable":
        accounts.set_enabled(person, False, actor=make_user(staff=True, admin=True))
    else:
        from coalition.representations.services import end_representation

        end_representation(_representation_of(person), actor=person)
    db.session.commit()
    db.session.expire_all()
    assert db.session.get(User, user.id).session_epoch == before + 1
