"""The meetings API beyond the rules: list filters, paging, guests, closing with
minutes, documents in two languages, answers; the OpenAPI document lists it all."""

from __future__ import annotations

from tests.meetings.conftest import schedule, wall


def test_the_list_filters_by_body_time_and_participant(mw, client, api_headers):
    first = schedule(mw, title="First", start=wall(10, 9), end=wall(10, 10))
    schedule(mw, title="Second", start=wall(40, 9), end=wall(40, 10))
    other = mw.w.initiative(title="Oceans")
    schedule(mw, body=other, title="Oceans session")

    def titles(query: str) -> list[str]:
        data = client.get(f"/api/v1/meetings?{query}").get_json()
        return [m["title"] for m in data["items"]]

    assert titles(f"body={mw.initiative.slug}") == ["First", "Second"]
    cutoff = first.ends_at.isoformat().replace("+00:00", "Z")
    assert titles(f"body={mw.initiative.slug}&from={cutoff}") == ["Second"]
    assert titles(f"to={cutoff}") == ["First"]
    assert titles("participant=FRA") == ["First", "Second"]
    page = client.get("/api/v1/meetings?per_page=1&page=2").get_json()
    assert (page["total"], page["page"], len(page["items"])) == (3, 2, 1)
    assert client.get("/api/v1/meetings?body=nowhere").status_code == 404
    assert client.get("/api/v1/meetings?from=yesterday").status_code == 422


def test_guests_documents_and_minutes_through_the_api(mw, client, api_headers):
    meeting = schedule(mw, actor=mw.staff, start=wall(-1, 9), end=wall(-1, 10), record_past=True)
    chair = api_headers(mw.staff)
    added = client.post(
        f"/api/v1/meetings/{meeting.id}/invitations", json={"participant": "icnl"}, headers=chair
    )
    assert added.status_code == 201
    assert added.get_json()["source"] == "guest"
    again = client.post(
        f"/api/v1/meetings/{meeting.id}/invitations", json={"participant": "icnl"}, headers=chair
    )
    assert again.status_code == 409
    held = client.post(
        f"/api/v1/meetings/{meeting.id}/held",
        json={"minutes": "# Minutes\n\nAgreed.", "language": "en"},
        headers=chair,
    )
    assert held.status_code == 200
    assert held.get_json()["status"] == "held"
    docs = client.get(f"/api/v1/meetings/{meeting.id}/documents").get_json()
    document_id = docs[0]["id"]
    put = client.put(
        f"/api/v1/meetings/{meeting.id}/documents/{document_id}/fr",
        json={"title": "Compte rendu", "status": "draft", "content": "Accord."},
        headers=chair,
    )
    assert put.status_code == 200
    public = client.get(f"/api/v1/meetings/{meeting.id}/documents").get_json()
    assert [v["language"] for v in public[0]["versions"]] == ["en"]  # the French is a draft
    invitee = client.get(
        f"/api/v1/meetings/{meeting.id}/documents", headers=api_headers(mw.member)
    ).get_json()
    assert sorted(v["language"] for v in invitee[0]["versions"]) == ["en", "fr"]
    assert client.delete(
        f"/api/v1/meetings/{meeting.id}/invitations/icnl", headers=chair
    ).status_code in (204, 409)  # held: guests can no longer change


def test_the_openapi_document_describes_the_meetings_api(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    for path in (
        "/api/v1/meetings",
        "/api/v1/meetings/{meeting_id}",
        "/api/v1/meetings/{meeting_id}/rsvp",
        "/api/v1/meetings/{meeting_id}/rsvps",
        "/api/v1/meetings/{meeting_id}/cancel",
        "/api/v1/meetings/{meeting_id}/held",
    ):
        assert path in spec["paths"], path
    start = spec["components"]["schemas"]["MeetingCreate"]["properties"]["start"]
    assert "the first" in start["description"]
