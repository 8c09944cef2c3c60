from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import (BooleanField, EmailField, PasswordField, SelectChoice, SelectField, SelectMultipleField,
                     StringField)
from wtforms.validators import DataRequired, Length

from hub.users.models import ROLES

ROLE_CHOICES = [SelectChoice(r, r.capitalize()) for r in ROLES]


def options(pairs: list[tuple[str, str]]) -> list[SelectChoice]:
    return [SelectChoice(value, label) for value, label in pairs]


class UserForm(FlaskForm):
    name = StringField("Name", validators=[Length(max=200)])
    role = SelectField("Role", choices=ROLE_CHOICES)
    authorities = SelectMultipleField("Councils", validate_choice=False,
                                      validators=[DataRequired("Choose at least one council")])
    active = BooleanField("Can sign in", default=True)


class NewUserForm(UserForm):
    email = EmailField("Email address", validators=[DataRequired("Enter an email address"), Length(max=254)])
    password = PasswordField("First password (at least 12 characters)",
                             validators=[DataRequired("Enter a password"), Length(min=12, max=200)])


class PolicyForm(FlaskForm):
    require_totp = SelectMultipleField("Councils whose staff must use a second factor", validate_choice=False)


class ButtonForm(FlaskForm):
    pass
