"""Administration: staff accounts, teams, themes and extra non-working days.

Every change here is a row change, so the audit trail records it with old and new values.
"""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, url_for
from flask_login import current_user

from portal import auth
from portal.extensions import db
from portal.models import NonWorkingDay, StaffUser, Team, Theme
from portal.services.accounts import administration, staff_accounts
from portal.services.common import outbox
from portal.services.accounts import auth as auth_service
from portal.services.common.dates import now_utc
from staff import bp
from staff.accounts.forms import InviteForm, NonWorkingDayForm, StaffRoleForm, TeamForm, ThemeForm
from staff.changes import carry_out, carry_out_and_flash

manage_staff = auth.permission_required("manage_staff")
manage_reference_data = auth.permission_required("manage_reference_data")


# --- Staff -------------------------------------------------------------------------------


@bp.get("/admin/staff")
@manage_staff
def staff_list():
    return render_template("staff/admin/staff_list.html", staff=staff_accounts.all_staff())


@bp.route("/admin/staff/invite", methods=["GET", "POST"])
@manage_staff
def staff_invite():
    form = InviteForm(teams=administration.all_teams())
    invited = carry_out(form, lambda f: staff_accounts.invite(f.email.data, f.name.data, f.role.data, f.team_id,
                                                              by=current_user))
    if invited.done:
        flash(f"Invitation sent to {form.email.data.lower()}" + _approval_note(invited.result), "success")
        return redirect(url_for("staff.staff_list"))
    return render_template("staff/admin/staff_invite.html", form=form)


@bp.route("/admin/staff/<int:user_id>", methods=["GET", "POST"])
@manage_staff
def staff_edit(user_id: int):
    user = db.get_or_404(StaffUser, user_id)
    form = StaffRoleForm(obj=None, data={"role": user.role, "team": str(user.team_id or "")},
                         teams=administration.all_teams())
    if carry_out(form, lambda f: staff_accounts.change(user, f.role.data, f.team_id, by=current_user)).done:
        flash(f"{user.name}\u2019s role and team have been changed" + _approval_note(user), "success")
        return redirect(url_for("staff.staff_list"))
    return render_template("staff/admin/staff_edit.html", form=form, user=user,
                           locked=auth_service.is_locked(user.email))


def _approval_note(user: StaffUser) -> str:
    if not user.awaiting_case_access:
        return ""
    return (". A feedback manager must approve their access to cases before they can use "
            "the portal")


def _staff_action(user_id: int, action, done: str):
    user = db.get_or_404(StaffUser, user_id)
    carry_out_and_flash(lambda: action(user), lambda _: done.format(name=user.name) + _approval_note(user))
    return redirect(url_for("staff.staff_edit", user_id=user.id))


@bp.post("/admin/staff/<int:user_id>/deactivate")
@manage_staff
def staff_deactivate(user_id: int):
    return _staff_action(user_id, lambda u: staff_accounts.deactivate(u, by=current_user),
                         "{name}\u2019s account has been deactivated")


@bp.post("/admin/staff/<int:user_id>/reactivate")
@manage_staff
def staff_reactivate(user_id: int):
    return _staff_action(user_id, lambda u: staff_accounts.reactivate(u, by=current_user),
                         "{name}\u2019s account has been reactivated")


@bp.post("/admin/staff/<int:user_id>/reset-two-step")
@manage_staff
def staff_reset_two_step(user_id: int):
    return _staff_action(user_id, staff_accounts.reset_two_step,
                         "{name} will set up two-step sign-in again when they next sign in")


@bp.post("/admin/staff/<int:user_id>/unlock")
@manage_staff
def staff_unlock(user_id: int):
    return _staff_action(user_id, staff_accounts.unlock, "{name} can try to sign in again")


@bp.post("/admin/staff/<int:user_id>/resend-invitation")
@manage_staff
def staff_resend_invitation(user_id: int):
    return _staff_action(user_id, staff_accounts.resend_invitation,
                         "A new invitation has been sent to {name}")


# --- Approving case access (feedback managers) --------------------------------------------


@bp.get("/case-access")
@auth.permission_required("approve_case_access")
def case_access_requests():
    return render_template("staff/admin/case_access.html", waiting=staff_accounts.awaiting_case_access())


@bp.post("/case-access/<int:user_id>/approve")
@auth.permission_required("approve_case_access")
def case_access_approve(user_id: int):
    user = db.get_or_404(StaffUser, user_id)
    carry_out_and_flash(lambda: staff_accounts.approve_case_access(user, by=current_user),
                        f"{user.name}\u2019s access to cases has been approved")
    return redirect(url_for("staff.case_access_requests"))


