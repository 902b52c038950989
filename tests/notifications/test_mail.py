"""E-mail through a real SMTP server (aiosmtpd on 127.0.0.1): queued with the act, sent by
the worker (`flask worker --once`) only once the act commits."""

from __future__ import annotations

import re
import time

from flask_babel import force_locale
from itsdangerous.timed import TimestampSigner

from coalition import mail
from coalition.accounts.models import User
from coalition.extensions import db
from coalition.notifications import messages
from coalition.notifications.services import notify_users
from coalition.outbox.models import MailStatus, OutgoingMail
from tests.conftest import PASSWORD

NEW_PASSWORD = "a brand new passphrase"


def _reset_link(message) -> str:
    body = message.get_content()
    match = re.search(r"https?://coalition\.test(/password/reset/\S+)", body)
    assert match, body
    return match.group(1)


def _log_in(client, email: str, password: str):
    return client.post("/login", data={"email": email, "password": password})


def test_a_password_reset_mail_arrives_and_its_link_sets_a_new_password(
    client, make_user, smtp_server, deliver
):
    user = make_user(email="forgetful@example.org")

    response = client.post("/password/forgot", data={"email": "Forgetful@Example.org"})

    assert response.status_code == 302
    assert smtp_server.messages == []  # the request only queued it
    deliver()
    [message] = smtp_server.messages
    assert message["To"] == user.email
    assert message["Subject"] == "Reset your Coalition password"
    link = _reset_link(message)

    assert client.get(link).status_code == 200
    response = client.post(link, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/login")

    assert _log_in(client, user.email, PASSWORD).status_code == 422
    assert _log_in(client, user.email, NEW_PASSWORD).status_code == 302
    client.post("/logout")

    # The link died with the old password.
    dead = client.get(link)
    assert dead.status_code == 302
    assert dead.headers["Location"].endswith("/password/forgot")
    client.post(link, data={"password": "yet another passphrase", "confirm": "x"})
    assert _log_in(client, user.email, NEW_PASSWORD).status_code == 302


def test_an_expired_reset_link_is_refused(
    client, app, make_user, smtp_server, deliver, monkeypatch
):
    user = make_user(email="slow@example.org")
    max_age = app.config["PASSWORD_RESET_MAX_AGE"]
    signed_at = int(time.time()) - max_age - 60
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: signed_at)
    client.post("/password/forgot", data={"email": user.email})
    monkeypatch.undo()
    deliver()
    link = _reset_link(smtp_server.messages[0])

    response = client.get(link)
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/password/forgot")
    client.post(link, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert _log_in(client, user.email, NEW_PASSWORD).status_code == 422
    assert _log_in(client, user.email, PASSWORD).status_code == 302


def test_no_mail_reveals_whether_an_address_has_an_account(client, smtp_server, deliver):
    response = client.post("/password/forgot", data={"email": "nobody@example.org"})
    assert response.status_code == 302
    deliver()
    assert smtp_server.messages == []


def test_a_notification_mail_arrives_after_commit_with_a_link(app, make_user, smtp_server, deliver):
    user = make_user(email="delegate@example.org")
    with app.test_request_context():
        notify_users(
            [db.session.get(User, user.id)],
            "representation.verified",
            link="/participants/GHA",
            participant="Ghana",
        )
        db.session.commit()
    assert smtp_server.messages == []  # not by the request itself
    deliver()

    [message] = smtp_server.messages
    assert message["To"] == "delegate@example.org"
    assert message["Subject"] == "You now represent Ghana"
    body = message.get_content()
    assert "Staff verified that you represent Ghana." in body
    assert "http://coalition.test/participants/GHA" in body


def test_each_recipient_gets_the_mail_in_their_own_language(app, make_user, smtp_server, deliver):
    english = make_user(email="english@example.org", locale="en")
    french = make_user(email="french@example.org", locale="fr")
    with app.test_request_context():
        notify_users(
            [db.session.get(User, english.id), db.session.get(User, french.id)],
            "membership.approved",
            participant="Ghana",
            body="Paris Call",
        )
        db.session.commit()
        with force_locale("fr"):
            french_subject, _body = messages.render(
                "membership.approved", {"participant": "Ghana", "body": "Paris Call"}
            )
    deliver()

    subjects = {m["To"]: m["Subject"] for m in smtp_server.messages}
    assert subjects["english@example.org"] == "Ghana is now a member of Paris Call"
    # Whatever the French catalog says (the English text until it exists), the French
    # reader's mail is rendered in French, not in the sender's language.
    assert subjects["french@example.org"] == french_subject


def _queued() -> list[OutgoingMail]:
    return list(db.session.scalars(db.select(OutgoingMail).order_by(OutgoingMail.id)))


def test_a_rolled_back_act_queues_no_mail(app, make_user, smtp_server, deliver):
    user = make_user()
    with app.test_request_context():
        notify_users([db.session.get(User, user.id)], "representation.verified", participant="X")
        db.session.rollback()
        db.session.commit()
        assert _queued() == []
    deliver()
    assert smtp_server.messages == []


def test_a_mail_server_that_is_down_neither_undoes_the_act_nor_loses_the_mail(
    app, make_user, smtp_server, deliver
):
    user = make_user(email="patient@example.org")
    port = app.config["MAIL_PORT"]
    app.config["MAIL_PORT"] = 1  # nothing listens there
    with app.test_request_context():
        notify_users([db.session.get(User, user.id)], "representation.verified", participant="X")
        db.session.commit()
    deliver()
    with app.app_context():
        from coalition.notifications.services import unread_count

        assert unread_count(db.session.get(User, user.id)) == 1
        [queued] = _queued()
        assert (queued.status, queued.attempts) == (MailStatus.QUEUED, 1)
        assert "ConnectionRefusedError" in queued.last_error
        # The mail server is back and the back-off has passed.
        queued.next_attempt_at = queued.created_at
        db.session.commit()
    app.config["MAIL_PORT"] = port
    deliver()
    [message] = smtp_server.messages
    assert message["To"] == "patient@example.org"
    with app.app_context():
        [sent] = _queued()
        assert sent.status == MailStatus.SENT
        assert message["Message-ID"] == sent.message_id


def test_a_mail_queued_inside_a_savepoint_goes_with_the_outer_transaction(
    app, make_user, smtp_server, deliver
):
    user = make_user()
    with app.test_request_context():
        notify_users([db.session.get(User, user.id)], "representation.verified", participant="X")
        with db.session.begin_nested():  # what services do to catch an IntegrityError
            db.session.flush()
        db.session.rollback()
    deliver()
    assert smtp_server.messages == []


def test_a_rollback_drops_mail_queued_before_any_query(app, smtp_server, deliver):
    with app.test_request_context():
        mail.queue("someone@example.org", "subject", "body")
        db.session.rollback()
        db.session.commit()
    deliver()
    assert smtp_server.messages == []
