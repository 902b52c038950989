"""Hostile or absurd input gets a clear answer, never a 500; sessions end with the password."""

from __future__ import annotations

import pytest

from coalition.accounts import services as accounts
from coalition.extensions import db

HUGE = "99999999999999999999"


@pytest.mark.parametrize(
    "path",
    [
        f"/initiatives?page={HUGE}",
        "/initiatives?page=-3&per_page=abc",
        f"/matrix?page={HUGE}",
        f"/participants?page={HUGE}",
        f"/api/v1/initiatives?page={HUGE}",
        f"/api/v1/participants?per_page={HUGE}",
        "/api/v1/memberships/99999999999999",
        "/participants/%00",
        "/initiatives/" + "x" * 5000,
    ],
)
def test_absurd_page_numbers_and_ids_never_give_a_500(client, path):
    assert client.get(path).status_code in (200, 400, 404, 422)


def test_nul_characters_are_refused_clearly_on_every_database(client):
    assert client.get("/participants?q=a%00b").status_code == 400
    assert (
        client.post("/login", data={"email": "a\x00@example.org", "password": "x"}).status_code
        == 400
    )


def test_a_nul_character_in_api_json_is_refused(client):
    response = client.post("/api/v1/initiatives", json={"title": "a\u0000b"})
    assert response.status_code == 400
    assert response.mimetype == "application/problem+json"


def test_an_oversized_request_is_refused_before_it_is_read(client):
    response = client.post(
        "/api/v1/initiatives", data="x" * (2 * 1024 * 1024), content_type="application/json"
    )
    assert response.status_code == 413
    assert response.mimetype == "application/problem+json"


def test_malformed_json_is_a_problem_not_a_crash(client, make_user):
    user = make_user(represent="GHA")
    with client.application.app_context():
        _row, token = accounts.create_api_token(db.session.merge(user))
        db.session.commit()
    response = client.post(
        "/api/v1/initiatives",
        data="{not json",
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code in (400, 422)
    assert response.mimetype == "application/problem+json"


def test_changing_the_password_ends_other_sessions_but_not_this_one(app, make_user):
    user = make_user()
    here, elsewhere = app.test_client(), app.test_client()
    for client in (here, elsewhere):
        response = client.post(
            "/login", data={"email": user.email, "password": "correct horse battery"}
        )
        assert response.status_code == 302
        assert client.get("/account").status_code == 200
    response = here.post(
        "/account",
        data={
            "action": "password",
            "password-current_password": "correct horse battery",
            "password-new_password": "a brand new password",
            "password-confirm": "a brand new password",
        },
    )
    assert response.status_code == 302
    assert here.get("/account").status_code == 200
    assert elsewhere.get("/account").status_code == 302  # sent to the login page


def test_a_csv_cell_cannot_smuggle_a_spreadsheet_formula(app_ctx, make_user):
    from coalition.opendata.views import _cell

    assert _cell('=HYPERLINK("http://evil")').startswith("'=")
    assert _cell("@SUM(A1)") == "'@SUM(A1)"
    assert _cell("Paris Call") == "Paris Call"
    assert _cell(-3) == -3
