"""Forms and form helpers shared across features."""

from __future__ import annotations

from flask import abort, flash
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, TextAreaField
from wtforms.fields import HiddenField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, Optional

from coalition import limits
from coalition.errors import DomainError


class Form(FlaskForm):
    """The base of every form: Flask-WTF's, with hidden inputs rendered without an id.

    A hidden input has no label to point at it, and one page often holds several forms
    (log out and the language switcher on every page, a removal form per member): with
    ids, the CSRF token's would repeat, and a page may not have one id twice.
    """

    class Meta:
        def render_field(self, field, render_kw):
            if isinstance(field, HiddenField):
                render_kw = {"id": False, **render_kw}
            return super().render_field(field, render_kw)


class EmptyForm(Form):
    """CSRF only: for join, leave, approve and other one-button actions."""


def check_button_form() -> None:
    """A one-button POST (an EmptyForm) without a valid CSRF token is a bad request."""
    if not EmptyForm().validate_on_submit():
        abort(400)


def show_domain_error(form: FlaskForm, error: DomainError) -> None:
    """Show a service's refusal next to the field it is about, or above the form."""
    field = getattr(form, error.field, None) if error.field else None
    if field is not None and hasattr(field, "errors"):
        field.errors = [*field.errors, str(error.message)]
    else:
        form.form_errors.append(str(error.message))


def select_choices(pairs: list[tuple[str, object]]) -> list[SelectChoice]:
    """(value, label) pairs as SelectChoice objects (WTForms 3.3 deprecates tuples)."""
    return [SelectChoice(value, label) for value, label in pairs]


def required_choices(pairs: list[tuple[str, object]]) -> list[SelectChoice]:
    """A required select box's choices: an empty "Choose…" first, as HTML asks of a
    required select (the browser then checks that one was chosen), then *pairs*."""
    return select_choices([("", _l("Choose…")), *pairs])


def submitted(form: FlaskForm) -> bool:
    """The form was posted and is valid; else its first error is flashed (one message,
    not one per validator) and the caller goes back to the page it came from."""
    if form.validate_on_submit():
        return True
    for errors in form.errors.values():
        if errors:
            flash(str(errors[0]), "error")
            break
    return False


# -- texts in English and French (coalition.bilingual) ----------------------------------------


def translation_field(label, max_length: int, *, multiline: bool = True, description=None):
    """An optional text in the other language, under the original's length limit."""
    kind = TextAreaField if multiline else StringField
    return kind(label, validators=[Optional(), Length(max=max_length)], description=description)


class TranslatedTitle(Form):
    """The language a title and its texts are written in, and the title in the other one.
    Each feature's form adds the translations of its other texts."""

    language = SelectField(
        _l("Language of the text"),
        choices=select_choices([("en", _l("English")), ("fr", _l("French"))]),
        # Optional: a form posted without it (an older client) keeps the default or the
        # object's language, which the form was built with.
        validators=[Optional()],
        default="en",
        description=_l("The language in which the title and texts below are written."),
    )
    title_translation = translation_field(
        _l("Title in the other language (optional)"),
        limits.TITLE_MAX,
        multiline=False,
        description=_l("In French if the texts are in English; in English if they are in French."),
    )
