"""Working groups' rules, called as services (the same ones the pages and the API call):
creating, editing and closing; direct additions; seats; terms; notices; audit events."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from coalition.audit.models import AuditEvent
from coalition.bodies import co_chairs, memberships, terms
from coalition.bodies.models import Membership, MembershipStatus
from coalition.bodies.queries import open_membership
from coalition.bodies.terms import today
from coalition.db import utcnow
from coalition.errors import Conflict, InvalidValue, NotAllowed
from coalition.extensions import db
from coalition.groups import services
from coalition.groups.models import GroupStatus
from coalition.notifications.models import Notification
from tests.conftest import state
from tests.initiatives.rules_support import events_for


def _actions(body) -> list[str]:
    return list(
        db.session.scalars(
            sa.select(AuditEvent.action)
            .where(AuditEvent.body_id == body.id)
            .order_by(AuditEvent.id)
        )
    )


# -- creating, editing, closing -----------------------------------------------------------------


def test_staff_create_a_group_of_an_initiative_and_one_of_the_alliance(gw):
    assert gw.group.initiative_id == gw.initiative.id
    assert gw.group.slug == "infodemic-working-group"
    assert gw.group.status is GroupStatus.ACTIVE
    assert gw.alliance.initiative_id is None
    assert gw.alliance.seat_limit == 16
    assert _actions(gw.alliance) == ["group.create"]


@pytest.mark.parametrize("role", ["plain", "member", "co_chair", "group_chair"])
def test_only_staff_create_groups(gw, role):
    with pytest.raises(NotAllowed):
        services.create_group(actor=gw.actor(role), title="Shadow group")


def test_a_slug_already_used_by_any_body_is_the_slug_fields_error(gw):
    for taken in (gw.group.slug, gw.initiative.slug):
        with pytest.raises(Conflict) as refused:
            services.create_group(actor=gw.staff, title="Another", slug=taken)
        assert refused.value.field == "slug"


def test_a_group_in_an_unknown_or_concluded_initiative_is_refused(gw):
    from coalition.initiatives.services import conclude_initiative

    with pytest.raises(InvalidValue) as unknown:
        services.create_group(actor=gw.staff, title="Lost", initiative="no-such-initiative")
    assert unknown.value.field == "initiative"
    conclude_initiative(gw.initiative, actor=gw.staff)
    with pytest.raises(Conflict):
        services.create_group(actor=gw.staff, title="Late", initiative=gw.initiative.slug)


def test_the_mandate_is_markdown_rendered_sanitized(gw, client):
    services.edit_group(
        gw.group, actor=gw.staff, mandate="**Draft** <script>alert(1)</script> [x](javascript:y)"
    )
    db.session.commit()
    page = client.get(f"/groups/{gw.group.slug}").get_data(as_text=True)
    assert "<strong>Draft</strong>" in page
    assert "<script>alert" not in page
    assert 'href="javascript' not in page


def test_raising_the_seat_limit_opens_seats_lowering_below_the_members_is_refused_naming_them(gw):
    for code in ("FRA", "icnl"):
        gw.add(code)
    with pytest.raises(Conflict) as refused:
        services.edit_group(gw.group, actor=gw.staff, seat_limit=2)
    assert refused.value.field == "seat_limit"
    assert "3 participants are active members" in str(refused.value.message)
    db.session.refresh(gw.group)
    assert gw.group.seat_limit == 5

    services.edit_group(gw.alliance, actor=gw.staff, seat_limit=10)
    services.edit_group(gw.alliance, actor=gw.staff, seat_limit=16)
    events = [e for e in events_for("group", gw.alliance.id) if e.action == "group.edit"]
    assert [(e.before, e.after) for e in events] == [
        ({"seat_limit": 16}, {"seat_limit": 10}),
        ({"seat_limit": 10}, {"seat_limit": 16}),
    ]


def test_the_group_co_chairs_edit_it_but_only_staff_close_it(gw):
    services.edit_group(gw.group, actor=gw.group_chair, title="Infodemic group")
    assert gw.group.title == "Infodemic group"
    with pytest.raises(NotAllowed):
        services.edit_group(gw.group, actor=gw.co_chair, title="Taken over")
    with pytest.raises(NotAllowed):
        services.close_group(gw.group, actor=gw.group_chair)


def test_a_closed_group_takes_no_one_and_keeps_its_members(gw):
    services.close_group(gw.group, actor=gw.staff)
    assert gw.group.status is GroupStatus.CLOSED
    assert gw.group.closed_at is not None
    with pytest.raises(Conflict, match="closed"):
        gw.add("FRA")
    assert gw.active_codes(gw.group) == {"ITA"}
    with pytest.raises(Conflict):
        services.close_group(gw.group, actor=gw.staff)


def test_the_group_of_a_concluded_initiative_takes_no_one(gw):
    from coalition.initiatives.services import conclude_initiative

    conclude_initiative(gw.initiative, actor=gw.staff)
    with pytest.raises(Conflict, match="Its initiative has concluded"):
        gw.add("FRA")
    assert gw.active_codes(gw.group) == {"ITA"}


# -- who can be a member ----------------------------------------------------------------------


def test_joining_an_initiative_never_puts_a_participant_in_its_groups(gw):
    gw.join("ESP")
    assert open_membership(gw.group, state("ESP")) is None
    assert open_membership(gw.alliance, state("ESP")) is None


def test_nobody_joins_asks_to_join_or_is_invited_to_a_group(gw):
    with pytest.raises(Conflict, match="added by the Secretariat or its co-chairs"):
        memberships.join(gw.group, actor=gw.member)
    with pytest.raises(Conflict, match="added by the Secretariat or its co-chairs"):
        memberships.invite(gw.group, gw.fra, actor=gw.staff)
    assert open_membership(gw.group, gw.fra) is None


def test_an_initiatives_group_takes_only_its_active_members(gw):
    with pytest.raises(Conflict, match="is not an active member of Information and democracy"):
        gw.add("DEU")
    gw.join("DEU")
    assert gw.add("DEU").status is MembershipStatus.ACTIVE


def test_an_alliance_group_takes_any_state_or_organization(gw):
    gw.add("USA", gw.alliance)
    gw.add("icnl", gw.alliance)
    assert gw.active_codes(gw.alliance) == {"USA", "icnl"}


def test_the_groups_co_chairs_add_and_remove_members_initiative_co_chairs_do_not(gw):
    membership = memberships.add_member(gw.group, gw.fra, actor=gw.group_chair)
    with pytest.raises(NotAllowed):
        memberships.add_member(gw.group, state("icnl"), actor=gw.co_chair)
    memberships.remove(membership, actor=gw.group_chair, reason="Rotation")
    assert membership.status is MembershipStatus.REMOVED
    assert membership.reason == "Rotation"


def test_a_seat_limit_is_never_exceeded(gw):
    services.edit_group(gw.alliance, actor=gw.staff, seat_limit=2)
    gw.add("USA", gw.alliance)
    gw.add("IND", gw.alliance)
    with pytest.raises(Conflict, match="seat limit"):
        gw.add("ZAF", gw.alliance)
    db.session.refresh(gw.alliance)
    assert gw.alliance.active_count == 2


def test_a_group_can_be_left_without_a_co_chair(gw):
    membership = gw.member_of(gw.group, "ITA")
    memberships.remove(membership, actor=gw.staff, reason="Left the ministry's mission")
    assert co_chairs.co_chairs_of(gw.group) == []
    assert gw.active_codes(gw.group) == set()


# -- notices ------------------------------------------------------------------------------


def _notices(user, kind):
    return list(
        db.session.scalars(
            sa.select(Notification).where(
                Notification.user_id == user.id, Notification.kind == kind
            )
        )
    )


def test_the_members_delegates_are_told_when_it_is_added_and_removed(gw):
    membership = gw.add("FRA")
    [added] = _notices(gw.member, "membership.added")
    assert added.data["body"] == gw.group.title
    assert added.link == f"/groups/{gw.group.slug}"
    memberships.remove(membership, actor=gw.staff, reason="Rotation")
    [removed] = _notices(gw.member, "membership.removed")
    assert removed.data["reason"] == "Rotation"
    assert _notices(gw.other, "membership.added") == []


def test_each_delegate_reads_the_notice_in_their_own_language(gw, make_user):
    """Each delegate's copy, in the app and in the mail queued with the change, is in
    that delegate's language."""
    from coalition.outbox.models import OutgoingMail

    french = make_user(represent="FRA", locale="fr", email="paris@example.org")
    english = make_user(represent="FRA", locale="en", email="london@example.org")
    gw.add("FRA")
    subjects = dict(
        db.session.execute(
            sa.select(OutgoingMail.recipient, OutgoingMail.subject).where(
                OutgoingMail.recipient.in_([french.email, english.email])
            )
        ).all()
    )
    assert subjects[english.email] == "France is now a member of Infodemic working group"
    assert subjects[french.email] == "France est désormais membre de Infodemic working group"


