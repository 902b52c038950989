"""Public holidays are flagged with their names (in the reader's language where the
holidays library has it) and each state keeps its own weekend; on either, a state is
outside its working hours all day."""

from __future__ import annotations

import pytest


def plan(client, codes: str, day: str, *, language: str = "en", **extra) -> dict:
    response = client.get(
        "/api/v1/planner",
        query_string={"participants": codes, "date": day, "limit": 48, **extra},
        headers={"Accept-Language": language},
    )
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def seats_of(answer: dict, code: str) -> list[dict]:
    return [s for c in answer["candidates"] for s in c["participants"] if s["code"] == code]


@pytest.mark.parametrize(
    ("code", "day", "language", "name"),
    [
        ("GHA", "2026-03-06", "en", "Independence Day"),
        ("FRA", "2026-07-14", "en", "National Day"),
        ("FRA", "2026-07-14", "fr", "Fête nationale"),
    ],
)
def test_a_public_holiday_is_named_and_keeps_the_state_outside(client, code, day, language, name):
    answer = plan(
        client, code, day, language=language, tz="Europe/Paris" if code == "FRA" else "UTC"
    )

    seats = seats_of(answer, code)
    during_the_day = [s for s in seats if s["local_start"][:10] == day]
    assert len(during_the_day) == 48
    assert {s.get("holiday") for s in during_the_day} == {name}
    assert not any(s["inside"] for s in seats)
    assert all(c["inside_hours"] == 0 for c in answer["candidates"])


def test_the_day_after_a_holiday_is_a_working_day_again(client):
    seats = seats_of(plan(client, "GHA", "2026-03-09", duration=90), "GHA")  # a Monday

    assert not any("holiday" in s or "weekend" in s for s in seats)
    assert sum(s["inside"] for s in seats) == 22  # 08:00 to 18:30 for 90 minutes


def test_saudi_arabia_rests_on_friday_and_saturday_and_works_on_sunday(client):
    friday = plan(client, "SAU,FRA", "2026-12-04", tz="Asia/Riyadh", duration=60)
    sunday = plan(client, "SAU,FRA", "2026-12-06", tz="Asia/Riyadh", duration=60)

    assert all(s.get("weekend") for s in seats_of(friday, "SAU"))
    assert not any(s["inside"] for s in seats_of(friday, "SAU"))
    assert any(s["inside"] for s in seats_of(friday, "FRA"))
    assert not any("weekend" in s for s in seats_of(sunday, "SAU"))
    assert any(s["inside"] for s in seats_of(sunday, "SAU"))
    assert all(s.get("weekend") for s in seats_of(sunday, "FRA"))


def test_the_page_names_the_holiday_and_marks_the_weekend(client):
    page = client.get(
        "/planner",
        query_string={"participants": "GHA,SAU,FRA", "date": "2026-03-06", "duration": 60},
    ).get_data(as_text=True)

    assert "public holiday: Independence Day" in page  # Ghana, in the list of starts
    assert "holiday: Independence Day" in page  # and in the day strip
    assert 'class="c-weekend' in page  # Friday in Riyadh
    assert "weekend" in page


def test_holiday_names_follow_the_page_language(client):
    page = client.get(
        "/planner",
        query_string={"participants": "FRA", "date": "2026-07-14"},
        headers={"Accept-Language": "fr"},
    ).get_data(as_text=True)

    assert "Fête nationale" in page
