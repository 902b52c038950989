"""The dashboard: a delegate's initiatives, roles and pending decisions; the next step
for someone who speaks for no participant yet."""

from __future__ import annotations

from datetime import UTC, datetime

from coalition.bodies.models import JoinPolicy
from coalition.extensions import db
from coalition.representations.models import Representation, RepresentationRole
from tests.conftest import state
from tests.initiatives.conftest import endorse, login, make_initiative  # noqa: F401  (fixtures)
from tests.test_pages_quality import parse_strict


def page_of(client) -> str:
    response = client.get("/dashboard")
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert len(list(parse_strict(body).iter("h1"))) == 1
    return body


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get("/dashboard")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_someone_without_a_claim_is_told_to_ask_to_represent(make_user, login):  # noqa: F811
    body = page_of(login(make_user()))
    assert "You do not speak for a state or organization yet." in body
    assert 'href="/participants/claim"' in body


def test_a_pending_claim_is_shown_as_waiting(make_user, login, app):  # noqa: F811
    user = make_user()
    with app.app_context():
        db.session.add(
            Representation(
                user_id=user.id,
                participant_id=state("KEN").id,
                role=RepresentationRole.DELEGATE,
                claimed_at=datetime(2024, 1, 2, tzinfo=UTC),
            )
        )
        db.session.commit()
    body = page_of(login(user))
    assert "to represent Kenya as its delegate" in body
    assert "has not verified the claim yet" in body


def test_a_co_chair_sees_requests_to_decide_and_its_roles(make_initiative, login):  # noqa: F811
    world = make_initiative(title="Humanitarian Call", policy=JoinPolicy.APPROVAL)
    login(world.outsider).post(f"/initiatives/{world.slug}/join")
    body = page_of(login(world.chair))
    assert "You act for France" in body
    assert "France endorses the Alliance declaration since" in body
    assert "Approve the request of Ghana" in body
    assert "member, co-chair" in body


def test_a_delegate_sees_its_invitations_and_its_own_requests(make_initiative, login, app):  # noqa: F811
    approval = make_initiative(title="Humanitarian Call", policy=JoinPolicy.APPROVAL)
    invitation = make_initiative(title="Gender at the Centre", policy=JoinPolicy.INVITATION)
    login(approval.outsider).post(f"/initiatives/{approval.slug}/join")
    login(invitation.chair).post(
        f"/initiatives/{invitation.slug}/invite", data={"invite-participant": "GHA"}
    )
    body = page_of(login(approval.outsider))
    assert "Accept the invitation to Gender at the Centre" in body
    assert "Cancel the request to join Humanitarian Call" in body
    assert "Ghana takes part in no initiative yet." in body
    assert "Ghana has not endorsed the Alliance declaration." in body
    assert "Ghana co-chairs no body" in body
    with app.app_context():
        endorse("GHA")
        db.session.commit()
    assert "Ghana endorses the Alliance declaration since" in page_of(login(approval.outsider))


def test_the_dashboard_runs_a_bounded_number_of_queries(make_initiative, login, count_queries):  # noqa: F811
    world = make_initiative(title="First", policy=JoinPolicy.OPEN)
    client = login(world.chair)
    with count_queries() as few:
        client.get("/dashboard")
    for n in range(5):
        more = make_initiative(title=f"More {n}", policy=JoinPolicy.APPROVAL)
        login(more.outsider).post(f"/initiatives/{more.slug}/join")
    client = login(world.chair)
    with count_queries() as many:
        body = client.get("/dashboard").get_data(as_text=True)
    assert body.count("Approve the request of Ghana") == 5
    assert many.count == few.count
