"""The Alliance's participants are listed by name as a reader of the page's language
expects ("Côte d'Ivoire" with the C's, "Émirats arabes unis" with the E's), whenever
they endorsed, each linked to its page."""

from __future__ import annotations

import re

from flask_babel import refresh

from tests.conftest import endorse

#: Endorsed in this order, which is neither the order of names nor of code points.
CODES = ["URY", "CUB", "CIV", "ARE", "ESP", "CAN"]


def _names(client, **headers) -> list[str]:
    html = client.get("/alliance", headers=headers).get_data(as_text=True)
    section = html[html.index('id="participants"') :]
    return [
        name.replace("&#39;", "'")
        for name in re.findall(
            r'<th scope="row"><a href="/participants/[A-Z]{3}">([^<]+)</a>', section
        )
    ]


def test_endorsers_are_sorted_by_their_english_names(app_ctx, client):
    for code in CODES:
        endorse(code)
    names = _names(client)
    assert names.index("Canada") < names.index("Côte d'Ivoire") < names.index("Cuba")
    assert names.index("Cuba") < names.index("Spain") < names.index("United Arab Emirates")
    assert names.index("United Arab Emirates") < names.index("Uruguay")


def test_endorsers_are_sorted_by_their_french_names_for_a_french_reader(app_ctx, client):
    for code in CODES:
        endorse(code)
    refresh()
    names = _names(client, **{"Accept-Language": "fr"})
    assert names.index("Émirats arabes unis") < names.index("Espagne") < names.index("Uruguay")
    assert names.index("Canada") < names.index("Côte d'Ivoire") < names.index("Cuba")


def test_the_sorted_list_is_paged(app_ctx, client):
    for code in CODES:
        endorse(code)
    first = client.get("/alliance?per_page=2").get_data(as_text=True)
    second = client.get("/alliance?per_page=2&page=2").get_data(as_text=True)
    assert "Page 1 of" in first
    assert 'rel="next"' in first
    assert 'rel="prev"' in second
