"""A small world around working groups, for the groups' tests.

On top of tests/initiatives/rules_support's world (staff; GHA proposes and co-chairs the
initiative; FRA's delegate `member`; DEU's `other`; `plain`; an organization's
`org_user`): an open initiative that FRA, ITA and the organization joined; its working
group of 5 seats, co-chaired by ITA (whose delegate is `group_chair`) and with ITA as
its only member; and an Alliance-level group of 16 seats with no member.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
import sqlalchemy as sa

from coalition.accounts.models import User
from coalition.bodies import co_chairs, memberships
from coalition.bodies.models import Membership, MembershipStatus
from coalition.bodies.queries import open_membership
from coalition.extensions import db
from coalition.groups import services
from coalition.groups.models import WorkingGroup
from coalition.initiatives.models import Initiative
from coalition.participants.models import Participant
from tests.conftest import state
from tests.initiatives.rules_support import World

#: Every role the permission matrix tries, besides the group's co-chair.
ROLES = ("anonymous", "plain", "other", "member", "org_user", "co_chair", "group_chair", "staff")
#: Who may change a group's membership.
MAY_CHANGE = {"staff", "group_chair"}


@dataclass
class GroupWorld:
    w: World
    group_chair: User
    initiative: Initiative
    group: WorkingGroup
    alliance: WorkingGroup

    def __getattr__(self, name: str):
        return getattr(self.w, name)

    @property
    def ita(self) -> Participant:
        return state("ITA")

    def actor(self, role: str) -> User | None:
        if role == "group_chair":
            return self.group_chair
        return self.w.actor(role)

    def delegate(self, code: str) -> User:
        """The verified delegate of *code*: the world's own, or one made for it once."""
        known = {"FRA": "member", "DEU": "other", "GHA": "co_chair", "ITA": "group_chair"}
        if code in known:
            return self.actor(known[code])
        if code == self.org.code:
            return self.org_user
        from coalition.representations.models import (
            Representation,
            RepresentationRole,
            RepresentationStatus,
        )

        email = f"{code.lower()}@join.example"
        user = db.session.scalar(sa.select(User).where(User.email == email))
        if user is None:
            user = User(email=email, name=f"{code} delegate", password_hash="x")
            db.session.add(user)
            db.session.flush()
            db.session.add(
                Representation(
                    user_id=user.id,
                    participant_id=state(code).id,
                    role=RepresentationRole.DELEGATE,
                    status=RepresentationStatus.VERIFIED,
                    decided_at=user.created_at,
                )
            )
            db.session.flush()
        return user

    def join(self, code: str) -> Membership:
        """The participant *code* joins the initiative (open) through its delegate."""
        return memberships.join(self.initiative, actor=self.delegate(code))

    def add(self, code: str, group: WorkingGroup | None = None, **kwargs) -> Membership:
        return memberships.add_member(group or self.group, state(code), actor=self.staff, **kwargs)

    def member_of(self, body, code: str) -> Membership | None:
        db.session.expire_all()
        membership = open_membership(body, state(code))
        return membership if membership and membership.status is MembershipStatus.ACTIVE else None

    def active_codes(self, body) -> set[str]:
        db.session.expire_all()
        return set(
            db.session.scalars(
                sa.select(Participant.code)
                .join(Membership, Membership.participant_id == Participant.id)
                .where(Membership.body_id == body.id, Membership.status == MembershipStatus.ACTIVE)
            )
        )


@pytest.fixture
def gw(world, make_user) -> GroupWorld:
    initiative = world.initiative(title="Information and democracy", policy="open")
    group_chair = make_user(represent="ITA", name="Italy delegate")
    group_chair = db.session.get(User, group_chair.id)
    memberships.join(initiative, actor=world.member)
    memberships.join(initiative, actor=group_chair)
    memberships.join(initiative, actor=world.org_user)
    group = services.create_group(
        actor=world.staff,
        title="Infodemic working group",
        initiative=initiative.slug,
        mandate="Recommendations on the *infodemic*.",
        seat_limit=5,
    )
    memberships.add_member(group, state("ITA"), actor=world.staff)
    co_chairs.assign_co_chair(group, state("ITA"), actor=world.staff)
    alliance = services.create_group(actor=world.staff, title="Convening Group", seat_limit=16)
    db.session.commit()
    return GroupWorld(
        w=world, group_chair=group_chair, initiative=initiative, group=group, alliance=alliance
    )
