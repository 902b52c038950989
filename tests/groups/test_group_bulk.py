"""Bulk changes of a group's members: the preview's outcomes, all or nothing, the seat
limit for the whole batch, and every kind of bad input — in the service, the pages and
the API."""

from __future__ import annotations

import codecs
import io

import pytest
import sqlalchemy as sa

from coalition.audit.models import AuditEvent
from coalition.bodies.models import Membership, MembershipStatus
from coalition.errors import InvalidValue, NotAllowed
from coalition.extensions import db
from coalition.groups import bulk, codes
from coalition.groups.bulk import Outcome
from tests.conftest import state

API = "/api/v1"


def _rows(result) -> list[tuple[str, str]]:
    return [(r.code, r.outcome.value) for r in result.rows]


def _counts() -> tuple[int, int]:
    return (
        db.session.scalar(sa.select(sa.func.count(Membership.id))),
        db.session.scalar(sa.select(sa.func.count(AuditEvent.id))),
    )


# -- the service ------------------------------------------------------------------------------


def test_the_preview_names_every_outcome_and_changes_nothing(gw):
    gw.join("ESP")
    before = _counts()
    result = bulk.bulk_change(
        gw.group, add=["FRA", "ita", "DEU", "XXX", "ESP"], remove=["GHA"], actor=gw.staff
    )
    assert not result.applied
    assert _rows(result) == [
        ("FRA", "added"),
        ("ITA", "already_member"),
        ("DEU", "not_initiative_member"),
        ("XXX", "unknown"),
        ("ESP", "added"),
        ("GHA", "not_member"),
    ]
    assert _counts() == before


def test_a_bulk_addition_applies_every_row_at_once_recorded_and_told(gw):
    gw.join("ESP")
    result = bulk.bulk_change(gw.group, add=["fra", " ESP ", "icnl"], dry_run=False, actor=gw.staff)
    assert result.applied
    assert gw.active_codes(gw.group) == {"ITA", "FRA", "ESP", "icnl"}
    db.session.refresh(gw.group)
    assert gw.group.active_count == 4
    added = db.session.scalars(
        sa.select(AuditEvent.action).where(
            AuditEvent.body_id == gw.group.id, AuditEvent.action == "membership.add"
        )
    ).all()
    assert len(added) == 4  # ITA, then the three


def test_the_seat_limit_counts_the_whole_batch_and_removals_free_seats(gw):
    for code in ("ESP", "PRT", "BRA"):
        gw.join(code)
    result = bulk.bulk_change(
        gw.group, add=["FRA", "ESP", "PRT", "BRA", "icnl"], dry_run=False, actor=gw.staff
    )
    assert not result.applied
    assert [r.outcome for r in result.rows].count(Outcome.SEAT_LIMIT) == 1
    assert result.seats_free == 4
    assert gw.active_codes(gw.group) == {"ITA"}

    result = bulk.bulk_change(
        gw.group, add=["FRA", "ESP", "PRT", "BRA", "icnl"], remove=["ITA"], dry_run=False,
        actor=gw.staff, reason="Rotation of seats",
    )  # fmt: skip
    assert result.applied
    assert gw.active_codes(gw.group) == {"FRA", "ESP", "PRT", "BRA", "icnl"}
    ita = db.session.scalar(
        sa.select(Membership).where(
            Membership.body_id == gw.group.id, Membership.participant_id == state("ITA").id
        )
    )
    assert (ita.status, ita.reason) == (MembershipStatus.REMOVED, "Rotation of seats")


def test_a_bulk_removal_of_the_co_chair_ends_its_role_like_a_single_removal(gw):
    from coalition.bodies.queries import co_chairs_of

    result = bulk.bulk_change(gw.group, remove=["ITA", "FRA"], dry_run=False, actor=gw.group_chair)
    assert result.applied
    assert _rows(result) == [("ITA", "removed"), ("FRA", "not_member")]
    assert co_chairs_of(gw.group) == []
    ita = db.session.scalar(
        sa.select(Membership).where(
            Membership.body_id == gw.group.id, Membership.participant_id == state("ITA").id
        )
    )
    assert ita.reason == bulk.DEFAULT_REMOVAL_REASON


