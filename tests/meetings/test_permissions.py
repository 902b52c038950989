"""Only a body's co-chair delegates and staff schedule, change or cancel its meetings
(staff alone Alliance-wide ones); only invitees answer, each delegate for its own
participant, until the start; every other role is refused, in services, pages and API,
and a refusal changes nothing."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from coalition.audit.models import AuditEvent
from coalition.errors import DomainError, NotAllowed
from coalition.extensions import db
from coalition.meetings import documents, invitations, rsvps, services
from coalition.meetings.models import Meeting, MeetingStatus, Rsvp
from tests.initiatives.rules_support import ROLES
from tests.meetings.conftest import schedule, wall

ALL_ROLES = (*ROLES, "org_user")
MANAGERS = {"co_chair", "staff"}


def _actor(mw, role):
    return mw.w.actor(role)


def _count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


@pytest.mark.parametrize("role", ALL_ROLES)
def test_only_co_chairs_and_staff_schedule_a_body_meeting(mw, role):
    actor = _actor(mw, role)
    if role in MANAGERS:
        meeting = schedule(mw, actor=actor)
        assert meeting.id is not None
        return
    before = (_count(Meeting), _count(AuditEvent))
    with pytest.raises(NotAllowed):
        schedule(mw, actor=actor)
    db.session.rollback()
    assert (_count(Meeting), _count(AuditEvent)) == before


@pytest.mark.parametrize("role", ALL_ROLES)
def test_only_staff_schedule_an_alliance_wide_meeting(mw, role):
    actor = _actor(mw, role)
    if role == "staff":
        assert schedule(mw, actor=actor, body=None).body_id is None
        return
    with pytest.raises(NotAllowed):
        schedule(mw, actor=actor, body=None)


ACTS = {
    "change": lambda m, a: services.change(m, actor=a, venue="Elsewhere"),
    "agenda": lambda m, a: services.set_agenda(m, ["Only item"], actor=a),
    "cancel": lambda m, a: services.cancel(m, actor=a, reason="No quorum"),
    "guest": lambda m, a: invitations.add_guest(m, _org(m), actor=a),
    "document": lambda m, a: documents.add_document(
        m, actor=a, kind="minutes", language="en", title="Minutes", status="draft", content="x"
    ),
}


def _org(meeting):
    from coalition.participants.services import get_participant

    return get_participant("icnl")


@pytest.mark.parametrize("act", sorted(ACTS))
@pytest.mark.parametrize("role", ALL_ROLES)
def test_only_co_chairs_and_staff_change_cancel_and_invite(mw, role, act):
    meeting = schedule(mw)
    actor = _actor(mw, role)
    sequence = meeting.sequence
    if role in MANAGERS:
        ACTS[act](meeting, actor)
        db.session.commit()
        return
    with pytest.raises(NotAllowed):
        ACTS[act](meeting, actor)
    db.session.rollback()
    db.session.refresh(meeting)
    assert meeting.sequence == sequence
    assert meeting.status is MeetingStatus.SCHEDULED
    assert meeting.venue == "Accra International Conference Centre"


@pytest.mark.parametrize("role", ALL_ROLES)
def test_only_invitees_answer(mw, role):
    meeting = schedule(mw)
    actor = _actor(mw, role)
    if role in ("member", "co_chair"):  # FRA and GHA are members, so invited
        answer = rsvps.answer(meeting, actor=actor, response="attending", level="minister")
        assert answer.answered_by_id == actor.id
        return
    with pytest.raises(DomainError):
        rsvps.answer(meeting, actor=actor, response="attending")
    db.session.rollback()
    assert _count(Rsvp) == 0


def test_a_delegate_answers_only_for_its_own_participant(mw, make_user):
    """There is no way to name another participant: the answer is always the actor's."""
    meeting = schedule(mw)
    rsvps.answer(meeting, actor=mw.member, response="declined")
    second_fra = make_user(represent="FRA", name="Another French delegate")
    rsvps.answer(meeting, actor=second_fra, response="tentative")
    db.session.commit()
    rows = db.session.scalars(sa.select(Rsvp)).all()
    assert [(r.participant.code, r.response.value) for r in rows] == [("FRA", "tentative")]
    events = db.session.scalars(
        sa.select(AuditEvent).where(AuditEvent.action == "meeting.rsvp").order_by(AuditEvent.id)
    ).all()
    assert [(e.actor_id, e.after["response"]) for e in events] == [
        (mw.member.id, "declined"),
        (second_fra.id, "tentative"),
    ]
    assert events[1].before["response"] == "declined"


