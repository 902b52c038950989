"""States are named as the UN names them (UNTERM short names), the same everywhere:
pages in English and French, select boxes, the API, open data and notifications."""

from __future__ import annotations

import csv
import io

import pytest
import sqlalchemy as sa
from flask_babel import force_locale

from coalition.extensions import db
from coalition.participants import countries
from coalition.participants.regions import REGION_NAMES
from tests.conftest import endorse, state
from tests.initiatives.conftest import make_initiative  # noqa: F401  (fixture)
from tests.initiatives.rules_support import api_headers  # noqa: F401  (fixture)
from tests.test_pages_quality import parse_strict

#: The names the audit found on pages, in the API and in open data: CLDR display names
#: (English, French) and ISO 3166 names. None of them may appear anywhere.
NOT_THE_UNS = [
    "Palestinian Territories",
    "Vatican City",
    "Congo - Kinshasa",
    "Myanmar (Burma)",
    "Palestine, State of",
    "Holy See (Vatican City State)",
    "Territoires palestiniens",
    "État de la Cité du Vatican",
    "Congo-Kinshasa",
    "Myanmar (Birmanie)",
    "Korea, Republic of",
    "South Korea",
    "Turkey",
]
THE_UNS = {
    "en": [
        "State of Palestine",
        "Holy See",
        "Democratic Republic of the Congo",
        "Republic of Korea",
        "Iran (Islamic Republic of)",
        "Türkiye",
        "Myanmar",
    ],
    "fr": [
        "État de Palestine",
        "Saint-Siège",
        "République démocratique du Congo",
        "République de Corée",
        "Iran (République islamique d&#39;)",
        "Türkiye",
    ],
}
EXAMPLES = ("PSE", "VAT", "COD", "MMR", "KOR", "TUR", "IRN")


def test_the_data_file_holds_the_193_members_and_2_observers_in_six_languages():
    records = countries.states()

    assert len(records) == 195
    assert sum(r.un_status == "member" for r in records) == 193
    assert {r.alpha3 for r in records if r.un_status == "observer"} == {"VAT", "PSE"}
    assert all(len(r.names) == 6 and all(r.names.values()) for r in records)
    assert all(r.region_code and r.subregion_code for r in records)
    assert countries.by_code()["PSE"].names["fr"] == "État de Palestine"
    assert countries.by_code()["VAT"].names["fr"] == "Saint-Siège"


def test_every_region_of_the_data_is_labelled_under_its_m49_english_name():
    labelled = {code: label._args[0] for code, label in REGION_NAMES.items()}

    assert labelled == countries.region_names_en()


def test_french_names_regions_as_the_un_does(app_ctx):
    from coalition.participants.regions import region_name

    with force_locale("fr"):
        assert region_name("202") == "Afrique subsaharienne"
        assert region_name("419") == "Amérique latine et Caraïbes"


def test_seed_gives_existing_states_the_uns_names_and_is_idempotent(app_ctx):
    from coalition.participants.services import seed_states

    korea = state("KOR")
    korea.name, korea.names, korea.region_code = "Korea, Republic of", None, None
    db.session.flush()

    assert seed_states() == (0, 1)
    assert (korea.name, korea.names["fr"], korea.region_code) == (
        "Republic of Korea",
        "République de Corée",
        "142",
    )
    assert seed_states() == (0, 0)


def test_organizations_keep_their_own_name(app_ctx, make_organization):
    from coalition.labels import participant_name

    org = db.session.merge(make_organization(code="oif", name="Organisation internationale"))

    assert participant_name(org, "en") == participant_name(org, "fr") == org.name


def test_a_state_is_named_in_the_readers_language_else_in_english(app_ctx):
    from coalition.labels import participant_name

    palestine = state("PSE")
    assert participant_name(palestine, "en") == "State of Palestine"
    assert participant_name(palestine, "fr") == "État de Palestine"
    assert participant_name(palestine, "ar") == "دولة فلسطين"
    assert participant_name(palestine, "de") == "State of Palestine"
    with force_locale("fr"):
        assert participant_name(palestine) == "État de Palestine"


def _page_texts(client, language: str) -> list[str]:
    headers = {"Accept-Language": language}
    paths = [
        "/participants?kind=state&per_page=200",
        "/matrix?per_page=200",
        "/alliance",
        *(f"/participants/{code}" for code in EXAMPLES),
    ]
    texts = []
    for path in paths:
        response = client.get(path, headers=headers)
        assert response.status_code == 200, path
        texts.append(response.get_data(as_text=True))
    return texts


@pytest.mark.parametrize("language", ["en", "fr"])
def test_no_page_uses_a_cldr_or_iso_name(client, app, make_user, login_as, language):
    with app.app_context():
        for code in EXAMPLES:
            endorse(code)
        db.session.commit()
    texts = _page_texts(client, language)
    login_as(make_user())
    claim = client.get("/participants/claim", headers={"Accept-Language": language})
    texts.append(claim.get_data(as_text=True))

    everything = "\n".join(texts)
    found = [name for name in NOT_THE_UNS if name in everything]
    assert not found
    directory = texts[0]
    assert all(name in directory for name in THE_UNS[language])
    assert all(name in texts[-1] for name in THE_UNS[language])  # the select box
    parse_strict(texts[-2])  # a state's page with its six names stays valid HTML


