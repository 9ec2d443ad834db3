"""Deny by default, proven over the whole URL map: every staff route is either on the
short open list or declares a permission, a signed-out person reaches only the open
list, and each role reaches exactly the routes its permissions allow."""

from __future__ import annotations

import re

import pytest
from flask import current_app

from portal.auth import ANY_SIGNED_IN
from portal.models import STAFF_ROLES
from portal.services.permissions import ROLE_PERMISSIONS
from staff.views import OPEN_VIEWS
from tests.staff.conftest import sign_in

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


@pytest.mark.parametrize("role", STAFF_ROLES)
def test_each_role_reaches_exactly_what_its_permissions_allow(app, make_user, role):
    target = make_user("report_viewer", email="target@example.org")
    user = make_user(role)
    client = app.test_client()
    sign_in(client, user)
    allowed_permissions = ROLE_PERMISSIONS[role]
    reached, refused = [], []
    for endpoint, method, url in staff_routes(app, target.id):
        if endpoint in OPEN_VIEWS:
            continue
        needed = required_permission(endpoint)
        response = client.open(url, method=method)
        should_reach = needed == ANY_SIGNED_IN or needed in allowed_permissions
        if should_reach:
            signed_out_on_purpose = endpoint == "staff.sign_out"
            assert response.status_code != 403 and (signed_out_on_purpose or not is_sent_to_sign_in(response)), (
                role, endpoint, method, response.status_code)
            reached.append(endpoint)
        else:
            assert response.status_code == 403, (role, endpoint, method, response.status_code)
            refused.append(endpoint)
        if endpoint == "staff.sign_out" and should_reach:
            sign_in(client, user)
    assert "staff.dashboard" in reached
    assert role == "administrator" or "staff.staff_list" in refused
