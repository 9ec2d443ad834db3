"""Who may do what: one table from role to permissions, and the rules for cases.

docs/permissions.md is this table written out for people; a test checks they agree.
Views declare what they need with ``portal.auth.permission_required``; services check
again with ``has_permission`` and ``can_view_feedback`` where a record is involved.
"""

from __future__ import annotations

from sqlalchemy import false, or_, select, true

from portal.models import Feedback, Stage

PERMISSIONS = {
    "view_cases": "See feedback records and case pages (which ones depends on the role)",
    "view_all_cases": "See every feedback record, not only assigned or team cases",
    "edit_cases": "Triage, record and change feedback records and their stages",
    "assign_cases": "Assign cases to members of staff",
    "view_workload": "See each officer's open cases (team managers: their team's)",
    "merge_children": "Merge two records of one child (after checking they are the same child)",
    "follow_up_safeguarding": "Record what was done about a safeguarding concern",
    "view_actions": "See the action plan (team managers: their team's actions)",
    "manage_actions": "Add and update actions on the action plan",
    "manage_restrictions": "Record letters restricting unreasonably persistent contact, and their reviews",
    "view_reports": "See and download reports",
    "view_annual_reports": "See the annual reports, the Ombudsman's figures and the self-assessment",
    "view_home_summaries": "See a children's home's 12 months for Ofsted (its counts are small and not suppressed)",
    "manage_annual_reports": "Write the self-assessment and the Member Responsible for Complaints' response",
    "reconcile_ombudsman": "Import the Ombudsman's case spreadsheets and reconcile them with the cases",
    "export_data": "Export data and answer subject access requests",
    "view_audit": "Search the audit trail",
    "manage_staff": "Invite staff, change their role and team, deactivate them, reset two-step sign-in",
    "manage_reference_data": "Manage teams, themes and non-working days",
    "manage_retention": "Set how long each kind of record keeps its personal data",
    "manage_data_protection": "Place and lift legal holds, remove personal data past its retention date, erase a person's records on request",
    "view_access_log": "See who viewed a case",
    "approve_case_access": "Approve a role that sees cases, given by someone else",
    "override_letter_checks": "Send a letter or email that lacks a required part, giving a reason (audited)",
    "manage_letter_templates": "Edit the letter and email templates and the jargon list",
    "view_failed_mail": "See the mail that could not be sent, and why",
    "manage_background_work": "See the mail waiting and the scheduled jobs, and try failed mail again",
    "manage_documents": "See the quarantine of files that failed or are waiting for the virus scan, and remove documents from a case file",
    "allow_same_stage2_handler": "Allow the Stage 1 officer to handle a corporate Stage 2, with the reason",
    "review_mail_in": "See the email that did not become a case (auto-replies, bounces, spam, unknown senders) and deal with it",
}

# The one place that says what each role may do.
ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    "administrator": frozenset({
        "view_audit", "manage_staff", "manage_reference_data", "manage_retention", "view_access_log",
        "manage_background_work",
    }),
    "feedback_manager": frozenset({
        "view_cases", "view_all_cases", "edit_cases", "assign_cases", "merge_children", "follow_up_safeguarding",
        "view_actions", "manage_actions", "manage_restrictions", "view_reports", "export_data", "view_audit",
        "manage_data_protection", "view_access_log", "approve_case_access",
        "view_failed_mail", "manage_documents", "override_letter_checks", "manage_letter_templates",
        "allow_same_stage2_handler", "view_annual_reports", "view_home_summaries", "manage_annual_reports", "reconcile_ombudsman", "view_workload",
        "review_mail_in",
    }),
    "feedback_officer": frozenset({
        "view_cases", "view_all_cases", "edit_cases", "assign_cases", "view_actions",
        "manage_actions", "view_reports", "view_annual_reports", "view_home_summaries", "reconcile_ombudsman",
        "review_mail_in",
    }),
    "investigating_officer": frozenset({"view_cases"}),
    "independent_person": frozenset({"view_cases"}),
    "team_manager": frozenset({"view_cases", "view_actions", "view_reports", "view_workload"}),
    "report_viewer": frozenset({"view_reports", "view_annual_reports", "view_home_summaries"}),
    "elected_member": frozenset({"view_reports", "view_annual_reports"}),
}

