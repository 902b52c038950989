from flask_babel import lazy_gettext as _l
from wtforms import EmailField, HiddenField, PasswordField, SelectField, StringField
from wtforms.validators import Email, EqualTo, InputRequired, Length, Optional

from coalition import limits
from coalition.accounts.services import MIN_PASSWORD_LENGTH
from coalition.forms import Form


class LoginForm(Form):
    email = EmailField(_l("E-mail address"), validators=[InputRequired(), Email()])
    password = PasswordField(_l("Password"), validators=[InputRequired()])
    next = HiddenField()


class RegisterForm(Form):
    name = StringField(_l("Your name"), validators=[InputRequired(), Length(max=limits.NAME_MAX)])
    email = EmailField(_l("E-mail address"), validators=[InputRequired(), Email(), Length(max=254)])
    password = PasswordField(
        _l("Password"),
        validators=[InputRequired(), Length(min=MIN_PASSWORD_LENGTH, max=200)],
        description=_l("At least %(n)d characters.", n=MIN_PASSWORD_LENGTH),
    )
    confirm = PasswordField(
        _l("Repeat the password"),
        validators=[InputRequired(), EqualTo("password", message=_l("The passwords differ."))],
    )


class PreferencesForm(Form):
    name = StringField(_l("Your name"), validators=[InputRequired(), Length(max=limits.NAME_MAX)])
    locale = SelectField(_l("Language"), validators=[Optional()])
    timezone = SelectField(
        _l("Time zone"),
        validators=[Optional()],
        description=_l("Times are shown to you in this zone."),
    )


class ChangePasswordForm(Form):
    current_password = PasswordField(_l("Current password"), validators=[InputRequired()])
    new_password = PasswordField(
        _l("New password"), validators=[InputRequired(), Length(min=MIN_PASSWORD_LENGTH, max=200)]
    )
    confirm = PasswordField(
        _l("Repeat the new password"),
        validators=[InputRequired(), EqualTo("new_password", message=_l("The passwords differ."))],
    )


class ForgotPasswordForm(Form):
    email = EmailField(_l("E-mail address"), validators=[InputRequired(), Email()])


class ResetPasswordForm(Form):
    password = PasswordField(
        _l("New password"), validators=[InputRequired(), Length(min=MIN_PASSWORD_LENGTH, max=200)]
    )
    confirm = PasswordField(
        _l("Repeat the new password"),
        validators=[InputRequired(), EqualTo("password", message=_l("The passwords differ."))],
    )


class ApiTokenForm(Form):
    name = StringField(
        _l("Token name"),
        validators=[InputRequired(), Length(max=limits.TOKEN_NAME_MAX)],
        description=_l("What the token is for, e.g. “membership sync script”."),
    )
