"""`make bench`: the main pages and API lists under load, beside a floor page, in one run.

    python scripts/bench.py                      # SQLite, the demo data
    python scripts/bench.py --scale 10           # 10x the real size (flask demo --scale)
    python scripts/bench.py --database postgresql://postgres@127.0.0.1:5432

It builds a fresh database (dropped afterwards on PostgreSQL), serves the app with
gunicorn (as the README's deployment does) and the floor page (scripts/bench_floor.py:
one query of 200 rows in a Jinja table) with the same settings, loads each page with
wrk, round after round, and prints per page: requests per second, p50 and p99 latency,
the ratio to the floor measured in the same rounds, errors, and the SQL statements one
request runs (counted in process).
"""

from __future__ import annotations

import argparse
import http.cookiejar
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
USER_AGENT = "coalition-bench"

#: (label, path, who): who is "public", "delegate" (a co-chair's focal point) or "staff".
PAGES = [
    ("/", "/", "public"),
    ("/initiatives", "/initiatives", "public"),
    ("/initiatives/<slug>", "/initiatives/{initiative}", "public"),
    ("/initiatives/<every state>", "/initiatives/{largest}", "public"),
    ("/groups/<slug>", "/groups/{group}", "public"),
    ("/participants", "/participants", "public"),
    ("/participants/<code>", "/participants/{state}", "public"),
    ("/meetings", "/meetings", "public"),
    ("/matrix?axis=…", "/matrix?axis=international_law", "public"),
    ("/dashboard", "/dashboard", "delegate"),
    ("/staff/audit", "/staff/audit", "staff"),
    ("API /participants", "/api/v1/participants?per_page=200", "public"),
    ("API /participants/<code>", "/api/v1/participants/{state}", "public"),
    ("API /initiatives", "/api/v1/initiatives?per_page=200", "public"),
    ("API /initiatives/<slug>", "/api/v1/initiatives/{initiative}", "public"),
    (
        "API memberships (every state)",
        "/api/v1/initiatives/{largest}/memberships?per_page=200",
        "public",
    ),
    ("API /groups", "/api/v1/groups", "public"),
    ("API /meetings", "/api/v1/meetings", "public"),
    ("/data/memberships.csv", "/data/memberships.csv", "public"),
]


@dataclass
class Result:
    rps: list[float] = field(default_factory=list)
    p50: list[float] = field(default_factory=list)
    p99: list[float] = field(default_factory=list)
    errors: int = 0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def run(args: list[str], env: dict[str, str]) -> str:
    done = subprocess.run(args, env=env, cwd=ROOT, capture_output=True, text=True)  # noqa: S603
    if done.returncode != 0:
        sys.exit(f"failed: {' '.join(args)}\n{done.stdout}\n{done.stderr}")
    return done.stdout


@contextmanager
def database(url: str | None):
    """A fresh database: a SQLite file, or a new PostgreSQL database dropped at the end."""
    if not url:
        folder = Path(tempfile.mkdtemp(prefix="coalition-bench-"))
        try:
            yield f"sqlite:///{folder / 'bench.sqlite3'}"
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        return
    import psycopg

    server = url.rstrip("/")
    name = f"coalition_bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"{server}/{name}"
    finally:
        with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextmanager
def gunicorn(app: str, port: int, env: dict[str, str], workers: int, chdir: Path = ROOT):
    process = subprocess.Popen(  # noqa: S603
        [str(BIN / "gunicorn"), "--workers", str(workers), "--bind", f"127.0.0.1:{port}",
         "--chdir", str(chdir), "--log-level", "warning", app],
        env=env,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                    break
            except OSError:
                time.sleep(0.2)
        else:
            sys.exit(f"gunicorn did not start on port {port}")
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=30)


