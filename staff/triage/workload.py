"""The workload page: each officer's open cases, for the managers who share out the work."""

from __future__ import annotations

from flask import render_template
from flask_login import current_user

from portal import auth
from portal.services.common.dates import today
from portal.services.triage import workload
from portal.services.triage.inbox import end_of_week
from staff import bp


@bp.get("/workload")
@auth.permission_required("view_workload")
def workload_page():
    day = today()
    return render_template("staff/workload.html", loads=workload.workload(current_user, day),
                           columns=workload.COLUMNS, headings=workload.HEADINGS, today=day,
                           week_end=end_of_week(day), quarter_start=workload.quarter_start(day))
