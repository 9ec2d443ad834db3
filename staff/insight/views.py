"""Accepting a suggestion on the case page, and the administrator's insight page."""

from __future__ import annotations

from datetime import datetime

from flask import current_app, render_template
from flask_login import current_user

from portal.auth import permission_required
from portal.models import Feedback
from portal.services.background.jobs import last_runs
from portal.services.insight import store, suggestions
from staff import bp
from staff.case.acting import act, case_action
from staff.insight.forms import AcceptSuggestionForm
from staff.insight.panel import INSIGHT


@bp.post("/cases/<reference>/suggestion")
@case_action("edit_cases")
def case_suggestion(record: Feedback):
    return act(record, INSIGHT, "suggestion", AcceptSuggestionForm(), lambda f: suggestions.accept(
        record, f.which.data, f.name.data, current_user, f.expected_version, current_app.config["INSIGHT_PATH"]),
        "Suggestion accepted", fields={"name": "name"})


@bp.get("/admin/insight")
@permission_required("manage_background_work")
def insight_admin():
    about = store.about(current_app.config["INSIGHT_PATH"])
    job = next((run for run in last_runs() if run.job == "insight_training"), None)
    # Trained after the job's last run finished: by `flask insight train`, so what that run
    # said ("not trained: 0 closed records ...") is not what the figures above are about.
    trained_since = bool(about and about.get("trained_at") and job and job.finished_at
                         and datetime.fromisoformat(about["trained_at"]) > job.finished_at)
    return render_template("staff/admin/insight.html", about=about, acceptance=suggestions.acceptance(),
                           job=job, trained_since=trained_since, minimum=current_app.config["INSIGHT_MIN_RECORDS"])
