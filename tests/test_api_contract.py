"""The API does what /api/v1/openapi.json says, by schemathesis, with every check it has.

schemathesis reads the document and sends what it describes, and worse (the examples,
boundary and missing values of every parameter and body, random ones, undeclared
methods, sequences of calls), then checks each answer: no 5xx; the status, content type,
headers and body documented for the operation; a request the schema allows is not
refused as invalid, one it forbids is refused; a 405 names the allowed methods; an
operation that declares a token refuses a call without one.

Three runs, one per caller: anonymous, a verified delegate whose state co-chairs
initiatives (its Bearer token), and staff (theirs), each over the demo on a database of
their own: their writes commit. The server is the app over HTTP on 127.0.0.1, in a
thread: schemathesis's in-process WSGI transport hands requests-only settings
(`max_redirects`) to Werkzeug's client when its `ignored_auth` check probes without the
token (schemathesis 4.32), and fails there; over HTTP every check runs as in `st run`.

Any finding fails the test, listed with a curl command that reproduces it. The seed is
fixed and Hypothesis derandomized, so a run finds what the previous one found.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from flask import Flask
from schemathesis.config import SchemathesisConfig
from schemathesis.config._checks import NEGATIVE_DATA_REJECTION_EXPECTED_STATUSES
from schemathesis.engine import Status, StopReason, events, from_schema

from coalition.extensions import db
from tests.demo_site import demo_app, role_users
from tests.live import LiveServer, serving

#: Examples generated per operation in the fuzzing phase (the coverage phase's are as
#: many as the schema has boundaries): the whole module stays within a couple of minutes.
#: No `max-time`: given one, schemathesis keeps cycling through its phases until the
#: time is spent, where the examples bound it to one pass.
MAX_EXAMPLES = 10
SEED = 20261123

pytestmark = [pytest.mark.committed, pytest.mark.contract]


@pytest.fixture(scope="module")
def api_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    for app in demo_app(tmp_path_factory, SERVER_NAME=None):
        with serving(app) as live:
            yield live


def _token(app: Flask, user_id: int) -> str:
    from coalition.accounts.models import User
    from coalition.accounts.services import create_api_token

    with app.app_context():
        _row, token = create_api_token(db.session.get(User, user_id), "schemathesis")
        db.session.commit()
        db.session.remove()
    return token


def _shorten(text: str) -> str:
    # Generated values repeat a character thousands of times; the report needs one.
    # (Also a few characters repeated, such as an escaped surrogate pair; and at most
    # 4,000 characters of a finding, so that a report stays readable.)
    text = re.sub(
        r"(.{1,12}?)\1{20,}",
        lambda m: f"{m.group(1)}…({len(m.group(0)) // len(m.group(1))} times)",
        text,
    )
    return text if len(text) <= 4000 else f"{text[:4000]}…({len(text)} characters)"


def run_schemathesis(live: LiveServer, token: str | None) -> list[str]:
    """Every finding of one run, as readable paragraphs."""
    # Every check is on (schemathesis's default), but max_response_time, which needs a
    # limit to compare with: timings on a shared CI machine are no contract.
    config: dict[str, Any] = {
        "seed": SEED,
        "generation": {"max-examples": MAX_EXAMPLES, "deterministic": True, "database": "none"},
        # A body over the size limit is refused with 413 before it is read, whatever it
        # holds: that is a refusal too (and documented on every operation with a body).
        "checks": {
            "negative_data_rejection": {
                "expected-statuses": [*NEGATIVE_DATA_REJECTION_EXPECTED_STATUSES, "413"]
            }
        },
        "operations": [
            {
                # `participants` and `body` are each optional, but one of the two is
                # needed (422 naming them otherwise): a rule across query parameters that
                # OpenAPI 3.0 cannot state, so a request valid for the schema alone may
                # rightly be refused. Every other check runs on it.
                "include-path": "/api/v1/planner",
                "checks": {"positive_data_acceptance": {"enabled": False}},
            },
            {
                # A meeting's times: `end` after `start`, a wall-clock time that exists
                # in `timezone`, a zone the IANA database knows, an RRULE the start fits:
                # rules across fields and outside JSON Schema, refused with a 422 naming
                # the field. Every other check runs on them.
                "include-name": ["POST /api/v1/meetings", "PATCH /api/v1/meetings/{meeting_id}"],
                "checks": {"positive_data_acceptance": {"enabled": False}},
            },
            {
                # A group of an initiative names it by slug; one that does not exist is
                # a wrong value for that field (422), as the form says beside it.
                "include-name": ["POST /api/v1/groups"],
                "checks": {"positive_data_acceptance": {"enabled": False}},
            },
            {
                # A term ends within limits.TERM_YEARS_MAX years of today: a bound that
                # moves with the calendar, which a schema cannot state.
                "include-name": ["POST /api/v1/memberships/{membership_id}/term"],
                "checks": {"positive_data_acceptance": {"enabled": False}},
            },
        ],
    }
    if token:
        config["headers"] = {"Authorization": f"Bearer {token}"}
    schema = schemathesis.openapi.from_url(
        f"{live.url}/api/v1/openapi.json", config=SchemathesisConfig.from_dict(config)
    )
    findings: dict[tuple, str] = {}
    for event in from_schema(schema).execute():
        if isinstance(event, events.ScenarioFinished) and event.status == Status.FAILURE:
            for case_id, checks in event.recorder.checks.items():
                for check in checks:
                    if check.failure_info is None:
                        continue
                    failure = check.failure_info.failure
                    key = (event.label, check.name, failure.title)
                    interaction = event.recorder.interactions.get(case_id)
                    answer = ""
                    if interaction is not None and interaction.response is not None:
                        response = interaction.response
                        answer = f"\n  → {response.status_code} {response.content[:400]!r}"
                    findings.setdefault(
                        key,
                        f"{event.label or '(a sequence of calls)'}: {check.name}: "
                        f"{failure.title}\n  {failure.message}\n  "
                        f"{_shorten(check.failure_info.code_sample)}{_shorten(answer)}",
                    )
        elif isinstance(event, events.NonFatalError):
            findings.setdefault(("error", event.label), f"{event.label}: {event.info.message}")
        elif isinstance(event, events.FatalError):
            findings[("fatal",)] = f"schemathesis failed: {event.exception!r}"
        elif isinstance(event, events.EngineFinished):
            for failure in event.failures:
                findings.setdefault(("run", failure.title), f"{failure.title}: {failure.message}")
            if event.stop_reason is not StopReason.COMPLETED:
                findings[("stop",)] = f"The run stopped early: {event.stop_reason.value}"
    server_errors = [f"The server raised:\n{error}" for error in live.errors]
    live.errors.clear()
    return [*findings.values(), *server_errors]


@pytest.mark.parametrize("caller", ["anonymous", "delegate", "staff"])
def test_the_api_does_what_its_openapi_document_says(api_site: LiveServer, caller: str):
    users = role_users(api_site.app)
    user_id = {"anonymous": None, "delegate": users["co_chair"], "staff": users["staff"]}[caller]
    token = _token(api_site.app, user_id) if user_id else None
    findings = run_schemathesis(api_site, token)
    assert not findings, f"{len(findings)} findings as {caller}:\n\n" + "\n\n".join(findings)
