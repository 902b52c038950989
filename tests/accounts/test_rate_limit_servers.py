"""The login rate limit holds on real servers, however many processes serve the app.

Each test starts a real server on a free port, in a process of its own, configured only
through the environment as a deployment is, and logs in through it with a browser's
steps (the login page for a CSRF token and cookie, then the form):

- gunicorn with three workers and a shared storage (Redis): the 11th attempt of a
  minute is refused (429), although the attempts were served by several workers;
- gunicorn with the default per-process storage: it refuses to start, saying why;
- Flask's development server (`make run`): one process, so the default storage holds.
"""

from __future__ import annotations

import http.cookiejar
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import pytest

BIN = Path(sys.executable).parent
LIMIT = 10  # the default LOGIN_RATE_LIMIT: "10 per minute;50 per hour"
REDIS = "redis://127.0.0.1:6379/0"


def _redis_available() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1):
            return True
    except OSError:
        return False


needs_redis = pytest.mark.skipif(
    not _redis_available(), reason="needs Redis at 127.0.0.1:6379 (the shared storage)"
)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _environment(database_url: str, **extra: str) -> dict[str, str]:
    """The deployment's environment: nothing from the test run leaks in."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("FLASK_", "RATELIMIT_", "LOGIN_RATE", "TEST_DATABASE"))
    }
    env.update(
        DATABASE_URL=database_url,
        SECRET_KEY="the same on every worker",
        PUBLIC_URL="https://coalition.example.org",
        **extra,
    )
    return env


@contextmanager
def serving(command: list[str], env: dict[str, str], port: int, log: Path) -> Iterator[str]:
    """Run *command* until the login page answers on *port*; yield its base URL."""
    with log.open("w") as output:
        server = subprocess.Popen(command, env=env, stdout=output, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            assert server.poll() is None, log.read_text()[-3000:]
            try:
                with urllib.request.urlopen(f"{base}/login", timeout=5) as page:  # noqa: S310
                    if page.status == 200:
                        break
            except OSError:
                pass
            assert time.monotonic() < deadline, "the server did not start"
            time.sleep(0.2)
        yield base
    finally:
        server.send_signal(signal.SIGINT)  # gunicorn's quick shutdown; flask's Ctrl-C
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def attempt_login(base: str) -> int:
    """One wrong-password login, as a browser does it; the status of the form's answer."""
    opener = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
    )
    with opener.open(f"{base}/login", timeout=30) as page:
        html = page.read().decode()
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)
    form = urllib.parse.urlencode(
        {"csrf_token": token, "email": "nobody@example.org", "password": "not the password"}
    ).encode()
    try:
        with opener.open(f"{base}/login", data=form, timeout=30) as answer:
            return answer.status
    except urllib.error.HTTPError as error:
        return error.code


def _gunicorn(port: int, app: str, log: Path, *options: str) -> list[str]:
    return [
        str(BIN / "gunicorn"),
        *options,
        "--workers",
        "3",
        "--bind",
        f"127.0.0.1:{port}",
        "--access-logfile",
        str(log),
        # The serving worker's process id and the request, for each request.
        "--access-logformat",
        "%(p)s %(m)s %(U)s %(s)s",
        app,
    ]


@needs_redis
def test_the_eleventh_attempt_is_refused_across_three_gunicorn_workers(strict_database, tmp_path):
    url, _folder = strict_database
    prefix = f"coalition-test-{uuid.uuid4().hex[:10]}"
    port = _free_port()
    access = tmp_path / "access.log"
    # Only the key prefix is given in code (another test run may share this Redis); the
    # storage comes from the environment, as in a deployment.
    app = f"coalition:create_app({{'RATELIMIT_KEY_PREFIX': '{prefix}'}})"
    # Cheap hashing and one import before forking (--preload): a quicker test, the same
    # three workers each counting through the shared storage.
    env = _environment(url, RATELIMIT_STORAGE_URI=REDIS, PASSWORD_HASH_PROFILE="cheapest")
    command = _gunicorn(port, app, access, "--preload")

    with serving(command, env, port, tmp_path / "server.log") as base:
        # All at once, so that the three workers share the work.
        with ThreadPoolExecutor(LIMIT) as pool:
            first = list(pool.map(lambda _i: attempt_login(base), range(LIMIT)))
        eleventh = attempt_login(base)

    assert first == [422] * LIMIT  # wrong password, said so
    assert eleventh == 429
    workers = {
        line.split()[0] for line in access.read_text().splitlines() if " POST /login " in line
    }
    assert len(workers) >= 2, "the attempts should have been served by several workers"

    import redis

    client = redis.Redis.from_url(REDIS)
    for key in client.scan_iter(f"{prefix}*"):
        client.delete(key)


def test_gunicorn_refuses_to_start_with_a_per_process_storage(strict_database, tmp_path):
    """The default storage (memory://) would let each worker allow the whole limit."""
    url, _folder = strict_database
    port = _free_port()
    command = _gunicorn(port, "coalition:create_app()", tmp_path / "access.log")

    result = subprocess.run(
        command, env=_environment(url), capture_output=True, text=True, timeout=120
    )

    assert result.returncode != 0
    output = result.stdout + result.stderr
    assert "RATELIMIT_STORAGE_URI=memory://" in output
    assert "redis://" in output


def test_the_app_refuses_a_per_process_storage_outside_the_development_server(
    strict_database, tmp_path, monkeypatch
):
    from tests.conftest import make_app

    url, folder = strict_database
    monkeypatch.delenv("FLASK_RUN_FROM_CLI", raising=False)
    for storage in ("memory://", "async+memory://"):
        with pytest.raises(RuntimeError, match="RATELIMIT_STORAGE_URI"):
            make_app(
                url,
                folder / "instance",
                TESTING=False,
                RATELIMIT_ENABLED=True,
                RATELIMIT_STORAGE_URI=storage,
            )


def test_make_runs_development_server_starts_and_its_limit_holds(strict_database, tmp_path):
    """`flask run` is one process: the default storage holds there, and nothing needs
    setting to try the app."""
    url, _folder = strict_database
    port = _free_port()
    command = [str(BIN / "flask"), "--app", "coalition", "run", "--port", str(port)]

    env = _environment(url, PASSWORD_HASH_PROFILE="cheapest")
    with serving(command, env, port, tmp_path / "server.log") as base:
        statuses = [attempt_login(base) for _ in range(LIMIT + 1)]

    assert statuses == [422] * LIMIT + [429]
