"""The report filter form: read from the query string (GET), so it carries no CSRF token."""
from __future__ import annotations

from wtforms import DateField, Form, StringField
from wtforms.validators import Length, Optional

PERIOD_CHOICES = [("week", "Week (Monday to Sunday)"), ("month", "Month")]


class ReportFilterForm(Form):
    # `from` is a Python keyword, so the fields are named after the URL parameters by the route.
    date_from = DateField("From", format="%Y-%m-%d", validators=[Optional()])
    date_to = DateField("To", format="%Y-%m-%d", validators=[Optional()])
    # Checked against PERIOD_CHOICES by the service (a SelectField would want SelectChoice objects).
    period = StringField("Period", validators=[Optional()])
    authority = StringField("Council", validators=[Optional(), Length(max=16)])
    service = StringField("Service", validators=[Optional(), Length(max=64)])
    channel = StringField("Channel", validators=[Optional(), Length(max=16)])


def from_args(args: dict[str, str]) -> ReportFilterForm:
    """Bind the form to URL parameters named `from` and `to` (as the CSV contract fixes them)."""
    from werkzeug.datastructures import MultiDict

    data = MultiDict({key: value for key, value in args.items() if key not in ("from", "to")})
    for url_name, field in (("from", "date_from"), ("to", "date_to")):
        if args.get(url_name):
            data[field] = args[url_name]
    return ReportFilterForm(formdata=data)
