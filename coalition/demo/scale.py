"""`flask demo --scale N`: N times the real size of the Alliance, to measure pages under load.

The real size (N = 1): every state and about 20 organizations, 200 initiatives, about
10,000 memberships, 20 working groups, 2,000 meetings with their invitations and answers,
100,000 audit events. At N = 10: 2,000 participants, 2,000 initiatives, 100,000
memberships, 200 groups, 20,000 meetings, 1,000,000 events. The counts include the real
demo, which is loaded first (its accounts are the ones to log in with).

Rows are computed in Python, final values first, and written with bulk INSERTs in
batches (never updated afterwards: the history tables refuse UPDATE and DELETE), keeping
the invariants the services keep (DESIGN.md):

- at most one open membership per body and participant; closed ones have `ended_at`,
  and a participant may start again after a closed one;
- `active_count` is the number of active memberships; seat limits hold it;
- states are members, organizations partners;
- co-chairs are active state members; every active initiative has a current co-chair;
- a group of an initiative holds only active members of that initiative;
- a meeting's invitations are the body's members active when it was scheduled (or who
  joined before it started), withdrawn when they left before it; Alliance-wide meetings
  invite the endorsers; guests are named; answers come only from open invitations;
- every act has its audit event, with the time it happened.

The first initiative generated holds every state (the bench's "every state" pages).
Deterministic: the same seed gives the same rows (dates are counted back from today, so
that some meetings are still to come).
"""

from __future__ import annotations

import itertools
import random
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import click
import sqlalchemy as sa

from coalition import limits
from coalition.accounts.models import User
from coalition.alliance.models import Endorsement
from coalition.audit.models import AuditEvent
from coalition.bodies.models import Body, CoChair, Membership
from coalition.extensions import db
from coalition.groups.models import WorkingGroup
from coalition.initiatives.models import Initiative
from coalition.meetings.models import AgendaItem, Invitation, Meeting, Rsvp
from coalition.participants.models import Participant
from coalition.representations.models import Representation, RepresentationStatus

SEED = 20190926
ALLIANCE_LAUNCH = datetime(2019, 9, 26, 14, tzinfo=UTC)
BATCH = 5000
DAY = timedelta(days=1)


@dataclass(frozen=True)
class Targets:
    """Totals to reach (the real demo included)."""

    participants: int
    initiatives: int
    memberships: int
    groups: int
    meetings: int
    events: int

    @classmethod
    def of(cls, scale: float, states: int) -> Targets:
        return cls(
            participants=max(states + round(20 * scale), round(200 * scale)),
            initiatives=max(2, round(200 * scale)),
            memberships=round(10_000 * scale),
            groups=max(1, round(20 * scale)),
            meetings=max(1, round(2_000 * scale)),
            events=round(100_000 * scale),
        )


# -- writing ---------------------------------------------------------------------------------

_TABLES: list[sa.Table] = [
    Participant.__table__,
    Endorsement.__table__,
    Body.__table__,
    Initiative.__table__,
    WorkingGroup.__table__,
    Membership.__table__,
    CoChair.__table__,
    Meeting.__table__,
    AgendaItem.__table__,
    Invitation.__table__,
    Rsvp.__table__,
    AuditEvent.__table__,
]
#: Tables whose ids come from a sequence (PostgreSQL), set past our explicit ids at the end.
_SERIAL = [t for t in _TABLES if t.name not in ("initiatives", "working_groups")]


class Writer:
    """Buffers rows per table and inserts them in batches, parents first (so that a
    batch never refers to a row not yet written). Ids are given here, not by the
    database: children refer to them before anything is written."""

    def __init__(self, batch: int = BATCH) -> None:
        self.batch = batch
        self.buffers: dict[sa.Table, list[dict]] = {t: [] for t in _TABLES}
        self.written: dict[str, int] = {t.name: 0 for t in _TABLES}
        self.pending = 0
        self.ids: dict[str, itertools.count] = {}
        for table in _SERIAL:
            top = db.session.scalar(sa.select(sa.func.max(table.c.id))) or 0
            self.ids[table.name] = itertools.count(top + 1)

    def next_id(self, table: sa.Table) -> int:
        return next(self.ids[table.name])

    def add(self, table: sa.Table, row: dict) -> None:
        self.buffers[table].append(row)
        self.pending += 1
        if self.pending >= self.batch:
            self.flush()

    def flush(self) -> None:
        for table in _TABLES:
            rows = self.buffers[table]
            if rows:
                db.session.execute(sa.insert(table), rows)
                self.written[table.name] += len(rows)
                rows.clear()
        self.pending = 0

    def finish(self) -> None:
        self.flush()
        if db.session.get_bind().dialect.name == "postgresql":
            for table in _SERIAL:
                # The sequence goes on after the ids given here (our own table names).
                name = table.name
                query = f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                query += f"(SELECT COALESCE(max(id), 1) FROM {name}))"  # noqa: S608
                db.session.execute(sa.text(query))


# -- vocabulary ------------------------------------------------------------------------------

