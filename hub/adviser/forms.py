"""Forms of the adviser workspace. Choices are checked by the service (the partnership decides)."""
from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional


def options(pairs: list[tuple[str, str]]) -> list[SelectChoice]:
    return [SelectChoice(value, label) for value, label in pairs]


class ReplyForm(FlaskForm):
    text = TextAreaField("Reply to the citizen", validators=[DataRequired("Write a reply first"), Length(max=1600)])
    channel = SelectField("Send by", choices=options([("", "Their channel"), ("sms", "Text message"),
                                                      ("email", "Email"), ("web", "Tracking page")]),
                          validate_choice=True, validators=[Optional()])
    wait = BooleanField("Wait for the citizen's answer (pauses the SLA clock)")


class NoteForm(FlaskForm):
    text = TextAreaField("Internal note", validators=[DataRequired("Write a note first"), Length(max=4000)])


class RecategoriseForm(FlaskForm):
    service = SelectField("Service", validate_choice=False, validators=[DataRequired("Choose a service")])


class TransferForm(FlaskForm):
    authority = SelectField("Council", validate_choice=False, validators=[DataRequired("Choose a council")])
    reason = TextAreaField("Why", validators=[DataRequired("Say why the case is being transferred"),
                                              Length(max=1000)])


class ResolveForm(FlaskForm):
    outcome = SelectField("Outcome", validate_choice=False, validators=[DataRequired("Choose an outcome")])
    close = BooleanField("Close the case (no further action)")
    note = TextAreaField("Note", validators=[Optional(), Length(max=1000)])


class ReasonForm(FlaskForm):
    reason = TextAreaField("Reason", validators=[Optional(), Length(max=1000)])


class AssignForm(FlaskForm):
    user_id = SelectField("Assign to", validate_choice=False, validators=[Optional()])


class EmptyForm(FlaskForm):
    """Buttons that only need the CSRF token (take, wait, resume)."""


class AssistedContactForm(FlaskForm):
    channel = SelectField("How did they contact us", choices=options([("phone", "Phone call"),
                                                                      ("face_to_face", "Face to face")]))
    service = SelectField("Service", validate_choice=False, validators=[DataRequired("Choose a service")])
    postcode = StringField("Postcode", validators=[Optional(), Length(max=8)])
    summary = TextAreaField("What they needed", validators=[DataRequired("Say what they needed"),
                                                            Length(max=4000)])
    resolved = BooleanField("Resolved during the contact")
    name = StringField("Name (optional)", validators=[Optional(), Length(max=200)])
    email = EmailField("Email (optional)", validators=[Optional(), Length(max=254)])
    phone = StringField("Phone (optional)", validators=[Optional(), Length(max=20)])
