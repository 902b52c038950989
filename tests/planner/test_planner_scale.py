"""The planner runs as many SQL statements for every UN member state over seven days as
for three states over one, and answers well under a second."""

from __future__ import annotations

import statistics
import time

import pytest
import sqlalchemy as sa

from coalition.extensions import db
from coalition.participants.models import Participant, ParticipantKind, UNStatus
from tests.planner.conftest import initiative_with

#: Statements one planner request may run: the body's choices (page), the participants
#: (one query, or two for a body), and what every page loads (user, notifications).
MAX_STATEMENTS = 8


def member_states() -> list[str]:
    return list(
        db.session.scalars(
            sa.select(Participant.code)
            .where(
                Participant.kind == ParticipantKind.STATE, Participant.un_status == UNStatus.MEMBER
            )
            .order_by(Participant.code)
        )
    )


def measure(client, url: str, query: dict, count_queries, repeat: int = 5) -> tuple[int, float]:
    """(statements of one request, median seconds over *repeat* requests)."""
    assert client.get(url, query_string=query).status_code == 200  # warm caches
    with count_queries() as q:
        response = client.get(url, query_string=query)
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        client.get(url, query_string=query)
        times.append(time.perf_counter() - started)
    return q.count, statistics.median(times)


@pytest.mark.parametrize("who", ["anonymous", "delegate"])
def test_193_states_over_seven_days_run_the_statements_of_three_over_one(
    client, read, count_queries, make_user, login_as, who
):
    if who == "delegate":
        login_as(make_user(represent="GHA"))
    states = read(member_states)
    assert len(states) == 193
    small_body = read(lambda: initiative_with("three", ["GHA", "CAN", "SGP"]))
    large_body = read(lambda: initiative_with("everyone", states))
    report = []
    for url in ("/api/v1/planner", "/planner"):
        for source in ("participants", "body"):
            small_query = {"date": "2026-12-03", "duration": 90}
            small_query[source] = "GHA,CAN,SGP" if source == "participants" else small_body
            small, _seconds = measure(client, url, small_query, count_queries, repeat=1)
            for days in (1, 7):
                query = {"date": "2026-12-03", "duration": 90, "days": days}
                query[source] = ",".join(states) if source == "participants" else large_body
                statements, seconds = measure(client, url, query, count_queries)
                report.append(
                    f"{who:9} {url:16} {source:12} 193 states {days} day(s): "
                    f"{statements} statements, median {seconds * 1000:6.1f} ms"
                )
                assert statements == small, (url, source, days, small, statements)
                assert statements <= MAX_STATEMENTS
                assert seconds < 2  # well under a second on a quiet machine; CI is shared
    print("\n" + "\n".join(report))