# -- terms ----------------------------------------------------------------------------------


def test_a_term_is_set_renewed_and_ended_each_recorded(gw):
    soon = today() + timedelta(days=30)
    membership = gw.add("FRA", term_ends_on=soon)
    assert membership.term_ends_on == soon
    later = soon + timedelta(days=365)
    terms.renew_term(membership, later.isoformat(), actor=gw.staff)
    assert membership.term_ends_on == later
    terms.end_term(membership, actor=gw.group_chair)
    assert membership.status is MembershipStatus.REMOVED
    assert membership.reason.startswith("The term ended on")
    assert [e.action for e in events_for("membership", membership.id)] == [
        "membership.add",
        "membership.term",
        "membership.term_end",
    ]
    assert _notices(gw.member, "membership.term_ended")


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("yesterday", "YYYY-MM-DD"),
        (today().isoformat(), "after today"),
        ((today() - timedelta(days=3)).isoformat(), "after today"),
        ((today() + timedelta(days=366 * 11)).isoformat(), "at most 10 years"),
    ],
)
def test_a_term_ends_after_today_and_within_ten_years(gw, value, message):
    with pytest.raises(InvalidValue, match=message) as refused:
        gw.add("FRA", term_ends_on=value)
    assert refused.value.field == "term_ends_on"
    assert open_membership(gw.group, gw.fra) is None


