"""Open data: CSV and JSON of initiatives, participants and memberships, in the API's words."""

from __future__ import annotations

import csv
import io
import json

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


# -- streaming and validators ----------------------------------------------------------------


def _membership_csv_built_whole(app) -> str:
    """memberships.csv as the rows say, built in memory the plain way: what the streamed
    file must be, byte for byte."""
    import sqlalchemy as sa

    from coalition.bodies.models import Body, Membership
    from coalition.extensions import db
    from coalition.participants.models import Participant

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(
        ["id", "body_slug", "body_kind", "participant_code", "participant_kind",
         "role", "status", "created_at", "since", "ended_at"]
    )  # fmt: skip
    with app.app_context():
        for m in db.session.scalars(sa.select(Membership).order_by(Membership.id)):
            body = db.session.get(Body, m.body_id)
            who = db.session.get(Participant, m.participant_id)
            cells = [m.id, body.slug, body.kind.value, who.code, who.kind.value, m.role.value,
                     m.status.value, m.created_at, m.since, m.ended_at]  # fmt: skip
            writer.writerow(
                ["" if c is None else c.isoformat() if hasattr(c, "isoformat") else c
                 for c in cells]
            )  # fmt: skip
    return out.getvalue()


@pytest.mark.parametrize("fmt", ["csv", "json"])
@pytest.mark.parametrize("name", ["initiatives", "participants", "memberships"])
def test_files_stream_and_a_repeat_with_the_validator_is_a_304(
    make_initiative,  # noqa: F811
    client,
    name,
    fmt,
):
    make_initiative(policy=JoinPolicy.OPEN)
    response = client.get(f"/data/{name}.{fmt}")
    assert response.status_code == 200
    assert response.is_streamed
    etag, modified = response.headers["ETag"], response.headers["Last-Modified"]
    assert etag.startswith('W/"')
    body = response.get_data()
    if fmt == "json":
        document = json.loads(body)
        assert document["total"] == len(document["items"])

    again = client.get(f"/data/{name}.{fmt}", headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.get_data() == b""
    assert again.headers["ETag"] == etag
    since = client.get(f"/data/{name}.{fmt}", headers={"If-Modified-Since": modified})
    assert since.status_code == 304
    # Another file's validator is not this one's.
    other = "csv" if fmt == "json" else "json"
    other_etag = client.get(f"/data/{name}.{other}").headers["ETag"]
    assert other_etag != etag
    assert (
        client.get(f"/data/{name}.{fmt}", headers={"If-None-Match": other_etag}).status_code == 200
    )


def test_a_write_changes_the_validator(make_initiative, login, app, client):  # noqa: F811
    world = make_initiative(policy=JoinPolicy.OPEN)
    first = client.get("/data/memberships.csv")
    etag = first.headers["ETag"]
    first.get_data()

    login(world.outsider).post(f"/initiatives/{world.slug}/join")

    response = client.get("/data/memberships.csv", headers={"If-None-Match": etag})
    assert response.status_code == 200
    assert response.headers["ETag"] != etag
    assert "GHA" in response.get_data(as_text=True)
    # The time of the change is what Last-Modified says; an old copy is stale by it.
    stale = client.get(
        "/data/memberships.csv", headers={"If-Modified-Since": "Mon, 01 Jan 2001 00:00:00 GMT"}
    )
    assert stale.status_code == 200


def test_the_streamed_csv_is_the_file_built_whole(make_initiative, login, app, client):  # noqa: F811
    world = make_initiative(policy=JoinPolicy.OPEN)
    login(world.outsider).post(f"/initiatives/{world.slug}/join")
    assert client.get("/data/memberships.csv").get_data(as_text=True) == (
        _membership_csv_built_whole(app)
    )


def test_the_streamed_json_is_valid_and_complete(make_initiative, client):  # noqa: F811
    make_initiative(policy=JoinPolicy.OPEN)
    csv_rows = rows(client.get("/data/participants.csv"))
    document = client.get("/data/participants.json").get_json()
    assert document["total"] == len(csv_rows) == len(document["items"])
    assert [i["code"] for i in document["items"]] == [r["code"] for r in csv_rows]
