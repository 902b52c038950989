"""Forms of the membership and co-chair actions, on every kind of body's page."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import DateField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from coalition import limits
from coalition.bodies.rules import REMOVAL_REASON_REQUIRED
from coalition.forms import Form, required_choices
from coalition.labels import participant_name
from coalition.participants.models import Participant
from coalition.participants.services import by_name


class JoinForm(Form):
    message = TextAreaField(
        _l("Message to the co-chairs (optional)"),
        validators=[Optional(), Length(max=limits.NOTE_MAX)],
    )


class DeclineForm(Form):
    reason = TextAreaField(
        _l("Reason (optional, shown to the participant)"),
        validators=[Optional(), Length(max=limits.NOTE_MAX)],
    )


class WithdrawForm(Form):
    reason = TextAreaField(
        _l("Reason (optional, shown to the co-chairs and the Secretariat)"),
        validators=[Optional(), Length(max=limits.NOTE_MAX)],
    )


class RemoveForm(Form):
    reason = StringField(
        _l("Reason for removal"),
        validators=[
            DataRequired(REMOVAL_REASON_REQUIRED),
            Length(max=limits.NOTE_MAX),
        ],
    )


class InviteForm(Form):
    participant = SelectField(
        _l("Participant"), validators=[InputRequired(_l("Choose the participant to invite."))]
    )
    message = TextAreaField(
        _l("Message (optional)"), validators=[Optional(), Length(max=limits.NOTE_MAX)]
    )


class TermForm(Form):
    term_ends_on = DateField(
        _l("New end of term"),
        validators=[Optional()],
        description=_l("Leave empty for a membership without end."),
    )


class CoChairForm(Form):
    participant = SelectField(
        _l("Active member state"),
        validators=[InputRequired(_l("Choose an active member state."))],
    )


def participant_choices(participants: list[Participant]) -> list:
    """A select box's choices: an empty first option, then states, then organizations,
    each by the name the reader sees."""
    key = by_name()
    ordered = sorted(participants, key=lambda p: (not p.is_state, key(p)))
    return required_choices([(p.code, participant_name(p)) for p in ordered])
