"""A 2023 data set full of personal data: the report's hand-worked records (tests/reports),
each given a person, free text, named workers, a timeline, mail and a response, so that a
purge has something to remove in every column docs/data-protection.md lists."""

from __future__ import annotations

from datetime import date, datetime, timezone

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import (
    ContactRestriction,
    Feedback,
    OutboxMessage,
    Person,
    StageExtension,
    StageResponse,
    TimelineEvent,
)
from tests.reports import dataset
from tests.staff.conftest import make_user, signed_in  # noqa: F401  (fixtures)

REPORT_FROM, REPORT_TO = date(2023, 4, 1), date(2023, 9, 30)


def personal_details(n: int) -> dict:
    return {"name": f"Zebedee Quixotic {n:03d}", "email": f"zq{n:03d}@private.example",
            "phone": f"07700 9{n:05d}"}


@pytest.fixture
def personal_data(app) -> list[dict]:
    """Load the report's data set and give every record a person of its own and personal
    data everywhere; return each person's details with their record's reference."""
    dataset.load()
    people = []
    records = db.session.scalars(select(Feedback).order_by(Feedback.id)).all()
    for n, record in enumerate(records, start=1):
        details = personal_details(n)
        record.person = Person(**details, phone_key=details["phone"].replace(" ", ""),
                               address=f"{n} Secret Lane")
        record.summary = f"My child Tallulah{n} was let down."
        record.desired_outcome = f"An apology to Tallulah{n}"
        record.on_behalf_of_child = True
        record.on_behalf_of_name = f"Tallulah{n}"
        record.support_needs = "Large print"
        record.when_it_happened = "Last spring"
        record.named_staff = [f"Worker Wilhelmina{n}"]
        record.submitter_age = 15
        record.contact_methods = ["email"]
        record.anonymised_text = "Thank you." if record.kind == "compliment" else None
        if record.kind == "compliment":
            record.shared_on = record.received_on
        if record.outcome in ("resolved", "withdrawn", "referred", "progressed"):
            record.outcome_on = record.received_on
            record.resolution = f"Spoke to Zebedee Quixotic{n}"
        record.timeline.append(TimelineEvent(kind="note", text=f"Rang Zebedee Quixotic{n} on 07700 9{n:05d}",
                                             actor_label="Olu Officer",
                                             occurred_at=datetime(2023, 6, 1, tzinfo=timezone.utc)))
        message = OutboxMessage(to_address=details["email"], subject=f"Your feedback {record.reference}",
                                body=f"Dear Zebedee Quixotic{n}", purpose="acknowledgement", feedback=record,
                                sent_at=datetime(2023, 6, 1, tzinfo=timezone.utc))
        db.session.add(message)
        for stage in record.stages:
            stage.officer = f"Officer Ophelia{n}"
            stage.investigating_officer = f"Investigator Ignatius{n}"
            stage.late_request_reason = stage.late_request_reason and f"Tallulah{n} was in hospital"
            for element in stage.elements:
                element.summary = f"Tallulah{n} element {element.number}"
            if stage.responded_on:
                stage.response = StageResponse(text=f"Dear Zebedee Quixotic{n}", method="email",
                                               sent_on=stage.responded_on, to_address=details["email"],
                                               next_step="Ask for Stage 2", outbox_message=message)
            if stage.extended_to:
                stage.extensions.append(StageExtension(extended_to=stage.extended_to,
                                                       reason=f"Tallulah{n} unwell", told_by="email",
                                                       told_on=stage.started_on))
        for payment in record.payments:
            payment.description = f"Paid to Zebedee Quixotic{n}"
            payment.decided_by = "Ira Investigator"
        for action in record.learning_actions:
            action.recommendation = f"Apologise to Zebedee Quixotic{n}"
        people.append({**details, "reference": record.reference, "id": record.id})
    for restriction in db.session.scalars(select(ContactRestriction)):
        restriction.person_name = "Restricted Rupert"
        restriction.person_email = "rupert@private.example"
        restriction.reason = "Rupert rang forty times"
    db.session.commit()
    return people
