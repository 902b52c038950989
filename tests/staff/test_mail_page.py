"""/staff/mail: staff see mail that keeps failing, with the last error, and send it again."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from coalition.audit.models import AuditEvent
from coalition.db import utcnow
from coalition.extensions import db
from coalition.outbox.models import MailStatus, OutgoingMail


@pytest.fixture
def make_mail(app):
    """make_mail(status, attempts, last_error) → id of a message in that state."""

    def factory(
        status: MailStatus = MailStatus.FAILED,
        *,
        attempts: int = 8,
        last_error: str | None = "421 4.7.0 Try again later",
        to: str = "someone@example.org",
    ) -> int:
        now = utcnow()
        with app.app_context():
            message = OutgoingMail(
                recipient=to,
                sender="Coalition <no-reply@localhost>",
                subject="A subject",
                body="A body",
                message_id="<x@coalition>",
                status=status,
                attempts=attempts,
                last_error=last_error,
                last_attempt_at=now if attempts else None,
                next_attempt_at=now + timedelta(minutes=5),
                sent_at=now if status == MailStatus.SENT else None,
            )
            db.session.add(message)
            db.session.commit()
            return message.id

    return factory


def test_staff_see_failing_and_failed_mail_with_the_last_error(
    client, make_user, login_as, make_mail
):
    make_mail(to="failed@example.org")
    make_mail(
        MailStatus.QUEUED, attempts=2, last_error="Connection refused", to="failing@example.org"
    )
    make_mail(MailStatus.QUEUED, attempts=0, last_error=None, to="waiting@example.org")
    make_mail(MailStatus.SENT, attempts=1, last_error=None, to="sent@example.org")
    login_as(make_user(staff=True))

    response = client.get("/staff/mail")

    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "failed@example.org" in html
    assert "421 4.7.0 Try again later" in html
    assert "failing@example.org" in html
    assert "Connection refused" in html
    assert "waiting@example.org" not in html  # no trouble yet
    assert "sent@example.org" not in html
    assert "2 messages waiting to be sent" in html
    assert "1 message failed for good" in html
    index = client.get("/staff/").get_data(as_text=True)
    assert 'href="/staff/mail"' in index
    assert "1 failed" in index


def test_the_mail_page_runs_the_same_queries_for_3_or_30_messages(
    client, make_user, login_as, make_mail, count_queries
):
    login_as(make_user(staff=True))
    counts = []
    for n in (3, 27):
        for _ in range(n):
            make_mail()
        with count_queries() as queries:
            assert client.get("/staff/mail").status_code == 200
        counts.append(queries.count)
    assert counts[0] == counts[1]


def test_the_mail_page_paginates(client, make_user, login_as, make_mail):
    for n in range(3):
        make_mail(to=f"r{n}@example.org")
    login_as(make_user(staff=True))

    html = client.get("/staff/mail?per_page=2").get_data(as_text=True)

    assert "Page 1 of 2" in html


@pytest.mark.parametrize(("who", "status"), [("anonymous", 302), ("delegate", 403), ("plain", 403)])
def test_only_staff_see_the_mail_page_or_retry(client, make_user, login_as, make_mail, who, status):
    message_id = make_mail()
    if who == "delegate":
        login_as(make_user(represent="GHA", focal_point=True))
    elif who == "plain":
        login_as(make_user())

    assert client.get("/staff/mail").status_code == status
    assert client.post(f"/staff/mail/{message_id}/retry").status_code == status
    with client.application.app_context():
        assert db.session.get(OutgoingMail, message_id).status == MailStatus.FAILED


def test_staff_send_a_failed_message_again_and_the_act_is_recorded(
    app, client, make_user, login_as, make_mail
):
    message_id = make_mail()
    staff = make_user(staff=True)
    login_as(staff)

    response = client.post(f"/staff/mail/{message_id}/retry")

    assert response.status_code == 303
    assert response.headers["Location"].endswith("/staff/mail")
    page = client.get("/staff/mail").get_data(as_text=True)
    assert "will be sent again shortly" in page
    with app.app_context():
        message = db.session.get(OutgoingMail, message_id)
        assert (message.status, message.attempts) == (MailStatus.QUEUED, 0)
        assert message.next_attempt_at <= utcnow()
        [event] = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "mail.retry"))
        assert (event.actor_id, event.object_id) == (staff.id, message_id)
        assert event.before == {"status": "failed", "attempts": 8}


def test_a_message_sent_meanwhile_is_not_sent_again(app, client, make_user, login_as, make_mail):
    message_id = make_mail(MailStatus.SENT, attempts=1, last_error=None)
    login_as(make_user(staff=True))

    response = client.post(f"/staff/mail/{message_id}/retry")

    assert response.status_code == 303
    assert "sent meanwhile" in client.get("/staff/mail").get_data(as_text=True)
    with app.app_context():
        assert db.session.get(OutgoingMail, message_id).status == MailStatus.SENT


def test_retrying_an_unknown_message_is_a_404(client, make_user, login_as):
    login_as(make_user(staff=True))
    assert client.post("/staff/mail/999999/retry").status_code == 404
