"""Forms of the participants pages: claiming, ending a representation, organizations."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectField, StringField, TextAreaField, URLField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional

from coalition import labels
from coalition.forms import select_choices
from coalition.participants.models import OrganizationCategory, RepresentationRole


def zone_choices() -> list[SelectChoice]:
    from coalition.i18n import timezone_choices

    return [SelectChoice(zone) for zone in timezone_choices()]


class ClaimForm(FlaskForm):
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
        validators=[Optional(), Length(max=200)],
        description=_l("For example: Counsellor, Permanent Mission to the United Nations."),
    )


class ReasonForm(FlaskForm):
    reason = TextAreaField(
        _l("Reason"),
        validators=[InputRequired(message=_l("Please give a reason.")), Length(max=2000)],
    )


class OrganizationForm(FlaskForm):
    name = StringField(_l("Name"), validators=[InputRequired(), Length(max=200)])
    code = StringField(
        _l("Code"),
        validators=[InputRequired(), Length(max=64)],
        description=_l(
            "Part of the page's address: lower-case letters, digits and hyphens, e.g. unesco."
        ),
    )
    acronym = StringField(_l("Acronym"), validators=[Optional(), Length(max=32)])
    # The service checks category and zone (validate_choice=False), with the same message
    # for forms and the API.
    category = SelectField(_l("Category"), validators=[InputRequired()], validate_choice=False)
    website = URLField(_l("Website"), validators=[Optional(), Length(max=300)])
    description = TextAreaField(_l("Description"), validators=[Optional()])
    timezone = SelectField(
        _l("Reference time zone"),
        validators=[InputRequired()],
        description=_l("Where the organization is based; used when its delegates plan meetings."),
        validate_choice=False,
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.category.choices = select_choices(labels.choices(OrganizationCategory))
        self.timezone.choices = zone_choices()


class TimezoneForm(FlaskForm):
    timezone = SelectField(
        _l("Reference time zone"),
        validators=[InputRequired()],
        description=_l("A state's reference zone is its capital's."),
        validate_choice=False,
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.timezone.choices = zone_choices()
