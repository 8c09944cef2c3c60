"""GOV.UK Frontend for every screen of the hub: template loaders and the undefined policy.

The portal, the adviser workspace and the reports all extend `templates/base.html`, which
uses the `govuk-frontend-jinja` macros. Those macros test optional parameters with
`{% if params.classes %}`, which Jinja's StrictUndefined refuses; our own templates still
want a typo to fail loudly. `QuietTestUndefined` keeps both: testing or iterating an
undefined value is allowed (it is falsy and empty), printing it or reaching into it raises.
"""
from __future__ import annotations

from typing import Any

from flask import Flask
from govuk_frontend_wtf.main import WTFormsHelpers
from jinja2 import ChoiceLoader, PackageLoader, PrefixLoader, StrictUndefined


class QuietTestUndefined(StrictUndefined):
    """Strict when rendered or dereferenced; falsy and empty when only tested."""

    def __bool__(self) -> bool:
        return False

    def __iter__(self) -> Any:
        return iter(())

    def __len__(self) -> int:
        return 0

    def __eq__(self, other: object) -> bool:
        return isinstance(other, type(self))

    def __ne__(self, other: object) -> bool:
        return not self.__eq__(other)

    __hash__ = StrictUndefined.__hash__


def init_app(app: Flask) -> None:
    assert app.jinja_loader is not None
    app.jinja_env.undefined = QuietTestUndefined
    app.jinja_loader = ChoiceLoader([  # type: ignore[assignment]
        app.jinja_loader,
        PrefixLoader({
            "govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja"),
            "govuk_frontend_wtf": PackageLoader("govuk_frontend_wtf"),
        }),
    ])
    WTFormsHelpers(app)  # the `wtforms_errors(form)` global for error summaries

    @app.context_processor
    def _partnership() -> dict[str, Any]:
        from hub.partnership.service import current

        return {"partnership": current().partnership}
