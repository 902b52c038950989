"""`make run` a second time keeps what was changed; `flask demo` says so, and
`flask demo --reset` (make demo-reset) starts again from an empty database."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from flask import Flask

from coalition.extensions import db
from coalition.initiatives.models import Initiative
from tests.own_database import fresh_database_app

pytestmark = pytest.mark.committed


@pytest.fixture(scope="module")
def demo_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    yield from fresh_database_app(tmp_path_factory, DEMO=True)


def _initiative_titles(app: Flask) -> set[str]:
    with app.app_context():
        titles = set(db.session.scalars(sa.select(Initiative.title)))
        db.session.remove()
    return titles


def test_loading_again_says_changes_are_kept_and_reset_starts_again(demo_site: Flask):
    runner = demo_site.test_cli_runner()
    first = runner.invoke(args=["demo"])
    assert first.exit_code == 0, first.output
    assert "already loaded" not in first.output
    demo_titles = _initiative_titles(demo_site)

    with demo_site.app_context():
        initiative = db.session.scalars(sa.select(Initiative).limit(1)).one()
        initiative.title = "Renamed since the demo was loaded"
        db.session.commit()
        db.session.remove()

    again = runner.invoke(args=["demo"])
    assert again.exit_code == 0, again.output
    assert "already loaded" in again.output
    assert "make demo-reset" in again.output
    assert "Renamed since the demo was loaded" in _initiative_titles(demo_site)

    reset = runner.invoke(args=["demo", "--reset"])
    assert reset.exit_code == 0, reset.output
    assert "already loaded" not in reset.output
    assert "staff@coalition.example" in reset.output
    assert _initiative_titles(demo_site) == demo_titles


def test_reset_is_refused_without_the_demo_switch(demo_site: Flask, monkeypatch):
    assert demo_site.test_cli_runner().invoke(args=["demo"]).exit_code == 0
    monkeypatch.setitem(demo_site.config, "DEMO", False)
    result = demo_site.test_cli_runner().invoke(args=["demo", "--reset"])
    assert result.exit_code != 0
    assert _initiative_titles(demo_site)  # nothing was dropped
