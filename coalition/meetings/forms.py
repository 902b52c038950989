"""Forms of the meeting pages. Values are checked again by the services, which own every
rule; these give each field its label, help and browser-side limits."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    DateTimeLocalField,
    FieldList,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from coalition import limits
from coalition.forms import (
    Form,
    TranslatedTitle,
    required_choices,
    select_choices,
    translation_field,
)
from coalition.meetings import labels

_WALL_FORMAT = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"]


class MeetingForm(TranslatedTitle):
    title = StringField(_l("Title"), validators=[InputRequired(), Length(max=limits.TITLE_MAX)])
    description = TextAreaField(
        _l("Description"),
        validators=[Optional(), Length(max=limits.TEXT_MAX)],
        description=_l("Markdown. Shown to everyone who can see the meeting."),
    )
    description_translation = translation_field(
        _l("Description in the other language (optional)"), limits.TEXT_MAX
    )
    start = DateTimeLocalField(
        _l("Starts"),
        format=_WALL_FORMAT,
        validators=[InputRequired(message=_l("Give the date and time it starts."))],
        description=_l("Wall-clock time in the meeting's time zone."),
    )
    end = DateTimeLocalField(
        _l("Ends"),
        format=_WALL_FORMAT,
        validators=[InputRequired(message=_l("Give the date and time it ends."))],
        description=_l("Wall-clock time in the meeting's time zone."),
    )
    timezone = StringField(
        _l("Time zone"),
        validators=[InputRequired(), Length(max=64)],
        description=_l(
            "The IANA zone of the venue, e.g. Africa/Accra or America/New_York: type to search."
        ),
        render_kw={"list": "zones", "autocomplete": "off"},
    )
    start_fold = RadioField(
        _l("Which of the two starts?"),
        choices=select_choices([("0", _l("The first")), ("1", _l("The second"))]),
        validators=[Optional()],
    )
    end_fold = RadioField(
        _l("Which of the two ends?"),
        choices=select_choices([("0", _l("The first")), ("1", _l("The second"))]),
        validators=[Optional()],
    )
    format = SelectField(
        _l("Format"), choices=required_choices(labels.formats()), validators=[InputRequired()]
    )
    venue = StringField(_l("Venue"), validators=[Optional(), Length(max=limits.VENUE_MAX)])
    online_url = StringField(
        _l("Online link"),
        validators=[Optional(), Length(max=limits.URL_MAX)],
        description=_l("Shown only to invitees and the Secretariat."),
    )
    invitee_note = TextAreaField(
        _l("Details for invitees"),
        validators=[Optional(), Length(max=limits.TEXT_MAX)],
        description=_l("Room, access, dial-in: shown only to invitees and the Secretariat."),
    )
    visibility = RadioField(
        _l("Who can see it"),
        choices=select_choices(labels.visibilities()),
        default="public",
        validators=[InputRequired()],
    )


class CheckboxesField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


_SCOPES = [
    ("this", _l("This meeting only")),
    ("following", _l("This meeting and the following ones of the series")),
]


class ScheduleForm(MeetingForm):
    # A series in plain choices; the view makes the RRULE of them.
    recurrence = SelectField(
        _l("Repeats"),
        choices=select_choices(
            [
                ("", _l("Does not repeat")),
                ("daily", _l("Daily")),
                ("weekly", _l("Weekly")),
                ("monthly", _l("Monthly")),
            ]
        ),
        default="",
        validators=[Optional()],
        description=_l(
            "Each meeting of a series keeps the same wall-clock time in the meeting's zone, "
            "across daylight-saving changes."
        ),
    )
    interval = IntegerField(
        _l("Every how many days, weeks or months"),
        default=1,
        validators=[Optional(), NumberRange(1, limits.SERIES_INTERVAL_MAX)],
    )
    weekdays = CheckboxesField(
        _l("On (weekly)"),
        validators=[Optional()],
        description=_l("None ticked: the weekday of the first meeting."),
    )
    monthly_by = RadioField(
        _l("On (monthly)"),
        choices=select_choices(
            [
                (
                    "weekday",
                    _l(
                        "The same weekday of the month as the first meeting "
                        "(e.g. the third Wednesday)"
                    ),
                ),
                ("day", _l("The same day of the month as the first meeting (e.g. day 15)")),
            ]
        ),
        default="weekday",
        validators=[Optional()],
    )
    ends = RadioField(
        _l("Ends"),
        choices=select_choices(
            [("count", _l("After a number of meetings")), ("until", _l("On a date"))]
        ),
        default="count",
        validators=[Optional()],
    )
    count = IntegerField(
        _l("Number of meetings"),
        default=6,
        validators=[Optional(), NumberRange(1, limits.SERIES_OCCURRENCES_MAX)],
        description=_l("At most %(n)d.", n=limits.SERIES_OCCURRENCES_MAX),
    )
    until = DateField(_l("Last date"), validators=[Optional()])
    agenda = TextAreaField(
        _l("Agenda"),
        validators=[Optional()],
        description=_l("One item per line; you can reorder and edit items afterwards."),
    )
    record_past = BooleanField(
        _l("Record a past meeting"),
        description=_l("Secretariat only: a meeting that took place, recorded afterwards."),
    )


class AgendaForm(Form):
    items = FieldList(StringField(_l("Item"), validators=[Optional()]), min_entries=0)
    new_item = StringField(
        _l("New item"), validators=[Optional(), Length(max=limits.AGENDA_ITEM_MAX)]
    )


class EditForm(MeetingForm):
    scope = RadioField(
        _l("Apply the changes to"),
        choices=select_choices(_SCOPES),
        default="this",
        validators=[Optional()],
        description=_l(
            "For the following meetings only the time of day, the length, the zone and the "
            "details can change, not the dates: each keeps its own date."
        ),
    )


class CancelForm(Form):
    reason = TextAreaField(
        _l("Reason (told to the invitees)"), validators=[Optional(), Length(max=limits.NOTE_MAX)]
    )
    scope = RadioField(
        _l("Cancel"), choices=select_choices(_SCOPES), default="this", validators=[Optional()]
    )


class RsvpForm(Form):
    response = RadioField(
        _l("Your delegation's answer"),
        choices=select_choices(labels.responses()),
        validators=[InputRequired()],
    )
    head = StringField(
        _l("Head of delegation"), validators=[Optional(), Length(max=limits.NAME_MAX)]
    )
    level = SelectField(_l("Level"), validators=[Optional()])
    delegates = TextAreaField(
        _l("Other delegates"),
        validators=[Optional()],
        description=_l("One name per line."),
    )


class GuestForm(Form):
    participant = SelectField(_l("Participant"), validators=[InputRequired()])


class DocumentForm(Form):
    kind = SelectField(_l("Document"), choices=select_choices(labels.document_kinds()))
    language = SelectField(_l("Language"), choices=select_choices(labels.document_languages()))
    title = StringField(_l("Title"), validators=[InputRequired(), Length(max=limits.TITLE_MAX)])
    status = RadioField(
        _l("Status"),
        choices=select_choices(labels.document_statuses()),
        default="draft",
        validators=[InputRequired()],
    )
    content = TextAreaField(
        _l("Text"),
        validators=[Optional()],
        description=_l("Markdown: headings, lists, links."),
    )
