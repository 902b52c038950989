"""The groups' pages run as many SQL statements with 50 groups of 193 states as with 5,
and stay fast; a bulk change of 193 participants is previewed in a fixed number of
statements. The timings printed (`pytest -s`) are the note's measured numbers."""

from __future__ import annotations

import statistics
import time
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from coalition.accounts.models import User
from coalition.bodies.models import (
    CoChair,
    JoinPolicy,
    Membership,
    MembershipRole,
    MembershipStatus,
)
from coalition.extensions import db
from coalition.groups.models import GroupStatus, WorkingGroup
from coalition.initiatives.models import Axis, Initiative, InitiativeStatus
from coalition.participants.models import Participant, ParticipantKind
from tests.conftest import PASSWORD

START = datetime(2020, 6, 2, 12, tzinfo=UTC)


def _states() -> list[int]:
    return list(
        db.session.scalars(
            sa.select(Participant.id)
            .where(Participant.kind == ParticipantKind.STATE)
            .order_by(Participant.code)
            .limit(193)
        )
    )


def build(app, *, groups: int, prefix: str) -> dict[str, str]:
    """An active initiative every state belongs to, and *groups* groups of it (and one of
    the Alliance) with all 193 states as members, two co-chairs each and terms on every
    tenth member; returns slugs to visit."""
    with app.app_context():
        states = _states()
        initiative = Initiative(
            slug=f"{prefix}-initiative",
            title=f"{prefix.title()} initiative",
            summary="Every state.",
            axis=Axis.GOVERNANCE_GAPS,
            join_policy=JoinPolicy.OPEN,
            status=InitiativeStatus.ACTIVE,
            activated_at=START,
            active_count=len(states),
        )
        db.session.add(initiative)
        db.session.flush()
        bodies = [
            WorkingGroup(
                slug=f"{prefix}-group-{n:03d}",
                title=f"{prefix.title()} group {n:03d}",
                initiative_id=initiative.id if n else None,
                status=GroupStatus.ACTIVE,
                join_policy=JoinPolicy.INVITATION,
                seat_limit=200 if n % 2 else None,
                active_count=len(states),
            )
            for n in range(groups)
        ]
        db.session.add_all(bodies)
        db.session.flush()
        rows, chairs = [], []
        for body_id in [initiative.id, *(b.id for b in bodies)]:
            for i, participant_id in enumerate(states):
                rows.append(
                    {
                        "body_id": body_id,
                        "participant_id": participant_id,
                        "role": MembershipRole.MEMBER,
                        "status": MembershipStatus.ACTIVE,
                        "created_at": START,
                        "since": START,
                        "term_ends_on": (START + timedelta(days=900 + i)).date()
                        if i % 10 == 0 and body_id != initiative.id
                        else None,
                    }
                )
            chairs += [
                {"body_id": body_id, "participant_id": p, "started_at": START} for p in states[:2]
            ]
        db.session.execute(sa.insert(Membership), rows)
        db.session.execute(sa.insert(CoChair), chairs)
        db.session.commit()
        code = db.session.get(Participant, states[0]).code
        return {
            "initiative": initiative.slug,
            "group": bodies[-1].slug,
            "code": code,
        }


def measure(client, url: str, count_queries, repeat: int = 7) -> tuple[int, float]:
    """(statements of one request, median seconds over *repeat* requests)."""
    client.get(url)
    with count_queries() as q:
        response = client.get(url)
    assert response.status_code == 200, url
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        client.get(url)
        times.append(time.perf_counter() - started)
    return q.count, statistics.median(times)


