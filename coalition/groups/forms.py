"""Forms of the working groups' pages: create, edit, add a member, renew a term, bulk
changes (paste or upload, then confirm), and the rosters' filters."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import (
    DateField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import AnyOf, InputRequired, Length, NumberRange, Optional

from coalition import limits
from coalition.forms import Form, TranslatedTitle, select_choices, translation_field

_MARKDOWN_HELP = _l("Markdown: **bold**, *italics*, lists, links.")


class _GroupFields(TranslatedTitle):
    title = StringField(_l("Title"), validators=[InputRequired(), Length(max=limits.TITLE_MAX)])
    summary = TextAreaField(
        _l("Summary (optional)"),
        validators=[Optional(), Length(max=limits.SUMMARY_MAX)],
        description=_l(
            "One or two sentences shown in lists (%(n)d characters at most).", n=limits.SUMMARY_MAX
        ),
    )
    mandate = TextAreaField(
        _l("Mandate"),
        validators=[Optional(), Length(max=limits.TEXT_MAX)],
        description=_MARKDOWN_HELP,
    )
    summary_translation = translation_field(
        _l("Summary in the other language (optional)"), limits.SUMMARY_MAX
    )
    mandate_translation = translation_field(
        _l("Mandate in the other language (optional)"), limits.TEXT_MAX
    )
    seat_limit = IntegerField(
        _l("Seat limit"),
        validators=[Optional(), NumberRange(min=1, max=limits.SEAT_LIMIT_MAX)],
        description=_l("Leave empty for no limit."),
    )


class CreateGroupForm(_GroupFields):
    initiative = SelectField(
        _l("Belongs to"),
        validators=[Optional()],
        description=_l(
            "An initiative's group takes only the initiative's active members; an "
            "Alliance-level body (a convening group, say) takes any participant."
        ),
    )
    slug = StringField(
        _l("Address (optional)"),
        validators=[Optional(), Length(max=limits.SLUG_MAX)],
        description=_l("Lower-case letters, digits and hyphens; made from the title if empty."),
    )


class EditGroupForm(_GroupFields):
    pass


class AddMemberForm(Form):
    participant = SelectField(
        _l("Participant"), validators=[InputRequired(_l("Choose the participant to add."))]
    )
    term_ends_on = DateField(
        _l("Term ends on (optional)"),
        validators=[Optional()],
        description=_l("The membership ends that day unless the term is renewed."),
    )


OPERATIONS = ("add", "remove")


class BulkForm(Form):
    operation = RadioField(
        _l("Change"),
        choices=select_choices(
            [("add", _l("Add these participants")), ("remove", _l("Remove these participants"))]
        ),
        default="add",
        validators=[InputRequired(), AnyOf(OPERATIONS)],
    )
    codes = TextAreaField(
        _l("Codes"),
        validators=[Optional(), Length(max=limits.BULK_ROWS_MAX * (limits.SLUG_MAX + 2))],
        description=_l(
            "Participant codes separated by commas, spaces or lines: GHA, FRA, deu, icnl."
        ),
    )
    file = FileField(
        _l("Or a CSV file"),
        description=_l(
            "One column of codes, or a roster exported from this application (its “code” "
            "column); at most %(rows)s rows and 1 MB.",
            rows=limits.BULK_ROWS_MAX,
        ),
    )
    reason = StringField(
        _l("Reason for removals (optional, shown in the public history)"),
        validators=[Optional(), Length(max=limits.NOTE_MAX)],
    )


class BulkConfirmForm(Form):
    """The previewed change, carried to the confirmation and planned again there."""

    operation = HiddenField(validators=[InputRequired(), AnyOf(OPERATIONS)])
    codes = HiddenField(
        validators=[InputRequired(), Length(max=limits.BULK_ROWS_MAX * (limits.SLUG_MAX + 2))]
    )
    reason = HiddenField(validators=[Optional(), Length(max=limits.NOTE_MAX)])


class RosterFilterForm(Form):
    """Filters in the query string: a GET form, so no CSRF token (it changes nothing)."""

    class Meta:
        csrf = False

    kind = SelectField(_l("Kind of body"), validators=[Optional()])
    initiative = SelectField(_l("Initiative"), validators=[Optional()])
    participant = StringField(
        _l("Participant code"),
        validators=[Optional(), Length(max=limits.SLUG_MAX)],
        description=_l("e.g. GHA"),
    )
