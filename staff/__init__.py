"""The staff side (url prefix /staff): sign-in, triage, cases, reports, administration."""

from flask import Blueprint

bp = Blueprint("staff", __name__)

from staff import views, sign_in, audit_trail, admin  # noqa: E402,F401
from staff import inbox, cases, people, reports, data_protection, casework, procedures  # noqa: E402,F401
from staff import account  # noqa: E402,F401
