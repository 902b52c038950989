"""Requests sent at the same instant, with real commits, against a PostgreSQL database
of their own: what concurrency tests share.

Each call runs in its own thread, hence its own app context, session and database
connection, all released together by a barrier. SQLite serializes every writer (BEGIN
IMMEDIATE), so these races cannot happen there: the tests using this module run on
PostgreSQL only, and say so when skipped.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask

# Re-exported: the concurrency tests' module-scoped app (on PostgreSQL here).
from tests.own_database import URL, fresh_database_app  # noqa: F401

#: `pytestmark = POSTGRES_ONLY` in a module of concurrency tests.
POSTGRES_ONLY = [
    pytest.mark.committed,
    pytest.mark.skipif(
        not URL.startswith("postgresql"),
        reason="concurrent writers need PostgreSQL: SQLite serializes every write transaction",
    ),
]


def race(app: Flask, calls: list[Callable[[Any], Any]], clients: list[Any] | None = None) -> list:
    """Run each call(client) in its own thread, all released at once; their results.

    *clients* (one per call, e.g. logged in) default to fresh test clients.
    """
    barrier = threading.Barrier(len(calls))
    results: list[Any] = [None] * len(calls)

    def run(i: int) -> None:
        client = clients[i] if clients is not None else app.test_client()
        barrier.wait()
        try:
            results[i] = calls[i](client)
        except Exception as error:  # a crash must fail the test, not vanish in a thread
            results[i] = error

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


def statuses(results: list[Any]) -> Counter:
    """The HTTP status codes of *results*; fails on any exception a thread raised."""
    for result in results:
        assert not isinstance(result, Exception), repr(result)
    return Counter(r.status_code for r in results)
