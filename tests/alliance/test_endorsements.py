"""Joining the Alliance by endorsing its declaration, and leaving it: services and pages."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from coalition.accounts.models import User
from coalition.alliance import services
from coalition.alliance.models import Endorsement
from coalition.audit.models import AuditEvent
from coalition.bodies.models import Membership
from coalition.errors import Conflict, NotAllowed
from coalition.extensions import db
from tests.conftest import state


def _endorsements(code: str) -> list[Endorsement]:
    return list(
        db.session.scalars(
            sa.select(Endorsement)
            .where(Endorsement.participant_id == state(code).id)
            .order_by(Endorsement.id)
        )
    )


def _user(user: User) -> User:
    return db.session.get(User, user.id)


# -- services ------------------------------------------------------------------------------


def test_a_verified_delegate_endorses_for_its_participant_and_it_is_recorded(app_ctx, make_user):
    delegate = _user(make_user(represent="GHA"))
    ghana = state("GHA")

    endorsement = services.endorse(ghana, actor=delegate)

    assert endorsement.participant_id == ghana.id
    assert endorsement.endorsed_by_id == delegate.id
    assert endorsement.endorsed_at is not None
    assert endorsement.withdrawn_at is None
    assert services.is_alliance_participant(ghana)
    assert services.open_endorsement(ghana).id == endorsement.id
    event = db.session.scalars(
        sa.select(AuditEvent).where(AuditEvent.action == "alliance.endorse")
    ).one()
    assert (event.actor_id, event.participant_id, event.object_id) == (
        delegate.id,
        ghana.id,
        endorsement.id,
    )


def test_endorsing_the_alliance_enrols_in_no_initiative_or_group(app_ctx, make_user):
    delegate = _user(make_user(represent="GHA"))
    before = db.session.scalar(sa.select(sa.func.count(Membership.id)))

    services.endorse(state("GHA"), actor=delegate)

    assert db.session.scalar(sa.select(sa.func.count(Membership.id))) == before
    assert (
        db.session.scalar(
            sa.select(sa.func.count(Membership.id)).where(
                Membership.participant_id == state("GHA").id
            )
        )
        == 0
    )


def test_endorsing_twice_is_a_conflict_and_keeps_one_open_endorsement(app_ctx, make_user):
    delegate = _user(make_user(represent="GHA"))
    services.endorse(state("GHA"), actor=delegate)

    with pytest.raises(Conflict):
        services.endorse(state("GHA"), actor=delegate)

    assert len(_endorsements("GHA")) == 1


def test_the_database_keeps_one_open_endorsement_even_when_the_pre_check_is_bypassed(
    app_ctx, make_user, monkeypatch
):
    """Two requests racing both pass the friendly check; the partial unique index decides."""
    delegate = _user(make_user(represent="GHA"))
    services.endorse(state("GHA"), actor=delegate)
    monkeypatch.setattr(services, "open_endorsement", lambda participant: None)

    with pytest.raises(Conflict):
        services.endorse(state("GHA"), actor=delegate)

    db.session.rollback()
    assert len(_endorsements("GHA")) == 0  # the first was never committed either


def test_withdrawing_closes_the_endorsement_and_endorsing_again_starts_a_new_one(
    app_ctx, make_user
):
    delegate = _user(make_user(represent="GHA"))
    ghana = state("GHA")
    first = services.endorse(ghana, actor=delegate)

    withdrawn = services.withdraw_endorsement(ghana, actor=delegate)
    assert withdrawn.id == first.id
    assert withdrawn.withdrawn_at is not None
    assert withdrawn.withdrawn_by_id == delegate.id
    assert not services.is_alliance_participant(ghana)

    second = services.endorse(ghana, actor=delegate)
    rows = _endorsements("GHA")
    assert [r.id for r in rows] == [first.id, second.id]
    assert rows[0].withdrawn_at is not None
    assert rows[1].withdrawn_at is None
    actions = db.session.scalars(
        sa.select(AuditEvent.action)
        .where(AuditEvent.participant_id == ghana.id)
        .order_by(AuditEvent.id)
    ).all()
    assert actions == ["alliance.endorse", "alliance.withdraw", "alliance.endorse"]


def test_withdrawing_without_an_open_endorsement_is_a_conflict(app_ctx, make_user):
    delegate = _user(make_user(represent="GHA"))
    with pytest.raises(Conflict):
        services.withdraw_endorsement(state("GHA"), actor=delegate)


@pytest.mark.parametrize("who", ["plain user", "delegate of another", "staff", "admin"])
def test_only_a_verified_delegate_may_endorse_or_withdraw_for_a_participant(
    app_ctx, make_user, who
):
    ghana_delegate = _user(make_user(represent="GHA"))
    actor = _user(
        {
            "plain user": lambda: make_user(),
            "delegate of another": lambda: make_user(represent="FRA"),
            "staff": lambda: make_user(staff=True),
            "admin": lambda: make_user(admin=True),
        }[who]()
    )
    ghana = state("GHA")

    with pytest.raises(NotAllowed):
        services.endorse(ghana, actor=actor)
    assert _endorsements("GHA") == []

    services.endorse(ghana, actor=ghana_delegate)
    with pytest.raises(NotAllowed):
        services.withdraw_endorsement(ghana, actor=actor)
    assert services.open_endorsement(ghana) is not None


def test_a_pending_claim_does_not_allow_endorsing(app_ctx, make_user):
    from coalition.representations.models import (
        Representation,
        RepresentationRole,
        RepresentationStatus,
    )

    claimant = _user(make_user())
    db.session.add(
        Representation(
            user_id=claimant.id,
            participant_id=state("GHA").id,
            role=RepresentationRole.DELEGATE,
            status=RepresentationStatus.PENDING,
        )
    )
    db.session.flush()
    with pytest.raises(NotAllowed):
        services.endorse(state("GHA"), actor=claimant)


# -- pages -----------------------------------------------------------------------------------


def test_the_declaration_page_shows_the_principles_to_everyone(client):
    page = client.get("/alliance")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "not a formal institution but a network permitting flexible thematic coalitions" in text
    assert "does not imply automatic participation in other initiatives" in text
    assert "open to any State" in text
    assert "essential and active partners" in text
    assert "Reform and modernize existing international organizations" in text
    assert "No participant endorses the declaration yet" in text
    assert "/register" in text


def test_a_delegate_endorses_from_the_page_and_sees_the_participant_listed(
    client, login_as, make_user, app
):
    delegate = make_user(represent="GHA")
    login_as(delegate)

    page = client.get("/alliance").get_data(as_text=True)
    assert "Endorse on behalf of Ghana" in page

    response = client.post("/alliance/endorse")
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/alliance")
    page = client.get("/alliance").get_data(as_text=True)
    assert "Ghana now endorses the Alliance declaration." in page
    assert "Withdraw the endorsement" in page
    assert '<th scope="row"><a href="/participants/GHA">Ghana</a></th>' in page
    with app.app_context():
        assert services.is_alliance_participant(state("GHA"))


def test_a_delegate_withdraws_from_the_page(client, login_as, make_user, app):
    delegate = make_user(represent="GHA")
    login_as(delegate)
    client.post("/alliance/endorse")

    response = client.post("/alliance/withdraw")

    assert response.status_code == 303
    page = client.get("/alliance").get_data(as_text=True)
    assert "Ghana no longer endorses the Alliance declaration." in page
    assert "Endorse on behalf of Ghana" in page
    with app.app_context():
        assert [e.withdrawn_at is not None for e in _endorsements("GHA")] == [True]


def test_endorsing_twice_from_the_page_says_so_and_changes_nothing(
    client, login_as, make_user, app
):
    login_as(make_user(represent="GHA"))
    client.post("/alliance/endorse")

    response = client.post("/alliance/endorse", headers={"Referer": "/alliance"})

    assert response.status_code == 303
    assert "already endorses" in client.get("/alliance").get_data(as_text=True)
    with app.app_context():
        assert len(_endorsements("GHA")) == 1


def test_anonymous_visitors_are_sent_to_log_in_and_nothing_is_endorsed(client, app):
    response = client.post("/alliance/endorse")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Endorsement.id))) == 0


@pytest.mark.parametrize("who", ["plain user", "staff"])
def test_users_without_a_verified_representation_are_refused_and_shown_how_to_become_one(
    client, login_as, make_user, app, who
):
    user = make_user(staff=who == "staff")
    login_as(user)

    page = client.get("/alliance").get_data(as_text=True)
    assert "Endorse on behalf" not in page
    assert "/participants/claim" in page

    assert client.post("/alliance/endorse").status_code == 403
    assert client.post("/alliance/withdraw").status_code == 403
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Endorsement.id))) == 0


def test_the_participant_list_is_paginated_with_a_bounded_number_of_queries(
    client, app, make_user, count_queries
):
    codes = ["GHA", "FRA", "DEU", "CAN", "CHL", "MEX", "SGP"]
    with app.test_request_context():
        for code in codes:
            services.endorse(state(code), actor=_user(make_user(represent=code)))
        db.session.commit()

    with count_queries() as few:
        first = client.get("/alliance?per_page=3")
    with count_queries() as all_of_them:
        everything = client.get("/alliance?per_page=50")

    assert first.status_code == everything.status_code == 200
    assert "Page 1 of 3" in first.get_data(as_text=True)
    assert first.get_data(as_text=True).count('<th scope="row">') == 3
    assert everything.get_data(as_text=True).count('<th scope="row">') == len(codes)
    # The number of queries does not grow with the number of participants listed.
    assert all_of_them.count == few.count
