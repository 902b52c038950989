"""Forms of the representation pages: claiming, and the reason for a rejection or an end."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional

from coalition import limits
from coalition.forms import Form
from coalition.representations.models import RepresentationRole


class ClaimForm(Form):
    participant = SelectField(
        _l("Participant you speak for"),
        validators=[InputRequired(message=_l("Choose a state or organization."))],
        description=_l("States are listed by their name in your language."),
        validate_choice=False,  # the view says "no such participant" itself
    )
    role = RadioField(
        _l("Your role"),
        choices=[
            SelectChoice(
                RepresentationRole.FOCAL_POINT.value, _l("Focal point (one per participant)")
            ),
            SelectChoice(RepresentationRole.DELEGATE.value, _l("Delegate")),
        ],
        default=RepresentationRole.DELEGATE.value,
        validate_choice=False,  # the service checks it, for the API too
        validators=[InputRequired(message=_l("Choose focal point or delegate."))],
    )
    position = StringField(
        _l("Your position"),
        validators=[Optional(), Length(max=limits.POSITION_MAX)],
        description=_l("For example: Counsellor, Permanent Mission to the United Nations."),
    )


class ReasonForm(Form):
    reason = TextAreaField(
        _l("Reason"),
        validators=[
            InputRequired(message=_l("Please give a reason.")),
            Length(max=limits.NOTE_MAX),
        ],
    )
