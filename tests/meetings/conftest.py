"""Fixtures for meetings: the rules' small world (staff, a co-chair GHA, a member FRA,
another state DEU, a plain user, an organization's delegate) around one active open
initiative that GHA co-chairs and FRA has joined, and helpers to schedule meetings."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import icalendar
import pytest
import vobject

from coalition.bodies import memberships
from coalition.extensions import db
from coalition.initiatives.models import Initiative
from coalition.meetings import services
from coalition.meetings.models import Meeting
from tests.initiatives import rules_support
from tests.initiatives.rules_support import World

world = rules_support.world  # fixture
api_headers = rules_support.api_headers  # fixture


@dataclass
class MeetingWorld:
    w: World
    initiative: Initiative

    def __getattr__(self, name: str) -> Any:
        return getattr(self.w, name)


@pytest.fixture
def mw(world: World) -> MeetingWorld:
    initiative = world.initiative()
    memberships.join(initiative, actor=world.member)
    db.session.commit()
    return MeetingWorld(world, initiative)


def wall(days: int = 30, hour: int = 15, minute: int = 0) -> str:
    """A wall-clock time *days* from now, "YYYY-MM-DDTHH:MM"."""
    day = (datetime.now(UTC) + timedelta(days=days)).date()
    return f"{day.isoformat()}T{hour:02d}:{minute:02d}"


_CO_CHAIR: Any = object()


def schedule(
    mw: MeetingWorld, *, actor: Any = _CO_CHAIR, body: Any = "initiative", **values: Any
) -> Meeting:
    """A meeting of the initiative (body=None: Alliance-wide), scheduled by its co-chair."""
    defaults: dict[str, Any] = {
        "title": "Working session on cyber norms",
        "start": wall(30, 15),
        "end": wall(30, 17),
        "timezone": "Africa/Accra",
        "format": "hybrid",
        "visibility": "public",
        "venue": "Accra International Conference Centre",
        "online_url": "https://meet.example.org/secret-room",
        "invitee_note": "Badge pick-up at gate 3.",
        "agenda": ["Opening", "Norms", "Next steps"],
    }
    defaults.update(values)
    target = mw.initiative if body == "initiative" else body
    actor = mw.co_chair if actor is _CO_CHAIR else actor
    meeting = services.schedule(target, actor=actor, **defaults)
    db.session.commit()
    return meeting


SECRET = "secret-room"
NOTE = "Badge pick-up"


def parse_both(content: bytes) -> tuple[icalendar.Calendar, Any]:
    """The calendar file read by icalendar and by vobject, two independent parsers;
    either raising fails the test. vobject keeps the first VTIMEZONE it met for each
    TZID for the rest of the process: each file is read as a calendar app reads it, on
    its own, so those are forgotten first."""
    known = vars(vobject.icalendar)["__tzidMap"]
    for tzid in [key for key in known if key != "UTC"]:
        del known[tzid]
    first = icalendar.Calendar.from_ical(content)
    second = vobject.readOne(content.decode("utf-8"))
    return first, second


@pytest.fixture(autouse=True)
def _fresh_state_per_request(monkeypatch: pytest.MonkeyPatch) -> None:
    """The test client reuses the test's application context, and with it `g`: what a
    request caches there (the reader's language and zone, whom a user speaks for, who is
    invited) would leak into the next. In production every request has its own; here
    each request of the client starts from a clean slate too."""
    from flask import g, has_app_context
    from flask.testing import FlaskClient
    from flask_babel import refresh

    original = FlaskClient.open

    def open_fresh(self, *args, **kwargs):
        if has_app_context():
            refresh()
            for key in (
                "_login_user",
                "_acting_representation",
                "_co_chairs",
                "_meeting_invitations",
            ):
                g.pop(key, None)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(FlaskClient, "open", open_fresh)
