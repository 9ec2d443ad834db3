"""Administration pages: inviting staff (the link goes by email through the outbox),
changing role and team, deactivating, resetting two-step sign-in; teams, themes and
extra non-working days."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from portal.extensions import db
from portal.models import AuditEntry, NonWorkingDay, OutboxMessage, StaffUser, Team, Theme
from tests.mailed import mailed_path
from tests.staff.conftest import PASSWORD, error_summary


def page(response) -> str:
    return response.get_data(as_text=True)


def test_an_administrator_invites_a_member_of_staff_by_email(signed_in, mail_to):
    admin = signed_in("administrator")
    team = db.session.scalar(select(Team).where(Team.name == "SEND Team"))
    response = admin.post("/staff/admin/staff/invite", data={
        "name": "Tara Manager", "email": "Tara.Manager@Example.org", "role": "team_manager", "team": str(team.id)})
    assert response.headers["Location"] == "/staff/admin/staff"
    user = db.session.scalar(select(StaffUser).where(StaffUser.email == "tara.manager@example.org"))
    assert (user.role, user.team_id, user.password_hash) == ("team_manager", team.id, None)
    [mail] = db.session.scalars(select(OutboxMessage).where(OutboxMessage.purpose == "staff_invite")).all()
    assert mail.to_address == "tara.manager@example.org"
    assert "/staff/set-up/" not in mail.body  # the link is made as it is sent
    link = mailed_path(mail_to, "tara.manager@example.org", "/staff/set-up/")
    assert "Set up your account" in page(admin.get(link))
    assert "Invited" in page(admin.get("/staff/admin/staff"))


def test_an_invitation_needs_a_name_an_address_a_role_and_for_team_managers_a_team(signed_in, make_user):
    admin = signed_in("administrator")
    assert error_summary(page(admin.post("/staff/admin/staff/invite", data={"team": ""}))) == [
        "Select a role", "Enter their full name", "Enter their email address"]
    response = admin.post("/staff/admin/staff/invite", data={
        "name": "No Team", "email": "no.team@example.org", "role": "team_manager", "team": ""})
    assert error_summary(page(response)) == ["Select the team this team manager manages"]
    taken = make_user(email="taken@example.org")
    response = admin.post("/staff/admin/staff/invite", data={
        "name": "Again", "email": taken.email, "role": "report_viewer", "team": ""})
    assert error_summary(page(response)) == ["There is already an account with this email address"]


def test_changing_role_and_team(signed_in, make_user):
    admin = signed_in("administrator")
    officer = make_user("feedback_officer")
    team = db.session.scalar(select(Team).where(Team.name == "Early Help"))
    response = admin.post(f"/staff/admin/staff/{officer.id}", data={"role": "team_manager", "team": str(team.id)})
    assert response.status_code == 302
    db.session.refresh(officer)
    assert (officer.role, officer.team_id) == ("team_manager", team.id)


def test_deactivating_and_reactivating(signed_in, make_user):
    admin = signed_in("administrator")
    officer = make_user("feedback_officer")
    admin.post(f"/staff/admin/staff/{officer.id}/deactivate")
    db.session.refresh(officer)
    assert officer.active is False
    assert "Deactivated" in page(admin.get("/staff/admin/staff"))
    admin.post(f"/staff/admin/staff/{officer.id}/reactivate")
    db.session.refresh(officer)
    assert officer.active is True


def test_an_administrator_cannot_deactivate_themselves(signed_in):
    admin = signed_in("administrator")
    response = admin.post(f"/staff/admin/staff/{admin.user.id}/deactivate", follow_redirects=True)
    assert "You cannot deactivate your own account" in page(response)
    db.session.refresh(admin.user)
    assert admin.user.active


def test_resetting_two_step_sign_in_makes_them_enrol_again(app, signed_in):
    admin = signed_in("administrator")
    officer = signed_in("feedback_officer")
    admin.post(f"/staff/admin/staff/{officer.user.id}/reset-two-step")
    assert officer.get("/staff/").status_code == 302  # signed out everywhere
    db.session.refresh(officer.user)
    assert officer.user.totp_secret is None and not officer.user.two_step_enrolled
    fresh = app.test_client()
    response = fresh.post("/staff/sign-in", data={"email": officer.user.email, "password": PASSWORD})
    assert response.headers["Location"].endswith("/staff/sign-in/set-up-two-step")


def test_resending_an_invitation(signed_in, make_user):
    admin = signed_in("administrator")
    invited = make_user(password=None, enrolled=False)
    admin.post(f"/staff/admin/staff/{invited.id}/resend-invitation")
    assert db.session.scalar(select(OutboxMessage).where(OutboxMessage.to_address == invited.email))


def test_teams_are_added_and_changed(signed_in):
    admin = signed_in("administrator")
    response = admin.post("/staff/admin/teams/new", data={
        "name": "Virtual School", "public_description": "Education of children in care",
        "manager_email": "head@example.org", "active": "yes"})
    assert response.headers["Location"] == "/staff/admin/teams"
    team = db.session.scalar(select(Team).where(Team.name == "Virtual School"))
    admin.post(f"/staff/admin/teams/{team.id}", data={"name": "Virtual School", "active": "no"})
    db.session.refresh(team)
    assert team.active is False
    duplicate = admin.post("/staff/admin/teams/new", data={"name": "virtual school", "active": "yes"})
    assert error_summary(page(duplicate)) == ["There is already a team with this name"]


def test_themes_are_added_and_changed(signed_in):
    admin = signed_in("administrator")
    admin.post("/staff/admin/themes/new", data={"name": "Accessibility", "active": "yes"})
    theme = db.session.scalar(select(Theme).where(Theme.name == "Accessibility"))
    admin.post(f"/staff/admin/themes/{theme.id}", data={"name": "Access to services", "active": "yes"})
    db.session.refresh(theme)
    assert theme.name == "Access to services"
    assert error_summary(page(admin.post("/staff/admin/themes/new", data={"name": "", "active": "yes"}))) == [
        "Enter the theme\u2019s name"]


def test_non_working_days_are_added_once_and_removed(signed_in):
    admin = signed_in("administrator")
    response = admin.post("/staff/admin/non-working-days", data={"day": ["8", "5", "2023"], "description": "Coronation of King Charles III"})
    assert response.status_code == 302
    [day] = db.session.scalars(select(NonWorkingDay)).all()
    assert (day.day, day.description) == (date(2023, 5, 8), "Coronation of King Charles III")
    assert "Monday 8 May 2023" in page(admin.get("/staff/admin/non-working-days"))
    again = admin.post("/staff/admin/non-working-days", data={"day": ["8", "5", "2023"], "description": "Again"})
    assert error_summary(page(again)) == ["This date is already a non-working day"]
    nonsense = admin.post("/staff/admin/non-working-days", data={"day": ["31", "2", "2023"], "description": "No"})
    assert error_summary(page(nonsense)) == ["Date must be a real date"]
    empty = admin.post("/staff/admin/non-working-days", data={"day": ["", "", ""], "description": ""})
    assert error_summary(page(empty)) == ["Enter the date", "Enter a description"]
    admin.post(f"/staff/admin/non-working-days/{day.id}/remove")
    assert db.session.scalars(select(NonWorkingDay)).all() == []


def test_the_dashboard_shows_name_role_and_the_pages_they_may_use(signed_in):
    admin = signed_in("administrator", name="Ada Admin")
    body = page(admin.get("/staff/"))
    assert "Signed in as Ada Admin, Administrator" in body
    assert 'href="/staff/admin/staff"' in body and 'href="/staff/audit"' in body
    viewer = signed_in("report_viewer")
    body = page(viewer.get("/staff/"))
    assert 'href="/staff/admin/staff"' not in body and 'href="/staff/audit"' not in body


def test_an_administrator_ends_a_sign_in_lock(app, signed_in, make_user):
    from portal.services.accounts import auth

    admin = signed_in("administrator")
    officer = make_user()
    stranger = app.test_client()
    for _ in range(20):
        stranger.post("/staff/sign-in", data={"email": officer.email, "password": "guess guess guess"})
    assert "Locked after too many tries" in page(admin.get(f"/staff/admin/staff/{officer.id}"))
    admin.post(f"/staff/admin/staff/{officer.id}/unlock")
    assert not auth.is_locked(officer.email)
    assert "Locked after" not in page(admin.get(f"/staff/admin/staff/{officer.id}"))


# --- Who may give access to cases (issue 14) -------------------------------------------


def test_nobody_changes_their_own_role(signed_in):
    """The review: an administrator promoted themselves to feedback manager."""
    for role in ("administrator", "feedback_manager"):
        client = signed_in(role)
        if role == "feedback_manager":  # has no staff pages: the rule is in the service too
            assert client.post(f"/staff/admin/staff/{client.user.id}", data={"role": "administrator"}).status_code == 403
            continue
        response = client.post(f"/staff/admin/staff/{client.user.id}", data={"role": "feedback_manager", "team": ""})
        assert error_summary(page(response)) == ["You cannot change your own role or team"]
        db.session.refresh(client.user)
        assert client.user.role == role
        assert client.get("/staff/inbox").status_code == 403


def test_case_access_an_administrator_gives_waits_for_a_feedback_manager(app, signed_in, make_user):
    admin = signed_in("administrator")
    viewer = signed_in("report_viewer")
    response = admin.post(f"/staff/admin/staff/{viewer.user.id}", data={"role": "feedback_officer", "team": ""},
                          follow_redirects=True)
    assert "A feedback manager must approve their access to cases" in page(response)
    assert "Access to cases waiting for approval" in page(admin.get("/staff/admin/staff"))
    # Until then the account may do nothing, not even what it could before.
    assert viewer.get("/staff/inbox").status_code == 403
    assert viewer.get("/staff/reports").status_code == 403
    assert admin.get("/staff/case-access").status_code == 403
    assert admin.post(f"/staff/case-access/{viewer.user.id}/approve").status_code == 403

    manager = signed_in("feedback_manager")
    assert "1 person is waiting for you to approve" in page(manager.get("/staff/"))
    waiting = page(manager.get("/staff/case-access"))
    assert viewer.user.name in waiting and admin.user.name in waiting
    response = manager.post(f"/staff/case-access/{viewer.user.id}/approve", follow_redirects=True)
    assert f"{viewer.user.name}\u2019s access to cases has been approved" in page(response)
    assert viewer.get("/staff/inbox").status_code == 200
    [approved] = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "case_access_approved")).all()
    assert (approved.actor_id, approved.entity_id) == (manager.user.id, str(viewer.user.id))


def test_an_invitation_or_reactivation_with_case_access_waits_too(signed_in, make_user):
    admin = signed_in("administrator")
    admin.post("/staff/admin/staff/invite", data={
        "name": "Fay Manager", "email": "fay@example.org", "role": "feedback_manager", "team": ""})
    invited = db.session.scalar(select(StaffUser).where(StaffUser.email == "fay@example.org"))
    assert invited.case_access_requested_by_id == admin.user.id
    officer = make_user("feedback_officer", active=False)
    admin.post(f"/staff/admin/staff/{officer.id}/reactivate")
    db.session.refresh(officer)
    assert officer.active and officer.case_access_requested_by_id == admin.user.id
    # Giving no case access needs nobody's approval.
    admin.post("/staff/admin/staff/invite", data={
        "name": "Rae Viewer", "email": "rae@example.org", "role": "report_viewer", "team": ""})
    assert db.session.scalar(select(StaffUser).where(StaffUser.email == "rae@example.org")).case_access_requested_by_id is None


def test_taking_case_access_away_needs_no_approval(signed_in, make_user):
    admin = signed_in("administrator")
    officer = signed_in("feedback_officer")
    admin.post(f"/staff/admin/staff/{officer.user.id}", data={"role": "investigating_officer", "team": ""})
    db.session.refresh(officer.user)
    assert (officer.user.role, officer.user.case_access_requested_by_id) == ("investigating_officer", None)
    assert officer.get("/staff/inbox").status_code == 200
