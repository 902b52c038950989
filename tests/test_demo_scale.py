"""`flask demo --scale N` builds N times the real size, keeping every invariant: a small
fraction of the real size is built on a database of its own, then checked with SQL."""

# The queries are literal text built from constants of this file: no injection here.
# ruff: noqa: S608

from __future__ import annotations

from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from flask import Flask

from coalition.audit.models import AuditEvent
from coalition.demo.scale import Targets
from coalition.extensions import db
from tests.own_database import fresh_database_app

pytestmark = pytest.mark.committed

SCALE = 0.05


@pytest.fixture(scope="module")
def scaled(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Flask, str]]:
    for app in fresh_database_app(tmp_path_factory, DEMO=True):
        result = app.test_cli_runner().invoke(args=["demo", "--scale", str(SCALE)])
        assert result.exit_code == 0, result.output
        yield app, result.output


@pytest.fixture
def sql(scaled):
    app, _output = scaled
    with app.app_context():

        def run(statement: str) -> list[tuple]:
            return [tuple(row) for row in db.session.execute(sa.text(statement))]

        yield run
        db.session.rollback()


def _one(rows: list[tuple]) -> int:
    return rows[0][0]


def test_the_command_says_what_it_added(scaled):
    _app, output = scaled
    assert "Scale 0.05 loaded" in output
    assert "audit_events" in output
    assert "staff@coalition.example" in output  # the demo accounts, to log in with


def test_postgresql_has_statistics_after_the_bulk_load(scaled, sql):
    """Without them the planner guesses that a filter matching most of the audit log
    matches a few rows: its capped count took 0.5 s instead of 4 ms at 10 times the
    real size."""
    app, _output = scaled
    with app.app_context():
        dialect = db.engine.dialect.name
    if dialect != "postgresql":
        pytest.skip("SQLite is left without statistics, as it runs in production")
    [(vacuumed, analyzed)] = sql(
        "SELECT last_vacuum IS NOT NULL, last_analyze IS NOT NULL "
        "FROM pg_stat_user_tables WHERE relname = 'audit_events'"
    )
    assert vacuumed
    assert analyzed


def test_the_counts_are_the_scaled_real_size(sql):
    targets = Targets.of(SCALE, _one(sql("SELECT count(*) FROM participants WHERE kind = 'state'")))
    assert _one(sql("SELECT count(*) FROM initiatives")) == targets.initiatives
    assert _one(sql("SELECT count(*) FROM working_groups")) >= targets.groups
    assert _one(sql("SELECT count(*) FROM meetings")) >= 0.97 * targets.meetings
    assert _one(sql("SELECT count(*) FROM participants")) >= targets.participants
    events = _one(sql("SELECT count(*) FROM audit_events"))
    assert 0.97 * targets.events <= events <= 1.03 * targets.events
    memberships = _one(sql("SELECT count(*) FROM memberships"))
    assert 0.8 * targets.memberships <= memberships <= 1.2 * targets.memberships
    assert _one(sql("SELECT count(*) FROM meeting_rsvps")) > 0
    assert _one(sql("SELECT count(*) FROM meeting_invitations")) > 0


def test_the_largest_initiative_holds_every_state(sql):
    slug, count = sql("SELECT slug, active_count FROM bodies JOIN initiatives USING (id) "
                      "ORDER BY active_count DESC LIMIT 1")[0]  # fmt: skip
    missing = sql(
        "SELECT code FROM participants p WHERE kind = 'state' AND NOT EXISTS ("
        "SELECT 1 FROM memberships m JOIN bodies b ON b.id = m.body_id "
        f"WHERE b.slug = '{slug}' AND m.participant_id = p.id AND m.status = 'active')"
    )
    assert missing == []
    assert count >= 195


