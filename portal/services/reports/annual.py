"""The annual complaints performance and service improvement report (the Ombudsman's
Complaint Handling Code, from 1 April 2026): for one financial year, from the portal's own
records, the complaints received and responded to at each stage of each procedure, how many
were answered within the timescales, acknowledged in time and extended, the complaints not
taken on, element outcomes, themes, remedies, what was learned and changed, the Ombudsman's
decisions, and the Member Responsible for Complaints' response as staff entered it.

Counting follows DOMAIN.md's "The reporting period": a stage is received by its clock
start and responded by its response date within the year. "Within timescale" is the
procedures' own reckoning of a stage's dates (``deadlines.stage_steps``), so a change to the
timescales in force reaches this report without a change here. A Stage 3 is in time when
its panel met by the panel's due date and the response came by the response's due date.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import func, select

from portal.extensions import db
from portal.models import (
    Element, Feedback, LearningAction, MemberResponse, OmbudsmanEnquiry, Payment, Stage, Team,
)
from portal.services.common.labels import ElementOutcome, OmbudsmanDecision, Procedure
from portal.services.procedures import deadlines
from portal.services.procedures.clocks import DEFAULT_TIMESCALES, Timescales
from portal.services.procedures.working_days import Calendar
from portal.services.reports.counting import money, name_of, reference_names, with_parallel_workers
from portal.services.reports.period import Period, year_earlier

# The stages each procedure has, in order.
STAGES = {Procedure.CORPORATE.value: (1, 2), Procedure.STATUTORY.value: (1, 2, 3)}
EARLIEST_YEAR, LATEST_YEAR = 2000, 2100


def financial_year(year: int) -> Period:
    """The financial year that starts on 1 April ``year``."""
    return Period(date(year, 4, 1), date(year + 1, 3, 31))


def year_text(year: int) -> str:
    return f"{year} to {year + 1}"


def is_reportable_year(year: int) -> bool:
    return EARLIEST_YEAR <= year <= LATEST_YEAR


def stage_in_time(procedure: str | None, stage: Stage, calendar: Calendar,
                  settings: Timescales = DEFAULT_TIMESCALES) -> bool:
    """Whether a responded stage was answered within its timescale, by the procedure's own
    steps: the response (with its extension and pauses), and for a review panel the
    meeting and the response after the panel's report."""
    procedure = procedure or Procedure.STATUTORY.value
    steps = deadlines.stage_steps(procedure, stage, calendar, settings)
    checked = [step for step in steps if step.what != "panel report"]
    return all(step.due_on is not None and step.done_on is not None and step.done_on <= step.due_on
               for step in checked)


def acknowledged_in_time(procedure: str | None, stage: Stage, calendar: Calendar,
                         settings: Timescales = DEFAULT_TIMESCALES) -> bool | None:
    """Whether a stage was acknowledged by its due date; None where the procedure sets no
    acknowledgement (the statutory one)."""
    due = deadlines.acknowledgement_due(procedure or Procedure.STATUTORY.value, stage, calendar, settings)
    if due is None:
        return None
    return stage.acknowledged_on is not None and stage.acknowledged_on <= due


@dataclass
class StageFigures:
    received: int = 0
    responded: int = 0
    in_time: int = 0
    extended: int = 0
    acknowledged: int = 0  # received in the year and acknowledged in time (corporate only)

    def as_json(self) -> dict:
        return dict(self.__dict__)


def stage_figures(period: Period, calendar: Calendar, settings: Timescales,
                  procedures: tuple[str, ...] = tuple(STAGES)) -> dict:
    """{procedure: {"stageN": StageFigures}} for the stages received or responded in ``period``."""
    figures = {p: {f"stage{n}": StageFigures() for n in STAGES[p]} for p in procedures}
    rows = db.session.execute(
        select(Feedback.procedure, Stage).join(Feedback, Stage.feedback_id == Feedback.id)
        .where(Feedback.procedure.in_(procedures),
               (Stage.started_on.between(period.start, period.end))
               | (Stage.responded_on.between(period.start, period.end)))
    ).tuples()
    for procedure, stage in rows:
        counted = figures[procedure].get(f"stage{stage.number}")
        if counted is None:
            continue
        if period.contains(stage.started_on):
            counted.received += 1
            if acknowledged_in_time(procedure, stage, calendar, settings):
                counted.acknowledged += 1
        if period.contains(stage.responded_on):
            counted.responded += 1
            if stage_in_time(procedure, stage, calendar, settings):
                counted.in_time += 1
            if stage.extended_to is not None:
                counted.extended += 1
    return {p: {key: value.as_json() for key, value in stages.items()} for p, stages in figures.items()}


def not_taken_on(period: Period) -> int:
    """The organisation's decisions not to accept a complaint (or an initial contact's
    request for one) under the procedure, made in the period (Feedback.not_accepted_on;
    triage.decisions.not_accept). Referrals elsewhere are not counted: they are an
    initial contact's outcome, not a decision on a complaint."""
    query = select(func.count(Feedback.id)).where(
        Feedback.not_accepted_on.between(period.start, period.end))
    return db.session.scalar(query) or 0


