"""The foundation's own guarantees: time handling, sanitized Markdown, states, CLI, history."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import DBAPIError, IntegrityError, StatementError

from coalition.accounts.models import User
from coalition.audit.models import AuditEvent
from coalition.audit.services import record
from coalition.extensions import db
from coalition.markdown import render
from coalition.participants import countries
from coalition.participants.models import Participant, ParticipantKind
from coalition.representations.models import Representation, RepresentationStatus
from tests.conftest import state


def test_times_come_back_aware_in_utc(app_ctx):
    user = User(
        email="tz@example.org",
        name="Tz",
        password_hash="x",
        created_at=datetime(2019, 9, 26, 10, 0, tzinfo=timezone(timedelta(hours=-4))),
    )
    db.session.add(user)
    db.session.flush()
    db.session.expire_all()
    again = db.session.get(User, user.id)
    assert again.created_at == datetime(2019, 9, 26, 14, 0, tzinfo=UTC)
    assert again.created_at.tzinfo is not None


def test_a_naive_time_is_refused_rather_than_guessed(app_ctx):
    db.session.add(
        User(
            email="naive@example.org",
            name="N",
            password_hash="x",
            created_at=datetime(2019, 9, 26, 10, 0),  # noqa: DTZ001 (naive on purpose)
        )
    )
    with pytest.raises(StatementError, match="naive datetime"):
        db.session.flush()
    db.session.rollback()


def test_markdown_is_rendered_and_sanitized():
    html = str(
        render(
            "**Bold** [ok](https://example.org) [bad](javascript:alert(1))\n\n"
            "<script>alert(1)</script><img src=x onerror=alert(1)>"
        )
    )
    assert "<strong>Bold</strong>" in html
    assert 'href="https://example.org"' in html
    assert 'href="javascript' not in html
    assert "<script" not in html
    assert "<img" not in html
    assert not re.search(r"<[^>]*onerror", html)  # the text may mention it; no tag carries it


def test_all_un_member_and_observer_states_are_known_with_capital_zones():
    records = {r.alpha3: r for r in countries.states()}
    assert len(records) == 195
    assert sum(r.un_status == "observer" for r in records.values()) == 2
    assert records["VAT"].un_status == "observer"
    assert records["PSE"].un_status == "observer"
    assert "TWN" not in records
    assert "XKX" not in records
    assert records["GHA"].timezone == "Africa/Accra"
    assert records["USA"].timezone == "America/New_York"
    assert records["CAN"].timezone == "America/Toronto"
    assert records["FRA"].timezone == "Europe/Paris"
    assert all(r.timezone != "UTC" for r in records.values())


def test_seeding_twice_creates_nothing_new(app_ctx):
    from coalition.participants.services import seed_states

    assert seed_states() == (0, 0)
    count = db.session.scalar(
        sa.select(sa.func.count()).where(Participant.kind == ParticipantKind.STATE)
    )
    assert count == 195


def test_a_state_row_must_have_an_iso_code_and_no_category(app_ctx):
    db.session.add(
        Participant(kind=ParticipantKind.STATE, code="xx", name="Nowhere", iso_alpha2=None)
    )
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_audit_events_can_be_neither_rewritten_nor_deleted(app_ctx):
    event = record("test.act", object_type="test", object_id=1, actor=None)
    db.session.flush()
    with pytest.raises(DBAPIError, match="append-only"):
        db.session.execute(
            sa.update(AuditEvent).where(AuditEvent.id == event.id).values(action="rewritten")
        )
    db.session.rollback()
    event = record("test.act", object_type="test", object_id=1, actor=None)
    db.session.flush()
    with pytest.raises(DBAPIError, match="append-only"):
        db.session.execute(sa.delete(AuditEvent).where(AuditEvent.id == event.id))
    db.session.rollback()


def test_representations_are_never_deleted(app_ctx, make_user):
    user = make_user(represent="GHA")
    with pytest.raises(DBAPIError, match="append-only"):
        db.session.execute(sa.delete(Representation).where(Representation.user_id == user.id))
    db.session.rollback()


def test_one_focal_point_at_a_time_is_held_by_the_database(app_ctx, make_user):
    make_user(represent="GHA", focal_point=True)
    with pytest.raises(IntegrityError):
        make_user(represent="GHA", focal_point=True)


def test_cli_seed_and_user_and_token(runner, app):
    result = runner.invoke(args=["seed"])
    assert result.exit_code == 0
    assert "0 created" in result.output
    result = runner.invoke(
        args=[
            "user",
            "create",
            "focal@example.org",
            "--password",
            "a long password",
            "--represent",
            "GHA",
        ]
    )
    assert result.exit_code == 0, result.output
    result = runner.invoke(args=["token", "create", "focal@example.org"])
    assert result.exit_code == 0
    token = result.output.strip()
    assert token.startswith("coa_")
    with app.app_context():
        from coalition.accounts.models import ApiToken
        from coalition.accounts.services import user_for_api_token

        user = user_for_api_token(token)
        assert user is not None
        assert user.email == "focal@example.org"
        stored = db.session.scalars(sa.select(ApiToken.token_hash)).all()
        assert token not in stored  # only its digest is kept
        rep = db.session.scalars(
            sa.select(Representation).where(Representation.user_id == user.id)
        ).one()
        assert rep.participant_id == state("GHA").id
        assert rep.status is RepresentationStatus.VERIFIED


def test_cli_user_create_refuses_an_unknown_participant(runner):
    result = runner.invoke(args=["user", "create", "x@example.org", "--represent", "ZZZ"])
    assert result.exit_code != 0
    assert "ZZZ" in result.output


def test_unknown_pages_are_html_404_and_unknown_api_paths_problem_json(client):
    page = client.get("/no-such-page")
    assert page.status_code == 404
    assert page.mimetype == "text/html"
    api = client.get("/api/v1/no-such-thing")
    assert api.status_code == 404
    assert api.mimetype == "application/problem+json"
    assert set(api.get_json()) >= {"type", "title", "status", "detail"}


def test_openapi_document_is_generated(client):
    doc = client.get("/api/v1/openapi.json").get_json()
    assert doc["openapi"].startswith("3.")
    assert "bearerAuth" in doc["components"]["securitySchemes"]
