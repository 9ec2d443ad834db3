"""The one press that accepts a suggestion: which (theme or team) and its name."""

from __future__ import annotations

from wtforms import HiddenField
from wtforms.validators import AnyOf, InputRequired

from staff.case.forms import VersionedForm


class AcceptSuggestionForm(VersionedForm):
    which = HiddenField(validators=[AnyOf(("theme", "team"), "Choose a theme or a team suggestion")])
    name = HiddenField(validators=[InputRequired("Choose a suggestion")])