def test_at_most_one_open_membership_per_body_and_participant(sql):
    assert (
        sql(
            "SELECT body_id, participant_id FROM memberships "
            "WHERE status IN ('pending', 'invited', 'active') "
            "GROUP BY body_id, participant_id HAVING count(*) > 1"
        )
        == []
    )


def test_active_count_is_the_number_of_active_memberships_within_the_seat_limit(sql):
    assert (
        sql(
            "SELECT b.slug, b.active_count, (SELECT count(*) FROM memberships m "
            "WHERE m.body_id = b.id AND m.status = 'active') AS n FROM bodies b "
            "WHERE b.active_count <> (SELECT count(*) FROM memberships m "
            "WHERE m.body_id = b.id AND m.status = 'active')"
        )
        == []
    )
    assert sql("SELECT slug FROM bodies WHERE seat_limit < active_count") == []


def test_closed_memberships_have_ended_and_active_ones_began(sql):
    assert (
        sql(
            "SELECT id FROM memberships WHERE status NOT IN ('pending', 'invited', 'active') "
            "AND ended_at IS NULL"
        )
        == []
    )
    assert sql("SELECT id FROM memberships WHERE status = 'active' AND since IS NULL") == []
    assert sql("SELECT id FROM memberships WHERE ended_at < created_at OR since < created_at") == []
    assert _one(sql("SELECT count(*) FROM memberships WHERE status = 'withdrawn'")) > 0


def test_no_participant_has_more_proposals_waiting_than_the_rule_allows(sql):
    from coalition import limits

    most = _one(
        sql(
            "SELECT coalesce(max(n), 0) FROM (SELECT count(*) AS n FROM initiatives "
            "WHERE status = 'proposed' GROUP BY proposed_by_id) AS waiting"
        )
    )
    assert 0 < most <= limits.PROPOSALS_WAITING_MAX


def test_states_are_members_and_organizations_partners(sql):
    assert (
        sql(
            "SELECT m.id FROM memberships m JOIN participants p ON p.id = m.participant_id "
            "WHERE (p.kind = 'state') <> (m.role = 'member')"
        )
        == []
    )


def test_co_chairs_are_active_state_members_and_active_initiatives_have_one(sql):
    assert (
        sql(
            "SELECT c.id FROM co_chairs c JOIN participants p ON p.id = c.participant_id "
            "WHERE c.ended_at IS NULL AND (p.kind <> 'state' OR NOT EXISTS ("
            "SELECT 1 FROM memberships m WHERE m.body_id = c.body_id "
            "AND m.participant_id = c.participant_id AND m.status = 'active' "
            "AND m.since <= c.started_at))"
        )
        == []
    )
    assert (
        sql(
            "SELECT i.id FROM initiatives i WHERE i.status = 'active' AND NOT EXISTS ("
            "SELECT 1 FROM co_chairs c WHERE c.body_id = i.id AND c.ended_at IS NULL)"
        )
        == []
    )


def test_group_members_are_active_members_of_the_initiative(sql):
    assert (
        sql(
            "SELECT m.id FROM memberships m JOIN working_groups g ON g.id = m.body_id "
            "WHERE g.initiative_id IS NOT NULL AND m.status = 'active' AND NOT EXISTS ("
            "SELECT 1 FROM memberships i WHERE i.body_id = g.initiative_id "
            "AND i.participant_id = m.participant_id AND i.status = 'active')"
        )
        == []
    )
    assert _one(sql("SELECT count(*) FROM working_groups WHERE initiative_id IS NOT NULL")) > 0


