"""Texts in English and French (coalition.bilingual): which one a viewer reads, the note
and `lang` of a fallback, the co-chairs' list of missing translations, the forms, the API,
open data and the migration."""

from __future__ import annotations

import csv
import io
import re
from types import SimpleNamespace

import pytest
import sqlalchemy as sa
from flask import has_app_context
from flask_babel import force_locale, refresh

from coalition.bilingual import missing, missing_notes, shown, texts
from coalition.db import utcnow
from coalition.extensions import db
from coalition.initiatives import services
from coalition.initiatives.models import Initiative
from tests.groups import support as group_support
from tests.initiatives import rules_support
from tests.meetings import conftest as meeting_support
from tests.meetings.conftest import schedule
from tests.test_pages_quality import parse_strict

world = rules_support.world  # fixture
api_headers = rules_support.api_headers  # fixture
gw = group_support.gw  # fixture
mw = meeting_support.mw  # fixture

API = "/api/v1"
PARIS_FR = "Appel de Paris pour la confiance et la sécurité dans le cyberespace"
FR = {"Accept-Language": "fr"}
EN = {"Accept-Language": "en"}


def page(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


@pytest.fixture(autouse=True)
def _locale_per_request(monkeypatch: pytest.MonkeyPatch) -> None:
    """The world fixtures hold an app context that each test request reuses: Flask-Babel
    would keep the first request's locale for all; forget it before each request."""
    from flask.testing import FlaskClient

    open_ = FlaskClient.open

    def open_fresh(self, *args, **kwargs):
        if has_app_context():
            refresh()
        return open_(self, *args, **kwargs)

    monkeypatch.setattr(FlaskClient, "open", open_fresh)


def h1(html: str) -> str:
    return re.search(r"<h1>(.*?)</h1>", html, re.S).group(1)


# -- the rule --------------------------------------------------------------------------------


def _thing(language="en", title="Paris Call", title_translation="", summary="", summary_tr=""):
    return SimpleNamespace(
        language=language,
        title=title,
        title_translation=title_translation,
        summary=summary,
        summary_translation=summary_tr,
        description="",
        description_translation="",
    )


def test_a_viewer_reads_its_language_else_english_else_the_original(app_ctx):
    both = _thing(title_translation=PARIS_FR)
    assert shown(both, "title", "fr") == shown(both, "title", "fr")
    assert (shown(both, "title", "fr").text, shown(both, "title", "fr").fallback) == (
        PARIS_FR,
        False,
    )
    assert (shown(both, "title", "en").text, shown(both, "title", "en").fallback) == (
        "Paris Call",
        False,
    )
    english_only = _thing()
    fallback = shown(english_only, "title", "fr")
    assert (fallback.text, fallback.lang, fallback.fallback) == ("Paris Call", "en", True)
    assert str(fallback.__html__()) == '<span lang="en">Paris Call</span>'
    french_only = _thing(language="fr", title="Appel de Paris")
    assert (shown(french_only, "title", "en").lang, shown(french_only, "title", "en").fallback) == (
        "fr",
        True,
    )
    # A language the content is not written in (Spanish, later): English first.
    assert (
        shown(_thing(language="fr", title="Appel", title_translation="Call"), "title", "es").lang
        == "en"
    )
    assert shown(french_only, "title", "es").text == "Appel de Paris"
    # Markup in a text is escaped, in the span too.
    assert "&lt;b&gt;" in str(shown(_thing(title="<b>x</b>"), "title", "fr").__html__())
    assert texts(english_only, "title") == {"en": "Paris Call", "fr": None}
    assert texts(french_only, "title") == {"fr": "Appel de Paris", "en": None}


def test_missing_translations_name_what_has_an_original_only(app_ctx):
    thing = _thing(summary="A summary.", title_translation=PARIS_FR)
    assert missing(thing) == {"fr": ["summary"]}
    with force_locale("en"):
        assert missing_notes(thing) == ["No French text yet for: summary."]
    assert missing(_thing(title_translation="x", summary="s", summary_tr="t")) == {}
    with force_locale("en"):
        note = shown(_thing(), "title", "fr").note
    assert note == "Available in English only"


# -- pages ----------------------------------------------------------------------------------


def _bilingual(world, **values):
    initiative = world.initiative(title="Paris Call")
    services.edit_initiative(initiative, actor=world.staff, **values)
    db.session.commit()
    return initiative


def test_the_french_page_shows_the_french_title_and_the_english_one_the_english(world, client):
    initiative = _bilingual(
        world, title_translation=PARIS_FR, summary_translation="Neuf principes."
    )
    french = page(client.get(f"/initiatives/{initiative.slug}", headers=FR))
    assert h1(french) == PARIS_FR
    assert "Neuf principes." in french
    assert "Available in" not in french
    assert "translation-note" not in french
    english = page(client.get(f"/initiatives/{initiative.slug}", headers=EN))
    assert h1(english) == "Paris Call"
    for url in ("/initiatives", "/"):
        assert PARIS_FR in page(client.get(url, headers=FR))
        assert PARIS_FR not in page(client.get(url, headers=EN))
    parse_strict(french)


def test_a_fallback_is_marked_with_its_language_and_a_note(world, client):
    initiative = _bilingual(
        world,
        language="fr",
        title="Appel de Paris",
        summary="Neuf principes.",
        description="Un *texte*.",
    )
    english = page(client.get(f"/initiatives/{initiative.slug}", headers=EN))
    assert h1(english) == '<span lang="fr">Appel de Paris</span>'
    assert "Available in French only" in english
    assert '<div lang="fr"><p>Un <em>texte</em>.</p>' in english
    assert '<span lang="fr">Neuf principes.</span>' in english
    parse_strict(english)
    # In French, an English-only initiative: the English text marked lang="en".
    other = world.initiative(title="Cyber norms only")
    db.session.commit()
    french = page(client.get(f"/initiatives/{other.slug}", headers=FR))
    assert h1(french) == '<span lang="en">Cyber norms only</span>'
    assert "translation-note" in french
    directory = page(client.get("/initiatives", headers=FR))
    assert '<span lang="en">Cyber norms only</span>' in directory


def test_co_chairs_see_which_translations_are_missing_and_the_public_does_not(
    world, client, login_as
):
    initiative = _bilingual(world, title_translation=PARIS_FR)
    anonymous = page(client.get(f"/initiatives/{initiative.slug}", headers=EN))
    assert "No French text yet" not in anonymous
    login_as(world.co_chair)
    chair = page(client.get(f"/initiatives/{initiative.slug}", headers=EN))
    assert "No French text yet for: summary." in chair


# -- forms ----------------------------------------------------------------------------------


def _edit_data(**values):
    data = {
        "language": "en",
        "title": "Paris Call",
        "summary": "Nine principles.",
        "description": "",
        "title_translation": "",
        "summary_translation": "",
        "description_translation": "",
        "results": "",
        "join_policy": "open",
        "seat_limit": "",
        "launched_on": "",
    }
    data.update(values)
    return data


def test_the_edit_form_takes_the_other_language_with_the_same_rules(world, client, login_as):
    initiative = world.initiative(title="Paris Call")
    db.session.commit()
    slug = initiative.slug
    login_as(world.co_chair)
    form = page(client.get(f"/initiatives/{slug}/edit"))
    for name in ("language", "title_translation", "summary_translation", "description_translation"):
        assert f'name="{name}"' in form
    parse_strict(form)
    response = client.post(
        f"/initiatives/{slug}/edit",
        data=_edit_data(
            title_translation=f"  {PARIS_FR}\n",
            summary_translation="Neuf principes.",
            description_translation="<script>x</script> *Neuf*",
        ),
    )
    assert response.status_code == 303
    db.session.expire_all()
    saved = db.session.scalar(sa.select(Initiative).where(Initiative.slug == slug))
    assert (saved.language, saved.title_translation) == ("en", PARIS_FR)
    french = page(client.get(f"/initiatives/{slug}", headers=FR))
    assert "<script>" not in french
    assert "<em>Neuf</em>" in french
    # The form shows what is saved.
    assert PARIS_FR in page(client.get(f"/initiatives/{slug}/edit"))

    too_long = client.post(
        f"/initiatives/{slug}/edit", data=_edit_data(title_translation="x" * 201)
    )
    assert too_long.status_code == 422
    unknown = client.post(f"/initiatives/{slug}/edit", data=_edit_data(language="de"))
    assert unknown.status_code == 422
    # Written in French, the English left empty: allowed.
    french_only = client.post(
        f"/initiatives/{slug}/edit",
        data=_edit_data(language="fr", title="Appel de Paris", summary="Neuf principes."),
    )
    assert french_only.status_code == 303
    db.session.expire_all()
    assert texts(db.session.get(Initiative, saved.id), "title") == {
        "fr": "Appel de Paris",
        "en": None,
    }


def test_the_group_form_and_page_take_the_other_language(gw, client, login_as):
    login_as(gw.staff)
    slug = gw.group.slug
    form = page(client.get(f"/groups/{slug}/edit"))
    assert 'name="mandate_translation"' in form
    parse_strict(form)
    response = client.post(
        f"/groups/{slug}/edit",
        data={
            "language": "en",
            "title": "Infodemic working group",
            "summary": "",
            "mandate": "Recommendations on the *infodemic*.",
            "title_translation": "Groupe de travail sur l'infodémie",
            "summary_translation": "",
            "mandate_translation": "Des recommandations sur l'*infodémie*.",
            "seat_limit": "5",
        },
    )
    assert response.status_code == 303
    french = page(client.get(f"/groups/{slug}", headers=FR))
    assert h1(french) == "Groupe de travail sur l&#39;infodémie"
    assert "<em>infodémie</em>" in french
    body = client.get(f"{API}/groups/{slug}", headers=FR).get_json()
    assert body["title"] == "Groupe de travail sur l'infodémie"
    assert body["mandates"] == {
        "en": "Recommendations on the *infodemic*.",
        "fr": "Des recommandations sur l'*infodémie*.",
    }
    assert body["mandate"] == "Des recommandations sur l'*infodémie*."


def test_a_meeting_written_in_french_reads_as_a_fallback_in_english(mw, client):
    meeting = schedule(mw, title="Séance de travail", language="fr", description="Ordre *du jour*.")
    english = page(client.get(f"/meetings/{meeting.id}", headers=EN))
    assert h1(english) == '<span lang="fr">Séance de travail</span>'
    assert "Available in French only" in english
    assert '<div lang="fr">' in english
    body = client.get(f"{API}/meetings/{meeting.id}", headers=EN).get_json()
    assert (body["title"], body["language"]) == ("Séance de travail", "fr")
    assert body["titles"] == {"fr": "Séance de travail", "en": None}


def test_the_meeting_api_takes_a_translation(mw, client, api_headers):
    meeting = schedule(mw)
    response = client.patch(
        f"{API}/meetings/{meeting.id}",
        json={"title_translation": "Séance de travail sur les normes"},
        headers=api_headers(mw.co_chair),
    )
    assert response.status_code == 200, response.get_json()
    french = client.get(f"{API}/meetings/{meeting.id}", headers=FR).get_json()
    assert french["title"] == "Séance de travail sur les normes"
    assert french["titles"]["en"] == "Working session on cyber norms"


# -- the API and open data ------------------------------------------------------------------


def test_the_api_gives_both_languages_and_the_title_in_the_requests(world, client, api_headers):
    initiative = world.initiative(title="Paris Call")
    db.session.commit()
    response = client.patch(
        f"{API}/initiatives/{initiative.slug}",
        json={"title_translation": PARIS_FR, "summary_translation": "Neuf principes."},
        headers=api_headers(world.co_chair),
    )
    assert response.status_code == 200, response.get_json()
    english = client.get(f"{API}/initiatives/{initiative.slug}").get_json()
    assert english["title"] == "Paris Call"
    assert english["titles"] == {"en": "Paris Call", "fr": PARIS_FR}
    assert english["descriptions"] == {"en": None, "fr": None}
    assert english["language"] == "en"
    french = client.get(f"{API}/initiatives/{initiative.slug}", headers=FR).get_json()
    assert (french["title"], french["summary"]) == (PARIS_FR, "Neuf principes.")
    listed = client.get(f"{API}/initiatives", headers=FR).get_json()["items"][0]
    assert (listed["title"], listed["titles"]["fr"]) == (PARIS_FR, PARIS_FR)
    bad = client.patch(
        f"{API}/initiatives/{initiative.slug}",
        json={"language": "de"},
        headers=api_headers(world.co_chair),
    )
    assert bad.status_code == 422
    created = client.post(
        f"{API}/initiatives",
        json={
            "title": "Appel pour l'espace",
            "summary": "L'espace extra-atmosphérique.",
            "axis": "governance_gaps",
            "join_policy": "open",
            "language": "fr",
        },
        headers=api_headers(world.co_chair),
    )
    assert created.status_code == 201, created.get_json()
    assert created.get_json()["titles"] == {"fr": "Appel pour l'espace", "en": None}


def test_open_data_gives_both_languages(world, client):
    _bilingual(world, title_translation=PARIS_FR)
    rows = list(csv.DictReader(io.StringIO(page(client.get("/data/initiatives.csv")))))
    row = rows[0]
    assert (row["title"], row["language"], row["title_en"], row["title_fr"]) == (
        "Paris Call",
        "en",
        "Paris Call",
        PARIS_FR,
    )
    assert row["summary_fr"] == ""
    item = client.get("/data/initiatives.json").get_json()["items"][0]
    assert (item["title_fr"], item["summary_fr"]) == (PARIS_FR, None)


def test_the_demo_names_the_paris_call_in_french(app_ctx):
    from coalition.demo import load_demo

    load_demo()
    paris = db.session.scalar(
        sa.select(Initiative).where(
            Initiative.slug == "paris-call-for-trust-and-security-in-cyberspace"
        )
    )
    assert texts(paris, "title") == {
        "en": "Paris Call for Trust and Security in Cyberspace",
        "fr": PARIS_FR,
    }


# -- the migration --------------------------------------------------------------------------


@pytest.mark.committed
def test_the_migration_adds_and_drops_the_columns_in_place(tmp_path):
    """On a database with initiatives and meetings (whose deletes the triggers refuse):
    the downgrade drops the new columns, the upgrade adds them back, rows kept as English."""
    from flask_migrate import downgrade, upgrade

    from tests.conftest import fresh_database_app

    def columns(table: str) -> set[str]:
        query = sa.text(f"SELECT * FROM {table}")  # noqa: S608  (a fixed table name)
        found = set(db.session.execute(query).keys())
        db.session.remove()
        return found

    new = {"language", "title_translation", "description_translation"}
    with fresh_database_app(tmp_path) as app, app.app_context():
        db.session.execute(
            sa.text(
                "INSERT INTO bodies (kind, slug, title, summary, description, join_policy, "
                "active_count, created_at, updated_at) VALUES ('initiative', 'paris-call', "
                "'Paris Call', '', '', 'open', 0, :now, :now)"
            ),
            {"now": utcnow()},
        )
        db.session.commit()
        db.session.remove()
        assert new | {"summary_translation"} <= columns("bodies")
        assert new <= columns("meetings")

        downgrade(revision="113fc7ac0f72")
        assert not (new | {"summary_translation"}) & columns("bodies")
        assert not new & columns("meetings")

        upgrade()
        row = db.session.execute(
            sa.text("SELECT title, language, title_translation FROM bodies")
        ).one()
        assert tuple(row) == ("Paris Call", "en", "")
        db.session.remove()