def test_the_same_change_sent_twice_is_harmless(gw):
    first = bulk.bulk_change(gw.group, add=["FRA"], dry_run=False, actor=gw.staff)
    again = bulk.bulk_change(gw.group, add=["FRA"], dry_run=False, actor=gw.staff)
    assert first.applied
    assert again.applied
    assert _rows(again) == [("FRA", "already_member")]


def test_duplicates_count_once_and_are_reported(gw):
    result = bulk.bulk_change(gw.group, add=["FRA", "fra", "FRA "], actor=gw.staff)
    assert _rows(result) == [("FRA", "added")]
    assert result.duplicates == ["fra", "FRA"]


def test_a_code_both_to_add_and_to_remove_is_refused(gw):
    with pytest.raises(InvalidValue, match="both to add and to remove"):
        bulk.bulk_change(gw.group, add=["FRA"], remove=["fra"], actor=gw.staff)


def test_more_than_a_thousand_codes_are_refused_with_the_limit_named(gw):
    with pytest.raises(InvalidValue, match="At most 1000"):
        bulk.bulk_change(gw.group, add=[f"C{n}" for n in range(1001)], actor=gw.staff)


def test_malformed_codes_are_unknown_not_errors(gw):
    result = bulk.bulk_change(gw.group, add=["G HA", "=cmd", "x" * 300], actor=gw.staff)
    assert [r.outcome for r in result.rows] == [Outcome.UNKNOWN] * 3


@pytest.mark.parametrize("role", ["plain", "member", "other", "co_chair", "org_user"])
def test_only_staff_and_the_groups_co_chairs_change_in_bulk(gw, role):
    with pytest.raises(NotAllowed):
        bulk.bulk_change(gw.group, add=["FRA"], dry_run=True, actor=gw.actor(role))


# -- reading codes ------------------------------------------------------------------------------


def test_pasted_codes_split_on_commas_spaces_and_lines():
    assert codes.split_pasted("GHA, FRA,deu\nicnl;  ita\tESP") == [
        "GHA", "FRA", "deu", "icnl", "ita", "ESP",
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"GHA\r\nFRA\r\ndeu\r\n", ["GHA", "FRA", "deu"]),
        (codecs.BOM_UTF8 + b"code\nGHA\nFRA\n", ["GHA", "FRA"]),
        (codecs.BOM_UTF16_LE + "code;name\nCIV;Côte d'Ivoire\n".encode("utf-16-le"), ["CIV"]),
        ("name,code\nCôte d'Ivoire,CIV\n".encode("latin-1"), ["CIV"]),
        (b'code,name\n"GHA","Ghana, Republic of"\n FRA ,France\n\n', ["GHA", "FRA"]),
        (b"Code\tName\nGHA\tGhana\n", ["GHA"]),
    ],
    ids=["one-column", "utf8-bom-header", "utf16-bom-semicolons", "latin1", "quoted", "tabs"],
)
def test_csv_files_in_every_usual_encoding_and_shape_are_read(data, expected):
    assert codes.read_csv(data) == expected


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "The file is empty."),
        (b"  \r\n\r\n", "The file is empty."),
        (codecs.BOM_UTF8, "The file is empty."),
        ("code\nGHA\n".encode("utf-16-le"), "not a CSV text file"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "not a CSV text file"),
        (b'code,name\n"GHA,Ghana\n', "not valid CSV"),
        (b"code,name\n,Ghana\n", "no participant code"),
        (b"GHA\n" * 10_000, "more than 1000 rows"),
    ],
    ids=["empty", "blank", "bom-only", "utf16-no-bom", "binary", "open-quote", "no-codes", "10k"],
)
def test_bad_files_get_one_clear_message_each(data, message):
    with pytest.raises(InvalidValue, match=message) as refused:
        codes.read_csv(data)
    assert refused.value.field == "file"


