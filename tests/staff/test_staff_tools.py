"""The Secretariat's tools: the index, the guard of every /staff page, and (admins) staff
rights. (The queue of claims is tested with the representations.)"""

from __future__ import annotations

import pytest

from coalition.accounts.models import User
from coalition.extensions import db
from tests.conftest import audit_actions


def user_row(user_id: int) -> User:
    return db.session.get(User, user_id)


def others(make_user):
    return {
        "plain": lambda: make_user(),
        "delegate": lambda: make_user(represent="GHA"),
        "focal_point": lambda: make_user(represent="GHA", focal_point=True),
    }


def test_the_index_links_every_tool(client, make_user, make_claim, login_as):
    make_claim(make_user())
    login_as(make_user(admin=True))

    body = client.get("/staff/").get_data(as_text=True)

    for link in ("/staff/representations", "/staff/organizations/new", "/staff/audit"):
        assert f'href="{link}"' in body
    assert 'href="/staff/users"' in body
    assert "1 waiting" in body


def test_staff_who_are_not_admins_see_no_link_to_staff_rights(client, make_user, login_as):
    login_as(make_user(staff=True))

    assert 'href="/staff/users"' not in client.get("/staff/").get_data(as_text=True)


@pytest.mark.parametrize("path", ["/staff/", "/staff/representations", "/staff/users"])
def test_the_tools_need_a_login(client, path):
    response = client.get(path)

    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


@pytest.mark.parametrize("who", ["plain", "delegate", "focal_point"])
@pytest.mark.parametrize("path", ["/staff/", "/staff/representations", "/staff/users"])
def test_the_tools_are_for_staff_only(client, make_user, login_as, who, path):
    login_as(others(make_user)[who]())

    assert client.get(path).status_code == 403


# -- staff rights (admins) ----------------------------------------------------------------------


def test_admins_list_and_search_users(client, make_user, login_as):
    make_user(name="Wanjiru Kamau", email="wanjiru@example.org")
    make_user(name="Someone Else")
    login_as(make_user(admin=True))

    body = client.get("/staff/users?q=wanjiru").get_data(as_text=True)

    assert "wanjiru@example.org" in body
    assert "Someone Else" not in body


@pytest.mark.parametrize(
    ("change", "start", "expected"),
    [
        ("grant_staff", {}, (True, False)),
        ("remove_staff", {"staff": True}, (False, False)),
        ("grant_admin", {}, (True, True)),
        ("remove_admin", {"admin": True, "staff": True}, (True, False)),
    ],
)
def test_admins_grant_and_remove_staff_rights(
    client, make_user, login_as, read, change, start, expected
):
    target = make_user(**start)
    login_as(make_user(admin=True))

    response = client.post(f"/staff/users/{target.id}/rights", data={"change": change})

    assert response.status_code == 303
    row = read(lambda: user_row(target.id))
    assert (row.is_staff, row.is_admin) == expected
    assert read(lambda: audit_actions("user", target.id)) == ["user.staff_rights"]


def test_admins_disable_and_enable_an_account(client, make_user, login_as, read):
    target = make_user()
    login_as(make_user(admin=True))

    client.post(f"/staff/users/{target.id}/enabled", data={"enabled": "0"})
    disabled = read(lambda: user_row(target.id).is_enabled)
    client.post(f"/staff/users/{target.id}/enabled", data={"enabled": "1"})

    assert disabled is False
    assert read(lambda: user_row(target.id).is_enabled) is True
    assert read(lambda: audit_actions("user", target.id)) == ["user.disable", "user.enable"]


def test_an_admin_cannot_remove_their_own_admin_rights(client, make_user, login_as, read):
    admin = make_user(admin=True)
    login_as(admin)

    response = client.post(
        f"/staff/users/{admin.id}/rights", data={"change": "remove_admin"}, follow_redirects=True
    )

    assert "You cannot remove your own admin rights." in response.get_data(as_text=True)
    assert read(lambda: user_row(admin.id).is_admin) is True


def test_rights_of_an_unknown_user_are_404(client, make_user, login_as):
    login_as(make_user(admin=True))

    response = client.post("/staff/users/999999/rights", data={"change": "grant_staff"})

    assert response.status_code == 404


@pytest.mark.parametrize("who", ["plain", "delegate", "focal_point", "staff"])
@pytest.mark.parametrize(
    ("path", "data"),
    [("rights", {"change": "grant_admin"}), ("enabled", {"enabled": "0"})],
)
def test_only_admins_change_rights_or_accounts(client, make_user, login_as, read, who, path, data):
    target = make_user()
    actors = {**others(make_user), "staff": lambda: make_user(staff=True)}
    login_as(actors[who]())

    response = client.post(f"/staff/users/{target.id}/{path}", data=data)

    assert response.status_code == 403
    row = read(lambda: user_row(target.id))
    assert (row.is_staff, row.is_admin, row.is_enabled) == (False, False, True)


def test_staff_who_are_not_admins_cannot_list_users(client, make_user, login_as):
    login_as(make_user(staff=True))

    assert client.get("/staff/users").status_code == 403


def test_changing_rights_needs_a_login(client, make_user, read):
    target = make_user()

    response = client.post(f"/staff/users/{target.id}/rights", data={"change": "grant_admin"})

    assert response.status_code == 302
    assert read(lambda: user_row(target.id).is_admin) is False


def test_user_list_runs_as_many_queries_for_one_row_as_for_many(
    client, make_user, login_as, count_queries
):
    login_as(make_user(admin=True, name="Zed Admin"))
    for _ in range(5):
        make_user()
    client.get("/staff/users")
    with count_queries() as one:
        client.get("/staff/users?q=zed")
    with count_queries() as many:
        client.get("/staff/users")

    assert one.count == many.count