def element_outcomes(period: Period, procedures: tuple[str, ...]) -> dict[str, int]:
    """Elements of the stages responded in the period, by outcome (all five listed)."""
    counts = dict(db.session.execute(
        select(Element.outcome, func.count(Element.id))
        .join(Stage, Element.stage_id == Stage.id).join(Feedback, Stage.feedback_id == Feedback.id)
        .where(Stage.responded_on.between(period.start, period.end), Feedback.procedure.in_(procedures),
               Element.outcome.is_not(None))
        .group_by(Element.outcome)
    ).tuples().all())
    return {code: counts.get(code, 0) for code in ElementOutcome.codes()}


def themes(period: Period, procedures: tuple[str, ...], stages: tuple[int, ...] = (1, 2)) -> dict[str, int]:
    """The stages (1 and 2 unless given) received in the period, by the stage's theme, else
    the record's; largest first, then alphabetically."""
    _, theme_names = reference_names()
    rows = db.session.execute(
        select(Stage.theme_id, Feedback.theme_id).join(Feedback, Stage.feedback_id == Feedback.id)
        .where(Stage.started_on.between(period.start, period.end), Stage.number.in_(stages),
               Feedback.procedure.in_(procedures))
    ).tuples()
    counted = Counter(name_of(theme_names, own or record) for own, record in rows)
    return dict(sorted(counted.items(), key=lambda item: (-item[1], item[0])))


def ombudsman_decisions(period: Period, procedures: tuple[str, ...] | None = None) -> dict[str, int]:
    """The Ombudsman's decisions made in the period, by decision (every decision listed)."""
    query = (select(OmbudsmanEnquiry.decision, func.count(OmbudsmanEnquiry.id))
             .where(OmbudsmanEnquiry.decided_on.between(period.start, period.end),
                    OmbudsmanEnquiry.decision.is_not(None)))
    if procedures is not None:
        query = query.join(Feedback, OmbudsmanEnquiry.feedback_id == Feedback.id).where(
            Feedback.procedure.in_(procedures))
    counts = dict(db.session.execute(query.group_by(OmbudsmanEnquiry.decision)).tuples().all())
    return {code: counts.get(code, 0) for code in OmbudsmanDecision.codes()}


def remedies(period: Period) -> dict:
    """Financial remedies paid in the period: how many and how much (pounds, two decimals)."""
    count, pence = db.session.execute(
        select(func.count(Payment.id), func.coalesce(func.sum(Payment.amount_pence), 0))
        .where(Payment.kind == "financial_remedy", Payment.paid_on.between(period.start, period.end))
    ).one()
    return {"payments": count, "amount": money(int(pence))}  # PostgreSQL sums to a Decimal


def learning(period: Period) -> dict:
    """Learning actions raised in the period; those completed by its end; and what changed:
    the actions completed in the period, in the words staff recorded (the recommendation and
    the completion note), oldest first. Neither names the complainant."""
    raised = db.session.scalar(select(func.count(LearningAction.id)).where(
        LearningAction.raised_on.between(period.start, period.end))) or 0
    done = db.session.execute(
        select(LearningAction.recommendation, LearningAction.completion_note)
        .where(LearningAction.status == "done", LearningAction.completed_on.between(period.start, period.end))
        .order_by(LearningAction.completed_on, LearningAction.id)
    ).tuples().all()
    still_open = db.session.scalar(select(func.count(LearningAction.id)).where(
        LearningAction.raised_on <= period.end, LearningAction.status != "done")) or 0
    return {"raised": raised, "completed": len(done), "open_at_end": still_open,
            "changes": [{"recommendation": text, "what_changed": note or ""} for text, note in done]}


def member_response(year: int) -> str | None:
    response = db.session.scalar(select(MemberResponse).where(MemberResponse.year == year))
    return response.text if response else None


def annual_figures(year: int, calendar: Calendar, settings: Timescales = DEFAULT_TIMESCALES) -> dict:
    """Every figure of the annual report for the financial year starting in April ``year``,
    with the year before's stage figures beside them."""
    with_parallel_workers()
    period = financial_year(year)
    everything = tuple(STAGES)
    return {
        "year": year,
        "period": {"from": period.start.isoformat(), "to": period.end.isoformat()},
        "stages": stage_figures(period, calendar, settings),
        "previous_stages": stage_figures(financial_year(year - 1), calendar, settings),
        "not_taken_on": not_taken_on(period),
        "element_outcomes": {p: element_outcomes(period, (p,)) for p in everything},
        "themes": themes(period, everything),
        "remedies": remedies(period),
        "learning": learning(period),
        "ombudsman": ombudsman_decisions(period),
        "member_response": member_response(year),
    }

# --- The statutory annual report (regulation 13) ----------------------------------------

CHILD_ROLES = ("child_or_young_person", "care_leaver")
FAMILY_ROLES = ("parent_or_carer", "other_family", "special_guardian")