def test_the_database_refuses_a_term_ending_before_the_membership_began(gw):
    membership = gw.add("FRA")
    with pytest.raises(sa.exc.IntegrityError), db.session.begin_nested():
        db.session.execute(
            sa.update(Membership)
            .where(Membership.id == membership.id)
            .values(term_ends_on=utcnow().date() - timedelta(days=1))
        )


def test_only_those_who_add_members_renew_or_end_terms(gw):
    membership = gw.add("FRA", term_ends_on=today() + timedelta(days=10))
    for role in ("member", "co_chair", "other", "plain"):
        with pytest.raises(NotAllowed):
            terms.renew_term(membership, None, actor=gw.actor(role))
        with pytest.raises(NotAllowed):
            terms.end_term(membership, actor=gw.actor(role))
    assert membership.status is MembershipStatus.ACTIVE


def test_ending_a_membership_without_term_is_refused(gw):
    membership = gw.add("FRA")
    with pytest.raises(Conflict, match="no term"):
        terms.end_term(membership, actor=gw.staff)


def test_terms_that_ran_out_are_closed_by_the_command_once(gw, runner):
    membership = gw.add("FRA", term_ends_on=today() + timedelta(days=2))
    assert terms.end_expired_terms(on=today()) == 0
    assert terms.end_expired_terms(on=today() + timedelta(days=2)) == 1
    assert terms.end_expired_terms(on=today() + timedelta(days=2)) == 0
    db.session.refresh(membership)
    assert membership.status is MembershipStatus.REMOVED


def test_the_terms_command_reports_what_it_ended(runner):
    result = runner.invoke(args=["terms", "end"])
    assert result.exit_code == 0, result.output
    assert "terms ended: 0" in result.output


# -- every change is recorded ---------------------------------------------------------------


def test_every_change_to_a_group_writes_a_public_audit_event(gw):
    membership = gw.add("FRA", term_ends_on=today() + timedelta(days=40))
    co_chairs.assign_co_chair(gw.group, gw.fra, actor=gw.staff)
    co_chairs.end_co_chair(gw.group, gw.fra, actor=gw.staff)
    terms.renew_term(membership, None, actor=gw.staff)
    services.edit_group(gw.group, actor=gw.staff, seat_limit=6)
    memberships.remove(membership, actor=gw.staff, reason="Rotation")
    services.close_group(gw.group, actor=gw.staff)
    public = db.session.scalars(
        sa.select(AuditEvent.is_public).where(AuditEvent.body_id == gw.group.id)
    ).all()
    assert all(public)
    assert _actions(gw.group) == [
        "group.create",
        "membership.add",
        "co_chair.assign",
        "membership.add",
        "co_chair.assign",
        "co_chair.end",
        "membership.term",
        "group.edit",
        "membership.remove",
        "group.close",
    ]