def log_in(base: str, email: str, password: str) -> str:
    """The session cookie of a real login through the form (CSRF token and all)."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    opener.addheaders = [("User-Agent", USER_AGENT)]
    page = opener.open(f"{base}/login").read().decode()
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
    if token is None:
        token = re.search(r'name="csrf_token" value="([^"]+)"', page)
    data = urllib.parse.urlencode(
        {"email": email, "password": password, "csrf_token": token.group(1) if token else ""}
    ).encode()
    opener.open(f"{base}/login", data=data).read()
    cookie = "; ".join(f"{c.name}={c.value}" for c in jar)
    check = urllib.request.Request(  # noqa: S310  (our own http:// server)
        f"{base}/dashboard", headers={"Cookie": cookie, "User-Agent": USER_AGENT}
    )

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    try:
        status = urllib.request.build_opener(NoRedirect).open(check).status
    except urllib.error.HTTPError as error:
        status = error.code
    if status != 200:
        sys.exit(f"logging in as {email} failed ({status}): is the demo loaded?")
    return cookie


#: wrk counts an answer slower than this as an error: its default, 2 s, counted every
#: download of the open-data export at 10 times the real size (1.5 s alone).
WRK_TIMEOUT = "10s"


def wrk(url: str, *, seconds: int, threads: int, connections: int, cookie: str | None) -> tuple:
    """(requests per second, p50 ms, p99 ms, errors) of one wrk run."""
    args = ["wrk", "--latency", "--timeout", WRK_TIMEOUT, f"-t{threads}", f"-c{connections}",
            f"-d{seconds}s",
            "-H", f"User-Agent: {USER_AGENT}"]  # fmt: skip
    if cookie:
        args += ["-H", f"Cookie: {cookie}"]
    out = subprocess.run([*args, url], capture_output=True, text=True, check=True).stdout  # noqa: S603
    return _parse_wrk(out)


def _parse_wrk(out: str) -> tuple:
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))

    def latency(percent: str) -> float:
        match = re.search(rf"\s{percent}%\s+([\d.]+)(us|ms|s)", out)
        value, unit = float(match.group(1)), match.group(2)
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value

    errors = 0
    if match := re.search(r"Non-2xx or 3xx responses: (\d+)", out):
        errors += int(match.group(1))
    if match := re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out
    ):
        errors += sum(int(n) for n in match.groups())
    return rps, latency("50"), latency("99"), errors


def discover(env: dict[str, str]) -> dict[str, str]:
    """Slugs, codes and accounts to put into the page paths, read from the database."""
    script = r"""
