"""Searching the audit trail (administrators and feedback managers). Read only: there
is no route that changes or deletes an entry. Each reader sees only the values their role
may (``audit.visible_values``)."""

from __future__ import annotations

from flask import request
from flask_login import current_user

from portal import auth
from portal.services.common import audit
from portal.services.accounts import staff_accounts
from staff import bp
from staff.accounts.forms import AuditSearchForm
from staff.views import page_or_fragment


@bp.get("/audit")
@auth.permission_required("view_audit")
def audit_trail():
    form = AuditSearchForm(request.args, people=staff_accounts.all_staff(),
                           record_types=audit.entity_types())
    result = None
    if form.validate():
        result = audit.search(
            actor_id=int(form.person.data) if form.person.data else None,
            entity_type=form.record_type.data or None,
            entity_id=form.record_id.data or None,
            date_from=form.date_from.data,
            date_to=form.date_to.data,
            page=request.args.get("page", 1, type=int),
        )
    return page_or_fragment("staff/audit.html", "results", form=form, result=result,
                            show_errors=bool(request.args),
                            values_of=lambda entry: audit.visible_values(entry, current_user))
