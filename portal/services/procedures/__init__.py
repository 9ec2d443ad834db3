"""The complaint procedures (issue 5): stages, working-day clocks, elements, outcomes.

DOMAIN.md, "Procedures, stages and clocks", "Both procedures", "Elements and outcomes".
Each module holds the rules of one part, each function names its rule:

- registration: register_complaint, progress_to_stage1, record_acknowledgement
- escalation: escalation_window, request_next_stage, request_from_status_page,
  note_late_request_from_status_page
- extensions: extend_stage, latest_extension_date
- pauses: pause_stage, end_pause, open_pause, is_paused
- stage2: appoint_officer, appoint_investigating_officer, appoint_independent_person,
  record_statement_agreed
- stage3: appoint_panel, record_panel_meeting, record_panel_report
- elements: add_element, change_element, set_outcome, remove_element
- responses: next_step, draft_response, send_response
- display: stage_clocks, record_clock (the clocks staff see)
- reminders: stage_reminders (a source for ``flask send-reminders``)
- settings: current_timescales, set_timescales (the organisation's timescales)
- guidance: WHICH_PROCEDURE, the words on which procedure applies

Every action takes explicit arguments, the StaffUser ``actor`` and the ``version`` the
form carried (an ``EditConflict`` when the case has moved on), adds a timeline event and
refreshes the stored due dates; the caller commits (portal.services). A refusal raises
``Refused`` before anything changes, with a message for the error summary and the form
``field``.
Clock arithmetic is never done here: it is ``clocks`` and ``working_days``.
"""

from portal.services.procedures.guidance import PROCEDURE_HINTS, PROCEDURE_LABELS, WHICH_PROCEDURE
from portal.services.procedures.registration import progress_to_stage1, register_complaint
from portal.services.procedures.timescales import current_timescales

__all__ = [
    "PROCEDURE_HINTS",
    "PROCEDURE_LABELS",
    "WHICH_PROCEDURE",
    "current_timescales",
    "progress_to_stage1",
    "register_complaint",
]
