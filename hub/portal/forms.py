"""The portal's questions, one form per page, with GOV.UK's plain-English error messages."""
from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovRadioInput, GovSubmitInput, GovTextArea, GovTextInput
from wtforms import RadioField, StringField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, Length, Optional, ValidationError

from hub.citizens.details import e164 as uk_phone
from hub.geo import postcodes


def _postcode(form: Any, field: Any) -> None:
    if field.data and postcodes.normalise(field.data) is None:
        raise ValidationError("Enter a real postcode, like WR1 1AB")


def _phone(form: Any, field: Any) -> None:
    if field.data and uk_phone(field.data) is None:
        raise ValidationError("Enter a phone number, like 07700 900 982 or +44 7700 900 982")


class StepForm(FlaskForm):
    """Every journey page: a honeypot that people never see and bots fill in."""

    website = StringField("Leave this field empty", validators=[Optional()])
    submit = SubmitField("Continue", widget=GovSubmitInput())

    @property
    def is_spam(self) -> bool:
        return bool(self.website.data)

    def answers(self) -> dict[str, Any]:
        """The citizen's answers on this page, without the button, token and trap."""
        return {k: v for k, v in self.data.items() if k not in ("submit", "website", "csrf_token")}


class PostcodeForm(StepForm):
    postcode = StringField("What is your postcode?", widget=GovTextInput(),
                           validators=[DataRequired("Enter your postcode"), _postcode],
                           description="For example, WR1 1AB")


class AddressForm(StepForm):
    address = StringField("What is your address?", widget=GovTextInput(),
                          validators=[DataRequired("Enter the house number or name and street"), Length(max=200,
                                      message="Address must be 200 characters or fewer")],
                          description="House number or name, and street")


class BinTypeForm(StepForm):
    bin_type = RadioField("Which bin was not collected?", widget=GovRadioInput(),
                          choices=[SelectChoice("general", "General waste"), SelectChoice("recycling", "Recycling"),
                                   SelectChoice("garden", "Garden waste")],
                          validators=[DataRequired("Select which bin was not collected")])


class LocationForm(StepForm):
    postcode = StringField("What is the postcode where it is?", widget=GovTextInput(),
                           validators=[DataRequired("Enter the postcode nearest to the problem"), _postcode],
                           description="The nearest house or business postcode, for example WR14 3AB")
    location = StringField("Where exactly is it?", widget=GovTextInput(),
                           validators=[DataRequired("Enter where the problem is, like outside 12 High Street"),
                                       Length(max=300, message="Location must be 300 characters or fewer")],
                           description="For example, outside 12 High Street, or by the bus stop on Church Lane")


class DescriptionForm(StepForm):
    description = TextAreaField("Describe the problem", widget=GovTextArea(),
                                validators=[DataRequired("Describe the problem"),
                                            Length(max=2000, message="Description must be 2000 characters or fewer")],
                                description="Include anything that will help the crew find and fix it")


class QuestionForm(StepForm):
    question = TextAreaField("What is your question?", widget=GovTextArea(),
                             validators=[DataRequired("Enter your question"),
                                         Length(max=2000, message="Question must be 2000 characters or fewer")])


class MessageForm(StepForm):
    message = TextAreaField("How can we help?", widget=GovTextArea(),
                            validators=[DataRequired("Tell us how we can help"),
                                        Length(max=4000, message="Message must be 4000 characters or fewer")])
    postcode = StringField("Your postcode (optional)", widget=GovTextInput(), validators=[Optional(), _postcode],
                           description="This tells us which council is responsible")


class ContactForm(StepForm):
    name = StringField("Your name (optional)", widget=GovTextInput(),
                       validators=[Optional(), Length(max=200, message="Name must be 200 characters or fewer")])
    email = StringField("Email address (optional)", widget=GovTextInput(),
                        validators=[Optional(), Email("Enter an email address in the correct format, like name@example.com")],
                        description="We will email you the reference and any reply")
    phone = StringField("Mobile phone number (optional)", widget=GovTextInput(), validators=[Optional(), _phone],
                        description="We will text you the reference and any reply")


class SubmitForm(StepForm):
    submit = SubmitField("Send", widget=GovSubmitInput())


class TrackForm(FlaskForm):
    reference = StringField("Case reference", widget=GovTextInput(),
                            validators=[DataRequired("Enter your case reference"), Length(max=20)],
                            description="You will find it on your confirmation email, text or page")
    contact = StringField("Email address or phone number you gave us", widget=GovTextInput(),
                          validators=[DataRequired("Enter the email address or phone number you gave us"),
                                      Length(max=254)])
    submit = SubmitField("Find my case", widget=GovSubmitInput())


class ReplyForm(StepForm):
    message = TextAreaField("Add information or reply", widget=GovTextArea(),
                            validators=[DataRequired("Enter your message"),
                                        Length(max=4000, message="Message must be 4000 characters or fewer")])
    submit = SubmitField("Send", widget=GovSubmitInput())


class NotAnsweredForm(FlaskForm):
    submit = SubmitField("This did not answer my question", widget=GovSubmitInput())


FORMS: dict[str, type[StepForm]] = {
    "postcode": PostcodeForm, "address": AddressForm, "bin_type": BinTypeForm, "location": LocationForm,
    "description": DescriptionForm, "question": QuestionForm, "message": MessageForm, "contact": ContactForm,
    "check": SubmitForm,
}
