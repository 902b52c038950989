"""Staff create and edit organizations, and change a state's reference time zone."""

from __future__ import annotations

import pytest

from coalition.participants.models import OrganizationCategory, ParticipantKind
from tests.conftest import audit_actions
from tests.participants.conftest import participant

VALID = {
    "name": "International Center for Not-for-Profit Law",
    "code": "icnl",
    "acronym": "ICNL",
    "category": "civil_society",
    "website": "https://www.icnl.org",
    "description": "Legal frameworks for civil society.",
    "timezone": "America/New_York",
}


def test_staff_add_an_organization(client, make_user, login_as, read):
    login_as(make_user(staff=True))

    response = client.post("/staff/organizations/new", data=VALID)

    assert response.status_code == 303
    assert response.headers["Location"].endswith("/participants/icnl")
    org = read(lambda: participant("icnl"))
    assert org.kind is ParticipantKind.ORGANIZATION
    assert org.category is OrganizationCategory.CIVIL_SOCIETY
    assert (org.acronym, org.timezone, org.website) == (
        "ICNL",
        "America/New_York",
        "https://www.icnl.org",
    )
    assert read(lambda: audit_actions("participant", org.id)) == ["participant.create"]
    assert "ICNL" in client.get("/participants/icnl").get_data(as_text=True)


def test_the_new_organization_form_offers_the_five_categories(client, make_user, login_as):
    login_as(make_user(staff=True))

    body = client.get("/staff/organizations/new").get_data(as_text=True)

    for label in (
        "International organization",
        "Regional institution",
        "Civil society",
        "Private sector",
        "Other",
    ):
        assert f">{label}</option>" in body


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("code", "Not A Slug"),
        ("code", "GHA"),  # lower-cased, it is taken by Ghana
        ("name", ""),
        ("category", "church"),
        ("timezone", "Mars/Olympus_Mons"),
        ("website", "javascript:alert(1)"),
    ],
)
def test_bad_organization_values_are_field_errors_and_create_nothing(
    client, make_user, login_as, read, field, value
):
    login_as(make_user(staff=True))

    response = client.post("/staff/organizations/new", data={**VALID, field: value})

    assert response.status_code == 422
    assert f'id="{field}-error"' in response.get_data(as_text=True)
    assert read(lambda: participant("icnl")) is None


def test_an_organization_code_must_be_unique(client, make_user, make_organization, login_as):
    make_organization(code="icnl")
    login_as(make_user(staff=True))

    response = client.post("/staff/organizations/new", data=VALID)

    assert response.status_code == 422
    assert "Another participant already uses the code icnl." in response.get_data(as_text=True)


def test_staff_edit_an_organization(client, make_user, make_organization, login_as, read):
    org = make_organization(code="article19", name="Article 19")
    login_as(make_user(staff=True))

    response = client.post(
        "/participants/article19/edit",
        data={**VALID, "code": "article-19", "name": "ARTICLE 19", "category": "other"},
    )

    assert response.status_code == 303
    edited = read(lambda: participant("article-19"))
    assert (edited.id, edited.name, edited.category) == (
        org.id,
        "ARTICLE 19",
        OrganizationCategory.OTHER,
    )
    assert read(lambda: audit_actions("participant", org.id)) == ["participant.update"]


def test_staff_change_a_states_reference_time_zone_only(client, make_user, login_as, read):
    login_as(make_user(staff=True))
    form = client.get("/participants/USA/edit").get_data(as_text=True)
    assert 'name="name"' not in form

    response = client.post(
        "/participants/USA/edit", data={"timezone": "America/Chicago", "name": "Freedonia"}
    )

    assert response.status_code == 303
    usa = read(lambda: participant("USA"))
    assert (usa.timezone, usa.name) == ("America/Chicago", "United States of America")
    events = read(lambda: audit_actions("participant", usa.id))
    assert events == ["participant.update"]


def test_an_unknown_time_zone_for_a_state_is_a_field_error(client, make_user, login_as, read):
    login_as(make_user(staff=True))

    response = client.post("/participants/GHA/edit", data={"timezone": "Africa/Atlantis"})

    assert response.status_code == 422
    assert 'id="timezone-error"' in response.get_data(as_text=True)
    assert read(lambda: participant("GHA").timezone) == "Africa/Accra"


def test_editing_an_unknown_participant_is_404(client, make_user, login_as):
    login_as(make_user(staff=True))

    assert client.get("/participants/no-such-org/edit").status_code == 404


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/staff/organizations/new"),
        ("post", "/staff/organizations/new"),
        ("get", "/participants/GHA/edit"),
        ("post", "/participants/GHA/edit"),
    ],
)
def test_organization_and_zone_editing_needs_a_login(client, read, method, path):
    response = getattr(client, method)(path, data={**VALID, "timezone": "UTC"})

    assert response.status_code == 302
    assert "/login" in response.headers["Location"]
    assert read(lambda: participant("icnl")) is None
    assert read(lambda: participant("GHA").timezone) == "Africa/Accra"


@pytest.mark.parametrize("who", ["plain", "delegate", "focal_point"])
@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/staff/organizations/new"),
        ("post", "/staff/organizations/new"),
        ("get", "/participants/GHA/edit"),
        ("post", "/participants/GHA/edit"),
    ],
)
def test_only_staff_add_organizations_or_edit_participants(
    client, make_user, login_as, read, who, method, path
):
    login_as(
        {
            "plain": lambda: make_user(),
            "delegate": lambda: make_user(represent="GHA"),
            "focal_point": lambda: make_user(represent="GHA", focal_point=True),
        }[who]()
    )

    response = getattr(client, method)(path, data={**VALID, "timezone": "UTC"})

    assert response.status_code == 403
    assert read(lambda: participant("icnl")) is None
    assert read(lambda: participant("GHA").timezone) == "Africa/Accra"
