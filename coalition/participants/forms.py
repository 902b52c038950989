"""Forms of the participants pages: organizations and reference time zones."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import SelectField, StringField, TextAreaField, URLField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional

from coalition import labels, limits
from coalition.forms import Form, required_choices
from coalition.participants.models import OrganizationCategory


def zone_choices() -> list[SelectChoice]:
    from coalition.i18n import timezone_choices

    return required_choices([(zone, zone) for zone in timezone_choices()])


class OrganizationForm(Form):
    name = StringField(_l("Name"), validators=[InputRequired(), Length(max=limits.NAME_MAX)])
    code = StringField(
        _l("Code"),
        validators=[InputRequired(), Length(max=64)],
        description=_l(
            "Part of the page's address: lower-case letters, digits and hyphens, e.g. unesco."
        ),
    )
    acronym = StringField(_l("Acronym"), validators=[Optional(), Length(max=limits.ACRONYM_MAX)])
    # The service checks category and zone (validate_choice=False), with the same message
    # for forms and the API.
    category = SelectField(_l("Category"), validators=[InputRequired()], validate_choice=False)
    website = URLField(_l("Website"), validators=[Optional(), Length(max=300)])
    description = TextAreaField(
        _l("Description"), validators=[Optional(), Length(max=limits.TEXT_MAX)]
    )
    timezone = SelectField(
        _l("Reference time zone"),
        validators=[InputRequired()],
        description=_l("Where the organization is based; used when its delegates plan meetings."),
        validate_choice=False,
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.category.choices = required_choices(labels.choices(OrganizationCategory))
        self.timezone.choices = zone_choices()


class TimezoneForm(Form):
    timezone = SelectField(
        _l("Reference time zone"),
        validators=[InputRequired()],
        description=_l("A state's reference zone is its capital's."),
        validate_choice=False,
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.timezone.choices = zone_choices()