def test_a_roster_exported_here_reads_back_as_its_codes(gw, client):
    gw.add("FRA")
    exported = client.get(f"/groups/{gw.group.slug}/members.csv").get_data()
    assert sorted(codes.read_csv(exported)) == ["FRA", "ITA"]


# -- the pages: paste or upload, preview, confirm ------------------------------------------


def _upload(data: bytes, name: str = "codes.csv") -> dict:
    return {"operation": "add", "file": (io.BytesIO(data), name)}


def test_the_page_previews_then_applies_on_confirmation(gw, login_as):
    client = login_as(gw.staff)
    url = f"/groups/{gw.group.slug}/bulk"
    assert client.get(url).status_code == 200
    preview = client.post(url, data={"operation": "add", "codes": "FRA, icnl, DEU, XXX"})
    page = preview.get_data(as_text=True)
    assert preview.status_code == 200
    assert "will be added" in page
    assert "refused: not an active member of Information and democracy" in page
    assert "refused: no participant has this code" in page
    assert "Confirm" not in page  # refused rows: nothing to confirm
    assert gw.active_codes(gw.group) == {"ITA"}

    preview = client.post(url, data={"operation": "add", "codes": "FRA icnl"})
    page = preview.get_data(as_text=True)
    assert 'name="codes" type="hidden" value="FRA,icnl"' in page
    applied = client.post(f"{url}/apply", data={"operation": "add", "codes": "FRA,icnl"})
    assert applied.status_code == 303
    assert gw.active_codes(gw.group) == {"ITA", "FRA", "icnl"}


@pytest.mark.parametrize("listed", ["FRA icnl", "FRA DEU XXX"])
def test_the_preview_page_is_well_formed_and_labelled(gw, login_as, listed):
    from tests.test_pages_quality import inline_code, parse_strict, unlabelled_controls

    response = login_as(gw.staff).post(
        f"/groups/{gw.group.slug}/bulk", data={"operation": "add", "codes": listed}
    )
    document = parse_strict(response.get_data(as_text=True))
    assert unlabelled_controls(document) == []
    assert inline_code(document) == []
    assert len(list(document.iter("h1"))) == 1


def test_a_confirmation_planned_again_refuses_what_changed_since_the_preview(gw, login_as):
    from coalition.bodies import memberships
    from coalition.bodies.queries import open_membership

    client = login_as(gw.staff)
    memberships.withdraw(open_membership(gw.initiative, gw.fra), actor=gw.member)
    db.session.commit()
    response = client.post(
        f"/groups/{gw.group.slug}/bulk/apply", data={"operation": "add", "codes": "FRA,icnl"}
    )
    assert response.status_code == 409
    assert "Nothing was changed" in response.get_data(as_text=True)
    assert gw.active_codes(gw.group) == {"ITA"}


