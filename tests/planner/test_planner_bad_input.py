"""Bad input gets a clear message about the field at fault: 422 problem+json in the API,
the message next to the field on the page; never a 500."""

from __future__ import annotations

import html5lib
import pytest

VALID = {"participants": "GHA,CAN,SGP", "date": "2026-12-03", "duration": "90"}

API_CASES = [
    ({"participants": "GHA,XYZ,QQQ"}, "participants", "Unknown participant codes: XYZ, QQQ."),
    ({"participants": ""}, "participants", "Choose a body, or give participant codes"),
    (
        {"participants": ",".join(f"X{n:03d}" for n in range(501))},
        "participants",
        "at most 500 participants",
    ),
    ({"body": "no-such-body"}, "body", "There is no body no-such-body."),
    ({"days": "32"}, "days", "Choose from 1 to 31 days."),
    ({"days": "0"}, "days", "Choose from 1 to 31 days."),
    ({"days": "many"}, "days", "Not a valid integer."),
    ({"duration": "1441"}, "duration", "from 1 to 1440 minutes (24 hours)"),
    ({"duration": "0"}, "duration", "from 1 to 1440 minutes"),
    ({"duration": "-30"}, "duration", "from 1 to 1440 minutes"),
    ({"tz": "Mars/Olympus_Mons"}, "tz", "Unknown time zone Mars/Olympus_Mons"),
    ({"tz": "../../etc/passwd"}, "tz", "Unknown time zone"),
    ({"hours": "20:00-08:00"}, "hours", "the end comes after the start"),
    ({"hours": "8h-17h"}, "hours", "e.g. 08:00-20:00"),
    ({"hours": "08:00-25:00"}, "hours", "e.g. 08:00-20:00"),
    ({"hours": "08:61-20:00"}, "hours", "e.g. 08:00-20:00"),
    ({"date": "2026-02-30"}, "date", "Not a valid date."),
    ({"date": "1066-10-14"}, "date", "Choose a date between 1970 and 2099."),
    ({"date": None}, "date", "Missing data for required field."),
    ({"limit": "101"}, "limit", "100"),
]


@pytest.mark.parametrize(("change", "field", "message"), API_CASES)
def test_the_api_names_the_field_at_fault(client, change, field, message):
    query = {key: value for key, value in {**VALID, **change}.items() if value is not None}

    response = client.get("/api/v1/planner", query_string=query)

    assert response.status_code == 422
    assert response.mimetype == "application/problem+json"
    problem = response.get_json()
    assert list(problem["errors"]) == [field]
    assert message in problem["errors"][field][0]


FORM_CASES = [
    ({"participants": "GHA,XYZ"}, "participants", "Unknown participant code: XYZ."),
    ({"participants": ""}, "participants", "Choose a body, or give participant codes"),
    ({"body": "no-such-body"}, "body", "Not a valid choice."),
    ({"days": "32"}, "days", "Choose from 1 to 31 days."),
    ({"days": ""}, "days", "Choose from 1 to 31 days."),
    ({"duration": "1441"}, "duration", "from 1 to 1440 minutes (24 hours)"),
    ({"duration": "ninety"}, "duration", "Not a valid integer value."),
    ({"hours_start": "20:00", "hours_end": "08:00"}, "hours_end", "the end comes after"),
    ({"hours_start": "25:00"}, "hours_start", "Not a valid time value."),
    ({"hours_end": ""}, "hours_end", "e.g. 08:00-20:00"),
    ({"date": "2026-02-30"}, "date", "Not a valid date value."),
    ({"date": ""}, "date", "This field is required."),
    ({"date": "1800-01-01"}, "date", "Choose a date between 1970 and 2099."),
]


@pytest.mark.parametrize(("change", "field", "message"), FORM_CASES)
def test_the_page_shows_the_message_next_to_the_field(client, change, field, message):
    response = client.get("/planner", query_string={**VALID, **change})

    assert response.status_code == 422
    tree = html5lib.parse(response.get_data(as_text=True), namespaceHTMLElements=False)
    error = tree.find(f".//small[@id='{field}-error']")
    assert error is not None, f"no error next to {field}"
    assert message in "".join(error.itertext())
    control = tree.find(f".//*[@id='{field}']")
    assert control.get("aria-invalid") == "true"
    assert f"{field}-error" in control.get("aria-describedby")
    # What was typed stays in the form.
    if field == "participants" and change[field]:
        assert control.get("value") == change[field]


def test_a_body_without_active_members_is_refused_about_the_body(client, read):
    from tests.planner.conftest import initiative_with

    slug = read(lambda: initiative_with("empty-body", [], pending=["GHA"]))

    response = client.get("/api/v1/planner", query_string={"body": slug, "date": "2026-12-03"})

    assert response.status_code == 422
    assert response.get_json()["errors"] == {"body": ["This body has no active members yet."]}


def test_every_field_at_fault_is_named_at_once(client):
    query = {
        "participants": "GHA,XYZ",
        "date": "2026-12-03",
        "days": "40",
        "duration": "0",
        "hours": "20:00-08:00",
    }

    problem = client.get("/api/v1/planner", query_string=query).get_json()
    page = client.get(
        "/planner", query_string={**query, "hours_start": "20:00", "hours_end": "08:00"}
    )

    assert sorted(problem["errors"]) == ["days", "duration", "hours", "participants"]
    assert page.status_code == 422
    tree = html5lib.parse(page.get_data(as_text=True), namespaceHTMLElements=False)
    for field in ("participants", "days", "duration", "hours_end"):
        assert tree.find(f".//small[@id='{field}-error']") is not None, field
