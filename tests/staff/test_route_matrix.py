"""Deny by default, proven over the whole URL map: every staff route is either on the
short open list or declares a permission, a signed-out person reaches only the open
list, and each role reaches exactly the routes docs/permissions.md gives it.

What each role should reach is written out here from docs/permissions.md (its matrix
and its table of pages), never read from the code's own table, so that a change to
ROLE_PERMISSIONS or to a view's decorator fails here until the docs and this file agree.
tests/staff/test_case_access.py walks the case-level pages with records that exist.
"""

from __future__ import annotations

import re

import pytest
from flask import current_app

from portal.auth import ANY_SIGNED_IN
from portal.services.common.labels import StaffRole
from portal.services.accounts.permissions import ROLE_PERMISSIONS
from staff.views import OPEN_VIEWS
from tests.staff.conftest import sign_in

# docs/permissions.md, "The matrix": each role's permissions.
EXPECTED_PERMISSIONS = {
    "administrator": {"view_audit", "manage_staff", "manage_reference_data", "manage_retention",
                      "view_access_log", "manage_background_work"},
    "feedback_manager": {"view_cases", "view_all_cases", "edit_cases", "assign_cases", "merge_children",
                         "follow_up_safeguarding",
                         "view_actions", "manage_actions", "manage_restrictions", "view_reports", "export_data", "view_audit",
                         "manage_data_protection", "view_access_log", "approve_case_access", "view_failed_mail",
                         "manage_documents", "override_letter_checks", "manage_letter_templates",
                         "allow_same_stage2_handler", "view_annual_reports", "view_home_summaries", "manage_annual_reports",
                         "reconcile_ombudsman", "view_workload", "review_mail_in"},
    "feedback_officer": {"view_cases", "view_all_cases", "edit_cases", "assign_cases", "view_actions",
                         "manage_actions", "view_reports", "view_annual_reports", "view_home_summaries", "reconcile_ombudsman",
                         "review_mail_in"},
    "investigating_officer": {"view_cases"},
    "independent_person": {"view_cases"},
    "team_manager": {"view_cases", "view_actions", "view_reports", "view_workload"},
    "report_viewer": {"view_reports", "view_annual_reports", "view_home_summaries"},
    "elected_member": {"view_reports", "view_annual_reports"},
}
# docs/permissions.md, "Elected members": every page they may not use answers 404.
HIDDEN_FROM = {"elected_member"}

# docs/permissions.md, "Staff pages today" and what the permissions mean: the
# permission each staff route needs.
ROUTES_BY_PERMISSION = {
    ANY_SIGNED_IN: {"dashboard", "sign_out", "account", "account_password", "account_recovery_codes"},
    "view_audit": {"audit_trail"},
    "view_cases": {"inbox_page", "case", "person", "case_document_download", "case_bundle",
                   "letter_view", "letter_pdf", "letter_word", "child",
                   "inbox_csv", "inbox_save_filter", "inbox_delete_filter"},
    "assign_cases": {"case_assign", "inbox_assign"},
    "view_workload": {"workload_page"},
    "merge_children": {"child_merge"},
    "follow_up_safeguarding": {"case_safeguarding_action"},
    "edit_cases": {
        "log_contact", "inbox_classify", "inbox_close", "case_classify", "case_suggestion", "case_note", "case_outcome", "case_not_accepted", "case_flag",
        "case_child", "case_child_link", "case_child_unlink", "case_advocacy",
        "case_share", "case_publication", "stage_request",
        "case_enquiry_add", "case_enquiry_status", "case_enquiry_decision", "case_recommendation_add",
        "case_recommendation_compliance", "enquiry_for_unknown_complaint",
        "case_payment_add", "case_payment_correct", "case_payment_remove",
        "stage_acknowledge", "stage_element_add", "stage_element_change", "stage_element_outcome",
        "stage_element_remove", "stage_extend", "stage_independent_person", "stage_investigating_officer",
        "stage_officer", "stage_panel", "stage_panel_meeting", "stage_panel_report", "stage_pause",
        "stage_resume", "stage_statement",
        "case_documents_add", "case_document_describe",
        "letter_write", "letters_to_post", "letters_to_post_pdf",
        "case_reply",
    },
    "manage_documents": {"case_document_remove", "quarantine"},
    "manage_letter_templates": {"letter_templates", "letter_template_edit", "jargon_list", "jargon_remove"},
    "view_actions": {"action_plan", "action_status"},
    "manage_actions": {"case_action_raise", "case_recommendation_action", "action_reassign"},
    "manage_restrictions": {"restriction_new", "restriction_review", "restriction_list", "restriction_letter"},
    "view_reports": {"reports", "report_pdf", "report_xlsx", "report_zip"},
    "view_annual_reports": {"annual_reports", "annual_report", "annual_report_pdf", "annual_report_xlsx",
                            "statutory_report", "statutory_report_pdf", "statutory_report_xlsx",
                            "self_assessment_page", "self_assessment_page_pdf", "self_assessment_page_xlsx",
                            "ombudsman_figures"},
    "view_home_summaries": {"childrens_home_summary", "childrens_home_summary_pdf", "childrens_home_summary_xlsx"},
    "manage_annual_reports": {"member_response", "self_assessment_edit"},
    "reconcile_ombudsman": {"ombudsman_import", "ombudsman_reconciliation"},
    "export_data": {"subject_access_requests", "subject_access_request", "subject_access_new",
                    "subject_access_release", "subject_access_download"},
    "manage_staff": {"staff_list", "staff_invite", "staff_edit", "staff_deactivate", "staff_reactivate",
                     "staff_reset_two_step", "staff_unlock", "staff_resend_invitation"},
    "manage_reference_data": {"teams", "team_edit", "themes", "theme_edit", "non_working_days",
                              "non_working_day_remove", "timescales", "timescale_set_new"},
    "manage_retention": {"retention_rules"},
    "manage_data_protection": {"purge", "case_legal_holds", "lift_legal_hold", "data_protection_person",
                               "person_details", "person_erase", "person_legal_hold"},
    "view_access_log": {"data_protection", "case_viewers"},
    "approve_case_access": {"case_access_requests", "case_access_approve"},
    "view_failed_mail": {"failed_mail"},
    "review_mail_in": {"mail_review", "mail_review_act", "mail_in_original"},
    "manage_background_work": {"background_work", "background_work_try_again", "insight_admin"},
}
EXPECTED_ROUTE_PERMISSION = {
    f"staff.{endpoint}": permission
    for permission, endpoints in ROUTES_BY_PERMISSION.items() for endpoint in endpoints
}

