"""Claims, verification, rejection, ending and granting of representations (no HTTP).
Who may make each change is tested in test_transition_matrix.py."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from coalition import permissions
from coalition.accounts.models import User
from coalition.errors import Conflict, InvalidValue, NotAllowed
from coalition.extensions import db
from coalition.representations import queries, services
from coalition.representations.models import RepresentationRole, RepresentationStatus
from tests.conftest import audit_actions, notification_kinds, state
from tests.representations.conftest import representations_of


def attached(user: User) -> User:
    return db.session.get(User, user.id)


@pytest.fixture
def people(app_ctx, make_user):
    """A plain user, a staff member, and the names they go by."""
    return {
        "claimant": attached(make_user(name="Kofi Mensah")),
        "staff": attached(make_user(staff=True)),
    }


def test_a_claim_waits_for_staff_and_lets_the_claimant_act_for_no_one(people):
    claimant = people["claimant"]

    rep = services.claim_representation(
        claimant, state("GHA"), role="focal_point", position="Counsellor, Permanent Mission"
    )

    assert rep.status is RepresentationStatus.PENDING
    assert rep.role is RepresentationRole.FOCAL_POINT
    assert rep.position == "Counsellor, Permanent Mission"
    assert permissions.acting_participant(claimant) is None
    assert audit_actions("representation", rep.id) == ["representation.claim"]


def test_a_claim_notifies_every_staff_member(people, make_user):
    other_staff = attached(make_user(admin=True))

    services.claim_representation(people["claimant"], state("GHA"), role="delegate")

    assert notification_kinds(people["staff"]) == ["representation.claimed"]
    assert notification_kinds(other_staff) == ["representation.claimed"]
    assert notification_kinds(people["claimant"]) == []


def test_a_second_claim_is_refused_and_creates_nothing(people):
    claimant = people["claimant"]
    services.claim_representation(claimant, state("GHA"), role="delegate")

    with pytest.raises(Conflict) as refused:
        services.claim_representation(claimant, state("SEN"), role="delegate")

    assert refused.value.field == "participant"
    assert [r.participant.code for r in representations_of(claimant)] == ["GHA"]


def test_a_verified_delegate_cannot_claim_another_participant(app_ctx, make_user):
    delegate = attached(make_user(represent="GHA"))

    with pytest.raises(Conflict):
        services.claim_representation(delegate, state("SEN"), role="delegate")

    assert len(representations_of(delegate)) == 1


def test_an_unknown_role_is_an_invalid_value(people):
    with pytest.raises(InvalidValue) as refused:
        services.claim_representation(people["claimant"], state("GHA"), role="ambassador")
    assert refused.value.field == "role"


def test_verifying_a_claim_lets_the_person_act_for_the_participant(people):
    claimant, staff = people["claimant"], people["staff"]
    rep = services.claim_representation(claimant, state("GHA"), role="delegate")

    services.verify_representation(rep, actor=staff)

    assert rep.status is RepresentationStatus.VERIFIED
    assert rep.decided_by_id == staff.id
    assert rep.decided_at is not None
    assert permissions.acting_participant(claimant).code == "GHA"
    assert audit_actions("representation", rep.id)[-1] == "representation.verify"
    assert notification_kinds(claimant) == ["representation.verified"]


def test_a_second_focal_point_cannot_be_verified(people, make_user):
    make_user(represent="GHA", focal_point=True)
    rep = services.claim_representation(people["claimant"], state("GHA"), role="focal_point")

    with pytest.raises(Conflict) as refused:
        services.verify_representation(rep, actor=people["staff"])

    assert "focal point" in str(refused.value.message)
    assert rep.status is RepresentationStatus.PENDING


def test_the_database_keeps_one_focal_point_even_if_the_check_is_skipped(
    people, make_user, monkeypatch
):
    """Two staff verifying two focal-point claims at once: the partial unique index wins."""
    make_user(represent="GHA", focal_point=True)
    rep = services.claim_representation(people["claimant"], state("GHA"), role="focal_point")
    monkeypatch.setattr(services, "_has_other_focal_point", lambda *_args: False)

    with pytest.raises(Conflict) as refused:
        services.verify_representation(rep, actor=people["staff"])

    assert refused.value.field == "role"


def test_rejecting_needs_a_reason_and_tells_the_claimant(people):
    claimant, staff = people["claimant"], people["staff"]
    rep = services.claim_representation(claimant, state("GHA"), role="delegate")

    with pytest.raises(InvalidValue) as refused:
        services.reject_representation(rep, actor=staff, reason="  ")
    assert refused.value.field == "reason"
    assert rep.status is RepresentationStatus.PENDING

    services.reject_representation(rep, actor=staff, reason="The mission does not know you.")

    assert rep.status is RepresentationStatus.REJECTED
    assert rep.reason == "The mission does not know you."
    assert audit_actions("representation", rep.id)[-1] == "representation.reject"
    assert notification_kinds(claimant) == ["representation.rejected"]


def test_after_a_rejection_the_person_may_claim_again(people):
    claimant = people["claimant"]
    rep = services.claim_representation(claimant, state("GHA"), role="delegate")
    services.reject_representation(rep, actor=people["staff"], reason="wrong state")

    again = services.claim_representation(claimant, state("SEN"), role="delegate")

    assert again.status is RepresentationStatus.PENDING


def test_a_decided_claim_cannot_be_decided_again(people):
    rep = services.claim_representation(people["claimant"], state("GHA"), role="delegate")
    services.verify_representation(rep, actor=people["staff"])

    with pytest.raises(Conflict):
        services.reject_representation(rep, actor=people["staff"], reason="changed my mind")
    with pytest.raises(Conflict):
        services.verify_representation(rep, actor=people["staff"])


def test_the_claimant_withdraws_a_pending_claim_and_nobody_else_can(people, make_user):
    claimant = people["claimant"]
    rep = services.claim_representation(claimant, state("GHA"), role="delegate")

    with pytest.raises(NotAllowed):
        services.withdraw_claim(rep, actor=attached(make_user()))
    services.withdraw_claim(rep, actor=claimant)

    assert rep.status is RepresentationStatus.ENDED
    assert rep.ended_by_id == claimant.id
    assert audit_actions("representation", rep.id)[-1] == "representation.withdraw"
    assert queries.open_representation(claimant) is None


def test_the_focal_point_ends_a_delegates_representation_with_a_reason(app_ctx, make_user):
    focal_point = attached(make_user(represent="GHA", focal_point=True))
    delegate = attached(make_user(represent="GHA"))
    rep = permissions.acting_representation(delegate)

    with pytest.raises(InvalidValue):
        services.end_representation(rep, actor=focal_point, reason="")
    services.end_representation(rep, actor=focal_point, reason="Posted to Nairobi.")

    assert rep.status is RepresentationStatus.ENDED
    assert rep.ended_at is not None
    assert rep.reason == "Posted to Nairobi."
    assert audit_actions("representation", rep.id) == ["representation.end"]
    assert notification_kinds(delegate) == ["representation.ended"]
    assert permissions.acting_participant(delegate) is None


def test_a_person_ends_their_own_representation_without_a_reason(app_ctx, make_user):
    delegate = attached(make_user(represent="GHA"))
    rep = permissions.acting_representation(delegate)

    services.end_representation(rep, actor=delegate)

    assert rep.status is RepresentationStatus.ENDED
    assert notification_kinds(delegate) == []


def test_history_is_kept_when_a_representation_ends(app_ctx, make_user):
    staff = attached(make_user(staff=True))
    delegate = attached(make_user(represent="GHA"))
    services.end_representation(
        permissions.acting_representation(delegate), actor=staff, reason="moved on"
    )

    history = queries.representation_history(state("GHA"))

    assert [(r.user_id, r.status) for r in history] == [(delegate.id, RepresentationStatus.ENDED)]


def test_grant_creates_a_verified_representation_audited_without_actor(app_ctx, make_user):
    user = attached(make_user())

    rep = services.grant_representation(user, state("GHA"), focal_point=True)

    assert rep.status is RepresentationStatus.VERIFIED
    assert rep.role is RepresentationRole.FOCAL_POINT
    assert permissions.acting_participant(user).code == "GHA"
    from coalition.audit.models import AuditEvent

    event = db.session.scalar(
        sa.select(AuditEvent).where(
            AuditEvent.object_type == "representation", AuditEvent.object_id == rep.id
        )
    )
    assert event.action == "representation.grant"
    assert event.actor_id is None


def test_grant_is_idempotent_and_verifies_a_pending_claim(app_ctx, make_user):
    user = attached(make_user())
    claim = services.claim_representation(user, state("GHA"), role="delegate")

    first = services.grant_representation(user, state("GHA"))
    second = services.grant_representation(user, state("GHA"))

    assert first.id == second.id == claim.id
    assert first.status is RepresentationStatus.VERIFIED
    assert len(representations_of(user)) == 1


def test_grant_refuses_another_participant_or_a_second_focal_point(app_ctx, make_user):
    delegate = attached(make_user(represent="GHA"))
    make_user(represent="SEN", focal_point=True)

    with pytest.raises(Conflict):
        services.grant_representation(delegate, state("SEN"))
    with pytest.raises(Conflict):
        services.grant_representation(attached(make_user()), state("SEN"), focal_point=True)


def test_the_command_line_creates_a_verified_focal_point(runner, app):
    result = runner.invoke(
        args=[
            "user",
            "create",
            "fp@example.org",
            "--password",
            "long enough password",
            "--represent",
            "GHA",
            "--focal-point",
        ]
    )

    assert result.exit_code == 0, result.output
    with app.app_context():
        user = db.session.scalar(sa.select(User).where(User.email == "fp@example.org"))
        reps = representations_of(user)
        assert [(r.participant.code, r.role, r.status) for r in reps] == [
            ("GHA", RepresentationRole.FOCAL_POINT, RepresentationStatus.VERIFIED)
        ]
