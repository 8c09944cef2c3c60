from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, StringField
from wtforms.validators import DataRequired, Length, Regexp


class SignInForm(FlaskForm):
    email = EmailField("Email address", validators=[DataRequired("Enter your email address"), Length(max=254)])
    password = PasswordField("Password", validators=[DataRequired("Enter your password"), Length(max=200)])


class CodeForm(FlaskForm):
    code = StringField("Code from your authenticator app", validators=[
        DataRequired("Enter the 6-digit code"), Regexp(r"^\s*\d{3}\s?\d{3}\s*$", message="Enter the 6-digit code")])