TOPICS = [
    "Ocean Governance",
    "Digital Rights",
    "Cyber Stability",
    "Gender Equality",
    "Climate Security",
    "Vaccine Equity",
    "Disinformation",
    "Humanitarian Law",
    "Arms Control",
    "Refugee Protection",
    "Food Security",
    "Water Diplomacy",
    "Artificial Intelligence",
    "Space Debris",
    "Biodiversity",
    "Anti-Corruption",
    "Press Freedom",
    "Migration Data",
    "Health Systems",
    "Rule of Law",
    "Children in Armed Conflict",
    "Landmine Clearance",
    "Tax Transparency",
    "Electoral Integrity",
    "Civic Space",
    "Indigenous Rights",
    "Urban Resilience",
    "Clean Energy",
    "Internet Governance",
    "Nuclear Safety",
    "Peacebuilding",
    "Sustainable Finance",
    "Trade Facilitation",
    "Judicial Cooperation",
    "Cultural Heritage",
    "Polar Research",
    "Pandemic Preparedness",
    "Youth Participation",
    "Disability Inclusion",
    "Critical Minerals",
]
INITIATIVE_FORMS = [
    "Coalition for",
    "Partnership on",
    "Call for",
    "Compact on",
    "Platform on",
    "Initiative on",
    "Alliance for",
    "Pledge on",
    "Network on",
    "Group of Friends of",
    "Declaration on",
    "Roadmap for",
    "Charter on",
]
ORG_FORMS = [
    "Institute for",
    "Centre for",
    "Forum on",
    "Foundation for",
    "Council on",
    "Observatory of",
    "Network on",
    "Commission on",
    "Agency for",
    "Association for",
]
ORG_PLACES = [
    "",
    " in Africa",
    " of the Americas",
    " in Asia and the Pacific",
    " in Europe",
    " in the Arab Region",
    " of the Caribbean",
    " of Small Island States",
]
ORG_CATEGORIES = [
    ("international_organization", 3),
    ("regional_institution", 2),
    ("civil_society", 4),
    ("private_sector", 1),
    ("other", 1),
]
VENUES = [
    ("Europe/Paris", "Paris"),
    ("America/New_York", "New York"),
    ("Europe/Zurich", "Geneva"),
    ("Africa/Nairobi", "Nairobi"),
    ("Asia/Tokyo", "Tokyo"),
    ("America/Sao_Paulo", "São Paulo"),
    ("Asia/Singapore", "Singapore"),
    ("Africa/Dakar", "Dakar"),
    ("Asia/Bangkok", "Bangkok"),
    ("Pacific/Auckland", "Auckland"),
    ("Europe/Berlin", "Berlin"),
    ("America/Mexico_City", "Mexico City"),
    ("Africa/Johannesburg", "Pretoria"),
    ("Asia/Kolkata", "New Delhi"),
    ("Europe/Vienna", "Vienna"),
    ("America/Santiago", "Santiago"),
]
MEETING_KINDS = [
    "Plenary meeting",
    "Ministerial meeting",
    "Working session",
    "Expert consultation",
    "Co-chairs' meeting",
    "Side event",
    "Technical workshop",
    "Stocktaking meeting",
    "High-level dialogue",
    "Drafting session",
]
AGENDA = [
    "Opening remarks",
    "Adoption of the agenda",
    "Report of the co-chairs",
    "Progress on commitments",
    "Presentation by partners",
    "Discussion of the draft text",
    "Next steps and timeline",
    "Any other business",
    "Closing remarks",
    "Budget and resources",
    "Outreach to new members",
    "Review of the work plan",
]
GROUP_FORMS = [
    "Drafting group on",
    "Expert group on",
    "Task force on",
    "Steering group on",
    "Working group on",
    "Contact group on",
]
FIRST_NAMES = [
    "Amina",
    "Carlos",
    "Mei",
    "Olga",
    "Kwame",
    "Sofia",
    "Rahul",
    "Fatima",
    "Lars",
    "Ana",
    "Yusuf",
    "Claire",
    "Hiroshi",
    "Nadia",
    "Diego",
    "Ingrid",
    "Tendai",
    "Leila",
    "Pavel",
    "Rosa",
]
LAST_NAMES = [
    "Mensah",
    "García",
    "Chen",
    "Ivanova",
    "Diallo",
    "Rossi",
    "Sharma",
    "Haddad",
    "Nilsson",
    "Silva",
    "Kaya",
    "Dubois",
    "Tanaka",
    "Petrova",
    "Torres",
    "Berg",
    "Moyo",
    "Karimi",
    "Novak",
    "Castillo",
]
LEVELS = ["minister", "vice_minister", "ambassador", "senior_official", "expert"]
AXES = ["international_law", "governance_gaps", "institutional_reform"]


def _slug(text: str) -> str:
    import unicodedata

    ascii_ = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_.lower()).strip("-")[: limits.SLUG_MAX - 6]


# -- the generator ---------------------------------------------------------------------------


@dataclass
class Who:
    id: int
    code: str
    name: str
    is_state: bool


@dataclass
class Row:
    """A membership as generated: what invitations and groups need to know."""

    participant: Who
    status: str
    since: datetime | None
    ended_at: datetime | None


@dataclass
class BodyPlan:
    id: int
    title: str
    created_at: datetime
    closes_at: datetime | None = None  # a concluded initiative's end
    rows: list[Row] = field(default_factory=list)
    is_group: bool = False

    def active(self) -> list[Row]:
        return [r for r in self.rows if r.status == "active"]


