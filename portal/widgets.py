"""The GOV.UK form widgets (govuk-frontend-wtf), each field drawn once and kept.

A field's markup is a function of its GOV.UK params alone: the macros read nothing else.
And most fields on a staff page are the same on every view: the forms of the case page
are some 96 fields, and drawing them through the GOV.UK macros was about two thirds of
its time (issue 23). So the first view draws a field through the GOV.UK macro, as
before, and keeps the markup under its params; a later view with the same params gets
those bytes back. What a person sees cannot differ: it is the macro's own output.

What is in a box (a text box's value, a date's day, month and year) is not part of the
key: the field is drawn and kept with a marker in its place, and each view puts its own
value back, escaped as the macro escapes it (as public/blank_pages.py does with the CSRF
token). So one kept field serves every record, and nothing a person wrote stays in the
process's memory. A field with an error, or with other fields' markup inside it (a
conditional reveal), is drawn through the macro every time (``keepable``). A pick-list's
or a radio's choices are the form's own (teams, themes, staff), part of the key; a widget
made with ``keep=False`` is for choices that are what people wrote (an element's summary),
and is drawn through the macro every time.

The widgets keep their govuk-frontend-wtf names; forms import them from here. Radios and
checkboxes that templates draw with the macros directly (templates/macros/fields.html)
go through ``component``, the Jinja global ``govuk_component``.
"""

from __future__ import annotations

import re
from typing import Callable

from flask import current_app
from govuk_frontend_wtf import wtforms_widgets as gov
from markupsafe import Markup, escape

# Enough for every field of every staff page several times over; when full (choices that
# changed leave their old fields behind) the kept fields are dropped and drawn again.
MOST_KEPT = 4096
# The components whose "value" is an answer (a box); elsewhere it is a choice's value.
BOXES = frozenset({"input", "textarea", "character-count"})
# NUL never occurs in the markup the macros write, so a marker is never mistaken for it.
MARKER = re.compile("\x00value-[0-9]+\x00")


class _NotKeepable(Exception):
    pass


def _key(value):
    """``value`` as a key: the same key only for params that draw the same markup (so a
    mapping keeps its order, and each value its type: ``True`` is not ``1``, Markup is
    not text)."""
    if isinstance(value, dict):
        return dict, tuple((name, _key(item)) for name, item in value.items())
    if isinstance(value, (list, tuple)):
        return list, tuple(_key(item) for item in value)
    if value is None or isinstance(value, (str, int, float)):
        return value.__class__, value
    raise _NotKeepable(value)


def keepable(name: str, params: dict) -> bool:
    """Whether the field's markup may be kept: no error, and no markup of other fields
    inside it."""
    if params.get("errorMessage"):
        return False
    return not any(isinstance(item, dict) and item.get("conditional") for item in params.get("items") or ())


def _marked(name: str, params: dict) -> tuple[dict, dict[str, str]]:
    """``params`` with each value in a box replaced by a marker, and the values by marker.
    Only text of one line is put back so: a missing value (None) draws differently, and
    the macros indent the lines of what they nest, a value's too. Such a value stays in
    the params, so that a field holding it is drawn afresh (``kept``)."""
    values = {}

    def mark(place: dict) -> dict:
        value = place.get("value")
        if not isinstance(value, str):
            return place
        if value.splitlines() not in ([], [value]):
            raise _NotKeepable(value)
        marker = f"\x00value-{len(values)}\x00"
        values[marker] = value
        return {**place, "value": marker}

    if name in BOXES or name == "date-input":
        params = mark(params)  # (a date's as WTForms gives it, "14 3 2026": not drawn)
    if name == "date-input" and params.get("items"):
        params = {**params, "items": [mark(item) for item in params["items"]]}
    return params, values


def _kept() -> dict:
    return current_app.extensions.setdefault("kept_fields", {})


def kept(name: str, params: dict, draw: Callable[[dict], Markup]) -> Markup:
    """The markup ``draw(params)`` gives for the GOV.UK component ``name``: kept from an
    earlier view with the same params but for what is in its boxes."""
    if not keepable(name, params):
        return draw(params)
    try:
        marked, values = _marked(name, params)
        key = (name, _key(marked))
    except _NotKeepable:
        return draw(params)
    fields = _kept()
    markup = fields.get(key)
    if markup is None:
        if len(fields) >= MOST_KEPT:
            fields.clear()
        markup = fields[key] = str(draw(marked))
    if values:
        # One pass, so that a value that happens to hold a marker is not read again.
        markup = MARKER.sub(lambda found: escape(values[found.group()]), markup)
    return Markup(markup)


def component(name: str, params: dict) -> Markup:
    """The GOV.UK component ``name`` (its folder: "radios", "checkboxes") with ``params``,
    as its macro draws it; kept as ``kept`` says."""
    macro = _macros().get(name)
    if macro is None:
        module = current_app.jinja_env.get_template(f"govuk_frontend_jinja/components/{name}/macro.html").module
        macro = _macros()[name] = getattr(module, "govuk" + name.title().replace("-", ""))
    return kept(name, params, lambda params: Markup(macro(params)))


def _macros() -> dict:
    return current_app.extensions.setdefault("govuk_macros", {})


class _Kept:
    component: str

    def __init__(self, *args, keep: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.keep = keep

    def render(self, params):
        if not self.keep:
            return super().render(params)
        return kept(self.component, params, lambda params: super(_Kept, self).render(params))


class GovTextInput(_Kept, gov.GovTextInput):
    component = "input"


class GovTextArea(_Kept, gov.GovTextArea):
    component = "textarea"


class GovCharacterCount(_Kept, gov.GovCharacterCount):
    component = "character-count"


class GovSelect(_Kept, gov.GovSelect):
    component = "select"


class GovDateInput(_Kept, gov.GovDateInput):
    component = "date-input"


class GovRadioInput(_Kept, gov.GovRadioInput):
    component = "radios"


class GovCheckboxesInput(_Kept, gov.GovCheckboxesInput):
    component = "checkboxes"


class GovCheckboxInput(_Kept, gov.GovCheckboxInput):
    component = "checkboxes"


# Never kept: a password box is drawn afresh, and a file box is only on a few pages.
GovPasswordInput = gov.GovPasswordInput
GovFileInput = gov.GovFileInput
GovSubmitInput = gov.GovSubmitInput
