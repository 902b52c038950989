"""The initiative pages: directory, one initiative, its history, and every action's form."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from coalition.audit.models import AuditEvent
from coalition.bodies.models import CoChair, JoinPolicy, MembershipStatus
from coalition.extensions import db
from coalition.initiatives.models import Axis, Initiative, InitiativeStatus
from tests.conftest import state
from tests.initiatives.conftest import endorse, membership_of
from tests.test_pages_quality import inline_code, parse_strict, unlabelled_controls


def text(response) -> str:
    return response.get_data(as_text=True)


def assert_clean_page(response) -> None:
    """Well-formed, one h1, every control labelled, nothing inline (as the quality suite)."""
    document = parse_strict(text(response))
    assert len(list(document.iter("h1"))) == 1
    assert unlabelled_controls(document) == []
    assert inline_code(document) == []


def event_count(app) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count(AuditEvent.id)))


# -- reading ---------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["anonymous", "outsider", "chair", "staff"])
def test_the_pages_of_an_initiative_render_for_every_reader(make_initiative, login, who, make_user):
    world = make_initiative()
    client = login(None if who == "anonymous" else getattr(world, who))
    for url in (
        "/initiatives",
        f"/initiatives/{world.slug}",
        f"/initiatives/{world.slug}/history",
        "/matrix",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert_clean_page(response)


def test_the_directory_card_shows_axis_status_policy_co_chairs_and_member_count(
    make_initiative, client
):
    make_initiative(title="Humanitarian Call for Action")
    page = text(client.get("/initiatives"))
    assert "Humanitarian Call for Action" in page
    assert "Protect, preserve and advance international law" in page
    assert "on approval: the co-chairs decide" in page
    assert 'Co-chairs: <a href="/participants/FRA">France</a>.' in page
    assert "1 member" in page


def test_the_directory_filters_by_axis_status_and_words(make_initiative, client):
    make_initiative(title="Humanitarian Call for Action", axis=Axis.INTERNATIONAL_LAW)
    make_initiative(
        title="Paris Call on cyberspace",
        summary="Trust and security online.",
        axis=Axis.GOVERNANCE_GAPS,
        chair="DEU",
    )
    make_initiative(
        title="Reform agenda",
        summary="Modern institutions.",
        axis=Axis.INSTITUTIONAL_REFORM,
        activate=False,
    )

    by_axis = text(client.get("/initiatives?axis=governance_gaps"))
    assert "Paris Call on cyberspace" in by_axis
    assert "Humanitarian Call" not in by_axis

    proposed = text(client.get("/initiatives?status=proposed"))
    assert "Reform agenda" in proposed
    assert "Paris Call" not in proposed

    words = text(client.get("/initiatives?q=humanitarian+call"))
    assert "Humanitarian Call for Action" in words
    assert "Paris Call" not in words

    nothing = client.get("/initiatives?q=%25_nothing")
    assert nothing.status_code == 200
    assert "No initiative matches these filters." in text(nothing)


def test_an_unknown_axis_in_the_query_string_is_ignored(make_initiative, client):
    make_initiative()
    response = client.get("/initiatives?axis=peace&status=whatever")
    assert response.status_code == 200
    assert "Humanitarian Call for Action" in text(response)


def test_the_empty_directory_tells_a_delegate_to_propose_one(make_user, login, app):
    client = login(make_user(represent="FRA"))
    with app.app_context():
        endorse("FRA")
        db.session.commit()
    page = text(client.get("/initiatives"))
    assert "There is no initiative yet." in page
    assert "/initiatives/propose" in page


def test_the_directory_says_why_a_delegate_cannot_propose_instead_of_a_dead_link(make_user, login):
    """The page offers the proposal only when the service would accept it."""
    client = login(make_user(represent="FRA"))
    page = text(client.get("/initiatives"))
    assert "/initiatives/propose" not in page
    assert "France has not endorsed the Alliance declaration." in page


def test_an_unknown_initiative_is_404(client):
    assert client.get("/initiatives/no-such-thing").status_code == 404
    assert client.get("/initiatives/no-such-thing/history").status_code == 404


def test_the_page_shows_description_as_sanitized_markdown(make_initiative, client, app):
    world = make_initiative()
    with app.app_context():
        initiative = world.initiative()
        initiative.description = "**Bold** <script>alert(1)</script> [x](javascript:alert(1))"
        initiative.results = "- first result"
        db.session.commit()
    page = text(client.get(f"/initiatives/{world.slug}"))
    assert "<strong>Bold</strong>" in page
    assert "<script>alert" not in page
    assert 'href="javascript:' not in page
    assert "<li>first result</li>" in page


def test_a_co_chair_sees_why_it_cannot_withdraw_and_no_withdraw_button(make_initiative, login):
    world = make_initiative()
    page = text(login(world.chair).get(f"/initiatives/{world.slug}"))
    assert "A co-chair cannot withdraw before handing over" in page
    assert "Withdraw from this initiative" not in page


# -- joining, through the forms ----------------------------------------------------------------


def test_a_delegate_joins_an_open_initiative_at_once(make_initiative, login, app):
    world = make_initiative(policy=JoinPolicy.OPEN)
    client = login(world.outsider)
    assert ">Join</button>" in text(client.get(f"/initiatives/{world.slug}"))

    response = client.post(f"/initiatives/{world.slug}/join", follow_redirects=True)
    assert response.status_code == 200
    assert "You have joined Humanitarian Call for Action." in text(response)
    with app.app_context():
        assert membership_of(world.slug, "GHA").status is MembershipStatus.ACTIVE
        assert world.initiative().active_count == 2


def test_request_then_co_chair_approves_through_the_page(make_initiative, login, app):
    world = make_initiative(policy=JoinPolicy.APPROVAL)
    client = login(world.outsider)
    assert "Request to join" in text(client.get(f"/initiatives/{world.slug}"))
    response = client.post(
        f"/initiatives/{world.slug}/join",
        data={"join-message": "Ghana wishes to join."},
        follow_redirects=True,
    )
    assert "Your request to join is sent" in text(response)
    assert "Cancel the request" in text(response)
    with app.app_context():
        membership = membership_of(world.slug, "GHA")
        assert membership.status is MembershipStatus.PENDING
        assert membership.message == "Ghana wishes to join."

    client = login(world.chair)
    page = text(client.get(f"/initiatives/{world.slug}"))
    assert "Ghana wishes to join." in page
    assert "Approve the request of Ghana" in page
    response = client.post(
        f"/initiatives/{world.slug}/memberships/{membership.id}/approve", follow_redirects=True
    )
    assert "The request of Ghana is approved." in text(response)
    with app.app_context():
        assert membership_of(world.slug, "GHA").status is MembershipStatus.ACTIVE


def test_co_chair_declines_with_a_reason_shown_in_the_history(make_initiative, login, app):
    world = make_initiative()
    login(world.outsider).post(f"/initiatives/{world.slug}/join")
    with app.app_context():
        membership = membership_of(world.slug, "GHA")
    client = login(world.chair)
    response = client.post(
        f"/initiatives/{world.slug}/memberships/{membership.id}/decline",
        data={"decline-reason": "Seats are reserved for founding states this year."},
        follow_redirects=True,
    )
    assert "The request of Ghana is declined." in text(response)
    with app.app_context():
        declined = membership_of(world.slug, "GHA")
        assert declined.status is MembershipStatus.DECLINED
        assert declined.reason == "Seats are reserved for founding states this year."
    history = text(client.get(f"/initiatives/{world.slug}/history"))
    # The history names the co-chair's state, linked to its page, never the person.
    assert (
        'The request of Ghana was declined by <a href="/participants/FRA">France</a> as co-chair.'
        in history
    )
    assert "Seats are reserved for founding states this year." in history


def test_the_requester_cancels_its_request(make_initiative, login, app):
    world = make_initiative()
    client = login(world.outsider)
    client.post(f"/initiatives/{world.slug}/join")
    with app.app_context():
        membership = membership_of(world.slug, "GHA")
    response = client.post(
        f"/initiatives/{world.slug}/memberships/{membership.id}/cancel", follow_redirects=True
    )
    assert "Your request is cancelled." in text(response)
    with app.app_context():
        assert membership_of(world.slug, "GHA").status is MembershipStatus.CANCELLED


def test_invite_accept_and_withdraw_through_the_page(make_initiative, login, app):
    world = make_initiative(policy=JoinPolicy.INVITATION)
    client = login(world.outsider)
    page = text(client.get(f"/initiatives/{world.slug}"))
    assert "by invitation only" in page
    assert ">Join</button>" not in page

    client = login(world.chair)
    assert '<option value="GHA">Ghana</option>' in text(client.get(f"/initiatives/{world.slug}"))
    response = client.post(
        f"/initiatives/{world.slug}/invite",
        data={"invite-participant": "GHA", "invite-message": "Welcome aboard."},
        follow_redirects=True,
    )
    assert "Ghana is invited." in text(response)
    with app.app_context():
        membership = membership_of(world.slug, "GHA")
        assert membership.status is MembershipStatus.INVITED

    client = login(world.outsider)
    page = text(client.get(f"/initiatives/{world.slug}"))
    assert "Accept the invitation" in page
    assert "Welcome aboard." in page
    response = client.post(
        f"/initiatives/{world.slug}/memberships/{membership.id}/accept", follow_redirects=True
    )
    assert "You accepted the invitation." in text(response)
    assert "Withdraw from this initiative" in text(response)
    response = client.post(
        f"/initiatives/{world.slug}/memberships/{membership.id}/withdraw", follow_redirects=True
    )
    assert "Ghana has withdrawn from Humanitarian Call for Action." in text(response)
    with app.app_context():
        assert membership_of(world.slug, "GHA").status is MembershipStatus.WITHDRAWN

    history = text(client.get(f"/initiatives/{world.slug}/history"))
    for sentence in (
        "France proposed the initiative.",
        "France became a co-chair.",
        "The initiative was activated.",
        'Ghana was invited by <a href="/participants/FRA">France</a> as co-chair.',
        "Ghana accepted the invitation and joined.",
        "Ghana withdrew.",
    ):
        assert sentence in history
    # Who acted is not public: no person's name appears, only participants.
    assert "Chair of FRA" not in history
    assert "Grace Outsider" not in history


def test_the_invitee_declines_and_the_co_chair_revokes(make_initiative, login, app):
    world = make_initiative(policy=JoinPolicy.INVITATION)
    client = login(world.chair)
    client.post(f"/initiatives/{world.slug}/invite", data={"invite-participant": "GHA"})
    client.post(f"/initiatives/{world.slug}/invite", data={"invite-participant": "DEU"})
    with app.app_context():
        ghana, germany = membership_of(world.slug, "GHA"), membership_of(world.slug, "DEU")
    response = client.post(
        f"/initiatives/{world.slug}/memberships/{germany.id}/revoke", follow_redirects=True
    )
    assert "The invitation of Germany is revoked." in text(response)
    login(world.outsider).post(
        f"/initiatives/{world.slug}/memberships/{ghana.id}/decline-invitation"
    )
    with app.app_context():
        assert membership_of(world.slug, "DEU").status is MembershipStatus.REVOKED
        assert membership_of(world.slug, "GHA").status is MembershipStatus.DECLINED


def test_joining_twice_is_flashed_as_a_conflict_and_changes_nothing(make_initiative, login, app):
    world = make_initiative(policy=JoinPolicy.OPEN)
    client = login(world.outsider)
    client.post(f"/initiatives/{world.slug}/join")
    events = event_count(app)
    response = client.post(
        f"/initiatives/{world.slug}/join", headers={"Referer": f"/initiatives/{world.slug}"}
    )
    assert response.status_code == 303
    follow = client.get(response.headers["Location"])
    assert "already a member" in text(follow)
    assert event_count(app) == events


# -- refusals --------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["anonymous", "plain", "other_delegate", "requester"])
def test_only_co_chairs_and_staff_approve(make_initiative, login, make_user, app, who):
    world = make_initiative()
    login(world.outsider).post(f"/initiatives/{world.slug}/join")
    with app.app_context():
        membership = membership_of(world.slug, "GHA")
    actor = {
        "anonymous": None,
        "plain": make_user(),
        "other_delegate": make_user(represent="DEU"),
        "requester": world.outsider,
    }[who]
    events = event_count(app)
    response = login(actor).post(f"/initiatives/{world.slug}/memberships/{membership.id}/approve")
    if who == "anonymous":
        assert response.status_code == 302
        assert "/login" in response.headers["Location"]
    else:
        assert response.status_code == 403
    with app.app_context():
        assert membership_of(world.slug, "GHA").status is MembershipStatus.PENDING
    assert event_count(app) == events


@pytest.mark.parametrize("who", ["chair", "outsider", "plain"])
def test_only_staff_remove_activate_conclude_and_assign(
    make_initiative, login, make_user, app, who
):
    world = make_initiative(policy=JoinPolicy.OPEN)
    login(world.outsider).post(f"/initiatives/{world.slug}/join")
    with app.app_context():
        membership = membership_of(world.slug, "GHA")
    actor = make_user() if who == "plain" else getattr(world, who)
    client = login(actor)
    events = event_count(app)
    assert (
        client.post(
            f"/initiatives/{world.slug}/memberships/{membership.id}/remove",
            data={"remove-reason": "No reason"},
        ).status_code
        == 403
    )
    assert client.post(f"/initiatives/{world.slug}/conclude").status_code == 403
    assert (
        client.post(
            f"/initiatives/{world.slug}/co-chairs", data={"cochair-participant": "GHA"}
        ).status_code
        == 403
    )
    assert client.post(f"/initiatives/{world.slug}/co-chairs/FRA/end").status_code == 403
    assert event_count(app) == events
    with app.app_context():
        assert membership_of(world.slug, "GHA").status is MembershipStatus.ACTIVE
        assert world.initiative().status is InitiativeStatus.ACTIVE


def test_a_delegate_cannot_withdraw_another_participant(make_initiative, login, make_user, app):
    world = make_initiative(policy=JoinPolicy.OPEN)
    login(world.outsider).post(f"/initiatives/{world.slug}/join")
    with app.app_context():
        membership = membership_of(world.slug, "GHA")
    response = login(make_user(represent="DEU")).post(
        f"/initiatives/{world.slug}/memberships/{membership.id}/withdraw"
    )
    assert response.status_code == 403
    with app.app_context():
        assert membership_of(world.slug, "GHA").status is MembershipStatus.ACTIVE


def test_a_membership_of_another_initiative_is_404_through_this_one(make_initiative, login, app):
    first = make_initiative(title="First", policy=JoinPolicy.OPEN)
    second = make_initiative(title="Second", policy=JoinPolicy.OPEN)
    client = login(first.outsider)
    client.post(f"/initiatives/{first.slug}/join")
    with app.app_context():
        membership = membership_of(first.slug, "GHA")
    response = client.post(f"/initiatives/{second.slug}/memberships/{membership.id}/withdraw")
    assert response.status_code == 404
    assert client.post(f"/initiatives/{first.slug}/memberships/999999/withdraw").status_code == 404
    assert client.post(f"/initiatives/{first.slug}/memberships/1/explode").status_code == 404


# -- staff ---------------------------------------------------------------------------------------


def test_staff_remove_with_a_reason_and_not_without(make_initiative, login, app):
    world = make_initiative(policy=JoinPolicy.OPEN)
    login(world.outsider).post(f"/initiatives/{world.slug}/join")
    with app.app_context():
        membership = membership_of(world.slug, "GHA")
    client = login(world.staff)
    page = text(client.get(f"/initiatives/{world.slug}"))
    assert "Reason for removing Ghana" in page

    response = client.post(
        f"/initiatives/{world.slug}/memberships/{membership.id}/remove",
        data={"remove-reason": "  "},
        follow_redirects=True,
    )
    assert "Give the reason for the removal" in text(response)
    with app.app_context():
        assert membership_of(world.slug, "GHA").status is MembershipStatus.ACTIVE

    response = client.post(
        f"/initiatives/{world.slug}/memberships/{membership.id}/remove",
        data={"remove-reason": "Asked by its government."},
        follow_redirects=True,
    )
    assert "Ghana is removed from Humanitarian Call for Action." in text(response)
    with app.app_context():
        assert membership_of(world.slug, "GHA").status is MembershipStatus.REMOVED
    history = text(client.get(f"/initiatives/{world.slug}/history"))
    assert "Ghana was removed." in history
    assert "Asked by its government." in history


def test_staff_assign_and_end_co_chairs_among_active_member_states(make_initiative, login, app):
    world = make_initiative(policy=JoinPolicy.OPEN)
    login(world.outsider).post(f"/initiatives/{world.slug}/join")
    client = login(world.staff)
    page = text(client.get(f"/initiatives/{world.slug}"))
    assert '<option value="GHA">Ghana</option>' in page
    response = client.post(
        f"/initiatives/{world.slug}/co-chairs",
        data={"cochair-participant": "GHA"},
        follow_redirects=True,
    )
    assert "Ghana now co-chairs." in text(response)
    response = client.post(f"/initiatives/{world.slug}/co-chairs/FRA/end", follow_redirects=True)
    assert "France no longer co-chairs." in text(response)
    with app.app_context():
        current = db.session.scalars(
            sa.select(CoChair.participant_id).where(
                CoChair.body_id == world.initiative().id, CoChair.ended_at.is_(None)
            )
        ).all()
        assert current == [state("GHA").id]
    # The last co-chair of an active initiative cannot go: flashed, nothing changes.
    response = client.post(f"/initiatives/{world.slug}/co-chairs/GHA/end", follow_redirects=True)
    assert "must keep at least one co-chair" in text(response)


def test_staff_activate_then_conclude_a_proposal(make_initiative, login, app):
    world = make_initiative(activate=False)
    client = login(world.staff)
    assert "Activate the initiative" in text(client.get(f"/initiatives/{world.slug}"))
    response = client.post(f"/initiatives/{world.slug}/activate", follow_redirects=True)
    assert "The initiative is active" in text(response)
    response = client.post(f"/initiatives/{world.slug}/conclude", follow_redirects=True)
    assert "The initiative is concluded." in text(response)
    with app.app_context():
        assert world.initiative().status is InitiativeStatus.CONCLUDED


# -- proposing and editing ---------------------------------------------------------------


PROPOSAL = {
    "title": "Outer space security",
    "summary": "Keep outer space peaceful.",
    "description": "A *short* description.",
    "axis": "international_law",
    "join_policy": "open",
    "seat_limit": "",
    "launched_on": "2024-05-01",
}


def test_a_delegate_of_an_endorsing_state_proposes_an_initiative(make_user, login, app):
    user = make_user(represent="CHL")
    with app.app_context():
        endorse("CHL")
        db.session.commit()
    client = login(user)
    form = client.get("/initiatives/propose")
    assert form.status_code == 200
    assert_clean_page(form)
    response = client.post("/initiatives/propose", data=PROPOSAL)
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/initiatives/outer-space-security")
    page = text(client.get(response.headers["Location"]))
    assert "Chile is its first co-chair" in page
    with app.app_context():
        initiative = db.session.scalar(
            sa.select(Initiative).where(Initiative.slug == "outer-space-security")
        )
        assert initiative.status is InitiativeStatus.PROPOSED
        assert initiative.launched_on.isoformat() == "2024-05-01"
        assert initiative.proposed_by_id == state("CHL").id


def test_an_invalid_axis_is_a_field_error_keeping_what_was_typed(make_user, login, app):
    user = make_user(represent="CHL")
    with app.app_context():
        endorse("CHL")
        db.session.commit()
    response = login(user).post("/initiatives/propose", data={**PROPOSAL, "axis": "peace"})
    assert response.status_code == 422
    document = parse_strict(text(response))
    axis_error = document.find(".//*[@id='axis-error']")
    assert axis_error is not None
    assert axis_error.text.strip()
    assert 'value="Outer space security"' in text(response)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Initiative.id))) == 0


@pytest.mark.parametrize("who", ["plain", "not_endorsing", "organization"])
def test_who_cannot_propose_sees_why_and_nothing_is_created(
    make_user, make_organization, login, app, who
):
    actor = {
        "plain": lambda: make_user(),
        "not_endorsing": lambda: make_user(represent="CHL"),
        "organization": lambda: make_user(represent=make_organization(code="icnl")),
    }[who]()
    client = login(actor)
    page = client.get("/initiatives/propose")
    assert page.status_code == 200
    assert 'role="alert"' in text(page)
    assert '<form method="post" action="/initiatives/propose"' not in text(page)
    response = client.post("/initiatives/propose", data=PROPOSAL)
    assert response.status_code == 403
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Initiative.id))) == 0


def test_anonymous_visitors_are_sent_to_log_in_to_propose(client):
    response = client.post("/initiatives/propose", data=PROPOSAL)
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_co_chair_edits_the_page_and_others_cannot(make_initiative, login, make_user, app):
    world = make_initiative()
    data = {
        "title": "Humanitarian Call for Action",
        "summary": "A new summary.",
        "description": "",
        "results": "- a joint statement",
        "join_policy": "open",
        "seat_limit": "",
        "launched_on": "2019-04-01",
    }
    response = login(make_user(represent="DEU")).post(f"/initiatives/{world.slug}/edit", data=data)
    assert response.status_code == 403
    client = login(world.chair)
    assert_clean_page(client.get(f"/initiatives/{world.slug}/edit"))
    response = client.post(f"/initiatives/{world.slug}/edit", data=data)
    assert response.status_code == 303
    with app.app_context():
        initiative = world.initiative()
        assert (initiative.summary, initiative.join_policy) == ("A new summary.", JoinPolicy.OPEN)
        assert initiative.launched_on.isoformat() == "2019-04-01"
    bad = client.post(f"/initiatives/{world.slug}/edit", data={**data, "seat_limit": "0"})
    assert bad.status_code == 422
    assert "A new summary." in text(bad)


def test_the_directory_shows_active_initiatives_and_proposals_under_their_own_status(
    make_initiative, client
):
    make_initiative(title="Humanitarian Call for Action")
    make_initiative(title="Reform agenda", chair="DEU", activate=False)

    default = client.get("/initiatives")
    assert_clean_page(default)
    page = text(default)
    assert "Humanitarian Call for Action" in page
    assert "Reform agenda" not in page
    assert "1 active initiative" in page
    assert "1 proposed initiative waits for the Secretariat" in page
    assert "/initiatives?status=proposed" in page
    document = parse_strict(page)
    status = document.find(".//select[@id='filter-status']")
    selected = [o.get("value") for o in status.iter("option") if o.get("selected") is not None]
    assert selected == ["active"]

    proposed = text(client.get("/initiatives?status=proposed"))
    assert "Reform agenda" in proposed
    assert "Humanitarian Call" not in proposed
    assert '<span class="status status-proposed">Proposal</span>' in proposed

    everything = text(client.get("/initiatives?status=all"))
    assert "Reform agenda" in everything
    assert "Humanitarian Call for Action" in everything
    assert "2 initiatives" in everything


def test_the_directory_filter_bar_is_one_form_of_labelled_fields_and_a_button(client):
    document = parse_strict(text(client.get("/initiatives")))
    form = document.find(".//form[@class='filter-bar']")
    assert form is not None
    assert form.get("role") is None
    fields = [
        div.find("label").get("for") for div in form.findall("div") if div.find("label") is not None
    ]
    assert fields == ["filter-q", "filter-axis", "filter-status"]
    assert form.find("./div[@class='filter-actions']/button").text == "Show"


def test_the_directory_says_when_only_proposals_exist(make_initiative, client):
    make_initiative(title="Reform agenda", activate=False)
    page = text(client.get("/initiatives"))
    assert "No initiative is active yet." in page
    assert "Reform agenda" not in page
