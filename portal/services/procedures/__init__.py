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
- guidance: WHICH_PROCEDURE, the words on which procedure applies

Below them, each importing only those listed after it (no circle):

- deadlines: stage_timescales (the set a stage follows), acknowledgement_due,
  stage_steps and stage_due (a stage's dates, reckoned once for the stored due
  date, the case page's clocks, the status page and the reminders), refresh (the stored
  due dates), set_timescales (a change of timescales, every open deadline recomputed)
- timescales: current_timescales (every set of timescales with its date, a
  clocks.TimescaleBook: ``in_force(procedure, started_on)`` is the set a stage follows),
  base_timescales, add_timescale_set (a new set from a later date, never moving an open case)
- common: spoken, the timeline and the people a stage names
- calendars: current_calendar, the organisation's working-day calendar
- clocks and working_days: the arithmetic of due dates and working days
- rules: the rule-book, what each stage of each procedure is (its name, who runs it,
  whether it is a review panel, extendable, pausable, how its clock runs, the last stage)

Every action takes explicit arguments, the StaffUser ``actor`` and the ``version`` the
form carried (an ``EditConflict`` when the case has moved on), adds a timeline event and
refreshes the stored due dates; the caller commits (portal.services). A refusal raises
``Refused`` before anything changes, with a message for the error summary and the form
``field``.
Clock arithmetic is never done here: it is ``clocks`` and ``working_days``.
"""

from portal.services.procedures.guidance import WHICH_PROCEDURE
from portal.services.procedures.registration import progress_to_stage1, register_complaint
from portal.services.procedures.timescales import current_timescales

__all__ = [
    "WHICH_PROCEDURE",
    "current_timescales",
    "progress_to_stage1",
    "register_complaint",
]
