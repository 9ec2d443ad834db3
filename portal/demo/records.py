"""An invented, realistic data set for trying the portal (``flask demo-data``).

Every name, place and story here is made up for the demo.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta, timezone

from sqlalchemy import exists, func, select, update

from portal.extensions import db
from portal.models import (
    ContactRestriction, Feedback, LearningAction, OmbudsmanEnquiry, OmbudsmanRecommendation, OutboxMessage,
    Payment, Stage, StaffUser,
)
from portal.services.accounts import reference_data
from portal.services.common.dates import LONDON, today
from portal.services.intake.submissions import Submission, receive

FIRST_NAMES = ["Amara", "Ben", "Chloe", "Dev", "Ellie", "Farah", "George", "Hana", "Isaac", "Jade",
               "Kwame", "Lena", "Marek", "Nia", "Oscar", "Priya", "Rhys", "Sofia", "Tom", "Yusuf"]
SURNAMES = ["Adebayo", "Brennan", "Chowdhury", "Davies", "Evans", "Fraser", "Green", "Hughes",
            "Iqbal", "Jones", "Kowalski", "Lewis", "Morgan", "Nowak", "Okafor", "Patel", "Quinn",
            "Roberts", "Singh", "Taylor"]

COMPLIMENTS = [
    ("Our social worker always rings back the same day and explains things clearly. My children trust her.", "Permanence Teams"),
    ("The transport team sorted out a new route within a week when the old taxi stopped. Thank you.", "Education - Transport"),
    ("The fostering panel made us feel welcome and listened to. It was a big day for our family.", "Fostering Team"),
    ("My personal adviser helped me find a flat and set up my bills. I could not have done it alone.", "Next Steps Team"),
    ("The SEND caseworker kept us updated every week during the EHC needs assessment.", "SEND Team"),
    ("Staff at the children's home threw a brilliant birthday party for my son.", "Children's Homes"),
    ("The reviewing officer made sure my daughter's views were heard at her review.", "Independent Children's Reviewing Team (ICRT)"),
]
CONCERNS = [
    ("I have been waiting three weeks for a call back about my son's support plan.", "SEND Team", "concern"),
    ("Can you tell me when the next foster carer training session is?", "Fostering Team", "query"),
    ("The taxi to school has been late four times this month and my daughter misses registration.", "Education - Transport", "concern"),
    ("I have not received the allowance payment that was due at the start of the month.", "Finance", "concern"),
    ("Who is my child's new social worker? Nobody has told us since the last one left.", "Assessment Teams", "query"),
    ("The letter we received had someone else's child's name on it.", "Business Support", "concern"),
]
COMPLAINTS = [
    ("The EHC plan was issued late and the school named in it is not the one we agreed at the meeting.", "SEND Team"),
    ("The social worker shared information about our family with a neighbour without asking us.", "Assessment Teams"),
    ("Contact with my grandchildren was cancelled three times at short notice with no explanation.", "Connected Carers Team"),
    ("The child protection conference report contains things that are not true and nobody will correct them.", "Child Protection Teams"),
    ("We were promised respite support in the summer and it never started.", "Children with Disabilities Team"),
]
ROLES = ["parent_or_carer", "parent_or_carer", "foster_carer", "professional", "other_family",
         "special_guardian", "child_or_young_person", "care_leaver"]


def load(only_if_empty: bool = True, count: int = 60, seed: int = 2026) -> int:
    """Add ``count`` invented submissions spread over the last six months, work on them
    as the Customer Feedback Team would, and add the scripted cases that make every
    other part of the work (``demo_casework``). Returns the number of records added."""
    if only_if_empty and db.session.scalar(select(func.count(Feedback.id))):
        return 0
    before = db.session.scalar(select(func.count(Feedback.id)))
    last_mail = last_mail_id()
    reference_data.ensure_defaults()
    teams = {t.name: t.id for t in reference_data.active_teams()}
    rng = random.Random(seed)
    end = today()
    for i in range(count):
        received = end - timedelta(days=rng.randint(0, 180))
        moment = datetime.combine(received, time(rng.randint(8, 19), rng.randint(0, 59)), LONDON)
        receive(_invent(rng, i, teams), now=moment.astimezone(timezone.utc))
    from portal.demo import casework

    casework.work_on_everything(end)
    mark_mail_sent(after_id=last_mail)
    return db.session.scalar(select(func.count(Feedback.id))) - before


def last_mail_id() -> int:
    return db.session.scalar(select(func.max(OutboxMessage.id))) or 0


def mark_mail_sent(after_id: int) -> None:
    """The demo's mail (acknowledgements, alerts, shared compliments, the demo staff's
    invitations) counts as sent when it was made: nobody is waiting for it, and left in
    the outbox the first send would deliver months-old acknowledgements to invented
    addresses."""
    db.session.execute(
        update(OutboxMessage).where(OutboxMessage.id > after_id, OutboxMessage.sent_at.is_(None))
        .values(sent_at=OutboxMessage.created_at, attempts=1))
    db.session.commit()


def _some(*where) -> bool:
    return bool(db.session.scalar(select(exists().where(*where))))


def _stage(procedure: str, number: int, *where) -> bool:
    return _some(Stage.number == number, Stage.feedback_id == Feedback.id, Feedback.procedure == procedure, *where)


def missing_parts(on: date | None = None) -> list[str]:
    """What the demo should show and the database lacks, in words (none when complete):
    every part of the work, so that a newcomer can try each page whatever day the demo
    was loaded."""
    from portal.demo.casework import DEMO_STAFF

    on = on or today()
    not_done = LearningAction.status != "done"
    parts = {
        "a compliment shared with its team": _some(Feedback.kind == "compliment", Feedback.shared_on.is_not(None)),
        "a compliment cleared for publication": _some(Feedback.kind == "compliment",
                                                      Feedback.anonymised_text.is_not(None)),
        "an initial contact resolved informally": _some(Feedback.kind == "initial_contact",
                                                        Feedback.outcome == "resolved"),
        "an initial contact progressed to a complaint": _some(Feedback.outcome == "progressed"),
        "a safeguarding concern": _some(Feedback.safeguarding_concern.is_(True)),
        "a contact restriction": _some(ContactRestriction.id.is_not(None)),
        "an Ombudsman enquiry with a decision and recommendations": _some(
            OmbudsmanEnquiry.decision.is_not(None),
            OmbudsmanRecommendation.enquiry_id == OmbudsmanEnquiry.id),
        "a financial remedy": _some(Payment.kind == "financial_remedy"),
        "an investigation cost": _some(Payment.kind == "investigation_cost"),
        "an overdue learning action": _some(not_done, LearningAction.due_on < on),
        "an open learning action, not yet due": _some(not_done, LearningAction.due_on >= on),
        "a learning action done": _some(LearningAction.status == "done"),
        "a demo administrator account": _some(StaffUser.role == "administrator",
                                             StaffUser.email.in_([e for e, _, _ in DEMO_STAFF])),
        "every demo email marked as sent": not _some(OutboxMessage.sent_at.is_(None)),
    }
    for procedure in ("statutory", "corporate"):
        parts[f"a {procedure} complaint responded to at Stage 1"] = _stage(procedure, 1, Stage.responded_on.is_not(None))
        parts[f"a {procedure} complaint at Stage 2 with an Investigating Officer"] = _stage(
            procedure, 2, Stage.investigating_officer.is_not(None))
    parts["a statutory complaint at Stage 2 with an Independent Person"] = _stage(
        "statutory", 2, Stage.independent_person.is_not(None))
    parts["a statutory complaint at Stage 3"] = _stage("statutory", 3)
    parts["a corporate complaint waiting for its acknowledgement"] = _some(
        Feedback.procedure == "corporate", Feedback.acknowledge_by.is_not(None))
    return [part for part, present in parts.items() if not present]


def _person(rng: random.Random) -> dict:
    first, last = rng.choice(FIRST_NAMES), rng.choice(SURNAMES)
    return {
        "name": f"{first} {last}",
        "email": f"{first}.{last}{rng.randint(1, 99)}@example.org".lower(),
        "phone": f"07700 900{rng.randint(100, 999)}",
        "contact_methods": ["email"],
    }


def _invent(rng: random.Random, i: int, teams: dict[str, int]) -> Submission:
    role = rng.choice(ROLES)
    young = role in ("child_or_young_person", "care_leaver")
    pick = i % 5
    if pick in (0, 1):
        text, team = rng.choice(COMPLIMENTS)
        person = _person(rng) if rng.random() < 0.7 else {}
        return Submission(
            kind="compliment", submitter_role=role, summary=text, team_id=teams.get(team),
            publish_consent=rng.random() < 0.6, young_persons_form=young and rng.random() < 0.5,
            **{k: v for k, v in person.items() if k in ("name", "email", "contact_methods")},
        )
    if pick in (2, 3):
        text, team, category = rng.choice(CONCERNS)
        return Submission(
            kind="initial_contact", submitter_role=role, summary=text, category=category,
            team_id=teams.get(team), desired_outcome="A clear answer and a date.",
            safeguarding_concern=(i == 7), advocate_requested=young, **_person(rng),
        )
    text, team = rng.choice(COMPLAINTS)
    return Submission(
        kind="initial_contact", submitter_role=role, summary=text, formal_complaint_requested=True,
        team_id=teams.get(team), when_it_happened="Over the last two months",
        desired_outcome="An apology, and for this not to happen to another family.",
        on_behalf_of_child=role != "professional" and rng.random() < 0.5,
        on_behalf_consent="yes", advocate_requested=young, **_person(rng),
    )