METHODS = ("GET", "POST")


def staff_routes(app, target_id: int):
    """(endpoint, method, url) for every method of every staff rule, with made-up
    arguments (ids point at a member of staff who is not the one signed in)."""
    routes = []
    for rule in app.url_map.iter_rules():
        if not rule.endpoint.startswith("staff."):
            continue
        # Each rule's own path, its arguments filled in (url_for might pick a sibling rule).
        url = re.sub(r"<(?:(\w+):)?(\w+)>",
                     lambda m: str(target_id) if m.group(1) == "int" else "not-a-real-token", rule.rule)
        for method in METHODS:
            if method in rule.methods:
                routes.append((rule.endpoint, method, url))
    return routes


def required_permission(endpoint: str):
    return getattr(current_app.view_functions[endpoint], "required_permission", None)


def is_sent_to_sign_in(response) -> bool:
    return response.status_code == 302 and "/staff/sign-in" in response.headers.get("Location", "")


def test_every_staff_route_is_open_or_declares_a_permission(app):
    undeclared = [
        rule.endpoint for rule in app.url_map.iter_rules()
        if rule.endpoint.startswith("staff.") and rule.endpoint not in OPEN_VIEWS
        and required_permission(rule.endpoint) is None
    ]
    assert undeclared == []


def test_the_open_list_is_short_and_only_signing_in():
    assert OPEN_VIEWS == {
        "staff.sign_in", "staff.two_step", "staff.enrol", "staff.set_up",
        "staff.password_reset", "staff.reset_password",
    }


def test_a_signed_out_person_reaches_only_the_open_views(app, client, make_user):
    target = make_user("feedback_officer")
    checked = 0
    for endpoint, method, url in staff_routes(app, target.id):
        if endpoint in OPEN_VIEWS:
            continue
        response = client.open(url, method=method)
        checked += 1
        if method == "GET":
            assert is_sent_to_sign_in(response), (endpoint, method, response.status_code)
        else:
            assert response.status_code == 403, (endpoint, method, response.status_code)
    assert checked >= 15


def test_an_htmx_request_when_signed_out_is_sent_to_sign_in(client):
    response = client.get("/staff/audit", headers={"HX-Request": "true"})
    assert response.status_code == 401
    assert response.headers["HX-Redirect"].startswith("/staff/sign-in")


def test_the_code_gives_each_role_the_documented_permissions():
    assert {role: set(granted) for role, granted in ROLE_PERMISSIONS.items()} == EXPECTED_PERMISSIONS
    assert set(EXPECTED_PERMISSIONS) == set(StaffRole.codes())


def test_every_staff_route_needs_the_documented_permission(app):
    declared = {
        rule.endpoint: required_permission(rule.endpoint) for rule in app.url_map.iter_rules()
        if rule.endpoint.startswith("staff.") and rule.endpoint not in OPEN_VIEWS
    }
    assert declared == EXPECTED_ROUTE_PERMISSION


@pytest.mark.parametrize("role", StaffRole.codes())
def test_each_role_reaches_exactly_what_the_docs_allow(app, make_user, role):
    target = make_user("report_viewer", email="target@example.org")
    user = make_user(role)
    client = app.test_client()
    sign_in(client, user)
    allowed_permissions = EXPECTED_PERMISSIONS[role]
    reached, refused = [], []
    for endpoint, method, url in staff_routes(app, target.id):
        if endpoint in OPEN_VIEWS:
            continue
        needed = EXPECTED_ROUTE_PERMISSION[endpoint]
        response = client.open(url, method=method)
        should_reach = needed == ANY_SIGNED_IN or needed in allowed_permissions
        if should_reach:
            signed_out_on_purpose = endpoint == "staff.sign_out"
            assert response.status_code != 403 and (signed_out_on_purpose or not is_sent_to_sign_in(response)), (
                role, endpoint, method, response.status_code)
            reached.append(endpoint)
        else:
            refused_with = 404 if role in HIDDEN_FROM else 403
            assert response.status_code == refused_with, (role, endpoint, method, response.status_code)
            refused.append(endpoint)
        if endpoint == "staff.sign_out" and should_reach:
            sign_in(client, user)
    assert "staff.dashboard" in reached
    assert role == "administrator" or "staff.staff_list" in refused