def who_group(submitter_role: str, on_behalf_of_child: bool) -> str:
    """Who made a complaint, in the three groups the statutory report gives: a child,
    young person or care leaver, or an advocate acting for one; family; anyone else."""
    if submitter_role in CHILD_ROLES or (submitter_role == "advocate_or_representative" and on_behalf_of_child):
        return "child"
    if submitter_role in FAMILY_ROLES:
        return "family"
    return "other"


def statutory_figures(year: int, calendar: Calendar, settings: Timescales = DEFAULT_TIMESCALES) -> dict:
    """The counts of the children's procedure's annual report for the financial year
    starting in April ``year``. Counts only: nothing here names or describes a case."""
    with_parallel_workers()
    period = financial_year(year)
    statutory = (Procedure.STATUTORY.value,)
    first_stages = db.session.execute(
        select(Feedback.submitter_role, Feedback.on_behalf_of_child, Feedback.advocate_requested)
        .join(Stage, Stage.feedback_id == Feedback.id)
        .where(Feedback.procedure == Procedure.STATUTORY.value, Stage.number == 1,
               Stage.started_on.between(period.start, period.end))
    ).tuples().all()
    who = Counter(who_group(role, behalf) for role, behalf, _ in first_stages)
    raised, completed = db.session.execute(
        select(func.count(LearningAction.id),
               func.count(LearningAction.id).filter(LearningAction.status == "done"))
        .join(Feedback, LearningAction.feedback_id == Feedback.id)
        .where(Feedback.procedure == Procedure.STATUTORY.value,
               LearningAction.raised_on.between(period.start, period.end))
    ).one()
    return {
        "year": year,
        "stages": stage_figures(period, calendar, settings, statutory),
        "who": {group: who.get(group, 0) for group in ("child", "family", "other")},
        "advocacy": {"requested": sum(1 for *_, asked in first_stages if asked)},
        "element_outcomes": element_outcomes(period, statutory),
        # Stage 1 only, as "who": a total of Stages 1 and 2 less Stage 1 would give a
        # Stage 2 count the stages table hides as small.
        "themes": themes(period, statutory, stages=(1,)),
        "ombudsman": ombudsman_decisions(period, statutory),
        "learning": {"raised": raised, "completed": completed},
    }


# --- A children's home's 12 months (for Ofsted) -----------------------------------------


def last_twelve_months(end: date) -> Period:
    """The 12 months up to and including ``end``."""
    return Period(year_earlier(end) + timedelta(days=1), end)


def complaint_outcome(stage: Stage | None) -> str:
    """A complaint's outcome at its last stage answered: upheld when any point was,
    partly upheld when any was partly, not upheld when every point answered was not;
    "other" for withdrawn or undecided points only; "open" while unanswered."""
    if stage is None:
        return "open"
    found = {element.outcome for element in stage.elements if element.outcome}
    for outcome in ("upheld", "partially_upheld", "not_upheld"):
        if outcome in found:
            return outcome
    return "other"


def home_summary(team_id: int, end: date, calendar: Calendar,
                 settings: Timescales = DEFAULT_TIMESCALES) -> dict:
    """A children's home's complaints in the 12 months to ``end``: complaints whose Stage 1
    began in that time and whose record or Stage 1 is the home's team."""
    period = last_twelve_months(end)
    team = db.session.get(Team, team_id)
    records = db.session.scalars(
        select(Feedback).join(Stage, Stage.feedback_id == Feedback.id)
        .where(Feedback.kind == "complaint", Stage.number == 1,
               Stage.started_on.between(period.start, period.end),
               (Feedback.team_id == team_id) | (Stage.team_id == team_id))
    ).unique().all()
    _, theme_names = reference_names()
    themes_counted: Counter = Counter()
    outcomes = Counter()
    answered = in_time = escalated = from_children = with_ombudsman = 0
    for record in records:
        stages = sorted(record.stages, key=lambda s: s.number)
        first = stages[0]
        themes_counted[name_of(theme_names, first.theme_id or record.theme_id)] += 1
        if who_group(record.submitter_role, record.on_behalf_of_child) == "child":
            from_children += 1
        if first.responded_on is not None:
            answered += 1
            in_time += stage_in_time(record.procedure, first, calendar, settings)
        escalated += len(stages) > 1
        with_ombudsman += bool(record.ombudsman_enquiries)
        last_answered = next((s for s in reversed(stages) if s.responded_on is not None), None)
        outcomes[complaint_outcome(last_answered)] += 1
    compliments = db.session.scalar(select(func.count(Feedback.id)).where(
        Feedback.kind == "compliment", Feedback.team_id == team_id,
        Feedback.received_on.between(period.start, period.end))) or 0
    return {
        "home": team.name if team else "Not recorded",
        "period": {"from": period.start.isoformat(), "to": period.end.isoformat()},
        "complaints": len(records), "from_children": from_children, "answered": answered,
        "in_time": in_time, "escalated": escalated, "ombudsman": with_ombudsman,
        "themes": dict(sorted(themes_counted.items(), key=lambda item: (-item[1], item[0]))),
        "outcomes": {code: outcomes.get(code, 0) for code in ("upheld", "partially_upheld", "not_upheld", "other", "open")},
        "compliments": compliments,
    }