# Roles that never learn that a case, a person or any page beyond their own exists: every
# page they may not use answers 404, not 403 (the Code's oversight by elected members).
RECORDS_HIDDEN = frozenset({"elected_member"})

# Roles that see only the cases assigned to them, or with a stage they are appointed to.
ASSIGNED_ONLY = frozenset({"investigating_officer", "independent_person"})


def permissions_of(role: str) -> frozenset[str]:
    return ROLE_PERMISSIONS.get(role, frozenset())


def has_permission(user, permission: str) -> bool:
    if permission not in PERMISSIONS:
        raise KeyError(f"unknown permission {permission!r}")
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if getattr(user, "case_access_requested_by_id", None) is not None:
        return False  # case access given by someone else, waiting for a feedback manager
    return permission in permissions_of(user.role)


def can_view_feedback(user, feedback: Feedback) -> bool:
    """Investigating Officers and Independent Persons: the cases assigned to them, and
    those with a stage they are appointed to from their account (officer, Investigating
    Officer or Independent Person; a Stage 3 panel keeps names only). Team managers: their team's cases. Feedback managers and officers: every case."""
    if not has_permission(user, "view_cases"):
        return False
    if has_permission(user, "view_all_cases"):
        return True
    if user.role in ASSIGNED_ONLY:
        if feedback.assigned_to_id is not None and feedback.assigned_to_id == user.id:
            return True
        return any(user.id in (s.officer_id, s.investigating_officer_id, s.independent_person_id)
                   for s in feedback.stages)
    if user.role == "team_manager":
        return user.team_id is not None and feedback.team_id == user.team_id
    return False


def visible_feedback(user):
    """A WHERE clause for the feedback this person may see, for lists and searches:
    ``select(Feedback).where(visible_feedback(user))``. Agrees with ``can_view_feedback``."""
    if not has_permission(user, "view_cases"):
        return false()
    if has_permission(user, "view_all_cases"):
        return Feedback.id.is_not(None)
    if user.role in ASSIGNED_ONLY:
        return or_(Feedback.assigned_to_id == user.id, Feedback.id.in_(appointed_to(user)))
    if user.role == "team_manager" and user.team_id is not None:
        return Feedback.team_id == user.team_id
    return false()


def visible_feedback_counted(user):
    """``visible_feedback(user)`` for a count of feedback alone (no join that may leave it
    empty): for someone who sees every record, no condition at all. ``feedback.id IS NOT
    NULL`` is true of every record there, but PostgreSQL counts from an index alone only
    if the index holds every column the query names, and the counts' indexes hold no id."""
    if has_permission(user, "view_cases") and has_permission(user, "view_all_cases"):
        return true()
    return visible_feedback(user)


def visible_by_team(user, team_key):
    """``visible_feedback(user)`` for counts kept by team (OpenRecordCount.team_key, 0 for
    records of no team), where it depends on the team alone: every row for someone who
    sees every record, their team's for a team manager, none for someone who sees none;
    None where it depends on more than the team (Investigating Officers and Independent
    Persons see the records assigned to them or with a stage they are appointed to, which
    no count kept by team can tell). Branch for branch as ``visible_feedback``."""
    if not has_permission(user, "view_cases"):
        return false()
    if has_permission(user, "view_all_cases"):
        return true()
    if user.role in ASSIGNED_ONLY:
        return None
    if user.role == "team_manager" and user.team_id is not None:
        return team_key == user.team_id
    return false()


def visible_stages_counted(user):
    """``visible_feedback(user)`` written over a stage's own copies of its case's assignee
    and team (Stage.case_assigned_to_id, case_team_id, kept by the database: migration
    0028), for counts of stages that read no record: the same stages as joining each to
    its record and asking ``visible_feedback``."""
    if not has_permission(user, "view_cases"):
        return false()
    if has_permission(user, "view_all_cases"):
        return true()
    if user.role in ASSIGNED_ONLY:
        return or_(Stage.case_assigned_to_id == user.id, Stage.feedback_id.in_(appointed_to(user)))
    if user.role == "team_manager" and user.team_id is not None:
        return Stage.case_team_id == user.team_id
    return false()


def appointed_to(user):
    """The ids of the cases with a stage this account is appointed to, as a subquery."""
    return select(Stage.feedback_id).where(or_(
        Stage.officer_id == user.id, Stage.investigating_officer_id == user.id,
        Stage.independent_person_id == user.id))
