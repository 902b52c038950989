"""The notifications inbox: newest first, in the reader's language, read and unread."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from flask_babel import force_locale

from coalition.accounts.models import User
from coalition.extensions import db
from coalition.notifications import messages
from coalition.notifications.models import Notification


def _notify(app, user: User, kind: str, *, minutes_ago: int = 0, link: str | None = None, **data):
    with app.app_context():
        note = Notification(
            user_id=user.id,
            kind=kind,
            data=data,
            link=link,
            created_at=datetime.now(UTC) - timedelta(minutes=minutes_ago),
        )
        db.session.add(note)
        db.session.commit()
        return note.id


def _unread(app, user: User) -> int:
    with app.app_context():
        return db.session.scalar(
            sa.select(sa.func.count(Notification.id)).where(
                Notification.user_id == user.id, Notification.read_at.is_(None)
            )
        )


def test_the_inbox_needs_a_login(client):
    response = client.get("/notifications")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_the_inbox_lists_the_users_own_notifications_newest_first_with_links(
    client, app, login_as, make_user
):
    user = make_user()
    other = make_user()
    _notify(
        app,
        user,
        "representation.verified",
        minutes_ago=30,
        participant="Ghana",
        link="/participants/GHA",
    )
    _notify(
        app,
        user,
        "membership.approved",
        minutes_ago=5,
        participant="Ghana",
        body="Paris Call",
        link="/initiatives/paris-call",
    )
    _notify(app, other, "representation.verified", participant="Secretland")
    login_as(user)

    html = client.get("/notifications").get_data(as_text=True)

    newest = html.index("Ghana is now a member of Paris Call")
    oldest = html.index("You now represent Ghana")
    assert newest < oldest
    assert "Staff verified that you represent Ghana. You can now act for it." in html
    assert 'href="/participants/GHA"' in html
    assert 'href="/initiatives/paris-call"' in html
    assert "Secretland" not in html
    assert "You have 2 unread notifications." in html
    assert html.count(">Unread</span>") == 2


def test_an_offsite_link_in_a_notification_is_not_rendered_as_a_link(
    client, app, login_as, make_user
):
    user = make_user()
    _notify(app, user, "representation.verified", participant="Ghana", link="//evil.example/phish")
    login_as(user)
    assert "evil.example" not in client.get("/notifications").get_data(as_text=True)


def test_the_text_is_rendered_in_the_readers_language(client, app, login_as, make_user):
    user = make_user(locale="fr")
    _notify(app, user, "representation.verified", participant="Ghana")
    with app.test_request_context(), force_locale("fr"):
        subject, body = messages.render("representation.verified", {"participant": "Ghana"})
    login_as(user)

    html = client.get("/notifications").get_data(as_text=True)

    assert '<html lang="fr">' in html
    assert subject in html
    assert body in html


def test_mark_all_as_read_touches_only_the_users_notifications(client, app, login_as, make_user):
    user = make_user()
    other = make_user()
    for _ in range(3):
        _notify(app, user, "representation.verified", participant="Ghana")
    _notify(app, other, "representation.verified", participant="Ghana")
    login_as(user)

    response = client.post("/notifications/read")

    assert response.status_code == 303
    assert _unread(app, user) == 0
    assert _unread(app, other) == 1
    html = client.get("/notifications").get_data(as_text=True)
    assert "3 notifications marked as read." in html
    assert "You have read all your notifications." in html
    assert ">Unread</span>" not in html
    assert "Mark all as read" not in html


def test_mark_one_as_read(client, app, login_as, make_user):
    user = make_user()
    first = _notify(app, user, "representation.verified", participant="Ghana")
    _notify(app, user, "representation.verified", participant="France")
    login_as(user)

    response = client.post(f"/notifications/{first}/read")

    assert response.status_code == 303
    assert _unread(app, user) == 1
    with app.app_context():
        assert db.session.get(Notification, first).read_at is not None


def test_nobody_marks_someone_elses_notification(client, app, login_as, make_user):
    owner = make_user()
    note = _notify(app, owner, "representation.verified", participant="Ghana")
    login_as(make_user())

    assert client.post(f"/notifications/{note}/read").status_code == 404
    assert _unread(app, owner) == 1


def test_anonymous_visitors_cannot_mark_anything(client, app, make_user):
    owner = make_user()
    note = _notify(app, owner, "representation.verified", participant="Ghana")
    assert client.post(f"/notifications/{note}/read").status_code == 302
    assert client.post("/notifications/read").status_code == 302
    assert _unread(app, owner) == 1


def test_the_header_badge_counts_unread_notifications(client, app, login_as, make_user):
    user = make_user()
    _notify(app, user, "representation.verified", participant="Ghana")
    _notify(app, user, "representation.verified", participant="Ghana")
    login_as(user)
    html = client.get("/notifications").get_data(as_text=True)
    # The number for the eye; the words for a screen reader (no aria-label on a span).
    assert '<span class="badge" aria-hidden="true">2</span>' in html
    assert '<span class="visually-hidden">2 unread</span>' in html


def test_the_inbox_is_paginated_with_a_bounded_number_of_queries(
    client, app, login_as, make_user, count_queries
):
    user = make_user()
    _notify(app, user, "representation.verified", participant="Ghana")
    login_as(user)
    with count_queries() as one:
        client.get("/notifications")
    for n in range(6):
        _notify(
            app, user, "membership.approved", minutes_ago=n, participant="Ghana", body=f"Body {n}"
        )
    with count_queries() as seven:
        page = client.get("/notifications?per_page=5")

    assert "Page 1 of 2" in page.get_data(as_text=True)
    assert page.get_data(as_text=True).count('<li class="notification') == 5
    assert seven.count == one.count


def test_an_empty_inbox_says_what_will_appear(client, login_as, make_user):
    login_as(make_user())
    assert "You have no notifications yet." in client.get("/notifications").get_data(as_text=True)