def test_a_guest_answers_and_answers_close_at_the_start(mw):
    meeting = schedule(mw)
    with pytest.raises(NotAllowed):
        rsvps.answer(meeting, actor=mw.org_user, response="attending")
    invitations.add_guest(meeting, mw.org, actor=mw.co_chair)
    rsvps.answer(meeting, actor=mw.org_user, response="attending", head="Director")
    db.session.commit()
    past = schedule(mw, actor=mw.staff, start=wall(-3, 10), end=wall(-3, 12), record_past=True)
    with pytest.raises(DomainError, match="has started"):
        rsvps.answer(past, actor=mw.member, response="declined")


# -- the same rules through the pages and the API ---------------------------------------------


def _form(mw):
    return {
        "title": "Session",
        "start": wall(20, 9),
        "end": wall(20, 10),
        "timezone": "Africa/Accra",
        "format": "virtual",
        "visibility": "public",
    }


@pytest.mark.parametrize("role", ALL_ROLES)
def test_pages_refuse_scheduling_to_other_roles(mw, client, login_as, role):
    actor = _actor(mw, role)
    if actor is not None:
        login_as(actor)
    url = f"/meetings/new?body={mw.initiative.slug}"
    response = client.post(url, data=_form(mw))
    if role in MANAGERS:
        assert response.status_code == 303
        assert _count(Meeting) == 1
        return
    assert response.status_code in (302, 403)
    if role == "anonymous":
        assert "/login" in response.headers["Location"]
    assert _count(Meeting) == 0


@pytest.mark.parametrize("role", ALL_ROLES)
def test_pages_refuse_changes_and_answers_to_other_roles(mw, client, login_as, role):
    meeting = schedule(mw)
    actor = _actor(mw, role)
    if actor is not None:
        login_as(actor)
    edit = client.post(f"/meetings/{meeting.id}/edit", data={**_form(mw), "title": "Changed"})
    client.post(f"/meetings/{meeting.id}/cancel", data={"reason": "x"})
    answer = client.post(f"/meetings/{meeting.id}/rsvp", data={"rsvp-response": "declined"})
    db.session.expire_all()
    meeting = db.session.get(Meeting, meeting.id)
    if role in MANAGERS:
        assert edit.status_code == 303
        assert meeting.title == "Changed"
        assert meeting.status is MeetingStatus.CANCELLED
    else:
        assert edit.status_code in (302, 403)
        assert meeting.title == "Working session on cyber norms"
        assert meeting.status is MeetingStatus.SCHEDULED
    answered = db.session.scalar(sa.select(Rsvp).where(Rsvp.meeting_id == meeting.id))
    if role in ("member",):
        assert answered is not None
        assert answered.participant.code == "FRA"
    elif role == "co_chair":
        assert answered is None  # cancelled first by its own hand: no answer any more
    else:
        assert answered is None
        assert answer.status_code in (302, 303, 403)


@pytest.mark.parametrize("role", ALL_ROLES)
def test_api_refuses_other_roles(mw, client, api_headers, role):
    meeting = schedule(mw)
    headers = api_headers(_actor(mw, role))
    created = client.post(
        "/api/v1/meetings",
        json={**_form(mw), "body": mw.initiative.slug},
        headers=headers,
    )
    patched = client.patch(f"/api/v1/meetings/{meeting.id}", json={"venue": "X"}, headers=headers)
    answered = client.put(
        f"/api/v1/meetings/{meeting.id}/rsvp", json={"response": "declined"}, headers=headers
    )
    answers = client.get(f"/api/v1/meetings/{meeting.id}/rsvps", headers=headers)
    cancelled = client.post(f"/api/v1/meetings/{meeting.id}/cancel", json={}, headers=headers)
    expected_refusal = 401 if role == "anonymous" else 403
    if role in MANAGERS:
        assert (created.status_code, patched.status_code, answers.status_code) == (201, 200, 200)
        assert cancelled.status_code == 200
    else:
        for response in (created, patched, answers, cancelled):
            assert response.status_code == expected_refusal, response.get_json()
            assert response.mimetype == "application/problem+json"
    if role in ("member", "co_chair"):
        assert answered.status_code == 200
    else:
        assert answered.status_code == expected_refusal
