"""The home page: what the Alliance is, its three lines of action, active initiatives."""

from __future__ import annotations

from coalition.extensions import db
from coalition.initiatives.models import Axis
from tests.initiatives.conftest import (
    endorse,
    make_initiative,  # noqa: F401  (fixture)
)
from tests.test_pages_quality import parse_strict


def test_home_explains_the_alliance_and_links_onwards(client):
    response = client.get("/")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "not a formal institution but a network" in page
    for axis in ("Protect, preserve and advance international law",
                 "Lead where governance is absent or insufficient",
                 "Reform and modernize international organizations"):  # fmt: skip
        assert axis in page
    assert "No initiative is active yet." in page
    for link in ('href="/initiatives"', 'href="/matrix"', 'href="/data/"', 'href="/alliance"'):
        assert link in page
    assert len(list(parse_strict(page).iter("h1"))) == 1


def test_home_counts_active_initiatives_by_axis_and_participants(make_initiative, client, app):  # noqa: F811
    make_initiative(title="Cyber norms", axis=Axis.GOVERNANCE_GAPS)
    make_initiative(title="Draft idea", axis=Axis.GOVERNANCE_GAPS, activate=False)
    with app.app_context():
        endorse("GHA")
        db.session.commit()
    page = client.get("/").get_data(as_text=True)
    assert "Cyber norms" in page
    assert "Draft idea" not in page
    assert "1 active initiative," in page
    assert "2 participants endorse the Alliance declaration." in page  # FRA (proposer) + GHA
