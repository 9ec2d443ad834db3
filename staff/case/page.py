"""The case page: its panels, in order, and what an HTMX change in one of them sends back.

Each panel (``staff.case.panel.Panel``) is one partial under templates/staff/case/ fed by
its view-model; the page is the three columns below, rendered in this order. To add a
panel, see docs/development.md, "Adding a panel to the case page"."""

from __future__ import annotations

from flask import make_response, render_template
from flask_login import current_user
from markupsafe import Markup

from portal.models import Feedback
from portal.services.accounts.permissions import has_permission
from portal.services.common.dates import today
from portal.services.procedures import reckoning
from staff.case import panels as case
from staff.case.panel import CaseView, Panel, Sent
from staff.casework.panels import ACTIONS, MONEY, OMBUDSMAN, RESTRICTIONS
from staff.correspondence.panel import LETTERS
from staff.children.panel import ADVOCACY, CHILD, HEADER_CHILD
from staff.data_protection.panel import DATA_PROTECTION
from staff.files.panel import DOCUMENTS
from staff.insight.panel import INSIGHT
from staff.mail_in.panel import CORRESPONDENCE
from staff.procedures.panel import PROCEDURE
from staff.views import is_panel_request

TEMPLATE = "staff/case.html"

# In the case's header (always in view: the reference, the person, the status and the
# due date), then the two columns.
HEADER = (case.TAGS, case.DUE, case.SAFEGUARDING, HEADER_CHILD)
MAIN = (case.SUMMARY, case.FACTS, INSIGHT, case.OUTCOME, PROCEDURE, case.NOT_ACCEPTED, ADVOCACY, LETTERS, CORRESPONDENCE, OMBUDSMAN, MONEY, ACTIONS,
        case.COMPLIMENT, DOCUMENTS, case.NOTES, case.TIMELINE)
SIDEBAR = (case.PERSON, CHILD, RESTRICTIONS, case.ASSIGNMENT, case.CLASSIFICATION, DATA_PROTECTION)

# The sub navigation under the header: a link to each of these panels the record has.
SECTIONS = ((case.OUTCOME, "Outcome"), (PROCEDURE, "Stages"), (ADVOCACY, "Advocacy"), (LETTERS, "Letters"),
            (CORRESPONDENCE, "Correspondence"),
            (OMBUDSMAN, "Ombudsman"), (MONEY, "Money"), (ACTIONS, "Actions"), (case.COMPLIMENT, "Sharing"),
            (DOCUMENTS, "Documents"), (case.NOTES, "Notes"), (case.TIMELINE, "Timeline"), (CHILD, "The child"),
            (case.ASSIGNMENT, "Assigned to"), (case.CLASSIFICATION, "Classification"))

# --- What an HTMX change on the case page updates -------------------------------------
# The one place that decides it (docs/casework.md, "What a change in place updates",
# lists every action). The panel the change was made in is swapped; so, out of band,
# is the timeline, and once saved the parts of the page any change can alter, as every
# staff change makes a new record open and refreshes its due dates: the status tags
# under the reference, the summary list ("What the person sees") and the due date in
# the sidebar; and the other panels that show what that panel's changes change.
SHOWN_EVERYWHERE = (case.TAGS, case.FACTS, case.DUE)
ALSO_SHOWN_IN = {
    # the compliment panel names the team whose manager it was shared with
    case.CLASSIFICATION.id: (case.COMPLIMENT, INSIGHT),
    # accepting a suggestion classifies the record
    INSIGHT.id: (case.CLASSIFICATION, case.COMPLIMENT),
    # "Add to the action plan" puts the recommendation in the Actions panel
    OMBUDSMAN.id: (ACTIONS,),
    # a new stage is a new "where it came from" for an action; a pause ends the wait
    PROCEDURE.id: (ACTIONS, ADVOCACY),
    # waiting for an advocate pauses the stage's clock, and an advocate in place ends it
    ADVOCACY.id: (PROCEDURE,),
    # not accepted closes the record: no outcome or stage is left to record
    case.NOT_ACCEPTED.id: (case.OUTCOME, PROCEDURE),
    # naming, correcting, linking or unlinking the child shows in the case's header
    CHILD.id: (HEADER_CHILD,),
}


def render_panel(view: CaseView, panel: Panel, oob: bool = False, notice: str | None = None,
                 conflict: dict | None = None) -> Markup:
    """One panel as its partial draws it, or nothing if the record has no such panel."""
    if not panel.shown(view.record):
        return Markup("")
    return Markup(render_template(
        panel.template, record=view.record, today=view.day, can_edit=has_permission(current_user, "edit_cases"),
        oob=oob, notice=notice, conflict=conflict, **panel.build(view)))


def render_case(record: Feedback, panel: Panel | None = None, status: int = 200, *, sent: Sent | None = None,
                notice: str | None = None, conflict: dict | None = None, **options):
    """The whole case page; or, for an HTMX post made in ``panel``, that panel and out of
    band what else shows its change. ``sent`` is a refused form, shown in its place with
    its errors; ``notice`` is said in the panel (HTMX) or in a banner on the page."""
    # Its panels all reckon with one reading of the calendar and the timescales.
    with reckoning.one_reckoning():
        return _render_case(record, panel, status, sent, notice, conflict, options)


def _render_case(record, panel, status, sent, notice, conflict, options):
    view = CaseView(record, today(), sent, options)
    if panel is not None and is_panel_request():
        return _panel_response(view, panel, status, notice, conflict)

    def column(panels):
        return [render_panel(view, p, notice=notice if p is panel else None,
                             conflict=conflict if p is panel else None) for p in panels]

    header = dict(zip((p.id for p in HEADER), column(HEADER)))
    sections = [(p.id, words) for p, words in SECTIONS if p.shown(record)]
    response = make_response(render_template(
        TEMPLATE, record=record, form=sent.form if sent else None, notice=notice, header=header,
        sections=sections, main=column(MAIN), sidebar=column(SIDEBAR)), status)
    response.vary.add("HX-Request")
    return response


def _panel_response(view: CaseView, panel: Panel, status: int, notice, conflict):
    """The panel, then out of band the timeline and, once saved (200), every other part
    of the page that shows what it changed and the record's new version for every form.
    A refused form changed nothing; after a conflict the rest of the page stays as the
    person had it, with the older version, so that they make their change again on what
    they now see."""
    body = [render_panel(view, panel, notice=notice, conflict=conflict),
            render_panel(view, case.TIMELINE, oob=True)]
    if status == 200:
        body += [render_panel(view, other, oob=True)
                 for other in SHOWN_EVERYWHERE + ALSO_SHOWN_IN.get(panel.id, ())]
        body.append(render_template("staff/case/_version_oob.html", record=view.record))
    response = make_response("".join(body), status)
    response.vary.add("HX-Request")
    return response
