"""Answers grouped by the participants' M49 region (the UN Statistics Division's, from
the UNTERM data every state carries); organizations form a group of their own."""

from __future__ import annotations

from flask_babel import lazy_gettext as _

from coalition.participants import regions
from coalition.participants.models import Participant

#: The order regions are listed in: Africa, Americas, Asia, Europe, Oceania, then others.
ORDER = ("002", "019", "142", "150", "009", "")


def region_code(participant: Participant) -> str:
    """The M49 code of the participant's region; "" for organizations."""
    return (participant.region_code or "") if participant.is_state else ""


def region_name(code: str) -> str:
    if not code:
        return str(_("Organizations and others"))
    return regions.region_name(code)
