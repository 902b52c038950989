"""The groups' pages: a group, the directory, an initiative's groups, creating and editing,
the Secretariat's home, rosters and terms, CSV exports and a participant's history."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
import sqlalchemy as sa

from coalition.bodies import memberships
from coalition.bodies.queries import open_membership
from coalition.bodies.terms import today
from coalition.extensions import db
from coalition.groups import services


def _text(response) -> str:
    return response.get_data(as_text=True).replace("&#39;", "'")


def test_a_groups_page_shows_seats_terms_and_co_chairs(gw, client):
    gw.add("FRA", term_ends_on=today() + timedelta(days=30))
    gw.add("icnl", term_ends_on=today() + timedelta(days=300))
    db.session.commit()
    page = _text(client.get(f"/groups/{gw.group.slug}"))
    assert "3 of 5 taken" in page
    assert "Information and democracy" in page
    assert "ends within 90 days" in page
    assert page.count("ends within 90 days") == 1
    assert "Recommendations on the <em>infodemic</em>" in page
    assert "no co-chair at present" not in page


def test_a_group_without_co_chair_says_so(gw, client):
    memberships.remove(gw.member_of(gw.group, "ITA"), actor=gw.staff, reason="Rotation")
    db.session.commit()
    page = _text(client.get(f"/groups/{gw.group.slug}"))
    assert "This working group has no co-chair at present." in page


def test_the_initiatives_page_lists_its_groups(gw, client):
    page = _text(client.get(f"/initiatives/{gw.initiative.slug}"))
    assert f'href="/groups/{gw.group.slug}"' in page
    assert "Joining the initiative puts a participant in none of its groups" in page


def test_the_directory_filters_by_initiative_and_alliance(gw, client):
    everything = _text(client.get("/groups"))
    assert gw.group.title in everything
    assert gw.alliance.title in everything
    of_initiative = _text(client.get(f"/groups?initiative={gw.initiative.slug}"))
    assert gw.group.title in of_initiative
    assert gw.alliance.title not in of_initiative
    alliance = _text(client.get("/groups?initiative=-"))
    assert gw.alliance.title in alliance
    assert gw.group.title not in alliance


def test_staff_create_a_group_from_the_form(gw, login_as):
    client = login_as(gw.staff)
    assert client.get(f"/groups/new?initiative={gw.initiative.slug}").status_code == 200
    response = client.post(
        "/groups/new",
        data={
            "title": "Drafting group",
            "initiative": gw.initiative.slug,
            "seat_limit": "8",
            "mandate": "Draft the report.",
        },
    )
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/groups/drafting-group")
    page = _text(client.get("/groups/drafting-group"))
    assert "The working group Drafting group is created." in page


def test_a_slug_already_used_is_the_slug_fields_error(gw, login_as):
    response = login_as(gw.staff).post(
        "/groups/new", data={"title": "Again", "slug": gw.initiative.slug, "initiative": ""}
    )
    page = _text(response)
    assert response.status_code == 422
    assert 'id="slug-error"' in page
    assert "This address is already taken" in page


def test_lowering_the_seat_limit_below_the_members_is_the_fields_error(gw, login_as):
    gw.add("FRA")
    db.session.commit()
    response = login_as(gw.group_chair).post(
        f"/groups/{gw.group.slug}/edit",
        data={"title": gw.group.title, "seat_limit": "1", "mandate": "", "summary": ""},
    )
    assert response.status_code == 422
    assert "2 participants are active members now" in _text(response)


def test_adding_a_member_from_the_page_says_so(gw, login_as):
    client = login_as(gw.group_chair)
    response = client.post(
        f"/groups/{gw.group.slug}/members",
        data={
            "add-participant": "FRA",
            "add-term_ends_on": (today() + timedelta(days=9)).isoformat(),
        },
    )
    assert response.status_code == 303
    page = _text(client.get(response.headers["Location"]))
    assert "France is now a member of Infodemic working group." in page
    assert gw.member_of(gw.group, "FRA").term_ends_on == today() + timedelta(days=9)


def test_the_add_form_offers_only_the_initiatives_active_members(gw, login_as):
    page = _text(login_as(gw.staff).get(f"/groups/{gw.group.slug}"))
    assert '<option value="FRA">' in page
    assert '<option value="DEU">' not in page
    assert '<option value="ITA">' not in page  # already a member


# -- the Secretariat ---------------------------------------------------------------------------


def test_the_staff_home_lists_what_waits_each_with_a_link(gw, login_as):
    gw.w.initiative(title="Proposed idea", activate=False)
    memberships.remove(gw.member_of(gw.group, "ITA"), actor=gw.staff, reason="Rotation")
    services.edit_group(gw.alliance, actor=gw.staff, seat_limit=1)
    gw.add("USA", gw.alliance, term_ends_on=today() + timedelta(days=20))
    db.session.commit()

    page = _text(login_as(gw.staff).get("/staff/"))

    assert 'href="/staff/representations"' in page
    assert 'href="/initiatives/proposed-idea"' in page
    assert f'href="/groups/{gw.group.slug}#co-chairs"' in page
    assert "1 of 1 seats" in page
    assert 'href="/staff/terms"' in page
    assert "1 term ends within 90 days" in page
    assert "No failing mail to report." in page
    assert "membership.add" in page
    assert 'href="/staff/rosters"' in page


def test_the_staff_home_counts_the_mail_that_keeps_failing(gw, login_as):
    from coalition.outbox.models import OutgoingMail

    failing = db.session.scalars(sa.select(OutgoingMail).limit(2)).all()
    failing[0].attempts, failing[0].last_error = 2, "421 Try again later"
    db.session.commit()
    page = _text(login_as(gw.staff).get("/staff/"))
    assert 'href="/staff/mail"' in page
    assert "0 messages given up on" in page
    assert "1 still retried" in page


def test_rosters_filter_by_initiative_participant_and_kind(gw, login_as):
    client = login_as(gw.staff)
    gw.add("USA", gw.alliance, term_ends_on=today() + timedelta(days=20))
    db.session.commit()
    everything = _text(client.get("/staff/rosters"))
    for title in (gw.initiative.title, gw.group.title, gw.alliance.title):
        assert title in everything
    usa = _text(client.get("/staff/rosters?participant=usa"))
    assert gw.alliance.title in usa
    assert gw.group.title not in usa
    assert "soon" in usa
    groups_only = _text(client.get("/staff/rosters?kind=working_group"))
    assert f'<a href="/initiatives/{gw.initiative.slug}">' not in groups_only
    of_initiative = _text(client.get(f"/staff/rosters?initiative={gw.initiative.slug}"))
    assert gw.group.title in of_initiative
    assert gw.alliance.title not in of_initiative
    unknown = client.get("/staff/rosters?participant=XYZ")
    assert "No participant has the code XYZ." in _text(unknown)


def test_rosters_export_as_csv_with_the_same_filters(gw, login_as):
    response = login_as(gw.staff).get(f"/staff/rosters.csv?initiative={gw.initiative.slug}")
    assert response.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    pairs = {(r["body"], r["code"], r["co_chair"]) for r in rows}
    assert (gw.group.slug, "ITA", "yes") in pairs
    assert (gw.initiative.slug, "GHA", "yes") in pairs
    assert (gw.initiative.slug, "FRA", "no") in pairs
    assert {r["initiative"] for r in rows if r["body"] == gw.group.slug} == {gw.initiative.slug}


def test_the_terms_page_renews_and_ends_and_comes_back(gw, login_as):
    membership = gw.add("FRA", term_ends_on=today() + timedelta(days=20))
    gw.add("icnl", term_ends_on=today() + timedelta(days=200))
    db.session.commit()
    client = login_as(gw.staff)
    page = _text(client.get("/staff/terms"))
    assert "France" in page
    assert "International Center for Not-for-Profit Law" not in page  # beyond 90 days

    later = (today() + timedelta(days=400)).isoformat()
    response = client.post(
        f"/groups/{gw.group.slug}/memberships/{membership.id}/term",
        data={"term-term_ends_on": later, "next": "/staff/terms"},
    )
    assert response.headers["Location"].endswith("/staff/terms")
    assert gw.member_of(gw.group, "FRA").term_ends_on.isoformat() == later
    response = client.post(
        f"/groups/{gw.group.slug}/memberships/{membership.id}/end-term",
        data={"next": "/staff/terms"},
    )
    assert response.status_code == 303
    assert gw.member_of(gw.group, "FRA") is None


def test_a_term_in_the_past_is_refused_with_a_message(gw, login_as):
    membership = gw.add("FRA", term_ends_on=today() + timedelta(days=20))
    db.session.commit()
    client = login_as(gw.staff)
    response = client.post(
        f"/groups/{gw.group.slug}/memberships/{membership.id}/term",
        data={"term-term_ends_on": (today() - timedelta(days=1)).isoformat()},
        headers={"Referer": f"/groups/{gw.group.slug}"},
    )
    assert response.status_code == 303
    assert "A term ends after today." in _text(client.get(f"/groups/{gw.group.slug}"))


# -- public records ---------------------------------------------------------------------------


def test_a_participants_page_shows_its_whole_history_across_bodies(gw, client, login_as):
    gw.add("FRA")
    memberships.withdraw(open_membership(gw.initiative, gw.fra), actor=gw.member)
    db.session.commit()
    page = _text(client.get("/participants/FRA"))
    assert gw.initiative.title in page
    assert gw.group.title in page
    # A withdrawal's reason is the participant's to read (permissions.can_read_membership_reason).
    assert "withdrew from the initiative Information and democracy" not in page
    login_as(gw.member)
    page = _text(client.get("/participants/FRA"))
    assert "withdrew from the initiative Information and democracy" in page
    ita = _text(client.get("/participants/ITA"))
    assert "co-chair" in ita


def test_the_groups_history_says_why_a_member_left(gw, client):
    gw.add("FRA")
    memberships.remove(open_membership(gw.initiative, gw.fra), actor=gw.staff, reason="Dues")
    db.session.commit()
    page = _text(client.get(f"/groups/{gw.group.slug}/history"))
    assert "France left the group as it left the initiative." in page
    assert "Dues" in page


def test_the_members_csv_is_public_and_carries_terms(gw, client):
    gw.add("FRA", term_ends_on=today() + timedelta(days=30))
    db.session.commit()
    response = client.get(f"/groups/{gw.group.slug}/members.csv")
    rows = {r["code"]: r for r in csv.DictReader(io.StringIO(response.get_data(as_text=True)))}
    assert set(rows) == {"FRA", "ITA"}
    assert rows["FRA"]["term_ends_on"] == (today() + timedelta(days=30)).isoformat()
    assert rows["ITA"]["co_chair"] == "yes"


@pytest.mark.parametrize("path", ["/groups", "/groups/nope", "/groups/nope/history"])
def test_unknown_groups_are_404_pages(client, path):
    if path == "/groups":
        assert client.get(path).status_code == 200
    else:
        assert client.get(path).status_code == 404


def test_an_initiative_is_not_a_group(gw, client):
    assert client.get(f"/groups/{gw.initiative.slug}").status_code == 404
    assert client.get(f"/initiatives/{gw.group.slug}").status_code == 404


def test_a_groups_page_lists_its_meetings_and_its_co_chair_may_schedule(gw, login_as):
    """Meetings belong to any kind of body: the group's co-chair schedules one for the
    group, its members are invited, and the group's page lists it."""
    from coalition.meetings import services as meetings

    meeting = meetings.schedule(
        gw.group,
        actor=gw.group_chair,
        title="Infodemic drafting session",
        start="2027-03-10T15:00",
        end="2027-03-10T16:30",
        timezone="Europe/Rome",
        format="virtual",
        visibility="public",
        online_url="https://meet.example.org/infodemic",
    )
    db.session.commit()
    page = _text(login_as(gw.group_chair).get(f"/groups/{gw.group.slug}"))
    assert "Infodemic drafting session" in page
    assert f"/meetings/{meeting.id}" in page
    assert f"/meetings/new?body={gw.group.slug}" in page or "Schedule a meeting" in page
