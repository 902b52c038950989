"""Links in mail come from PUBLIC_URL, never from the request (no Host header poisoning),
and production refuses to start without it."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from coalition import create_app, mail
from coalition.accounts.models import User
from coalition.config import LOCAL_PUBLIC_URL, is_production
from coalition.extensions import db
from coalition.notifications.services import notify_users
from coalition.outbox.models import OutgoingMail


def _queued_bodies() -> list[str]:
    return list(db.session.scalars(sa.select(OutgoingMail.body).order_by(OutgoingMail.id)))


@pytest.mark.parametrize(
    "headers",
    [
        {"Host": "evil.example"},
        {"Host": "coalition.test", "X-Forwarded-Host": "evil.example"},
    ],
)
def test_a_forged_host_does_not_change_the_reset_link(app, client, make_user, headers):
    make_user(email="target@example.org")

    response = client.post(
        "/password/forgot", data={"email": "target@example.org"}, headers=headers
    )

    assert response.status_code == 302
    with app.app_context():
        [body] = _queued_bodies()
    links = re.findall(r"https?://\S+", body)
    assert len(links) == 1
    assert links[0].startswith("http://coalition.test/password/reset/")
    assert "evil" not in body


def test_a_forged_host_does_not_change_links_in_notification_mail(app, make_user):
    user = make_user()
    with app.test_request_context("/", base_url="http://evil.example"):
        notify_users(
            [db.session.get(User, user.id)],
            "representation.verified",
            link="/participants/GHA",
            participant="Ghana",
        )
        db.session.commit()
        [body] = _queued_bodies()
    assert "http://coalition.test/participants/GHA" in body
    assert "evil" not in body


def test_links_follow_a_public_url_with_a_path(app):
    saved = app.config["PUBLIC_URL"]
    app.config["PUBLIC_URL"] = "https://alliance.example.org/coalition/"
    try:
        with app.test_request_context(base_url="http://evil.example"):
            assert (
                mail.external_url("accounts.reset_password", token="abc")
                == "https://alliance.example.org/coalition/password/reset/abc"
            )
            assert (
                mail.absolute_url("/participants/GHA")
                == "https://alliance.example.org/coalition/participants/GHA"
            )
        with app.app_context():  # the worker and the command line have no request
            assert mail.absolute_url("/x") == "https://alliance.example.org/coalition/x"
    finally:
        app.config["PUBLIC_URL"] = saved


def _config(**values) -> dict:
    local = "sqlite:////srv/instance/coalition.sqlite3"
    return {"DATABASE_URL": local, "LOCAL_DATABASE_URL": local, **values}


@pytest.mark.parametrize(
    ("config", "production"),
    [
        (_config(), False),  # make run: the local SQLite database
        (_config(DATABASE_URL="postgresql+psycopg://db/coalition"), True),
        (_config(DATABASE_URL="sqlite:////var/lib/coalition/site.sqlite3"), True),
        (_config(DATABASE_URL="postgresql+psycopg://db/coalition", DEBUG=True), False),
        (_config(DATABASE_URL="postgresql+psycopg://db/coalition", TESTING=True), False),
    ],
)
def test_what_counts_as_production(config, production):
    assert is_production(config) is production


def test_production_refuses_to_start_without_a_public_url(monkeypatch, tmp_path):
    monkeypatch.delenv("PUBLIC_URL", raising=False)
    monkeypatch.setenv("SECRET_KEY", "x")
    with pytest.raises(RuntimeError, match="PUBLIC_URL is not set"):
        create_app({"DATABASE_URL": f"sqlite:///{tmp_path}/site.sqlite3"})
    with pytest.raises(RuntimeError, match="must be an http"):
        create_app(
            {"DATABASE_URL": f"sqlite:///{tmp_path}/site.sqlite3", "PUBLIC_URL": "evil.example"}
        )


def test_make_run_gets_a_local_public_url(monkeypatch):
    monkeypatch.delenv("PUBLIC_URL", raising=False)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("SECRET_KEY", "x")
    monkeypatch.setenv("FLASK_RUN_FROM_CLI", "true")  # make run serves through `flask run`
    app = create_app()
    assert app.config["PUBLIC_URL"] == LOCAL_PUBLIC_URL == "http://127.0.0.1:5000"