def test_an_uploaded_roster_previews_its_codes(gw, login_as):
    response = login_as(gw.staff).post(
        f"/groups/{gw.group.slug}/bulk",
        data=_upload(codecs.BOM_UTF8 + b"code,name\nFRA,France\nfra,France\n"),
        content_type="multipart/form-data",
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "will be added" in page
    assert "Given more than once, counted once: fra." in page


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "The file is empty."),
        ("code\nGHA\n".encode("utf-16-le"), "not a CSV text file"),
        (b"GHA\n" * 10_000, "more than 1000 rows"),
    ],
)
def test_a_bad_upload_is_the_file_fields_error_and_changes_nothing(gw, login_as, data, message):
    before = _counts()
    response = login_as(gw.staff).post(
        f"/groups/{gw.group.slug}/bulk", data=_upload(data), content_type="multipart/form-data"
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="file-error"' in page
    assert message in page.replace("&#39;", "'")
    assert _counts() == before


def test_nothing_pasted_nor_uploaded_says_so(gw, login_as):
    response = login_as(gw.staff).post(f"/groups/{gw.group.slug}/bulk", data={"operation": "add"})
    assert response.status_code == 422
    assert "Paste participant codes, or choose a CSV file." in response.get_data(as_text=True)


def test_a_five_megabyte_upload_gets_a_clear_413_page(gw, login_as):
    from werkzeug.datastructures import FileStorage
    from werkzeug.test import encode_multipart

    # Encoded here, in memory: the test client would spool 5 MB to a temporary file that
    # nobody reads, hence nobody closes.
    data = b"GHA\n" * (5 * 1024 * 1024 // 4)
    boundary, body = encode_multipart(
        {"operation": "add", "file": FileStorage(io.BytesIO(data), filename="codes.csv")}
    )
    response = login_as(gw.staff).post(
        f"/groups/{gw.group.slug}/bulk",
        data=body,
        content_type=f"multipart/form-data; boundary={boundary}",
    )
    assert response.status_code == 413
    assert "uploads are limited to 1 MB" in response.get_data(as_text=True)


# -- the API ---------------------------------------------------------------------------------


def test_the_api_previews_applies_and_refuses_with_the_same_rows(gw, client, api_headers):
    url = f"{API}/groups/{gw.group.slug}/memberships/bulk"
    headers = api_headers(gw.group_chair)

    dry = client.post(url, json={"add": ["FRA", "DEU"], "dry_run": True}, headers=headers)
    assert dry.status_code == 200
    assert dry.get_json() == {
        "applied": False,
        "rows": [
            {"code": "FRA", "outcome": "added"},
            {"code": "DEU", "outcome": "not_initiative_member"},
        ],
    }

    refused = client.post(url, json={"add": ["FRA", "DEU"]}, headers=headers)
    assert refused.status_code == 409
    assert refused.mimetype == "application/problem+json"
    body = refused.get_json()
    assert body["applied"] is False
    assert body["rows"] == dry.get_json()["rows"]
    assert "Nothing was changed" in body["detail"]
    assert gw.active_codes(gw.group) == {"ITA"}

    applied = client.post(url, json={"add": ["FRA"], "remove": ["ITA"]}, headers=headers)
    assert applied.status_code == 200
    assert applied.get_json() == {
        "applied": True,
        "rows": [{"code": "FRA", "outcome": "added"}, {"code": "ITA", "outcome": "removed"}],
    }
    assert gw.active_codes(gw.group) == {"FRA"}


@pytest.mark.parametrize(
    ("payload", "status"),
    [
        ({"add": "FRA"}, 422),
        ({"add": [""]}, 422),
        ({"add": [f"C{n}" for n in range(1001)]}, 422),
        ({"add": ["FRA"], "remove": ["fra"]}, 422),
    ],
    ids=["not-a-list", "empty-code", "too-many", "both"],
)
def test_the_api_refuses_bad_bulk_input_with_a_problem(gw, client, api_headers, payload, status):
    response = client.post(
        f"{API}/groups/{gw.group.slug}/memberships/bulk",
        json=payload,
        headers=api_headers(gw.staff),
    )
    assert response.status_code == status
    assert response.mimetype == "application/problem+json"


def test_the_api_answers_a_five_megabyte_body_with_a_413_problem(gw, client, api_headers):
    response = client.post(
        f"{API}/groups/{gw.group.slug}/memberships/bulk",
        data=b'{"add": ["' + b"A" * (5 * 1024 * 1024) + b'"]}',
        content_type="application/json",
        headers=api_headers(gw.staff),
    )
    assert response.status_code == 413
    assert response.mimetype == "application/problem+json"
    assert "at most 1 MB" in response.get_json()["detail"]
