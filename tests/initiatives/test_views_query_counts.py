"""The directory, an initiative's page and the matrix run as many queries for 200
initiatives and 193 member states as for one of each, and stay fast on SQLite."""

from __future__ import annotations

import statistics
import time
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from coalition.alliance.models import Endorsement
from coalition.bodies.models import (
    CoChair,
    JoinPolicy,
    Membership,
    MembershipRole,
    MembershipStatus,
)
from coalition.extensions import db
from coalition.initiatives.models import Axis, Initiative, InitiativeStatus
from coalition.participants.models import Participant, ParticipantKind

START = datetime(2019, 9, 26, 12, tzinfo=UTC)
AXES = list(Axis)


def build(
    app, *, initiatives: int, states: int, memberships_per_state: int, prefix: str = "big"
) -> str:
    """*initiatives* active initiatives; each state a member of several; returns a slug of
    the initiative every state belongs to (the largest page)."""
    with app.app_context():
        codes = db.session.scalars(
            sa.select(Participant.id)
            .where(Participant.kind == ParticipantKind.STATE)
            .order_by(Participant.code)
            .limit(states)
        ).all()
        endorsing = set(db.session.scalars(sa.select(Endorsement.participant_id)))
        rows = [
            Initiative(
                slug=f"{prefix}-initiative-{n:03d}",
                title=f"{prefix.title()} initiative {n:03d}",
                summary="A thematic coalition.",
                axis=AXES[n % 3],
                join_policy=JoinPolicy.APPROVAL,
                status=InitiativeStatus.ACTIVE,
                activated_at=START,
                launched_on=START.date(),
                active_count=0,
            )
            for n in range(initiatives)
        ]
        db.session.add_all(rows)
        db.session.flush()
        counts = dict.fromkeys((i.id for i in rows), 0)
        members = []
        for s, participant_id in enumerate(codes):
            chosen = {rows[0].id} | {
                rows[(s * 7 + k * 13) % initiatives].id for k in range(memberships_per_state - 1)
            }
            for body_id in chosen:
                counts[body_id] += 1
                members.append(
                    {
                        "body_id": body_id,
                        "participant_id": participant_id,
                        "role": MembershipRole.MEMBER,
                        "status": MembershipStatus.ACTIVE,
                        "created_at": START,
                        "since": START + timedelta(days=s),
                    }
                )
            if participant_id not in endorsing:
                db.session.add(Endorsement(participant_id=participant_id, endorsed_at=START))
        db.session.execute(sa.insert(Membership), members)
        chairs = []
        for initiative in rows:
            initiative.active_count = counts[initiative.id]
            chair_ids = db.session.scalars(
                sa.select(Membership.participant_id)
                .where(Membership.body_id == initiative.id)
                .order_by(Membership.participant_id)
                .limit(2)
            ).all()
            chairs += [
                {"body_id": initiative.id, "participant_id": p, "started_at": START}
                for p in chair_ids
            ]
        db.session.execute(sa.insert(CoChair), chairs)
        db.session.commit()
        return rows[0].slug


def measure(client, url: str, count_queries, repeat: int = 10) -> tuple[int, float]:
    """(queries of one request, median seconds over *repeat* requests)."""
    client.get(url)  # warm the template cache
    with count_queries() as q:
        response = client.get(url)
    assert response.status_code == 200, url
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        client.get(url)
        times.append(time.perf_counter() - started)
    return q.count, statistics.median(times)


PAGES = [
    "/initiatives",
    "/initiatives?status=all",
    "/initiatives/{slug}",
    "/matrix",
    "/matrix?axis=governance_gaps",
    "/matrix?cols=2&kind=state",
    "/",
]


@pytest.mark.parametrize("who", ["anonymous", "staff"])
def test_query_counts_do_not_grow_with_the_data(
    app, client, count_queries, make_user, login_as, who
):
    if who == "staff":
        login_as(make_user(staff=True))
    small_slug = build(app, initiatives=3, states=1, memberships_per_state=3, prefix="small")
    small = {
        page: measure(client, page.format(slug=small_slug), count_queries, repeat=1)[0]
        for page in PAGES
    }
    # Much more data on top (history is append-only: nothing is deleted): 200 more
    # initiatives, every state a member of about six, one initiative with all 193.
    slug = build(app, initiatives=200, states=193, memberships_per_state=6)
    report = []
    for page in PAGES:
        queries, seconds = measure(client, page.format(slug=slug), count_queries)
        report.append(f"{who:9} {page:30} {queries:3} queries  median {seconds * 1000:7.1f} ms")
        assert queries == small[page], (page, small[page], queries)
        assert seconds < 5
    print("\n" + "\n".join(report))


def test_the_largest_initiative_lists_every_member(app, client):
    slug = build(app, initiatives=3, states=193, memberships_per_state=1)
    page = client.get(f"/initiatives/{slug}").get_data(as_text=True)
    assert "193 member states" in page


def test_a_join_request_runs_a_fixed_number_of_statements(
    app, client, count_queries, make_user, make_initiative, login_as
):
    """Load the user with the delegate's representation, and the body; share-lock the
    body; insert the request (unless an open membership exists: no query of its own)
    and its audit event; find the co-chairs' delegates (one query however many
    co-chairs), notify them in the app and queue their mail (one insert each, in the
    same transaction: invariant 8); and count the change in the data version (what
    makes kept pages obsolete)."""
    world = make_initiative(policy=JoinPolicy.APPROVAL)
    login_as(make_user(represent="DEU"))
    with count_queries() as q:
        response = client.post(f"/initiatives/{world.slug}/join", data={"join-message": "Hi"})
    assert response.status_code == 303
    assert q.count == 9, "\n".join(s[:70] for s in q.statements)
    assert sum(s.startswith("UPDATE data_version") for s in q.statements) == 1