def test_answers_come_from_open_invitations_and_invitations_from_members(sql):
    assert (
        sql(
            "SELECT r.id FROM meeting_rsvps r WHERE NOT EXISTS ("
            "SELECT 1 FROM meeting_invitations v "
            "WHERE v.meeting_id = r.meeting_id AND v.participant_id = r.participant_id "
            "AND v.withdrawn_at IS NULL)"
        )
        == []
    )
    # A member invitation: a membership of the body active when it was made (or, for an
    # Alliance-wide meeting, an endorsement).
    assert (
        sql(
            "SELECT v.id FROM meeting_invitations v JOIN meetings e ON e.id = v.meeting_id "
            "WHERE v.source = 'member' AND e.body_id IS NOT NULL AND NOT EXISTS ("
            "SELECT 1 FROM memberships m WHERE m.body_id = e.body_id "
            "AND m.participant_id = v.participant_id AND m.since <= v.created_at "
            "AND (m.ended_at IS NULL OR m.ended_at > v.created_at))"
        )
        == []
    )
    assert (
        sql(
            "SELECT v.id FROM meeting_invitations v JOIN meetings e ON e.id = v.meeting_id "
            "WHERE v.source = 'member' AND e.body_id IS NULL AND NOT EXISTS ("
            "SELECT 1 FROM endorsements n WHERE n.participant_id = v.participant_id "
            "AND n.endorsed_at <= v.created_at)"
        )
        == []
    )
    assert (
        sql(
            "SELECT meeting_id, participant_id FROM meeting_invitations WHERE withdrawn_at IS NULL "
            "GROUP BY meeting_id, participant_id HAVING count(*) > 1"
        )
        == []
    )


def test_meetings_to_come_invite_exactly_the_active_members(sql):
    """What the membership hooks keep: for a scheduled meeting still to come, the open
    member invitations are the body's active members."""
    future = "e.status = 'scheduled' AND e.starts_at > CURRENT_TIMESTAMP AND e.body_id IS NOT NULL"
    assert _one(sql(f"SELECT count(*) FROM meetings e WHERE {future}")) > 0
    assert (
        sql(
            "SELECT e.id, m.participant_id FROM meetings e JOIN memberships m "
            f"ON m.body_id = e.body_id AND m.status = 'active' WHERE {future} AND NOT EXISTS ("
            "SELECT 1 FROM meeting_invitations v WHERE v.meeting_id = e.id "
            "AND v.participant_id = m.participant_id AND v.withdrawn_at IS NULL)"
        )
        == []
    )
    assert (
        sql(
            "SELECT v.id FROM meeting_invitations v JOIN meetings e ON e.id = v.meeting_id "
            f"WHERE {future} AND v.source = 'member' AND v.withdrawn_at IS NULL AND NOT EXISTS ("
            "SELECT 1 FROM memberships m WHERE m.body_id = e.body_id "
            "AND m.participant_id = v.participant_id AND m.status = 'active')"
        )
        == []
    )


def test_every_membership_has_its_public_events(sql):
    assert (
        sql(
            "SELECT m.id FROM memberships m WHERE NOT EXISTS (SELECT 1 FROM audit_events a "
            "WHERE a.object_type = 'membership' AND a.object_id = m.id AND a.is_public)"
        )
        == []
    )
    assert (
        sql(
            "SELECT m.id FROM memberships m WHERE m.status = 'withdrawn' AND NOT EXISTS ("
            "SELECT 1 FROM audit_events a WHERE a.object_type = 'membership' "
            "AND a.object_id = m.id AND a.action = 'membership.withdraw')"
        )
        == []
    )


def test_new_rows_after_the_scale_get_fresh_ids(scaled):
    """The ids were given by the generator: the database's own sequences go on after them."""
    app, _output = scaled
    with app.app_context():
        top = db.session.scalar(sa.select(sa.func.max(AuditEvent.id)))
        event = AuditEvent(action="test.after_scale", object_type="test", object_id=None)
        db.session.add(event)
        db.session.flush()
        assert event.id > top
        db.session.rollback()


def test_the_scale_needs_the_demo_switch(tmp_path_factory):
    for app in fresh_database_app(tmp_path_factory):
        app.config["DEMO"] = False
        result = app.test_cli_runner().invoke(args=["demo", "--scale", "0.01"])
        assert result.exit_code != 0
        assert "COALITION_DEMO=1" in result.output
