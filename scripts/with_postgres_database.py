"""Run a command against a fresh PostgreSQL database, dropped afterwards.

    python scripts/with_postgres_database.py postgresql://postgres@127.0.0.1:5432 -- pytest

The command sees TEST_DATABASE_URL (and DATABASE_URL) pointing at the new database.
Exits non-zero, loudly, if the server cannot be reached: a CI run must never pass
because PostgreSQL was skipped.
"""

from __future__ import annotations

import os
import subprocess
import sys
import uuid

import psycopg


def main() -> int:
    if "--" not in sys.argv:
        print(__doc__, file=sys.stderr)
        return 2
    split = sys.argv.index("--")
    server, command = sys.argv[1], sys.argv[split + 1 :]
    name = f"coalition_test_{uuid.uuid4().hex[:10]}"
    try:
        with psycopg.connect(f"{server}/postgres", autocommit=True, connect_timeout=10) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
    except psycopg.OperationalError as error:
        print(f"\nERROR: PostgreSQL is unreachable at {server}: {error}\n", file=sys.stderr)
        return 3
    url = f"{server}/{name}"
    env = {**os.environ, "TEST_DATABASE_URL": url, "DATABASE_URL": url}
    try:
        return subprocess.call(command, env=env)  # noqa: S603  (our own command line)
    finally:
        with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


if __name__ == "__main__":
    sys.exit(main())
