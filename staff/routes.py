"""Every page of the staff side: importing this module imports each views module, so that
the staff blueprint, ``bp``, has all its routes. Add a new views module here."""

from staff import bp
from staff import views  # noqa: F401
from staff.accounts import account, admin, audit_trail, sign_in  # noqa: F401
from staff.triage import inbox, people, workload  # noqa: F401
from staff.case import views as case_views  # noqa: F401
from staff.procedures import views as procedure_views  # noqa: F401
from staff.casework import views as casework_views  # noqa: F401
from staff.correspondence import views as correspondence_views  # noqa: F401
from staff.children import views as children_views  # noqa: F401
from staff.data_protection import views as data_protection_views  # noqa: F401
from staff.reports import views as report_views  # noqa: F401
from staff.files import views as file_views  # noqa: F401
from staff.annual import views as annual_views  # noqa: F401
from staff.insight import views as insight_views  # noqa: F401
from staff.mail_in import views as mail_in_views  # noqa: F401

__all__ = ["bp"]
