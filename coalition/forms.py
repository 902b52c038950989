"""Forms and form helpers shared across features."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms.fields.choices import SelectChoice

from coalition.errors import DomainError


class EmptyForm(FlaskForm):
    """CSRF only: for join, leave, approve and other one-button actions."""


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
