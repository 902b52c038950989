"""Forms of the initiative pages: propose, edit, join, decide, invite, co-chairs."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from coalition import labels
from coalition.forms import select_choices
from coalition.initiatives.models import Axis, JoinPolicy


class _InitiativeFields(FlaskForm):
    title = StringField(_l("Title"), validators=[InputRequired(), Length(max=200)])
    summary = TextAreaField(
        _l("Summary"),
        validators=[InputRequired(), Length(max=500)],
        description=_l("One or two sentences shown in the directory (500 characters at most)."),
    )
    description = TextAreaField(
        _l("Description"),
        validators=[Optional(), Length(max=20000)],
        description=_l("Markdown: **bold**, *italics*, lists, links."),
    )
    join_policy = SelectField(
        _l("Who can join"),
        choices=select_choices(labels.choices(JoinPolicy)),
        validators=[InputRequired()],
    )
    seat_limit = IntegerField(
        _l("Seat limit"),
        validators=[Optional(), NumberRange(min=1, max=1000)],
        description=_l("Leave empty for no limit."),
    )
    launched_on = DateField(_l("Launch date"), validators=[Optional()])


class ProposeInitiativeForm(_InitiativeFields):
    axis = SelectField(
        _l("Line of action"),
        choices=select_choices(labels.choices(Axis)),
        validators=[InputRequired()],
    )


class EditInitiativeForm(_InitiativeFields):
    results = TextAreaField(
        _l("Results"),
        validators=[Optional(), Length(max=20000)],
        description=_l("What the coalition has achieved so far. Markdown."),
    )


class JoinForm(FlaskForm):
    message = TextAreaField(
        _l("Message to the co-chairs (optional)"), validators=[Optional(), Length(max=2000)]
    )


class DeclineForm(FlaskForm):
    reason = TextAreaField(
        _l("Reason (optional, shown to the participant)"),
        validators=[Optional(), Length(max=2000)],
    )


class RemoveForm(FlaskForm):
    reason = StringField(_l("Reason for removal"), validators=[InputRequired(), Length(max=2000)])


class InviteForm(FlaskForm):
    participant = SelectField(_l("Participant"), validators=[InputRequired()])
    message = TextAreaField(_l("Message (optional)"), validators=[Optional(), Length(max=2000)])


class CoChairForm(FlaskForm):
    participant = SelectField(_l("Active member state"), validators=[InputRequired()])