# --- Mail that could not be sent (feedback managers) -------------------------------------


@bp.get("/failed-mail")
@auth.permission_required("view_failed_mail")
def failed_mail():
    return render_template("staff/failed_mail.html", messages=outbox.failed())


# --- Background work (administrators): counts, ages, reasons and jobs, no case content ---


@bp.get("/admin/background-work")
@auth.permission_required("manage_background_work")
def background_work():
    from portal.services.background import jobs
    from portal.services.mail_in import reader, review

    runs = jobs.last_runs()
    return render_template("staff/admin/background_work.html", waiting=outbox.waiting(),
                           failed=outbox.failed(), jobs=runs, now=now_utc(),
                           reason=outbox.reason_without_addresses,
                           mailbox=reader.MailboxSettings.from_config(current_app.config),
                           mail_in_run=next((r for r in runs if r.job == jobs.MAIL_IN), None),
                           mail_to_review=review.waiting_count())


@bp.post("/admin/background-work/<int:message_id>/try-again")
@auth.permission_required("manage_background_work")
def background_work_try_again(message_id: int):
    try:
        outbox.try_again(message_id)
    except outbox.NotFailed as refusal:
        db.session.rollback()
        flash(str(refusal), "info")
    else:
        db.session.commit()  # the worker is asked to send it now
        flash(f"Message {message_id} will be tried again", "success")
    return redirect(url_for("staff.background_work"))


# --- Teams and themes -------------------------------------------------------------------


@bp.get("/admin/teams")
@manage_reference_data
def teams():
    return render_template("staff/admin/teams.html", teams=administration.all_teams())


@bp.route("/admin/teams/new", methods=["GET", "POST"], defaults={"team_id": None})
@bp.route("/admin/teams/<int:team_id>", methods=["GET", "POST"])
@manage_reference_data
def team_edit(team_id: int | None):
    team = db.get_or_404(Team, team_id) if team_id is not None else None
    data = {"active": "yes"} if team is None else {
        "name": team.name, "public_description": team.public_description,
        "manager_email": team.manager_email, "active": "yes" if team.active else "no"}
    form = TeamForm(data=data)
    saved = carry_out(form, lambda f: administration.save_team(
        team, f.name.data, f.public_description.data, f.manager_email.data, f.active.data == "yes"))
    if saved.done:
        flash(f"{saved.result.name} has been saved", "success")
        return redirect(url_for("staff.teams"))
    return render_template("staff/admin/team_edit.html", form=form, team=team)


@bp.get("/admin/themes")
@manage_reference_data
def themes():
    return render_template("staff/admin/themes.html", themes=administration.all_themes())


@bp.route("/admin/themes/new", methods=["GET", "POST"], defaults={"theme_id": None})
@bp.route("/admin/themes/<int:theme_id>", methods=["GET", "POST"])
@manage_reference_data
def theme_edit(theme_id: int | None):
    theme = db.get_or_404(Theme, theme_id) if theme_id is not None else None
    data = {"active": "yes"} if theme is None else {"name": theme.name, "active": "yes" if theme.active else "no"}
    form = ThemeForm(data=data)
    saved = carry_out(form, lambda f: administration.save_theme(theme, f.name.data, f.active.data == "yes"))
    if saved.done:
        flash(f"{saved.result.name} has been saved", "success")
        return redirect(url_for("staff.themes"))
    return render_template("staff/admin/theme_edit.html", form=form, theme=theme)


# --- Non-working days ------------------------------------------------------------------


@bp.route("/admin/non-working-days", methods=["GET", "POST"])
@manage_reference_data
def non_working_days():
    form = NonWorkingDayForm()
    if carry_out(form, lambda f: administration.add_non_working_day(f.day.data, f.description.data)).done:
        flash("The non-working day has been added", "success")
        return redirect(url_for("staff.non_working_days"))
    return render_template("staff/admin/non_working_days.html", form=form,
                           days=administration.non_working_days())


@bp.post("/admin/non-working-days/<int:day_id>/remove")
@manage_reference_data
def non_working_day_remove(day_id: int):
    administration.remove_non_working_day(db.get_or_404(NonWorkingDay, day_id))
    db.session.commit()
    flash("The non-working day has been removed", "success")
    return redirect(url_for("staff.non_working_days"))
