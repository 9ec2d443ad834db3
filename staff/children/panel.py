"""The case page's Child and Advocacy panels (docs/development.md, "Adding a panel to the
case page")."""

from __future__ import annotations

from flask_login import current_user

from portal.services.accounts.permissions import has_permission
from portal.services.casework import advocacy
from portal.services.common.labels import AdvocacyAnswer, AdvocacyOfferMethod, ChildStatus
from portal.services.intake import children
from staff.case.panel import CaseView, Panel
from staff.children.forms import AdvocacyForm, ChildForm, LinkChildForm, UnlinkChildForm


def _version(case: CaseView) -> dict:
    return {"version": case.record.version}


def child(case: CaseView) -> dict:
    record = case.record
    editing = has_permission(current_user, "edit_cases")
    return {
        "child_form": case.form("child", lambda: ChildForm(
            data={**ChildForm.data_of(record.child), **_version(case)}, formdata=None)),
        "link_form": case.form("link-child", lambda: LinkChildForm(data=_version(case), formdata=None)),
        "unlink_form": UnlinkChildForm(data=_version(case), formdata=None),
        # Children already held who may be this one: staff check, then link or merge.
        "suggested_children": children.suggested_matches(record.child) if editing else [],
        "can_merge_children": has_permission(current_user, "merge_children"),
        "child_statuses": ChildStatus,
    }


def advocacy_panel(case: CaseView) -> dict:
    record = case.record
    return {
        "advocacy": record.advocacy,
        "advocacy_form": case.form("advocacy", lambda: AdvocacyForm(
            data={**AdvocacyForm.data_of(record.advocacy), **_version(case)}, formdata=None)),
        "can_pause_for_advocate": advocacy.can_pause_for(record),
        "offer_methods": AdvocacyOfferMethod,
        "answers": AdvocacyAnswer,
    }


def _about_someone(record) -> bool:
    """Compliments name no child; every question, concern and complaint may."""
    return record.kind != "compliment"


def header_child(case: CaseView) -> dict:
    return {"child_statuses": ChildStatus, "child_badge_colours": BADGE_COLOURS}


# The circumstances that most change how a case is handled stand out in the header.
BADGE_COLOURS = {"in_care": "purple", "care_leaver": "purple", "child_protection_plan": "red"}

CHILD = Panel("child", "staff/case/_child.html", child, shown=_about_someone)
# The child in the case's header, beside the reference, the person, the status and the due date.
HEADER_CHILD = Panel("case-child", "staff/case/_header_child.html", header_child, shown=_about_someone)
ADVOCACY = Panel("advocacy", "staff/case/_advocacy.html", advocacy_panel, shown=_about_someone)
