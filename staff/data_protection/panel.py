"""The case page's data protection panel: when personal data was removed, the legal
holds on the record, and links to the holds and to who viewed it."""

from __future__ import annotations

from flask_login import current_user

from portal.services.accounts.permissions import has_permission
from portal.services.data_protection import holds
from staff.case.panel import CaseView, Panel


def data_protection(case: CaseView) -> dict:
    if not has_permission(current_user, "manage_data_protection"):
        return {"holds": []}
    return {"holds": holds.in_force(feedback=case.record)}


DATA_PROTECTION = Panel("data-protection", "staff/case/_data_protection.html", data_protection)
