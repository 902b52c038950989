"""Forms of the initiative pages: propose and edit (membership forms are the bodies')."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import DateField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from coalition import labels, limits
from coalition.bodies.models import JoinPolicy
from coalition.forms import Form, TranslatedTitle, required_choices, translation_field
from coalition.initiatives.models import Axis


class _InitiativeFields(TranslatedTitle):
    title = StringField(_l("Title"), validators=[InputRequired(), Length(max=limits.TITLE_MAX)])
    summary = TextAreaField(
        _l("Summary"),
        validators=[InputRequired(), Length(max=limits.SUMMARY_MAX)],
        description=_l(
            "One or two sentences shown in the directory (%(n)d characters at most).",
            n=limits.SUMMARY_MAX,
        ),
    )
    description = TextAreaField(
        _l("Description"),
        validators=[Optional(), Length(max=limits.TEXT_MAX)],
        description=_l("Markdown: **bold**, *italics*, lists, links."),
    )
    summary_translation = translation_field(
        _l("Summary in the other language (optional)"), limits.SUMMARY_MAX
    )
    description_translation = translation_field(
        _l("Description in the other language (optional)"), limits.TEXT_MAX
    )
    join_policy = SelectField(
        _l("Who can join"),
        choices=required_choices(labels.choices(JoinPolicy)),
        validators=[InputRequired()],
    )
    seat_limit = IntegerField(
        _l("Seat limit"),
        validators=[Optional(), NumberRange(min=1, max=limits.SEAT_LIMIT_MAX)],
        description=_l("Leave empty for no limit."),
    )
    launched_on = DateField(_l("Launch date"), validators=[Optional()])


class ProposeInitiativeForm(_InitiativeFields):
    axis = SelectField(
        _l("Line of action"),
        choices=required_choices(labels.choices(Axis)),
        validators=[InputRequired()],
    )


class EditInitiativeForm(_InitiativeFields):
    results = TextAreaField(
        _l("Results"),
        validators=[Optional(), Length(max=limits.TEXT_MAX)],
        description=_l("What the coalition has achieved so far. Markdown."),
    )


class RefuseProposalForm(Form):
    reason = TextAreaField(
        _l("Why the proposal is refused (public, shown to its co-chairs)"),
        validators=[InputRequired(), Length(max=limits.NOTE_MAX)],
    )
