"""What every template can use: the organisation's details and small filters."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from flask import Flask, current_app

from portal import widgets
from portal.services.common import labels
from portal.services.common.dates import spoken
from portal.services.files.documents import added_by_words

LONDON = ZoneInfo("Europe/London")


def long_date(value: date | datetime | None) -> str:
    """'Tuesday 9 January 2024', the GOV.UK style for dates."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = value.astimezone(LONDON).date()
    return f"{value:%A} {spoken(value)}"


def short_date(value: date | datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = value.astimezone(LONDON).date()
    return spoken(value)


def choice_items(field, selected, conditionals=None, hints=None) -> list[dict]:
    """GOV.UK radio or checkbox items for a WTForms choice field."""
    conditionals, hints = conditionals or {}, hints or {}
    items = []
    for value, text in field.choices:
        item = {"value": value, "text": text, "checked": value in selected}
        if value in conditionals:
            item["conditional"] = {"html": conditionals[value]}
        if value in hints:
            item["hint"] = {"text": hints[value]}
        items.append(item)
    return items


def init_app(app: Flask) -> None:
    app.jinja_env.globals["choice_items"] = choice_items
    app.jinja_env.globals["govuk_component"] = widgets.component
    app.jinja_env.filters["long_date"] = long_date
    app.jinja_env.filters["short_date"] = short_date
    app.jinja_env.filters["label"] = labels.label
    app.jinja_env.filters["added_by"] = added_by_words

    @app.context_processor
    def organisation():
        cfg = current_app.config
        return {
            "org": {
                "name": cfg["ORG_NAME"],
                "colour": cfg["ORG_COLOUR"],
                "phone": cfg["ORG_PHONE"],
                "email": cfg["ORG_EMAIL"],
                "address": cfg["ORG_ADDRESS"],
                "website": cfg["ORG_WEBSITE"],
            },
            "service_name": cfg["SERVICE_NAME"],
        }
