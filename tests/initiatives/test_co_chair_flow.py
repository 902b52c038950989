"""Issue 11 (items 8 and 9): withdrawing asks first and says why; the co-chairs hear of
every change they should know about; a notice about a request someone already decided
shows as done; deciding from the dashboard goes back there; pending decisions show at
the top of the page."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from coalition.accounts.models import User
from coalition.bodies import co_chairs, memberships
from coalition.bodies.models import JoinPolicy, MembershipStatus
from coalition.extensions import db
from coalition.notifications.models import Notification
from coalition.outbox.models import OutgoingMail
from tests.conftest import state
from tests.initiatives import rules_support
from tests.initiatives.conftest import membership_of
from tests.test_pages_quality import parse_strict, unlabelled_controls


def text(response) -> str:
    return response.get_data(as_text=True)


def notes(app, user: User, kind: str) -> list[Notification]:
    with app.app_context():
        return list(
            db.session.scalars(
                sa.select(Notification).where(
                    Notification.user_id == user.id, Notification.kind == kind
                )
            )
        )


def mails_to(app, user: User) -> list[str]:
    with app.app_context():
        return list(
            db.session.scalars(
                sa.select(OutgoingMail.subject).where(OutgoingMail.recipient == user.email)
            )
        )


def clean(response) -> str:
    body = text(response)
    document = parse_strict(body)
    assert len(list(document.iter("h1"))) == 1
    assert unlabelled_controls(document) == []
    return body


# -- withdrawing asks first ------------------------------------------------------------------


def test_withdrawing_shows_a_confirmation_page_and_changes_nothing(make_initiative, login, app):
    world = make_initiative(policy=JoinPolicy.OPEN)
    client = login(world.outsider)
    client.post(f"/initiatives/{world.slug}/join")
    with app.app_context():
        membership = membership_of(world.slug, "GHA")
    url = f"/initiatives/{world.slug}/memberships/{membership.id}/withdraw"

    page = text(client.get(f"/initiatives/{world.slug}"))
    assert f'href="{url}"' in page  # a link to the confirmation, not a one-click form
    assert f'action="{url}"' not in page

    response = client.get(url)
    assert response.status_code == 200
    body = clean(response)
    assert "Ghana will no longer be a member of Humanitarian Call for Action" in body
    assert 'name="withdraw-reason"' in body
    assert "Confirm the withdrawal" in body
    with app.app_context():
        assert membership_of(world.slug, "GHA").status is MembershipStatus.ACTIVE


def test_the_confirmation_names_the_groups_that_end_with_the_membership(
    make_initiative, login, app
):
    from coalition.groups.services import create_group

    world = make_initiative(policy=JoinPolicy.OPEN)
    login(world.outsider).post(f"/initiatives/{world.slug}/join")
    with app.test_request_context():
        staff = db.session.get(User, world.staff.id)
        group = create_group(
            actor=staff, title="Legal experts", initiative=world.initiative(), summary="Law."
        )
        memberships.add_member(group, state("GHA"), actor=staff)
        db.session.commit()
        membership_id = membership_of(world.slug, "GHA").id
    body = text(
        login(world.outsider).get(f"/initiatives/{world.slug}/memberships/{membership_id}/withdraw")
    )
    assert "Its membership of these working groups ends with it" in body
    assert "Legal experts" in body


def test_withdrawing_records_the_reason_and_tells_the_co_chairs(make_initiative, login, app):
    world = make_initiative(policy=JoinPolicy.OPEN)
    client = login(world.outsider)
    client.post(f"/initiatives/{world.slug}/join")
    with app.app_context():
        membership = membership_of(world.slug, "GHA")
    response = client.post(
        f"/initiatives/{world.slug}/memberships/{membership.id}/withdraw",
        data={"withdraw-reason": "Our priorities changed."},
    )
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/initiatives/{world.slug}")
    follow = text(client.get(response.headers["Location"]))
    assert "Ghana has withdrawn from Humanitarian Call for Action." in follow
    with app.app_context():
        withdrawn = membership_of(world.slug, "GHA")
        assert withdrawn.status is MembershipStatus.WITHDRAWN
        assert withdrawn.reason == "Our priorities changed."

    [note] = notes(app, world.chair, "membership.withdrawn")
    assert note.data["reason"] == "Our priorities changed."
    assert note.read_at is None
    assert "Ghana withdrew from Humanitarian Call for Action" in mails_to(app, world.chair)
    inbox = text(login(world.chair).get("/notifications"))
    assert "Ghana withdrew from Humanitarian Call for Action. Reason given: Our priorities" in inbox
    # The co-chairs read the reason in the history; the public does not.
    assert "Our priorities changed." in text(
        login(world.chair).get(f"/initiatives/{world.slug}/history")
    )
    assert "Our priorities changed." not in text(
        login(None).get(f"/initiatives/{world.slug}/history")
    )


def test_withdrawing_without_a_reason_is_fine(make_initiative, login, app):
    world = make_initiative(policy=JoinPolicy.OPEN)
    client = login(world.outsider)
    client.post(f"/initiatives/{world.slug}/join")
    with app.app_context():
        membership = membership_of(world.slug, "GHA")
    client.post(f"/initiatives/{world.slug}/memberships/{membership.id}/withdraw")
    with app.app_context():
        withdrawn = membership_of(world.slug, "GHA")
        assert withdrawn.status is MembershipStatus.WITHDRAWN
        assert withdrawn.reason is None
    assert len(notes(app, world.chair, "membership.withdrawn")) == 1


def test_a_too_long_reason_is_shown_on_the_page_and_nothing_changes(make_initiative, login, app):
    world = make_initiative(policy=JoinPolicy.OPEN)
    client = login(world.outsider)
    client.post(f"/initiatives/{world.slug}/join")
    with app.app_context():
        membership = membership_of(world.slug, "GHA")
    response = client.post(
        f"/initiatives/{world.slug}/memberships/{membership.id}/withdraw",
        data={"withdraw-reason": "x" * 5000},
    )
    assert response.status_code == 422
    assert 'aria-invalid="true"' in text(response)
    with app.app_context():
        assert membership_of(world.slug, "GHA").status is MembershipStatus.ACTIVE


@pytest.mark.parametrize("who", ["other_delegate", "chair", "staff"])
def test_only_the_members_delegates_see_the_confirmation(
    make_initiative, login, make_user, app, who
):
    world = make_initiative(policy=JoinPolicy.OPEN)
    login(world.outsider).post(f"/initiatives/{world.slug}/join")
    with app.app_context():
        membership = membership_of(world.slug, "GHA")
    actor = make_user(represent="DEU") if who == "other_delegate" else getattr(world, who)
    client = login(actor)
    url = f"/initiatives/{world.slug}/memberships/{membership.id}/withdraw"
    assert client.get(url).status_code == 403
    assert client.post(url).status_code == 403
    with app.app_context():
        assert membership_of(world.slug, "GHA").status is MembershipStatus.ACTIVE
    assert login(None).get(url).status_code == 302  # to log in


def test_a_co_chair_cannot_reach_a_withdrawal(make_initiative, login, app):
    world = make_initiative()
    with app.app_context():
        membership = membership_of(world.slug, "FRA")
    client = login(world.chair)
    response = client.get(
        f"/initiatives/{world.slug}/memberships/{membership.id}/withdraw",
        headers={"Referer": f"/initiatives/{world.slug}"},
    )
    assert response.status_code == 303
    assert "A co-chair cannot withdraw before handing over" in text(
        client.get(response.headers["Location"])
    )
    with app.app_context():
        assert membership_of(world.slug, "FRA").status is MembershipStatus.ACTIVE


def test_withdrawing_needs_the_csrf_token(make_initiative, login, app, monkeypatch):
    world = make_initiative(policy=JoinPolicy.OPEN)
    client = login(world.outsider)
    client.post(f"/initiatives/{world.slug}/join")
    with app.app_context():
        membership = membership_of(world.slug, "GHA")
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    url = f"/initiatives/{world.slug}/memberships/{membership.id}/withdraw"
    page = text(client.get(url))
    assert 'name="withdraw-csrf_token"' in page
    response = client.post(url, data={"withdraw-reason": "Forged."})
    assert response.status_code == 400  # refused before the form is read
    token = page.split('name="withdraw-csrf_token" type="hidden" value="')[1].split('"')[0]
    assert (
        client.post(
            url, data={"withdraw-reason": "Real.", "withdraw-csrf_token": token}
        ).status_code
        == 303
    )
    with app.app_context():
        assert membership_of(world.slug, "GHA").reason == "Real."


def test_a_forged_withdrawal_changes_nothing(make_initiative, login, app, monkeypatch):
    world = make_initiative(policy=JoinPolicy.OPEN)
    client = login(world.outsider)
    client.post(f"/initiatives/{world.slug}/join")
    with app.app_context():
        membership = membership_of(world.slug, "GHA")
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    url = f"/initiatives/{world.slug}/memberships/{membership.id}/withdraw"
    assert client.post(url, data={"withdraw-reason": "Forged."}).status_code == 400
    with app.app_context():
        assert membership_of(world.slug, "GHA").status is MembershipStatus.ACTIVE
    assert notes(app, world.chair, "membership.withdrawn") == []


api_headers = rules_support.api_headers  # fixture


def test_the_api_takes_a_withdrawal_reason_too(make_initiative, login, app, client, api_headers):
    world = make_initiative(policy=JoinPolicy.OPEN)
    login(world.outsider).post(f"/initiatives/{world.slug}/join")
    with app.app_context():
        membership = membership_of(world.slug, "GHA")
    response = client.post(
        f"/api/v1/memberships/{membership.id}/withdraw",
        json={"reason": "Budget cuts."},
        headers=api_headers(world.outsider),
    )
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["status"] == "withdrawn"
    with app.app_context():
        assert membership_of(world.slug, "GHA").reason == "Budget cuts."
    [note] = notes(app, world.chair, "membership.withdrawn")
    assert note.data["reason"] == "Budget cuts."


# -- the co-chairs are told ------------------------------------------------------------------


def test_a_cancelled_request_is_told_to_the_co_chairs(make_initiative, login, app):
    world = make_initiative()
    client = login(world.outsider)
    client.post(f"/initiatives/{world.slug}/join")
    with app.app_context():
        membership = membership_of(world.slug, "GHA")
    client.post(f"/initiatives/{world.slug}/memberships/{membership.id}/cancel")
    [note] = notes(app, world.chair, "membership.request_cancelled")
    assert note.link == f"/initiatives/{world.slug}"
    assert "Ghana cancelled its request to join Humanitarian Call for Action" in mails_to(
        app, world.chair
    )
    # And the request's own notice is done: nothing is left to decide.
    [asked] = notes(app, world.chair, "membership.requested")
    assert asked.resolved_at is not None
    assert asked.read_at is not None


def test_a_declined_invitation_is_told_to_the_co_chairs(make_initiative, login, app):
    world = make_initiative(policy=JoinPolicy.INVITATION)
    login(world.chair).post(f"/initiatives/{world.slug}/invite", data={"invite-participant": "GHA"})
    with app.app_context():
        membership = membership_of(world.slug, "GHA")
    login(world.outsider).post(
        f"/initiatives/{world.slug}/memberships/{membership.id}/decline-invitation"
    )
    assert len(notes(app, world.chair, "membership.invitation_declined")) == 1
    assert "Ghana declined the invitation to Humanitarian Call for Action" in mails_to(
        app, world.chair
    )
    # The invitee's own notice shows as answered.
    [invited] = notes(app, world.outsider, "membership.invited")
    assert invited.resolved_at is not None
    assert invited.resolution["action"] == "membership.decline_invitation"


# -- a request someone dealt with shows as done ------------------------------------------------


def _second_co_chair(app, world, make_user) -> User:
    """Germany joins and co-chairs too; its delegate is returned."""
    germany = make_user(represent="DEU", name="Chair of DEU")
    with app.test_request_context():
        staff = db.session.get(User, world.staff.id)
        initiative = world.initiative()
        memberships.add_member(initiative, state("DEU"), actor=staff)
        co_chairs.assign_co_chair(initiative, state("DEU"), actor=staff)
        db.session.commit()
    return germany


def test_a_request_approved_by_the_other_co_chair_shows_as_done_and_not_unread(
    make_initiative, login, make_user, app
):
    world = make_initiative()
    germany = _second_co_chair(app, world, make_user)
    login(world.outsider).post(f"/initiatives/{world.slug}/join")
    [asked] = notes(app, world.chair, "membership.requested")
    assert asked.read_at is None
    with app.app_context():
        membership = membership_of(world.slug, "GHA")
    login(germany).post(f"/initiatives/{world.slug}/memberships/{membership.id}/approve")

    [asked] = notes(app, world.chair, "membership.requested")
    assert asked.resolved_at is not None
    assert asked.read_at is not None
    inbox = text(login(world.chair).get("/notifications"))
    assert "Dealt with: approved by Germany." in inbox
    assert "You have read all your notifications." in inbox
    assert 'aria-label="1 unread"' not in inbox


def test_a_request_declined_by_staff_shows_who_dealt_with_it(make_initiative, login, app):
    world = make_initiative()
    login(world.outsider).post(f"/initiatives/{world.slug}/join")
    with app.app_context():
        membership = membership_of(world.slug, "GHA")
    login(world.staff).post(
        f"/initiatives/{world.slug}/memberships/{membership.id}/decline",
        data={"decline-reason": "Not now."},
    )
    inbox = text(login(world.chair).get("/notifications"))
    assert "Dealt with: declined by the Secretariat." in inbox
    assert "Unread" not in inbox


def test_a_request_still_waiting_stays_unread(make_initiative, login, app):
    world = make_initiative()
    login(world.outsider).post(f"/initiatives/{world.slug}/join")
    inbox = text(login(world.chair).get("/notifications"))
    assert "You have 1 unread notification." in inbox
    assert "Dealt with" not in inbox


def test_the_inbox_shows_what_was_dealt_with_in_a_bounded_number_of_queries(
    make_initiative, login, make_user, app, count_queries
):
    world = make_initiative()
    germany = _second_co_chair(app, world, make_user)
    login(world.outsider).post(f"/initiatives/{world.slug}/join")
    client = login(world.chair)
    with count_queries() as one:
        client.get("/notifications")
    for code in ("KEN", "BRA", "CHL", "IND"):
        login(make_user(represent=code)).post(f"/initiatives/{world.slug}/join")
        with app.app_context():
            membership = membership_of(world.slug, code)
        login(germany).post(f"/initiatives/{world.slug}/memberships/{membership.id}/approve")
    client = login(world.chair)
    with count_queries() as many:
        inbox = text(client.get("/notifications"))
    assert inbox.count("Dealt with: approved by Germany.") == 4
    assert many.count == one.count


# -- deciding from the dashboard -------------------------------------------------------------


def test_approving_from_the_dashboard_goes_back_there_with_a_message(make_initiative, login, app):
    world = make_initiative()
    login(world.outsider).post(f"/initiatives/{world.slug}/join")
    with app.app_context():
        membership = membership_of(world.slug, "GHA")
    client = login(world.chair)
    assert "Approve the request of Ghana" in text(client.get("/dashboard"))
    response = client.post(
        f"/initiatives/{world.slug}/memberships/{membership.id}/approve",
        data={"next": "/dashboard"},
    )
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/dashboard")
    assert "The request of Ghana is approved." in text(client.get("/dashboard"))


def test_declining_from_the_dashboard_asks_for_the_reason_and_goes_back(
    make_initiative, login, app
):
    world = make_initiative()
    login(world.outsider).post(f"/initiatives/{world.slug}/join", data={"join-message": "Hi."})
    with app.app_context():
        membership = membership_of(world.slug, "GHA")
    client = login(world.chair)
    url = f"/initiatives/{world.slug}/memberships/{membership.id}/decline"
    dashboard = text(client.get("/dashboard"))
    assert f'href="{url}?next=/dashboard"' in dashboard.replace("%2F", "/")

    page = client.get(f"{url}?next=/dashboard")
    assert page.status_code == 200
    body = clean(page)
    assert 'name="decline-reason"' in body
    assert 'name="next" value="/dashboard"' in body
    response = client.post(
        f"{url}?next=/dashboard", data={"decline-reason": "Not now.", "next": "/dashboard"}
    )
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/dashboard")
    assert "The request of Ghana is declined." in text(client.get("/dashboard"))
    with app.app_context():
        declined = membership_of(world.slug, "GHA")
        assert declined.status is MembershipStatus.DECLINED
        assert declined.reason == "Not now."


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/", "/\\evil"])
def test_an_offsite_next_goes_back_to_the_body_page(make_initiative, login, app, target):
    world = make_initiative()
    login(world.outsider).post(f"/initiatives/{world.slug}/join")
    with app.app_context():
        membership = membership_of(world.slug, "GHA")
    response = login(world.chair).post(
        f"/initiatives/{world.slug}/memberships/{membership.id}/decline",
        data={"next": target},
    )
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/initiatives/{world.slug}")


@pytest.mark.parametrize("who", ["outsider", "other_delegate"])
def test_only_co_chairs_and_staff_open_the_decline_page(
    make_initiative, login, make_user, app, who
):
    world = make_initiative()
    login(world.outsider).post(f"/initiatives/{world.slug}/join")
    with app.app_context():
        membership = membership_of(world.slug, "GHA")
    actor = make_user(represent="DEU") if who == "other_delegate" else world.outsider
    url = f"/initiatives/{world.slug}/memberships/{membership.id}/decline"
    assert login(actor).get(url).status_code == 403
    assert login(world.staff).get(url).status_code == 200


# -- pending decisions at the top ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "sees"),
    [
        ("chair", True),
        ("staff", True),
        ("requester", False),
        ("member", False),
        ("anonymous", False),
    ],
)
def test_only_co_chairs_and_staff_see_the_pending_notice(
    make_initiative, login, make_user, app, who, sees
):
    world = make_initiative()
    login(world.outsider).post(f"/initiatives/{world.slug}/join")
    login(make_user(represent="KEN")).post(f"/initiatives/{world.slug}/join")
    member = make_user(represent="DEU")
    with app.test_request_context():
        memberships.add_member(
            world.initiative(), state("DEU"), actor=db.session.get(User, world.staff.id)
        )
        db.session.commit()
    actor = {
        "chair": world.chair,
        "staff": world.staff,
        "requester": world.outsider,
        "member": member,
        "anonymous": None,
    }[who]
    body = clean(login(actor).get(f"/initiatives/{world.slug}"))
    notice = "2 requests to join wait for a decision."
    if sees:
        assert notice in body
        assert 'href="#requests-to-join"' in body
        assert 'id="requests-to-join"' in body
        # At the top: before the members table, not below it.
        assert body.index(notice) < body.index('id="members"')
    else:
        assert notice not in body
        assert "requests-to-join" not in body


def test_no_notice_when_nothing_waits(make_initiative, login):
    world = make_initiative()
    body = text(login(world.chair).get(f"/initiatives/{world.slug}"))
    assert "wait for a decision" not in body
    assert "waits for a decision." not in body.split('id="decisions"')[0]