import json, sqlalchemy as sa
from coalition import create_app
from coalition.extensions import db
app = create_app({"RATELIMIT_ENABLED": False})
out = {}
with app.app_context():
    from coalition.bodies.models import Body, BodyKind
    from coalition.initiatives.models import Initiative
    q = sa.select(Initiative.slug).order_by(Initiative.active_count.desc()).limit(1)
    out["largest"] = db.session.scalar(q)
    slugs = db.session.scalars(sa.select(Initiative.slug).order_by(Initiative.active_count)).all()
    out["initiative"] = slugs[len(slugs) // 2]  # a middling one
    out["group"] = db.session.scalar(
        sa.select(Body.slug).where(Body.kind == BodyKind.WORKING_GROUP).limit(1)) or "none"
    out["state"] = "GHA"
print(json.dumps(out))
"""
    import json

    return json.loads(run([str(BIN / "python"), "-c", script], env).strip().splitlines()[-1])


def statements_per_request(env: dict[str, str], paths: list[tuple[str, str]]) -> dict[str, int]:
    """SQL statements of one request to each path, as (path, who), counted in process."""
    script = r"""
import json, sys, sqlalchemy as sa
from flask_login import login_user
from coalition import create_app
from coalition.accounts.models import User
from coalition.extensions import db
app = create_app({"RATELIMIT_ENABLED": False})
who_email = json.loads(sys.argv[1]); paths = json.loads(sys.argv[2])
counts = {}
with app.app_context():
    engine = db.engine
for path, who in paths:
    client = app.test_client()
    if who != "public":
        with app.test_request_context(environ_base=client.environ_base):
            user = db.session.scalar(sa.select(User).where(User.email == who_email[who]))
            login_user(user)
            from flask import session
            values = dict(session)
        with client.session_transaction() as sess:
            sess.update(values)
    client.get(path)
    seen = []
    listener = lambda *a: seen.append(1)
    sa.event.listen(engine, "before_cursor_execute", listener)
    response = client.get(path)
    sa.event.remove(engine, "before_cursor_execute", listener)
    counts[path] = len(seen) if response.status_code == 200 else -response.status_code
print(json.dumps(counts))
"""
    import json

    emails = {"delegate": "france@coalition.example", "staff": "staff@coalition.example"}
    out = run([str(BIN / "python"), "-c", script, json.dumps(emails), json.dumps(paths)], env)
    return json.loads(out.strip().splitlines()[-1])


JOIN_SCRIPT = r"""
-- wrk: each request is a new join request, (token, initiative) pairs taken in turn; a
-- thread takes every n-th pair, so no pair is sent twice.
local pending, threads, counter = {}, {}, 1
function setup(thread)
  thread:set("id", counter)
  table.insert(threads, thread)
  counter = counter + 1
end
function init(args)
  for line in io.lines(args[1]) do table.insert(pending, line) end
  index = id
  step = tonumber(args[2])
end
function request()
  local pair = pending[index] or pending[1]
  index = index + step
  local token, slug = pair:match("(%S+) (%S+)")
  return wrk.format("POST", "/api/v1/initiatives/" .. slug .. "/memberships",
    {["Authorization"] = "Bearer " .. token, ["Content-Type"] = "application/json",
     ["User-Agent"] = "coalition-bench"}, "{}")
end
function response(status, headers, body)
  if status > 299 then io.stderr:write("join answered ", status, ": ", body, "\n") end
end
"""


def join_pairs(env: dict[str, str], count: int, path: Path) -> int:
    """Delegates of states with an API token each, and initiatives their state may ask
    to join (active, not yet a member): *count* (token, slug) lines in *path*."""
    script = r"""
import sys, sqlalchemy as sa
from coalition import create_app
from coalition.accounts.models import User
from coalition.accounts.services import create_api_token
from coalition.bodies.models import Body, JoinPolicy, Membership
from coalition.extensions import db
from coalition.initiatives.models import Initiative, InitiativeStatus
from coalition.participants.models import Participant, ParticipantKind
from coalition.representations.models import (
    Representation, RepresentationRole, RepresentationStatus)
app = create_app({"RATELIMIT_ENABLED": False})
count, out = int(sys.argv[1]), sys.argv[2]
with app.app_context():
    taken = sa.select(Representation.participant_id)
    states = db.session.scalars(
        sa.select(Participant).where(Participant.kind == ParticipantKind.STATE,
                                     Participant.id.not_in(taken)).order_by(Participant.code)
    ).all()
    slugs = db.session.execute(
        sa.select(Initiative.id, Initiative.slug, Initiative.join_policy,
                  Initiative.seat_limit - Initiative.active_count).where(
            Initiative.status == InitiativeStatus.ACTIVE,
            Initiative.join_policy.in_([JoinPolicy.OPEN, JoinPolicy.APPROVAL]))
        .order_by(Initiative.id)).all()
    members = set(db.session.execute(sa.select(Membership.participant_id, Membership.body_id)))
    lines, seats = [], {}
    for state in states:
        if len(lines) >= count:
            break
        user = User(email=f"bench-{state.code.lower()}@coalition.example",
                    name=f"Bench {state.code}", password_hash="!")
        db.session.add(user)
        db.session.flush()
        db.session.add(Representation(user_id=user.id, participant_id=state.id,
                                      role=RepresentationRole.DELEGATE,
                                      status=RepresentationStatus.VERIFIED,
                                      decided_at=user.created_at))
        _row, token = create_api_token(user, "bench")
        for body_id, slug, policy, free in slugs:
            if len(lines) >= count:
                break
            # A join the seat limit refuses (409) is right, but not what is measured.
            if (state.id, body_id) in members or free is not None and seats.get(body_id, free) < 1:
                continue
            if free is not None and policy is JoinPolicy.OPEN:
                seats[body_id] = seats.get(body_id, free) - 1
            lines.append(f"{token} {slug}")
    db.session.commit()
with open(out, "w") as f:
    f.write(chr(10).join(lines) + chr(10))
print(len(lines))
"""
    done = run([str(BIN / "python"), "-c", script, str(count), str(path)], env)
    return int(done.strip().splitlines()[-1])


def join_load(app_url: str, pairs: Path, *, seconds: int, threads: int, connections: int):
    """(requests per second, p50 ms, p99 ms, errors) of join requests through the API."""
    script = pairs.with_suffix(".lua")
    script.write_text(JOIN_SCRIPT)
    args = ["wrk", "--latency", "--timeout", WRK_TIMEOUT, f"-t{threads}", f"-c{connections}",
            f"-d{seconds}s",
            "-s", str(script), f"{app_url}/", "--", str(pairs), str(threads)]  # fmt: skip
    done = subprocess.run(args, capture_output=True, text=True, check=True)  # noqa: S603
    sys.stderr.write(done.stderr)  # what the script says of answers that were not 2xx
    return _parse_wrk(done.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", default=os.environ.get("BENCH_DATABASE"),
                        help="a PostgreSQL server URL; SQLite when omitted")  # fmt: skip
    parser.add_argument(
        "--scale", type=float, default=1,
        help="N times the real size (flask demo --scale); 0: the demo alone",
    )  # fmt: skip
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=6)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--only", default="", help="a regular expression on the page labels")
    parser.add_argument(
        "--join", action="store_true",
        help="also load join requests (API, a token per state: write, audit, notice, mail)",
    )  # fmt: skip
    parser.add_argument(
        "--computed", action="store_true",
        help="compute every answer (RESPONSE_CACHE=0): what a page costs after a change",
    )  # fmt: skip
    parser.add_argument(
        "--redis", default=os.environ.get("CACHE_REDIS_URL", "redis://127.0.0.1:6379/0"),
        help="the kept answers' Redis (CACHE_REDIS_URL); 'none': each worker keeps its own",
    )  # fmt: skip
    options = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("make bench needs wrk (Debian: apt-get install wrk)")

    with database(options.database) as url:
        env = {
            **os.environ,
            "DATABASE_URL": url,
            "SECRET_KEY": "bench secret, not for anything else",
            "PUBLIC_URL": "http://127.0.0.1",
            "COALITION_DEMO": "1",
            "LOGIN_RATE_LIMIT": "1000 per minute",
            "RESPONSE_CACHE": "0" if options.computed else "1",
            # A prefix of this run's own: another run's database may have the same versions.
            "CACHE_KEY_PREFIX": f"coalition-bench-{uuid.uuid4().hex[:8]}:",
        }
        if options.redis != "none":
            env["CACHE_REDIS_URL"] = options.redis
        flask = [str(BIN / "flask"), "--app", "coalition"]
        started = time.monotonic()
        run([*flask, "db", "upgrade"], env)
        run([*flask, "seed"], env)
        demo = [*flask, "demo"]
        if options.scale > 0:
            demo += ["--scale", f"{options.scale:g}"]
        run(demo, env)
        print(f"data: scale {options.scale:g}, built in {time.monotonic() - started:.0f} s")
        if options.database:
            # The load leaves gigabytes of dirty pages for the checkpointer to write over
            # the next minutes: written now, not while the floor and pages are measured.
            import psycopg

            with psycopg.connect(url.replace("+psycopg", ""), autocommit=True) as conn:
                conn.execute("CHECKPOINT")
        values = discover(env)
        pages = [
            (label, path.format(**values), who)
            for label, path, who in PAGES
            if re.search(options.only, label) and "none" not in path.format(**values)
        ]
        statements = statements_per_request(env, [(path, who) for _l, path, who in pages])
        pairs = Path(tempfile.mkdtemp(prefix="coalition-bench-join-")) / "pairs.txt"
        if options.join:
            # More than two workers can do in the rounds and the warm-up, so no pair is
            # sent twice.
            needed = 600 * options.seconds * (options.rounds + 1)
            print(f"join requests: {join_pairs(env, needed, pairs)} pairs", file=sys.stderr)
        joins = Result()

        with (
            # No login is benchmarked: without a limiter, gunicorn needs no shared storage
            # (the app refuses memory:// outside `flask run`).
            gunicorn(
                "coalition:create_app({'RATELIMIT_ENABLED': False})",
                free_port(),
                env,
                options.workers,
            ) as app_url,
            gunicorn("bench_floor:create_app()", free_port(), env, options.workers,
                     chdir=ROOT / "scripts") as floor_url,
        ):  # fmt: skip
            cookies = {
                "public": None,
                "delegate": log_in(app_url, "france@coalition.example", "demo-password-3"),
                "staff": log_in(app_url, "staff@coalition.example", "demo-password-1"),
            }
            floor = Result()
            results = {label: Result() for label, _p, _w in pages}
            load = {"seconds": options.seconds, "threads": options.threads,
                    "connections": options.connections}  # fmt: skip
            targets = [(floor, f"{floor_url}/", None)] + [
                (results[label], app_url + path, cookies[who]) for label, path, who in pages
            ]
            # Unmeasured: every worker has started (gunicorn opens its port before its
            # workers have imported the app), and each has served each URL once.
            print("warming up", file=sys.stderr)
            warm = {**load, "seconds": 1}
            for _target, url_, cookie in targets:
                wrk(url_, cookie=cookie, **warm)
            lines = pairs.read_text().splitlines() if options.join else []
            if lines:
                # A share of the pairs of its own, never sent again.
                share = len(lines) // (options.rounds + 1)
                these = pairs.with_name("warm-up.txt")
                these.write_text("\n".join(lines[-share:]))
                join_load(app_url, these, **warm)
            for round_ in range(options.rounds):
                print(f"round {round_ + 1} of {options.rounds}", file=sys.stderr)
                for target, url_, cookie in targets:
                    rps, p50, p99, errors = wrk(url_, cookie=cookie, **load)
                    target.rps.append(rps)
                    target.p50.append(p50)
                    target.p99.append(p99)
                    target.errors += errors
                if lines:
                    # Each round its own share of the pairs.
                    these = pairs.with_name(f"round{round_}.txt")
                    these.write_text("\n".join(lines[round_ * share : (round_ + 1) * share]))
                    rps, p50, p99, errors = join_load(app_url, these, **load)
                    joins.rps.append(rps)
                    joins.p50.append(p50)
                    joins.p99.append(p99)
                    joins.errors += errors

    floor_rps = statistics.median(floor.rps)
    engine = "PostgreSQL" if options.database else "SQLite"
    kept = "computed (RESPONSE_CACHE=0)" if options.computed else (
        f"kept answers in {'each worker' if options.redis == 'none' else 'Redis'}")  # fmt: skip
    print(f"\n{engine}, scale {options.scale:g}, {kept}; gunicorn -w {options.workers} sync; "
          f"wrk -t{options.threads} -c{options.connections}, {options.rounds} rounds of "
          f"{options.seconds} s, medians\n")  # fmt: skip
    print("| page | req/s | p50 ms | p99 ms | of floor | SQL/request | errors |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    print(f"| floor (1 query, 200 rows) | {floor_rps:.0f} | {statistics.median(floor.p50):.1f} "
          f"| {statistics.median(floor.p99):.1f} | 100 % | 1 | {floor.errors} |")  # fmt: skip
    for label, path, _who in pages:
        r = results[label]
        rps = statistics.median(r.rps)
        count = statements.get(path, "?")
        print(f"| {label} | {rps:.0f} | {statistics.median(r.p50):.1f} | "
              f"{statistics.median(r.p99):.1f} | {100 * rps / floor_rps:.0f} % | {count} | "
              f"{r.errors} |")  # fmt: skip
    if options.join:
        rps = statistics.median(joins.rps)
        print(f"| join request (API POST) | {rps:.0f} | {statistics.median(joins.p50):.1f} | "
              f"{statistics.median(joins.p99):.1f} | {100 * rps / floor_rps:.0f} % | - | "
              f"{joins.errors} |")  # fmt: skip


if __name__ == "__main__":
    main()
