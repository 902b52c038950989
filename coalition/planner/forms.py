"""The planner's form: sent with GET, so that a search is a link one can share."""

from __future__ import annotations

from datetime import time

from flask_babel import lazy_gettext as _l
from wtforms import DateField, HiddenField, IntegerField, SelectField, StringField, TimeField
from wtforms.validators import InputRequired, Length, NumberRange, Optional
from wtforms.widgets import HiddenInput

from coalition import limits
from coalition.forms import Form
from coalition.planner.service import DAYS_MESSAGE, DURATION_MESSAGE

#: The form's fields: a request with any of them in its query is a search.
FIELD_NAMES = (
    "body",
    "participants",
    "meeting",
    "date",
    "days",
    "duration",
    "hours_start",
    "hours_end",
)
#: Enough for every state's code, separated by commas.
CODES_TEXT_MAX = limits.PLANNER_CODES_MAX * 8


class PlannerForm(Form):
    class Meta:
        # A search changes nothing: no CSRF token, and the URL carries it all.
        csrf = False

    body = SelectField(
        _l("Members of"),
        validators=[Optional()],
        description=_l("Every active member and partner of this initiative or group."),
    )
    participants = StringField(
        _l("Participants"),
        validators=[Optional(), Length(max=CODES_TEXT_MAX)],
        description=_l(
            "Codes separated by commas, e.g. GHA, CAN, SGP (with a body: in addition to "
            "its members)."
        ),
    )
    #: Everyone invited to this meeting takes part (a link from the meeting form).
    meeting = IntegerField(widget=HiddenInput(), validators=[Optional()])
    #: "1": the candidates link back to the scheduling form.
    pick = HiddenField(validators=[Optional()])
    date = DateField(_l("Date"), validators=[InputRequired()])
    days = IntegerField(
        _l("Number of days"),
        default=1,
        validators=[Optional(), NumberRange(1, limits.PLANNER_DAYS_MAX, DAYS_MESSAGE)],
    )
    duration = IntegerField(
        _l("Duration (minutes)"),
        default=90,
        validators=[Optional(), NumberRange(1, limits.PLANNER_DURATION_MAX, DURATION_MESSAGE)],
    )
    hours_start = TimeField(_l("Working hours from"), default=time(8, 0), validators=[Optional()])
    hours_end = TimeField(
        _l("Working hours until"),
        default=time(20, 0),
        validators=[Optional()],
        description=_l("Local time in each capital; 00:00 means midnight."),
    )
