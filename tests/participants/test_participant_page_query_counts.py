"""A participant's page runs as many SQL statements for a participant with 120
memberships, requests and co-chair roles across bodies as for one with 3, for a visitor,
its delegate and staff alike; its history shows the latest 50, then pages."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

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
from tests.conftest import state

START = datetime(2020, 6, 2, 12, tzinfo=UTC)
#: Cycled through: current, left, asked, invited, refused.
SHAPES = [
    (MembershipStatus.ACTIVE, True, None),
    (MembershipStatus.WITHDRAWN, True, 30),
    (MembershipStatus.PENDING, False, None),
    (MembershipStatus.INVITED, False, None),
    (MembershipStatus.DECLINED, False, 2),
]


def build(app, code: str, bodies: int, prefix: str) -> None:
    """*bodies* initiatives and as many groups, *code* in each in one of SHAPES, and
    co-chairing every third body it is an active member of."""
    with app.app_context():
        participant = state(code)
        rows = []
        for n in range(bodies):
            rows.append(
                Initiative(
                    slug=f"{prefix}-initiative-{n:03d}",
                    title=f"{prefix.title()} initiative {n:03d}",
                    summary="A coalition.",
                    axis=Axis.GOVERNANCE_GAPS,
                    join_policy=JoinPolicy.APPROVAL,
                    status=InitiativeStatus.ACTIVE,
                    activated_at=START,
                )
            )
            rows.append(
                WorkingGroup(
                    slug=f"{prefix}-group-{n:03d}",
                    title=f"{prefix.title()} group {n:03d}",
                    status=GroupStatus.ACTIVE,
                    join_policy=JoinPolicy.INVITATION,
                )
            )
        db.session.add_all(rows)
        db.session.flush()
        for i, body in enumerate(rows):
            status, was_active, ended_after = SHAPES[i % len(SHAPES)]
            created = START + timedelta(days=i)
            db.session.add(
                Membership(
                    body_id=body.id,
                    participant_id=participant.id,
                    role=MembershipRole.PARTNER if i % 7 == 0 else MembershipRole.MEMBER,
                    status=status,
                    created_at=created,
                    since=created if was_active else None,
                    ended_at=created + timedelta(days=ended_after) if ended_after else None,
                    reason="Because." if ended_after else None,
                )
            )
            if status is MembershipStatus.ACTIVE:
                body.active_count = 1
                if i % 3 == 0:
                    db.session.add(
                        CoChair(body_id=body.id, participant_id=participant.id, started_at=created)
                    )
        db.session.commit()


def measure(client, url: str, count_queries) -> tuple[int, str]:
    client.get(url)
    with count_queries() as q:
        response = client.get(url)
    assert response.status_code == 200
    return q.count, response.get_data(as_text=True)


@pytest.mark.parametrize("who", ["anonymous", "delegate", "staff"])
def test_a_participants_page_runs_as_many_statements_for_124_bodies_as_for_4(
    app, client, count_queries, make_user, login_as, who
):
    """The delegate is the participant's own: the page shows it its requests too."""
    if who == "staff":
        login_as(make_user(staff=True))
    elif who == "delegate":
        login_as(make_user(represent="SWE"))
    build(app, "SWE", 2, "small")  # 4 bodies
    small, _ = measure(client, "/participants/SWE", count_queries)
    build(app, "SWE", 60, "large")  # 120 more
    large, page = measure(client, "/participants/SWE", count_queries)
    assert large == small, (small, large)
    assert "Large initiative 000" in page
    # The history shows the latest 50 and pages the rest.
    start = page.index('id="bodies-heading"')
    history = page[start : page.index("</section>", start)]
    assert history.count("<tr>") == 51  # and the header
    assert 'rel="next"' in history
    print(f"\n{who}: {large} statements")


def test_a_visitor_sees_only_the_current_memberships_a_delegate_also_the_requests(
    app, client, make_user, login_as
):
    build(app, "SWE", 10, "count")  # 20 bodies: 4 of each shape
    visitor = client.get("/participants/SWE").get_data(as_text=True)
    places = visitor[visitor.index('id="takes-part"') : visitor.index("</section>")]
    assert places.count("<li>") == 4
    login_as(make_user(represent="SWE"))
    delegate = client.get("/participants/SWE").get_data(as_text=True)
    places = delegate[delegate.index('id="takes-part"') : delegate.index("</section>")]
    assert places.count("<li>") == 12
