"""The staff side (url prefix /staff): sign-in, triage, cases, reports, administration.

Each package holds the views and forms of one part of the work; importing a views
module registers its routes on ``bp``."""

from flask import Blueprint

bp = Blueprint("staff", __name__)

from staff import views  # noqa: E402,F401
from staff.accounts import account, admin, audit_trail, sign_in  # noqa: E402,F401
from staff.triage import inbox, people  # noqa: E402,F401
from staff.case import views as case_views  # noqa: E402,F401
from staff.procedures import views as procedure_views  # noqa: E402,F401
from staff.casework import views as casework_views  # noqa: E402,F401
from staff.data_protection import views as data_protection_views  # noqa: E402,F401
from staff.reports import views as report_views  # noqa: E402,F401
