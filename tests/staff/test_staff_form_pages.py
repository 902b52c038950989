"""The participants' and staff's form pages are well-formed, labelled and CSP-clean."""

from __future__ import annotations

import pytest

from tests.test_pages_quality import inline_code, parse_strict, unlabelled_controls


def page_problems(body: str) -> tuple[int, list[str], list[str]]:
    document = parse_strict(body)
    return len(list(document.iter("h1"))), unlabelled_controls(document), inline_code(document)


@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize(
    ("who", "path"),
    [
        ("claimant", "/participants/claim"),
        ("plain", "/participants/claim"),
        ("staff", "/participants/GHA"),
        ("staff", "/participants/GHA/edit"),
        ("staff", "/participants/icnl/edit"),
        ("staff", "/participants/icnl"),
        ("staff", "/staff/organizations/new"),
        ("staff", "/staff/representations"),
        ("staff", "/staff/representations/{rep}/reject"),
        ("staff", "/representations/{delegate}/end"),
        ("admin", "/staff/users"),
        ("staff", "/participants?q=gh"),
    ],
)
def test_form_pages_are_well_formed(
    client, make_user, make_claim, make_organization, login_as, read, who, path, language
):
    from tests.representations.conftest import representations_of

    make_organization(code="icnl", name="ICNL")
    claimant = make_user()
    rep = make_claim(claimant)
    delegate = make_user(represent="GHA")
    delegate_rep = read(lambda: representations_of(delegate)[0])
    viewer = {
        "claimant": lambda: claimant,
        "plain": lambda: make_user(),
        "staff": lambda: make_user(staff=True),
        "admin": lambda: make_user(admin=True),
    }[who]()
    login_as(viewer)

    response = client.get(
        path.format(rep=rep.id, delegate=delegate_rep.id), headers={"Accept-Language": language}
    )

    assert response.status_code == 200
    assert page_problems(response.get_data(as_text=True)) == (1, [], [])
