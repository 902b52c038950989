"""Kept answers (coalition.caching): a page is computed once per data version, viewer,
language and zone; any committed change is seen by the very next request, on every app
server; messages, CSRF tokens and other viewers' pages never leak from the cache."""

from __future__ import annotations

import os
import re
import uuid

import pytest
import sqlalchemy as sa

from coalition.bodies.models import Body
from coalition.caching import responses, version
from coalition.extensions import db
from coalition.initiatives.models import Initiative
from tests.conftest import fresh_database_app, log_in, make_app
from tests.initiatives.conftest import make_initiative  # noqa: F401  (fixture)

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def rename(app, slug: str, title: str) -> None:
    with app.app_context():
        initiative = db.session.scalar(sa.select(Initiative).where(Initiative.slug == slug))
        initiative.title = title
        db.session.commit()


def test_a_kept_page_is_served_with_one_statement(make_initiative, client, app):  # noqa: F811
    make_initiative(title="Cyber norms")
    first = client.get("/initiatives")
    assert first.status_code == 200
    statements = []

    def note(_conn, _cursor, statement, *_args):
        if not statement.startswith(("SAVEPOINT", "RELEASE", "ROLLBACK TO")):
            statements.append(statement)

    with app.app_context():
        engine = db.engine
    sa.event.listen(engine, "before_cursor_execute", note)
    try:
        again = client.get("/initiatives")
    finally:
        sa.event.remove(engine, "before_cursor_execute", note)
    assert again.get_data() == first.get_data()
    assert statements == ["SELECT value FROM data_version WHERE id = 1"]


def test_a_committed_change_is_seen_by_the_next_request(make_initiative, client, app):  # noqa: F811
    world = make_initiative(title="Cyber norms")
    for path in ("/initiatives", f"/initiatives/{world.slug}", "/api/v1/initiatives"):
        assert "Cyber norms" in client.get(path).get_data(as_text=True)
    rename(app, world.slug, "Digital peace")
    for path in ("/initiatives", f"/initiatives/{world.slug}", "/api/v1/initiatives"):
        page = client.get(path).get_data(as_text=True)
        assert "Digital peace" in page, path
        assert "Cyber norms" not in page, path


def test_only_writes_that_commit_change_the_data_version(make_initiative, app):  # noqa: F811
    world = make_initiative()
    with app.app_context():
        before = version.current(db.session)
        db.session.scalar(sa.select(Initiative).where(Initiative.slug == world.slug))
        db.session.commit()  # read only
        assert version.current(db.session) == before
        db.session.execute(sa.update(Body).values(title="Rolled back"))
        db.session.rollback()
        assert version.current(db.session) == before
        db.session.execute(sa.update(Body).values(title="Committed"))
        db.session.commit()
        assert version.current(db.session) == before + 1


def test_each_language_and_viewer_has_its_own_answer(make_initiative, client, app, make_user):  # noqa: F811
    make_initiative()
    english = client.get("/initiatives").get_data(as_text=True)
    french = client.get("/initiatives", headers={"Accept-Language": "fr"}).get_data(as_text=True)
    assert 'lang="en"' in english
    assert 'lang="fr"' in french
    ada = make_user(represent="DEU", name="Ada Delegate")
    bob = make_user(represent="GHA", name="Bob Delegate")
    log_in(app, client, ada.id)
    assert "You act for Germany." in client.get("/dashboard").get_data(as_text=True)
    other = app.test_client()
    log_in(app, other, bob.id)
    page = other.get("/dashboard").get_data(as_text=True)
    assert "You act for Ghana." in page
    assert "Germany" not in page
    anonymous = app.test_client().get("/dashboard")
    assert anonymous.status_code in (302, 303)


def test_a_waiting_message_is_shown_not_a_kept_page(make_initiative, client):  # noqa: F811
    make_initiative()
    client.get("/initiatives")
    with client.session_transaction() as session:
        session["_flashes"] = [("status", "Your request was sent.")]
    assert "Your request was sent." in client.get("/initiatives").get_data(as_text=True)
    assert "Your request was sent." not in client.get("/initiatives").get_data(as_text=True)


def test_api_answers_carry_a_validator_that_changes_with_the_data(make_initiative, client, app):  # noqa: F811
    world = make_initiative(title="Cyber norms")
    first = client.get("/api/v1/initiatives")
    etag = first.headers["ETag"]
    repeat = client.get("/api/v1/initiatives", headers={"If-None-Match": etag})
    assert repeat.status_code == 304
    assert repeat.get_data() == b""
    rename(app, world.slug, "Digital peace")
    changed = client.get("/api/v1/initiatives", headers={"If-None-Match": etag})
    assert changed.status_code == 200
    assert changed.headers["ETag"] != etag
    assert "Digital peace" in changed.get_data(as_text=True)


def test_kept_answers_last_at_most_the_configured_time(app):
    with app.app_context():
        assert responses.cache.cache.default_timeout == app.config["RESPONSE_CACHE_SECONDS"]
    assert 0 < app.config["RESPONSE_CACHE_SECONDS"] <= 300


def _redis_or_skip() -> None:
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.RedisError as error:
        if os.environ.get("REQUIRE_REDIS") == "1":
            pytest.fail(f"Redis is required here (REQUIRE_REDIS=1): {error}")
        pytest.skip(f"no Redis at {REDIS_URL} ({error}): the shared cache is not tested")


def _csrf_token(page: str) -> str:
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)


@pytest.mark.committed
def test_two_app_servers_share_kept_pages_in_redis(tmp_path):
    """Two app servers on one database and one Redis: what one kept, the other serves,
    with the requester's own CSRF token; a change committed through one is seen through
    the other at once."""
    _redis_or_skip()
    settings = {
        "CACHE_REDIS_URL": REDIS_URL,
        "CACHE_KEY_PREFIX": f"test-{uuid.uuid4().hex}:",
        "WTF_CSRF_ENABLED": True,
    }
    with fresh_database_app(tmp_path, **settings) as one:
        two = make_app(one.config["SQLALCHEMY_DATABASE_URI"], tmp_path, **settings)
        with one.app_context():
            from coalition.demo import load_demo

            load_demo()
            db.session.commit()
            slug = db.session.scalar(sa.select(Initiative.slug).order_by(Initiative.id))
        rename(one, slug, "Cyber norms")
        visitor_one, visitor_two = one.test_client(), two.test_client()
        page_one = visitor_one.get("/initiatives").get_data(as_text=True)
        with two.app_context():
            engine = two.extensions["sqlalchemy"].engine
        statements = []
        sa.event.listen(engine, "before_cursor_execute", lambda *args: statements.append(args[2]))
        page_two = visitor_two.get("/initiatives").get_data(as_text=True)
        # Only the data version is read: the page came from Redis.
        assert [s for s in statements if not s.startswith("BEGIN")] == [
            "SELECT value FROM data_version WHERE id = 1"
        ]
        assert "Cyber norms" in page_two
        # Each visitor's form carries a token of its own session, which is accepted.
        assert _csrf_token(page_one) != _csrf_token(page_two)
        switched = visitor_two.post(
            "/language",
            data={"language": "fr", "next": "/initiatives", "csrf_token": _csrf_token(page_two)},
        )
        assert switched.status_code in (302, 303)
        rename(one, slug, "Digital peace")
        page = two.test_client().get("/initiatives").get_data(as_text=True)
        assert "Digital peace" in page
        assert "Cyber norms" not in page
        with two.app_context():
            responses.clear()
            db.engine.dispose()
