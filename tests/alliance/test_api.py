"""API: POST/DELETE/GET /api/v1/alliance/endorsements."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from coalition.accounts.models import User
from coalition.accounts.services import create_api_token
from coalition.alliance import services
from coalition.alliance.models import Endorsement
from coalition.extensions import db
from tests.conftest import state

URL = "/api/v1/alliance/endorsements"


@pytest.fixture
def token_for(app):
    def make(user: User) -> dict[str, str]:
        with app.app_context():
            _row, token = create_api_token(db.session.get(User, user.id))
            db.session.commit()
        return {"Authorization": f"Bearer {token}"}

    return make


def _open(app, code: str) -> list[Endorsement]:
    with app.app_context():
        return list(
            db.session.scalars(
                sa.select(Endorsement).where(
                    Endorsement.participant_id == state(code).id,
                    Endorsement.withdrawn_at.is_(None),
                )
            )
        )


def test_the_callers_participant_endorses_with_a_token(client, app, make_user, token_for):
    headers = token_for(make_user(represent="GHA"))

    response = client.post(URL, headers=headers)

    assert response.status_code == 201
    body = response.get_json()
    assert body["participant"] == {"code": "GHA", "name": "Ghana", "kind": "state"}
    assert body["endorsed_at"].endswith("+00:00")
    assert body["withdrawn_at"] is None
    assert len(_open(app, "GHA")) == 1


def test_endorsing_without_a_token_is_401_and_changes_nothing(client, app):
    response = client.post(URL)
    assert response.status_code == 401
    assert response.mimetype == "application/problem+json"
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Endorsement.id))) == 0


@pytest.mark.parametrize("staff", [False, True])
def test_a_token_without_a_verified_representation_is_403(client, app, make_user, token_for, staff):
    response = client.post(URL, headers=token_for(make_user(staff=staff)))
    assert response.status_code == 403
    assert response.mimetype == "application/problem+json"
    assert "verified" in response.get_json()["detail"]
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Endorsement.id))) == 0


def test_endorsing_twice_is_409(client, app, make_user, token_for):
    headers = token_for(make_user(represent="GHA"))
    client.post(URL, headers=headers)

    response = client.post(URL, headers=headers)

    assert response.status_code == 409
    assert "already endorses" in response.get_json()["detail"]
    assert len(_open(app, "GHA")) == 1


def test_the_caller_withdraws_its_own_participant(client, app, make_user, token_for):
    headers = token_for(make_user(represent="GHA"))
    client.post(URL, headers=headers)

    response = client.delete(f"{URL}/GHA", headers=headers)

    assert response.status_code == 204
    assert _open(app, "GHA") == []
    # And may endorse again: a new row, the old one kept.
    assert client.post(URL, headers=headers).status_code == 201
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Endorsement.id))) == 2


def test_withdrawing_another_participant_is_403_and_changes_nothing(
    client, app, make_user, token_for
):
    client.post(URL, headers=token_for(make_user(represent="FRA")))
    headers = token_for(make_user(represent="GHA"))

    response = client.delete(f"{URL}/FRA", headers=headers)

    assert response.status_code == 403
    assert len(_open(app, "FRA")) == 1


def test_withdrawing_an_unknown_code_is_404(client, make_user, token_for):
    response = client.delete(f"{URL}/XXX", headers=token_for(make_user(represent="GHA")))
    assert response.status_code == 404


def test_withdrawing_when_not_endorsing_is_409(client, make_user, token_for):
    response = client.delete(f"{URL}/GHA", headers=token_for(make_user(represent="GHA")))
    assert response.status_code == 409


def test_withdrawing_without_a_token_is_401(client, app, make_user):
    with app.test_request_context():
        services.endorse(state("GHA"), actor=db.session.get(User, make_user(represent="GHA").id))
        db.session.commit()
    assert client.delete(f"{URL}/GHA").status_code == 401
    assert len(_open(app, "GHA")) == 1


def test_the_public_list_is_an_envelope_of_open_endorsements(client, app, make_user, token_for):
    for code in ("GHA", "FRA", "DEU"):
        client.post(URL, headers=token_for(make_user(represent=code)))
    client.delete(f"{URL}/DEU", headers=token_for(make_user(represent="DEU")))

    body = client.get(URL, query_string={"per_page": 1}).get_json()
    assert (body["page"], body["per_page"], body["total"]) == (1, 1, 2)
    assert len(body["items"]) == 1
    everything = client.get(URL).get_json()
    assert {item["participant"]["code"] for item in everything["items"]} == {"GHA", "FRA"}


def test_the_endpoints_are_in_the_openapi_document(client):
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    assert {"get", "post"} <= set(paths["/api/v1/alliance/endorsements"])
    assert "delete" in paths["/api/v1/alliance/endorsements/{code}"]
