"""Who takes part (codes, a body's active members, both), and the order of the starts:
most participants inside their working hours, then fewest at night, then earliest."""

from __future__ import annotations

import re

import html5lib

from tests.planner.conftest import initiative_with, office_in


def api(client, **query) -> dict:
    response = client.get("/api/v1/planner", query_string=query)
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def test_accra_ottawa_singapore_best_starts_first(client):
    """Accra works 08:00-20:00 UTC, Ottawa 13:00-01:00 UTC, Singapore 00:00-12:00 UTC on
    Thursday 3 December 2026: no start suits all three; two of them at best, the third
    then at night; the earliest such start first."""
    answer = api(client, participants="GHA,CAN,SGP", date="2026-12-03", duration=90, limit=48)

    candidates = answer["candidates"]
    keys = [(-c["inside_hours"], c["at_night"], c["start"]) for c in candidates]
    assert keys == sorted(keys)
    assert [c["rank"] for c in candidates] == list(range(1, 49))
    best = candidates[0]
    assert best["start"] == "2026-12-03T08:00:00+00:00"
    assert (best["inside_hours"], best["at_night"]) == (2, 1)
    seats = {s["code"]: s for s in best["participants"]}
    assert seats["CAN"]["local_start"] == "2026-12-03T03:00:00-05:00"
    assert (seats["GHA"]["inside"], seats["SGP"]["inside"], seats["CAN"]["night"]) == (
        True,
        True,
        True,
    )
    assert max(c["inside_hours"] for c in candidates) == 2
    assert [p["code"] for p in answer["participants"]] == ["GHA", "CAN", "SGP"]


def test_working_hours_can_be_changed(client):
    wide = api(client, participants="GHA", date="2026-12-03", duration=60, limit=48)
    narrow = api(
        client, participants="GHA", date="2026-12-03", duration=60, limit=48, hours="09:00-17:00"
    )
    until_midnight = api(
        client, participants="GHA", date="2026-12-03", duration=60, limit=48, hours="18:00-24:00"
    )

    def inside(answer):
        return sorted(c["start"][11:16] for c in answer["candidates"] if c["inside_hours"])

    assert (len(inside(wide)), len(inside(narrow))) == (23, 15)
    assert inside(narrow)[0] == "09:00"
    assert inside(narrow)[-1] == "16:00"
    assert inside(until_midnight)[-1] == "23:00"
    assert narrow["hours"] == "09:00-17:00"


def test_codes_are_read_whatever_their_case_and_separators(client, read):
    office = read(lambda: office_in("Europe/Paris"))

    answer = api(client, participants=f"gha, Can;sgp  GHA,{office.upper()}", date="2026-12-03")

    assert [p["code"] for p in answer["participants"]] == ["GHA", "CAN", "SGP", office]


def test_a_body_brings_its_active_members_only(client, read):
    slug = read(
        lambda: initiative_with(
            "cochairs", ["GHA", "CAN", "SGP"], pending=["DEU"], withdrawn=["FRA"]
        )
    )

    answer = api(client, body=slug, date="2026-12-03")
    with_a_guest = api(client, body=slug, participants="USA,GHA", date="2026-12-03")

    assert sorted(p["code"] for p in answer["participants"]) == ["CAN", "GHA", "SGP"]
    assert sorted(p["code"] for p in with_a_guest["participants"]) == ["CAN", "GHA", "SGP", "USA"]


def test_the_page_offers_bodies_and_plans_for_one(client, read):
    slug = read(lambda: initiative_with("accra-ottawa", ["GHA", "CAN", "SGP"]))

    form = client.get("/planner").get_data(as_text=True)
    page = client.get(
        "/planner", query_string={"body": slug, "date": "2026-12-03", "duration": 90}
    ).get_data(as_text=True)

    assert f'<option value="{slug}">Initiative {slug}</option>' in form
    assert "Members of Initiative accra-ottawa." in page
    assert "3 participants" in page
    best = re.search(r'<ol class="candidates">\s*<li>\s*<strong>([^<]*)</strong>', page)
    assert best.group(1) == "Thu, Dec 3, 2026, 08:00\N{EN DASH}09:30 (UTC)"


def test_the_day_strip_has_one_row_per_kind_of_day_and_every_state_once(client):
    page = client.get(
        "/planner",
        query_string={"participants": "GHA,SEN,CIV,CAN,SGP,MYS", "date": "2026-12-03"},
    ).get_data(as_text=True)
    tree = html5lib.parse(page, namespaceHTMLElements=False)

    rows = tree.findall(".//table[@class='strip']/tbody/tr")
    who = ["".join(row.find("th").itertext()).split() for row in rows]
    # Accra, Dakar and Abidjan share UTC and their day; Ottawa alone; Singapore and
    # Kuala Lumpur share UTC+08:00.
    assert len(rows) == 3
    assert who[0][0] == "UTC-05:00"
    assert "Canada" in who[0]
    assert len(rows[0].findall("td")) == 48
    header = list(tree.findall(".//table[@class='strip']/thead/tr/th"))
    assert "".join(header[1].itertext()).startswith("00:00")
    assert len(tree.findall(".//table[@class='strip']/thead/tr/th[@class='top']")) == 10


def test_several_days_have_a_strip_each(client):
    query = {"participants": "GHA,CAN", "date": "2026-12-03", "days": 3}

    first = client.get("/planner", query_string=query).get_data(as_text=True)
    third = client.get("/planner", query_string={**query, "strip": "2026-12-05"}).get_data(
        as_text=True
    )

    assert "Day strip, Thu, Dec 3" in first
    assert 'aria-current="page">Sat, Dec 5</a>' in third
    assert "Day strip, Sat, Dec 5" in third
    assert 'class="c-weekend' in third


def test_days_are_the_viewers_days(client):
    with client.session_transaction() as session:
        session["timezone"] = "Asia/Kathmandu"

    page = client.get(
        "/planner", query_string={"participants": "GHA", "date": "2026-12-03"}
    ).get_data(as_text=True)

    assert "Days are counted in your time zone, Asia/Kathmandu, UTC+05:45" in page
    assert "Start (Asia/Kathmandu)" in page
    # Local midnight in Kathmandu is 18:15 UTC; the first start on the UTC half-hour
    # grid after it is 18:30 UTC, 00:15 in Kathmandu.
    assert re.search(r'<th scope="col"[^>]*>00:15<br>', page)


def test_the_viewers_zone_is_named_with_its_offset_on_the_chosen_day(client):
    with client.session_transaction() as session:
        session["timezone"] = "Europe/Paris"

    summer = client.get(
        "/planner", query_string={"participants": "FRA", "date": "2026-07-15"}
    ).get_data(as_text=True)

    assert "your time zone, Europe/Paris, UTC+02:00" in summer
    assert "Wed, Jul 15, 2026, 08:00\N{EN DASH}09:30 (Europe/Paris, UTC+02:00)" in summer


def test_the_api_names_participants_in_the_un_language_asked_for(client):
    answer = client.get(
        "/api/v1/planner",
        query_string={"participants": "KOR", "date": "2026-12-03"},
        headers={"Accept-Language": "zh-CN"},
    ).get_json()

    assert answer["participants"] == [{"code": "KOR", "name": "大韩民国", "timezone": "Asia/Seoul"}]