def log_in(client, user) -> None:
    client.post("/logout")
    response = client.post("/login", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 302


PAGES = [
    "/groups/{group}",
    "/groups",
    "/groups/{group}/history",
    "/initiatives/{initiative}",
    "/participants/{code}",
    "/staff/",
    "/staff/rosters",
    "/staff/rosters?kind=working_group&participant={code}",
    "/staff/rosters?initiative={initiative}",
    "/staff/terms",
]


TIMED = {"/groups/{group}", "/staff/rosters"}


def test_group_and_roster_pages_run_as_many_statements_for_50_groups_as_for_5(
    app, client, count_queries, make_user
):
    log_in(client, make_user(staff=True))
    small = build(app, groups=5, prefix="small")
    counts = {page: measure(client, page.format(**small), count_queries, 1)[0] for page in PAGES}
    large = build(app, groups=50, prefix="large")
    report = []
    for page in PAGES:
        # Timed several times only where it matters most: the rosters and a group's page.
        repeat = 5 if page in TIMED else 1
        queries, seconds = measure(client, page.format(**large), count_queries, repeat)
        report.append(f"{page:55} {queries:3} statements  median {seconds * 1000:7.1f} ms")
        assert queries == counts[page], (page, counts[page], queries)
        assert seconds < 5, page
    print("\n" + "\n".join(report))


def test_the_roster_page_with_50_groups_lists_every_member(app, client, make_user):
    log_in(client, make_user(staff=True))
    build(app, groups=50, prefix="roster")
    page = client.get("/staff/rosters?kind=working_group").get_data(as_text=True)
    assert "50 bodies" in page
    assert page.count("<tr") >= 10 * 193


@pytest.mark.parametrize("size", [5, 50])
def test_the_rosters_csv_streams_every_membership(app, client, make_user, size):
    log_in(client, make_user(staff=True))
    slugs = build(app, groups=size, prefix=f"csv{size}")
    response = client.get(f"/staff/rosters.csv?initiative={slugs['initiative']}")
    lines = response.get_data(as_text=True).strip().splitlines()
    assert len(lines) == 1 + 193 * size  # the initiative and its size - 1 groups, and a header
    # Open data streams past its first batch of rows too (a server-side cursor on
    # PostgreSQL, read in the streamed response's own session).
    opendata = client.get("/data/memberships.csv").get_data(as_text=True)
    assert len(opendata.strip().splitlines()) > 193 * (size + 1)


def test_a_bulk_addition_of_193_participants_is_previewed_and_applied(
    app, client, count_queries, make_user
):
    """Preview: a fixed number of statements whatever the number of rows. Apply: every
    row through the membership machine (its rules, audit event and notices)."""
    from coalition.accounts.services import create_api_token

    staff = make_user(staff=True)
    with app.app_context():
        _row, token = create_api_token(db.session.get(User, staff.id))
        group = WorkingGroup(
            slug="big-convening-group",
            title="Big convening group",
            status=GroupStatus.ACTIVE,
            join_policy=JoinPolicy.INVITATION,
            seat_limit=200,
            active_count=0,
        )
        db.session.add(group)
        db.session.commit()
        codes = [p.code for p in db.session.scalars(sa.select(Participant).where(
            Participant.id.in_(_states())))]  # fmt: skip
    headers = {"Authorization": f"Bearer {token}"}
    url = "/api/v1/groups/big-convening-group/memberships/bulk"

    with count_queries() as few:
        client.post(url, json={"add": codes[:3], "dry_run": True}, headers=headers)
    previews = []
    for _ in range(5):
        with count_queries() as many:
            started = time.perf_counter()
            preview = client.post(url, json={"add": codes, "dry_run": True}, headers=headers)
            previews.append(time.perf_counter() - started)
    assert preview.status_code == 200
    assert [r["outcome"] for r in preview.get_json()["rows"]] == ["added"] * 193
    assert many.count == few.count

    with count_queries() as applying:
        started = time.perf_counter()
        applied = client.post(url, json={"add": codes}, headers=headers)
        apply_seconds = time.perf_counter() - started
    assert applied.status_code == 200
    assert applied.get_json()["applied"] is True
    with app.app_context():
        assert db.session.get(WorkingGroup, group.id).active_count == 193
    print(
        f"\nbulk of 193: preview median {statistics.median(previews) * 1000:.1f} ms "
        f"({many.count} statements); apply {apply_seconds * 1000:.1f} ms "
        f"({applying.count} statements)"
    )
    assert apply_seconds < 30