@pytest.mark.parametrize("language", ["en", "fr", "es", "zh", "ru", "ar"])
def test_neither_the_api_nor_open_data_uses_a_cldr_or_iso_name(client, language):
    api = client.get(
        "/api/v1/participants?per_page=200", headers={"Accept-Language": language}
    ).get_data(as_text=True)
    csv_file = client.get("/data/participants.csv").get_data(as_text=True)
    json_file = client.get("/data/participants.json").get_data(as_text=True)

    everything = api + csv_file + json_file
    assert not [name for name in NOT_THE_UNS if name in everything]


def test_open_data_gives_the_six_names_and_the_m49_regions(client):
    rows = {
        r["code"]: r
        for r in csv.DictReader(
            io.StringIO(client.get("/data/participants.csv").get_data(as_text=True))
        )
    }

    palestine = rows["PSE"]
    assert palestine["name"] == "State of Palestine"
    assert (palestine["name_fr"], palestine["name_es"]) == (
        "État de Palestine",
        "Estado de Palestina",
    )
    assert palestine["name_zh"] == "巴勒斯坦国"
    assert palestine["formal_name_en"] == "the State of Palestine"
    assert (palestine["region_code"], palestine["region"]) == ("142", "Asia")
    assert (palestine["subregion_code"], palestine["subregion"]) == ("145", "Western Asia")
    assert (rows["GHA"]["intermediate_region_code"], rows["GHA"]["intermediate_region"]) == (
        "011",
        "Western Africa",
    )
    item = next(
        i for i in client.get("/data/participants.json").get_json()["items"] if i["code"] == "VAT"
    )
    assert (item["name"], item["name_fr"], item["region_code"]) == (
        "Holy See",
        "Saint-Siège",
        "150",
    )


def test_a_state_page_gives_its_names_in_the_six_languages_and_its_region(client):
    body = client.get("/participants/PSE", headers={"Accept-Language": "fr"}).get_data(as_text=True)

    assert "<h1>État de Palestine</h1>" in body
    assert '<dd lang="ar" dir="rtl">دولة فلسطين</dd>' in body
    assert '<dd lang="zh">巴勒斯坦国</dd>' in body
    assert '<a href="/participants?region=145">Asie occidentale</a>' in body
    document = parse_strict(body)
    assert document.find(".//section[@aria-labelledby='names-heading']") is not None


def test_notifications_name_the_state_as_the_un_does_in_the_readers_language(app_ctx):
    from coalition.notifications.messages import render

    data = {"participant": "Palestine", "participant_code": "PSE", "body": "Cyber norms"}
    with force_locale("fr"):
        subject, _body = render("membership.requested", data)
    english, _body = render("membership.requested", data)

    assert subject.startswith("État de Palestine")
    assert english.startswith("State of Palestine")


@pytest.mark.committed
def test_the_migration_names_existing_states_and_its_downgrade_restores_iso_names(tmp_path):
    """On a database with states and history rows referring to them (which the
    append-only triggers forbid deleting): the columns are added and dropped in place."""
    from flask_migrate import downgrade, upgrade

    from tests.conftest import fresh_database_app

    def korea() -> tuple[str, list[str]]:
        result = db.session.execute(sa.text("SELECT * FROM participants WHERE code = 'KOR'"))
        name, columns = result.one().name, list(result.keys())
        db.session.remove()  # the migrations run on connections of their own
        return name, columns

    with fresh_database_app(tmp_path) as app, app.app_context():
        endorse("KOR")
        db.session.commit()

        db.session.remove()
        downgrade(revision="ffddd4569144")
        name, columns = korea()
        assert name == "South Korea"
        assert "names" not in columns

        upgrade()
        assert korea()[0] == "Republic of Korea"
        korea_state = state("KOR")
        assert korea_state.names["fr"] == "République de Corée"
        assert (korea_state.region_code, korea_state.subregion_code) == ("142", "030")
        assert state("PSE").formal_names == {"en": "the State of Palestine"}
        db.session.remove()


def test_mail_caused_by_an_api_call_names_the_state_in_the_recipients_language(
    client,
    app,
    make_user,
    make_initiative,  # noqa: F811
    api_headers,  # noqa: F811
):
    from coalition.accounts.models import User
    from coalition.outbox.models import OutgoingMail

    world = make_initiative()  # approval: the co-chairs are told of each request
    with app.app_context():
        db.session.get(User, world.chair.id).locale = "fr"
        endorse("DEU")
        db.session.commit()
    germany = make_user(represent="DEU")
    headers = {**api_headers(germany), "Accept-Language": "es"}

    response = client.post(f"/api/v1/initiatives/{world.slug}/memberships", headers=headers)

    assert response.status_code == 201
    with app.app_context():
        subjects = db.session.scalars(
            sa.select(OutgoingMail.subject).where(OutgoingMail.recipient == world.chair.email)
        ).all()
    assert any("Allemagne" in subject for subject in subjects), subjects
    assert not any("Alemania" in subject for subject in subjects)
