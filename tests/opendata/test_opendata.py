"""Open data: CSV and JSON of initiatives, participants and memberships, in the API's words."""

from __future__ import annotations

import csv
import io

import pytest

from coalition.bodies.models import JoinPolicy
from tests.initiatives.conftest import (
    login,  # noqa: F401  (fixture)
    make_initiative,  # noqa: F401  (fixture)
)


def rows(response) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))


def test_the_index_links_every_file(client):
    response = client.get("/data/")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    for name in ("initiatives", "participants", "memberships"):
        assert f'href="/data/{name}.csv"' in page
        assert f'href="/data/{name}.json"' in page


@pytest.mark.parametrize("name", ["initiatives", "participants", "memberships"])
def test_csv_files_are_downloads_with_a_header_row(client, name):
    response = client.get(f"/data/{name}.csv")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert response.headers["Content-Disposition"] == f'attachment; filename="{name}.csv"'
    assert (
        response.get_data(as_text=True)
        .splitlines()[0]
        .startswith({"initiatives": "slug,", "participants": "code,", "memberships": "id,"}[name])
    )


def test_unknown_datasets_are_404(client):
    assert client.get("/data/secrets.csv").status_code == 404
    assert client.get("/data/users.json").status_code == 404


def test_initiatives_use_the_api_words_and_list_co_chairs(make_initiative, client):  # noqa: F811
    world = make_initiative(policy=JoinPolicy.OPEN)
    (row,) = rows(client.get("/data/initiatives.csv"))
    assert row["slug"] == world.slug
    assert (row["axis"], row["status"], row["join_policy"]) == (
        "international_law",
        "active",
        "open",
    )
    assert row["co_chairs"] == "FRA"
    assert row["active_count"] == "1"
    body = client.get("/data/initiatives.json").get_json()
    assert body["total"] == 1
    assert body["items"][0]["co_chairs"] == "FRA"
    assert body["items"][0]["seat_limit"] is None


def test_participants_list_every_state_and_organization(make_organization, client):
    make_organization(code="icnl", name="International Center for Not-for-Profit Law")
    data = rows(client.get("/data/participants.csv"))
    by_code = {r["code"]: r for r in data}
    assert len([r for r in data if r["kind"] == "state"]) == 195
    assert by_code["GHA"]["iso_alpha2"] == "GH"
    assert by_code["icnl"]["kind"] == "organization"
    assert by_code["icnl"]["category"] == "civil_society"
    assert client.get("/data/participants.json").get_json()["total"] == len(data)


def test_memberships_hold_current_and_past_rows(make_initiative, login, app):  # noqa: F811
    world = make_initiative(policy=JoinPolicy.OPEN)
    client = login(world.outsider)
    client.post(f"/initiatives/{world.slug}/join")
    from tests.initiatives.conftest import membership_of

    with app.app_context():
        membership = membership_of(world.slug, "GHA")
    client.post(f"/initiatives/{world.slug}/memberships/{membership.id}/withdraw")
    client.post(f"/initiatives/{world.slug}/join")

    data = rows(client.get("/data/memberships.csv"))
    ghana = [r for r in data if r["participant_code"] == "GHA"]
    assert [r["status"] for r in ghana] == ["withdrawn", "active"]
    assert ghana[0]["ended_at"]
    assert ghana[0]["since"]
    assert ghana[1]["ended_at"] == ""
    assert {r["body_slug"] for r in data} == {world.slug}
    assert set(data[0]) == {
        "id", "body_slug", "body_kind", "participant_code", "participant_kind",
        "role", "status", "created_at", "since", "ended_at",
    }  # fmt: skip
    items = client.get("/data/memberships.json").get_json()["items"]
    assert [i["status"] for i in items if i["participant_code"] == "GHA"] == ["withdrawn", "active"]
    assert items[0]["created_at"].endswith("+00:00")
