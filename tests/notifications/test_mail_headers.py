"""A mail subject is one line whatever it is built from: a title or a name holding a
line break (written before the services cleaned such text, or by any other way into
the database) never turns the act that notifies into a 500, and the mail still goes
out (the worker would otherwise fail on it at every attempt)."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from coalition.accounts.models import User
from coalition.bodies.models import Body
from coalition.extensions import db
from tests.initiatives import rules_support

world = rules_support.world  # fixture

BREAKS = ["\n", "\r", "\r\n", "\u2028", "\u0001", "\u007f"]


@pytest.mark.parametrize("char", BREAKS)
def test_a_title_with_a_line_break_still_notifies_by_mail(
    world, login_as, smtp_server, deliver, char
):
    initiative = world.initiative(policy="approval")
    # Straight into the database: the services would have cleaned it.
    db.session.execute(
        sa.update(Body).where(Body.id == initiative.id).values(title=f"Ocean{char}Governance")
    )
    db.session.commit()

    response = login_as(world.member).post(f"/initiatives/{initiative.slug}/join")

    assert response.status_code == 303
    deliver()
    [message] = smtp_server.messages
    subject = str(message["Subject"])
    assert "Ocean" in subject
    assert "Governance" in subject
    assert not {"\n", "\r", "\u2028", "\u0001", "\u007f"} & set(subject)


@pytest.mark.parametrize("char", BREAKS)
def test_a_name_with_a_line_break_still_notifies_by_mail(
    app, login_as, make_user, smtp_server, deliver, char
):
    make_user(staff=True)
    claimant = make_user()
    with app.app_context():
        db.session.execute(
            sa.update(User).where(User.id == claimant.id).values(name=f"Ama{char}Mensah")
        )
        db.session.commit()

    response = login_as(claimant).post(
        "/participants/claim", data={"participant": "GHA", "role": "delegate"}
    )

    assert response.status_code in (302, 303)
    deliver()
    subjects = [str(m["Subject"]) for m in smtp_server.messages]
    assert subjects
    assert all("Ama" in s and not {"\n", "\r", "\u2028"} & set(s) for s in subjects)