class Generator:
    def __init__(self, scale: float, *, seed: int = SEED, progress: bool = True) -> None:
        self.random = random.Random(seed)
        self.progress = progress
        self.now = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
        self.writer = Writer()
        #: Proposals waiting per proposing participant (the rule allows a few at once),
        #: the demo's own included.
        self.waiting: dict[int, int] = dict(
            db.session.execute(
                sa.select(Initiative.proposed_by_id, sa.func.count())
                .where(Initiative.status == "proposed")
                .group_by(Initiative.proposed_by_id)
            ).all()
        )
        states = db.session.execute(
            sa.select(
                Participant.id, Participant.code, Participant.name, Participant.kind
            ).order_by(Participant.id)
        ).all()
        self.participants = [Who(i, c, n, k == "state") for i, c, n, k in states]
        self.states = [p for p in self.participants if p.is_state]
        self.targets = Targets.of(scale, len(self.states))
        self.staff_id = db.session.scalar(
            sa.select(User.id).where(User.is_staff.is_(True)).order_by(User.id).limit(1)
        )
        if self.staff_id is None:
            raise click.ClickException("no staff account: load the demo first")
        self.signers: dict[int, int] = {}
        for participant_id, user_id in db.session.execute(
            sa.select(Representation.participant_id, Representation.user_id)
            .where(Representation.status == RepresentationStatus.VERIFIED)
            .order_by(Representation.id)
        ):
            self.signers.setdefault(participant_id, user_id)
        self.events = self._count(AuditEvent)
        self.bodies: list[BodyPlan] = []
        self.initiatives: list[tuple[BodyPlan, str]] = []  # (plan, status)
        self.groups: list[BodyPlan] = []
        self.endorsements: list[tuple[int, datetime, datetime | None]] = []

    # -- helpers --

    def _count(self, model: type) -> int:
        return db.session.scalar(sa.select(sa.func.count()).select_from(model)) or 0

    def _between(self, start: datetime, end: datetime) -> datetime:
        if end <= start:
            return start
        seconds = (end - start).total_seconds() * self.random.random()
        return (start + timedelta(seconds=seconds)).replace(second=0, microsecond=0)

    def _bar(self, items: Sequence, label: str) -> Any:
        if not self.progress:
            from contextlib import nullcontext

            return nullcontext(items)
        return click.progressbar(items, label=f"{label:<14}", show_pos=True)

    def event(
        self,
        action: str,
        when: datetime,
        *,
        object_type: str,
        object_id: int,
        label: str,
        body_id: int | None = None,
        participant_id: int | None = None,
        actor_id: int | None = None,
        public: bool = False,
        before: dict | None = None,
        after: dict | None = None,
    ) -> None:
        self.writer.add(
            AuditEvent.__table__,
            {
                "id": self.writer.next_id(AuditEvent.__table__),
                "occurred_at": when,
                "actor_id": actor_id,
                "participant_id": participant_id,
                "action": action,
                "object_type": object_type,
                "object_id": object_id,
                "object_label": label[:300],
                "body_id": body_id,
                "is_public": public,
                "before": before,
                "after": after,
            },
        )
        self.events += 1

    # -- phases --

    def run(self) -> dict[str, int]:
        self.organizations()
        self.endorse()
        self.load_existing_bodies()
        self.make_initiatives()
        self.make_groups()
        self.make_meetings()
        self.writer.finish()
        return dict(self.writer.written)

    def organizations(self) -> None:
        missing = self.targets.participants - len(self.participants)
        names = [
            f"{form} {topic}{place}"
            for form in ORG_FORMS
            for topic in TOPICS
            for place in ORG_PLACES
        ]
        self.random.shuffle(names)
        categories = [c for c, weight in ORG_CATEGORIES for _ in range(weight)]
        table = Participant.__table__
        with self._bar(range(max(0, missing)), "organizations") as bar:
            for n in bar:
                name = names[n % len(names)] + (
                    f" {n // len(names) + 1}" if n >= len(names) else ""
                )
                acronym = "".join(w[0] for w in re.findall(r"[A-Z][a-z]+", name))[:10]
                zone, _city = self.random.choice(VENUES)
                created = self._between(ALLIANCE_LAUNCH - 365 * DAY, self.now - 400 * DAY)
                row_id = self.writer.next_id(table)
                code = f"org-{n + 1:05d}"
                self.writer.add(
                    table,
                    {
                        "id": row_id,
                        "kind": "organization",
                        "code": code,
                        "name": name,
                        "acronym": acronym or None,
                        "iso_alpha2": None,
                        "un_status": None,
                        "category": self.random.choice(categories),
                        "names": None,
                        "formal_names": None,
                        "timezone": zone,
                        "website": f"https://{code}.example.org",
                        "description": f"{name}: a partner of the Alliance's initiatives.",
                        "created_at": created,
                        "updated_at": created,
                    },
                )
                self.participants.append(Who(row_id, code, name, False))
        self.organizations_ = [p for p in self.participants if not p.is_state]

    def endorse(self) -> None:
        """Most participants endorse the Alliance; a few withdraw, some endorse again."""
        open_ = dict(
            db.session.execute(
                sa.select(Endorsement.participant_id, Endorsement.endorsed_at).where(
                    Endorsement.withdrawn_at.is_(None)
                )
            ).all()
        )
        table = Endorsement.__table__
        with self._bar(self.participants, "endorsements") as bar:
            for who in bar:
                if who.id in open_:
                    self.endorsements.append((who.id, open_[who.id], None))
                    continue
                if self.random.random() > 0.7:
                    continue
                at = self._between(ALLIANCE_LAUNCH, self.now - 30 * DAY)
                withdrawn = None
                if self.random.random() < 0.06:
                    withdrawn = self._between(at + DAY, self.now - 10 * DAY)
                rows = [(at, withdrawn)]
                if withdrawn and self.random.random() < 0.5:
                    rows.append((self._between(withdrawn + DAY, self.now), None))
                for endorsed_at, withdrawn_at in rows:
                    row_id = self.writer.next_id(table)
                    self.writer.add(
                        table,
                        {
                            "id": row_id,
                            "participant_id": who.id,
                            "endorsed_at": endorsed_at,
                            "endorsed_by_id": None,
                            "withdrawn_at": withdrawn_at,
                            "withdrawn_by_id": self.staff_id if withdrawn_at else None,
                        },
                    )
                    self.endorsements.append((who.id, endorsed_at, withdrawn_at))
                    common = {
                        "object_type": "endorsement",
                        "object_id": row_id,
                        "label": who.name,
                        "participant_id": who.id,
                        "public": True,
                    }
                    self.event(
                        "alliance.endorse",
                        endorsed_at,
                        after={"endorsed_at": endorsed_at.isoformat()},
                        **common,
                    )
                    if withdrawn_at:
                        self.event(
                            "alliance.withdraw",
                            withdrawn_at,
                            actor_id=self.staff_id,
                            after={"withdrawn_at": withdrawn_at.isoformat()},
                            **common,
                        )

    def load_existing_bodies(self) -> None:
        """The real demo's bodies, so that meetings can be held in them too."""
        by_id = {p.id: p for p in self.participants}
        plans: dict[int, BodyPlan] = {}
        for body_id, title, created, kind in db.session.execute(
            sa.select(Body.id, Body.title, Body.created_at, Body.kind).order_by(Body.id)
        ):
            plans[body_id] = BodyPlan(body_id, title, created, is_group=kind == "working_group")
        for body_id, pid, status, since, ended in db.session.execute(
            sa.select(
                Membership.body_id,
                Membership.participant_id,
                Membership.status,
                Membership.since,
                Membership.ended_at,
            ).order_by(Membership.id)
        ):
            plans[body_id].rows.append(Row(by_id[pid], status, since, ended))
        concluded = set(
            db.session.scalars(sa.select(Initiative.id).where(Initiative.status == "concluded"))
        )
        proposed = set(
            db.session.scalars(sa.select(Initiative.id).where(Initiative.status == "proposed"))
        )
        for plan in plans.values():
            if plan.id in concluded or plan.id in proposed:
                continue  # no meetings generated for them
            self.bodies.append(plan)
        self.existing_initiatives = self._count(Initiative)
        self.existing_groups = self._count(WorkingGroup)
        self.existing_memberships = self._count(Membership)
        self.existing_meetings = self._count(Meeting)
        self.slugs = set(db.session.scalars(sa.select(Body.slug)))

    # -- initiatives --

    def _unique_slug(self, title: str) -> str:
        base = _slug(title)
        slug, n = base, 1
        while slug in self.slugs:
            n += 1
            slug = f"{base}-{n}"
        self.slugs.add(slug)
        return slug

    def _sizes(self, count: int, budget: int, cap: int) -> list[int]:
        """*count* initiative sizes (participants) summing to about *budget*, few large
        and many small, each within [3, cap]."""
        weights = [min(self.random.paretovariate(1.3), 40.0) for _ in range(count)]
        total = sum(weights) or 1.0
        sizes = [max(3, min(cap, round(budget * w / total))) for w in weights]
        for _ in range(4):  # spread what the caps cut off over those below them
            missing = budget - sum(sizes)
            room = [i for i, s in enumerate(sizes) if (s < cap if missing > 0 else s > 3)]
            if not room or abs(missing) < count:
                break
            step = missing / len(room)
            for i in room:
                sizes[i] = max(3, min(cap, round(sizes[i] + step)))
        return sizes

    def make_initiatives(self) -> None:
        count = max(0, self.targets.initiatives - self.existing_initiatives)
        if count == 0:
            return
        groups_estimate = max(0, self.targets.groups - self.existing_groups) * 10
        budget = self.targets.memberships - self.existing_memberships - groups_estimate
        largest = len(self.states) + min(10, len(self.organizations_))
        rows_per_participant = 1.08
        per = max(0, round((budget - largest * rows_per_participant) / rows_per_participant))
        cap = max(3, round(0.75 * len(self.states)))
        sizes = [largest, *self._sizes(count - 1, per, cap)] if count > 1 else [largest]
        titles = [f"{form} {topic}" for form in INITIATIVE_FORMS for topic in TOPICS]
        self.random.shuffle(titles)
        carry = 0
        with self._bar(list(enumerate(sizes)), "initiatives") as bar:
            for n, size in bar:
                title = titles[n % len(titles)]
                if n >= len(titles):
                    title += f" ({n // len(titles) + 1})"
                # What a small proposed initiative did not take goes to the next ones.
                wanted = size + carry if n else size
                size = min(cap, wanted) if n else size
                carry = (wanted - size if n else 0) + self._initiative(
                    title, size, every_state=n == 0
                )

    def _initiative(self, title: str, size: int, *, every_state: bool) -> int:
        """Write one initiative of about *size* participants; returns how many fewer it
        took (a proposed one is small)."""
        r = self.random
        body_id = self.writer.next_id(Body.__table__)
        status = "active"
        if not every_state:
            status = r.choices(["active", "proposed", "concluded"], [85, 8, 7])[0]
        policy = (
            "open" if every_state else r.choices(["open", "approval", "invitation"], [5, 4, 1])[0]
        )
        earliest = ALLIANCE_LAUNCH if status != "proposed" else self.now - 120 * DAY
        latest = (
            self.now - (500 if status == "concluded" else 90 if status == "active" else 5) * DAY
        )
        created = self._between(earliest, latest)
        activated = concluded = None
        if status != "proposed":
            activated = self._between(created + 14 * DAY, created + 60 * DAY)
        if status == "concluded":
            concluded = self._between(activated + 365 * DAY, self.now - 30 * DAY)
        end = concluded or self.now
        plan = BodyPlan(body_id, title, created, closes_at=concluded)

        if every_state:
            chosen = list(self.states) + r.sample(
                self.organizations_, min(10, len(self.organizations_))
            )
        else:
            n_orgs = min(len(self.organizations_), round(size * r.uniform(0.05, 0.3)))
            n_states = min(len(self.states), max(1, size - n_orgs))
            chosen = r.sample(self.states, n_states) + r.sample(self.organizations_, n_orgs)
        proposer = chosen[0] if chosen[0].is_state else self.states[0]
        if status == "proposed":
            # At most limits.PROPOSALS_WAITING_MAX proposals waiting per participant.
            free = [
                w
                for w in [*chosen, *self.states]
                if w.is_state and self.waiting.get(w.id, 0) < limits.PROPOSALS_WAITING_MAX
            ]
            proposer = free[0]
            self.waiting[proposer.id] = self.waiting.get(proposer.id, 0) + 1
        if proposer is not chosen[0]:
            chosen = [proposer, *[c for c in chosen if c is not proposer]]
        left_over = 0
        if status == "proposed":
            kept = max(1, min(len(chosen), r.randint(1, 6)))
            left_over = max(0, size - kept)
            chosen = chosen[:kept]
        other_chairs = []
        if status != "proposed":
            other_chairs = [c for c in chosen[1:6] if c.is_state][: r.randint(0, 2)]

        memberships: list[tuple[dict, Who, list[tuple[str, datetime, dict | None, dict]]]] = []
        for who in chosen:
            rows = self._membership_history(
                who,
                status=status,
                policy=policy,
                created=created,
                activated=activated,
                end=end,
                founder=who is proposer,
                keep_active=who is proposer or who in other_chairs or every_state,
            )
            memberships.extend((row, who, events) for row, events in rows)

        active = sum(1 for m, _w, _e in memberships if m["status"] == "active")
        seat_limit = None
        if not every_state and status == "active" and r.random() < 0.08:
            seat_limit = min(limits.SEAT_LIMIT_MAX, active + r.randint(0, 10)) or 1
        summary = (
            f"States and partners working together on {title.split(' ', 2)[-1].lower()}: "
            "commitments, shared practice and a yearly report of results."
        )
        self.writer.add(
            Body.__table__,
            {
                "id": body_id,
                "kind": "initiative",
                "slug": self._unique_slug(title),
                "title": title,
                "summary": summary,
                "description": f"## Purpose\n\n{summary}\n\n## Working methods\n\nThe co-chairs "
                "convene members twice a year; partners contribute expertise.",
                "join_policy": policy,
                "seat_limit": seat_limit,
                "active_count": active,
                "created_at": created,
                "updated_at": activated or created,
            },
        )
        self.writer.add(
            Initiative.__table__,
            {
                "id": body_id,
                "axis": r.choice(AXES),
                "status": status,
                "launched_on": activated.date() if activated else None,
                "proposed_by_id": proposer.id,
                "activated_at": activated,
                "concluded_at": concluded,
                "results": "" if status == "proposed" else "- A joint statement adopted.\n",
            },
        )
        common = {
            "object_type": "initiative",
            "object_id": body_id,
            "label": title,
            "body_id": body_id,
        }
        self.event(
            "initiative.propose",
            created,
            participant_id=proposer.id,
            after={"status": "proposed"},
            **common,
        )
        if activated:
            self.event(
                "initiative.activate",
                activated,
                actor_id=self.staff_id,
                before={"status": "proposed"},
                after={"status": "active"},
                **common,
            )
        if concluded:
            self.event(
                "initiative.conclude",
                concluded,
                actor_id=self.staff_id,
                before={"status": "active"},
                after={"status": "concluded"},
                **common,
            )
        self._write_memberships(plan, memberships)
        self._co_chairs(plan, [proposer, *other_chairs], created, end)
        self.initiatives.append((plan, status))
        if status != "proposed":
            self.bodies.append(plan)  # meetings are held in active and concluded ones
        return left_over

    def _membership_history(
        self,
        who: Who,
        *,
        status: str,
        policy: str,
        created: datetime,
        activated: datetime | None,
        end: datetime,
        founder: bool,
        keep_active: bool,
    ) -> list[tuple[dict, list]]:
        """A participant's membership rows in one initiative, oldest first, each with its
        events (action, when, before, after): perhaps a closed one, then the current."""
        r = self.random
        start = activated or created
        out: list[tuple[dict, list]] = []
        if founder:
            return [self._row(who, "active", "membership.join", created, created, None)]
        if status == "proposed":
            if r.random() < 0.5:
                at = self._between(created, end)
                return [self._row(who, "invited", "membership.invite", at, None, None)]
            at = self._between(created, end)
            return [self._row(who, "active", "membership.add", at, at, None)]
        cursor = start
        if not keep_active and r.random() < 0.08 and end - start > 60 * DAY:
            # An earlier membership, closed: left, removed, or a request declined.
            kind = r.choice(["withdrawn", "withdrawn", "removed", "declined", "cancelled"])
            at = self._between(start, start + (end - start) / 2)
            closed = self._between(at + 2 * DAY, at + (end - at) / 2)
            out.append(self._closed_row(who, kind, policy, at, closed))
            cursor = closed + DAY
        final = "active"
        if not keep_active:
            final = r.choices(
                [
                    "active",
                    "pending",
                    "invited",
                    "withdrawn",
                    "removed",
                    "declined",
                    "cancelled",
                    "revoked",
                ],
                [82, 4, 4, 5, 1, 2, 1, 1],
            )[0]
            if status == "concluded" and final not in ("active", "withdrawn"):
                final = "active"
            if policy != "approval" and final in ("pending", "declined", "cancelled"):
                final = "active"
        at = self._between(cursor, end - DAY if end - DAY > cursor else cursor)
        if final in ("withdrawn", "removed", "declined", "cancelled", "revoked"):
            closed = self._between(at + DAY, end)
            out.append(self._closed_row(who, final, policy, at, closed))
        elif final == "pending":
            out.append(self._row(who, "pending", "membership.request", at, None, None))
        elif final == "invited":
            out.append(self._row(who, "invited", "membership.invite", at, None, None))
        else:
            since = at if policy == "open" else min(end, at + r.randint(1, 20) * DAY)
            first = {"approval": "membership.request", "invitation": "membership.invite"}
            out.append(
                self._row(who, "active", first.get(policy, "membership.join"), at, since, None)
            )
        return out

    def _row(
        self,
        who: Who,
        status: str,
        first: str,
        created: datetime,
        since: datetime | None,
        ended: datetime | None,
    ) -> tuple[dict, list]:
        row = {
            "participant_id": who.id,
            "role": "member" if who.is_state else "partner",
            "status": status,
            "created_at": created,
            "created_by_id": None,
            "since": since,
            "ended_at": ended,
            "reason": None,
            "message": None,
            "term_ends_on": None,
        }
        events: list = []
        if first in ("membership.request", "membership.invite"):
            opened = "pending" if first == "membership.request" else "invited"
            events.append((first, created, None, {"status": opened}))
            if status == "active":
                decision = "membership.approve" if opened == "pending" else "membership.accept"
                events.append((decision, since, {"status": opened}, {"status": "active"}))
        else:
            events.append((first, since or created, None, {"status": status}))
        return row, events

    def _closed_row(
        self, who: Who, kind: str, policy: str, at: datetime, closed: datetime
    ) -> tuple[dict, list]:
        """A membership that reached the closed status *kind* at *closed*."""
        if kind in ("declined", "cancelled"):
            row, events = self._row(who, "pending", "membership.request", at, None, None)
            action = "membership.decline" if kind == "declined" else "membership.cancel"
            before = {"status": "pending"}
        elif kind == "revoked":
            row, events = self._row(who, "invited", "membership.invite", at, None, None)
            action, before = "membership.revoke", {"status": "invited"}
        else:
            first = "membership.join" if policy == "open" else "membership.add"
            row, events = self._row(who, "active", first, at, at, None)
            action = "membership.withdraw" if kind == "withdrawn" else "membership.remove"
            before = {"status": "active"}
        row["status"] = kind
        row["ended_at"] = closed
        if kind in ("removed", "declined"):
            row["reason"] = "Decided by the co-chairs after consultation of the members."
        events.append((action, closed, before, {"status": kind}))
        return row, events

    def _write_memberships(self, plan: BodyPlan, memberships: list) -> None:
        table = Membership.__table__
        for row, who, events in memberships:
            row_id = self.writer.next_id(table)
            self.writer.add(table, {"id": row_id, "body_id": plan.id, **row})
            plan.rows.append(Row(who, row["status"], row["since"], row["ended_at"]))
            for action, when, before, after in events:
                self.event(
                    action,
                    when,
                    object_type="membership",
                    object_id=row_id,
                    label=who.name,
                    body_id=plan.id,
                    participant_id=who.id,
                    public=True,
                    before=before,
                    after=after,
                )

    def _co_chairs(
        self, plan: BodyPlan, chairs: Iterable[Who], start: datetime, end: datetime
    ) -> None:
        """Current co-chairs (active state members, from their membership's start), and
        now and then a former one whose term ended."""
        active = {row.participant.id: row for row in plan.rows if row.status == "active"}
        for n, who in enumerate(chairs):
            row = active.get(who.id)
            if row is None or not who.is_state:
                continue
            began = row.since if n == 0 else self._between(row.since, end)
            if n == 0 and self.random.random() < 0.2 and end - began > 60 * DAY:
                # An earlier term of the same state, ended before the current one.
                first_end = self._between(began + DAY, began + (end - began) / 2)
                self._co_chair_row(plan, who, began, first_end)
                began = first_end + DAY
            self._co_chair_row(plan, who, began, None)

    def _co_chair_row(
        self, plan: BodyPlan, who: Who, began: datetime, ended: datetime | None
    ) -> None:
        table = CoChair.__table__
        row_id = self.writer.next_id(table)
        self.writer.add(
            table,
            {
                "id": row_id,
                "body_id": plan.id,
                "participant_id": who.id,
                "started_at": began,
                "ended_at": ended,
                "assigned_by_id": None,
                "ended_by_id": self.staff_id if ended else None,
            },
        )
        common = {
            "object_type": "co_chair",
            "object_id": row_id,
            "label": who.name,
            "body_id": plan.id,
            "participant_id": who.id,
            "public": True,
        }
        self.event(
            "co_chair.assign", began, before={"co_chair": False}, after={"co_chair": True}, **common
        )
        if ended:
            self.event(
                "co_chair.end",
                ended,
                actor_id=self.staff_id,
                before={"co_chair": True},
                after={"co_chair": False},
                **common,
            )

    # -- working groups --

    def make_groups(self) -> None:
        count = max(0, self.targets.groups - self.existing_groups)
        r = self.random
        hosts = [
            plan
            for plan, status in self.initiatives
            if status == "active" and len(plan.active()) >= 4
        ]
        titles = [f"{form} {topic.lower()}" for form in GROUP_FORMS for topic in TOPICS]
        r.shuffle(titles)
        with self._bar(range(count), "working groups") as bar:
            for n in bar:
                host = r.choice(hosts) if hosts and r.random() < 0.85 else None
                title = titles[n % len(titles)] + (
                    f" ({n // len(titles) + 1})" if n >= len(titles) else ""
                )
                self._group(title, host)

    def _group(self, title: str, host: BodyPlan | None) -> None:
        r = self.random
        body_id = self.writer.next_id(Body.__table__)
        earliest = host.created_at + 30 * DAY if host else ALLIANCE_LAUNCH
        created = self._between(earliest, max(earliest, self.now - 60 * DAY))
        plan = BodyPlan(body_id, title, created, is_group=True)
        if host:
            pool = [(row.participant, row.since) for row in host.active()]
        else:
            pool = [(who, created) for who in self.states]
        chosen = r.sample(pool, min(len(pool), r.randint(5, 16)))
        memberships = []
        for who, member_since in chosen:
            at = self._between(max(created, member_since), self.now - DAY)
            row, events = self._row(who, "active", "membership.add", at, at, None)
            if r.random() < 0.3:
                term = (self.now + r.randint(30, 900) * DAY).date()
                if term > at.date():
                    row["term_ends_on"] = term
                    events[0][3]["term_ends_on"] = term.isoformat()
            memberships.append((row, who, events))
        # Now and then a former member, removed by the Secretariat.
        if host and r.random() < 0.3:
            taken = {w.id for _r, w, _e in memberships}
            others = [p for p in pool if p[0].id not in taken]
            if others:
                who, member_since = r.choice(others)
                at = self._between(max(created, member_since), self.now - 3 * DAY)
                closed = self._between(at + DAY, self.now)
                row, events = self._closed_row(who, "removed", "add", at, closed)
                memberships.append((row, who, events))
        active = sum(1 for m, _w, _e in memberships if m["status"] == "active")
        seat_limit = active + r.randint(0, 4) if r.random() < 0.4 and active else None
        self.writer.add(
            Body.__table__,
            {
                "id": body_id,
                "kind": "working_group",
                "slug": self._unique_slug(title),
                "title": title,
                "summary": f"A {title[0].lower()}{title[1:]}.",
                "description": "The group drafts texts for the members and reports to them.",
                "join_policy": "invitation",
                "seat_limit": seat_limit,
                "active_count": active,
                "created_at": created,
                "updated_at": created,
            },
        )
        self.writer.add(
            WorkingGroup.__table__,
            {
                "id": body_id,
                "initiative_id": host.id if host else None,
                "status": "active",
                "closed_at": None,
            },
        )
        self.event(
            "group.create",
            created,
            object_type="group",
            object_id=body_id,
            label=title,
            body_id=body_id,
            actor_id=self.staff_id,
            after={"status": "active", "seat_limit": seat_limit},
        )
        self._write_memberships(plan, memberships)
        states = [row.participant for row in plan.active() if row.participant.is_state]
        self._co_chairs(plan, states[: r.randint(1, 2)], created, self.now)
        self.groups.append(plan)
        self.bodies.append(plan)

    # -- meetings --

    def make_meetings(self) -> None:
        count = max(0, self.targets.meetings - self.existing_meetings)
        if count == 0 or not self.bodies:
            return
        r = self.random
        with self._bar(range(count), "meetings") as bar:
            for n in bar:
                body = None if r.random() < 0.03 else r.choice(self.bodies)
                self._meeting(body, remaining=count - n)

    def _meeting(self, body: BodyPlan | None, *, remaining: int) -> None:
        r = self.random
        meeting_id = self.writer.next_id(Meeting.__table__)
        opened = body.created_at if body else ALLIANCE_LAUNCH
        closes = body.closes_at if body else None
        future = closes is None and r.random() < 0.15
        if future or self.now - opened < 40 * DAY:
            if closes is not None:
                return
            future = True
            starts_day = self.now + r.randint(1, 365) * DAY
        else:
            starts_day = self._between(opened + 30 * DAY, (closes or self.now) - DAY)
        zone, city = r.choice(VENUES)
        tz = ZoneInfo(zone)
        # Wall-clock times in the venue's zone (naive, as the model keeps them).
        local_start = starts_day.replace(
            hour=r.randint(8, 15), minute=r.choice([0, 30]), second=0, microsecond=0, tzinfo=None
        )
        local_end = local_start + timedelta(hours=r.choice([1, 2, 3, 4, 8]))
        starts_at = local_start.replace(tzinfo=tz).astimezone(UTC)
        ends_at = local_end.replace(tzinfo=tz).astimezone(UTC)
        if future:
            created = self._between(max(opened, self.now - 40 * DAY), self.now - DAY)
        else:
            created = self._between(max(opened, starts_at - 60 * DAY), starts_at - DAY)
        if future:
            status = "cancelled" if r.random() < 0.05 else "scheduled"
        else:
            status = "cancelled" if r.random() < 0.1 else "held"
            if ends_at > self.now:
                status = "scheduled"
        cancelled_at = (
            self._between(created, min(starts_at, self.now)) if status == "cancelled" else None
        )
        fmt = r.choice(["in_person", "virtual", "hybrid"])
        kind = r.choice(MEETING_KINDS)
        title = f"{kind}: {body.title}" if body else f"Alliance {kind.lower()}"
        title = title[: limits.TITLE_MAX]
        label = title

        # Invitations, as the services make them: the body's members active when the
        # meeting was scheduled, those who joined before it started (while it was still
        # on), withdrawn when they left before it; Alliance-wide, the endorsers.
        def on_at(when: datetime) -> bool:
            return cancelled_at is None or cancelled_at > when

        invitations: list[tuple[int, str, datetime, datetime | None]] = []
        seen: set[int] = set()
        if body is not None:
            for row in body.rows:
                if row.since is None:
                    continue
                if row.since <= created:
                    invited_at = created
                elif row.since < starts_at and on_at(row.since) and row.since <= self.now:
                    invited_at = row.since
                else:
                    continue
                if row.ended_at is not None and row.ended_at <= invited_at:
                    continue
                withdrawn = None
                if row.ended_at is not None and row.ended_at < starts_at and on_at(row.ended_at):
                    withdrawn = row.ended_at
                invitations.append((row.participant.id, "member", invited_at, withdrawn))
                seen.add(row.participant.id)
        else:
            for pid, endorsed, withdrawn_at in self.endorsements:
                endorsed_then = endorsed <= created and (
                    withdrawn_at is None or withdrawn_at > created
                )
                if endorsed_then and pid not in seen:
                    invitations.append((pid, "member", created, None))
                    seen.add(pid)
        guests = []
        if r.random() < 0.15:
            for who in r.sample(self.participants, 3):
                if who.id not in seen:
                    guests.append(who)
                    seen.add(who.id)
                    invitations.append((who.id, "guest", created, None))

        answers: list[dict] = []
        rate = 0.7 if status == "held" else 0.35 if status == "scheduled" else 0.3
        last_answer = min(starts_at, self.now, cancelled_at or self.now)
        for pid, _source, invited_at, withdrawn in invitations:
            if withdrawn is not None or invited_at >= last_answer or r.random() > rate:
                continue
            answers.append({"pid": pid, "first": self._between(invited_at, last_answer)})

        natural = 1 + (status != "scheduled") + len(guests) + len(answers)
        budget = self.targets.events - self.events
        average = getattr(self, "_natural_average", natural)
        self._natural_average = 0.98 * average + 0.02 * natural
        spare = budget - natural - self._natural_average * (remaining - 1)
        extra = max(0, round(spare / remaining)) if remaining > 1 else max(0, budget - natural)
        changes = 0
        if not answers:
            changes, extra = min(extra, 6), 0
        elif r.random() < 0.2:
            changes = 1
            extra = max(0, extra - 1)

        self.writer.add(
            Meeting.__table__,
            {
                "id": meeting_id,
                "body_id": body.id if body else None,
                "title": title,
                "description": f"{kind} of the members and partners.",
                "starts_at": starts_at,
                "ends_at": ends_at,
                "timezone": zone,
                "local_start": local_start,
                "local_end": local_end,
                "start_fold": 0,
                "end_fold": 0,
                "format": fmt,
                "venue": "" if fmt == "virtual" else f"{city}",
                "online_url": ""
                if fmt == "in_person"
                else f"https://meet.example.org/m{meeting_id}",
                "invitee_note": "",
                "visibility": r.choices(["public", "members"], [7, 3])[0],
                "status": status,
                "sequence": changes + (status != "scheduled"),
                "cancelled_at": cancelled_at,
                "cancel_reason": "Postponed at the request of the co-chairs."
                if cancelled_at
                else "",
                "held_at": ends_at if status == "held" else None,
                "created_at": created,
                "created_by_id": self.staff_id,
                "updated_at": cancelled_at or created,
                "series_id": None,
                "recurrence_id": None,
                "is_exception": False,
            },
        )
        for position, item in enumerate(r.sample(AGENDA, r.randint(2, 5)), 1):
            self.writer.add(
                AgendaItem.__table__,
                {
                    "id": self.writer.next_id(AgendaItem.__table__),
                    "meeting_id": meeting_id,
                    "position": position,
                    "title": item,
                },
            )
        for pid, source, invited_at, withdrawn in invitations:
            self.writer.add(
                Invitation.__table__,
                {
                    "id": self.writer.next_id(Invitation.__table__),
                    "meeting_id": meeting_id,
                    "participant_id": pid,
                    "source": source,
                    "created_at": invited_at,
                    "created_by_id": self.staff_id,
                    "withdrawn_at": withdrawn,
                },
            )
        body_id = body.id if body else None
        common = {
            "object_type": "meeting",
            "object_id": meeting_id,
            "label": label,
            "body_id": body_id,
        }
        self.event(
            "meeting.schedule",
            created,
            actor_id=self.staff_id,
            after={"status": "scheduled", "format": fmt},
            **common,
        )
        for who in guests:
            self.event(
                "meeting.invite_guest",
                created,
                actor_id=self.staff_id,
                after={"participant": who.code},
                **common,
            )
        edit_until = min(starts_at, self.now, cancelled_at or self.now)
        for _ in range(changes):
            when = self._between(created, edit_until)
            self.event(
                "meeting.change",
                when,
                actor_id=self.staff_id,
                before={"venue": ""},
                after={"venue": city},
                **common,
            )
        # Answers: each participant's first answer, and the changes of some (every
        # answer is an event); the row keeps the last.
        shares = [0] * len(answers)
        for _ in range(extra):
            shares[r.randrange(len(answers))] += 1
        for answer, more in zip(answers, shares, strict=True):
            pid = answer["pid"]
            signer = self.signers.get(pid, self.staff_id)
            when = answer["first"]
            before = None
            summary: dict = {}
            for _ in range(1 + more):
                response = r.choices(["attending", "tentative", "declined"], [65, 15, 20])[0]
                head = level = None
                delegates: list[str] = []
                if response == "attending":
                    head = f"{r.choice(FIRST_NAMES)} {r.choice(LAST_NAMES)}"
                    level = r.choice(LEVELS)
                    delegates = [
                        f"{r.choice(FIRST_NAMES)} {r.choice(LAST_NAMES)}"
                        for _ in range(r.randint(0, 3))
                    ]
                summary = {
                    "response": response,
                    "level": level,
                    "head": head or "",
                    "delegates": "; ".join(delegates),
                }
                self.event(
                    "meeting.rsvp",
                    when,
                    actor_id=signer,
                    participant_id=pid,
                    before=before,
                    after=summary,
                    **common,
                )
                before = summary
                answer.update(
                    response=response,
                    head=head or "",
                    level=level,
                    delegates=delegates,
                    answered_at=when,
                )
                when = self._between(when, last_answer)
            self.writer.add(
                Rsvp.__table__,
                {
                    "id": self.writer.next_id(Rsvp.__table__),
                    "meeting_id": meeting_id,
                    "participant_id": pid,
                    "response": answer["response"],
                    "head": answer["head"],
                    "level": answer["level"],
                    "delegates": answer["delegates"],
                    "answered_at": answer["answered_at"],
                    "answered_by_id": signer,
                },
            )
        if status == "held":
            self.event(
                "meeting.held",
                ends_at,
                actor_id=self.staff_id,
                before={"status": "scheduled"},
                after={"status": "held"},
                **common,
            )
        elif status == "cancelled":
            self.event(
                "meeting.cancel",
                cancelled_at,
                actor_id=self.staff_id,
                before={"status": "scheduled"},
                after={"status": "cancelled"},
                **common,
            )


def load_scale(scale: float, *, seed: int = SEED, progress: bool = True) -> dict[str, int]:
    """Add the generated rows on top of the states and the real demo (never commits);
    returns the rows written per table."""
    return Generator(scale, seed=seed, progress=progress).run()


__all__ = ["Targets", "load_scale"]
