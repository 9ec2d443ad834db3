"""The purge: the 2023 report is the same before and after, and no purged person's name,
email or phone number is left in an export or in the audit trail."""

from __future__ import annotations

import io
import json
from datetime import date

from sqlalchemy import select

from portal.extensions import db
from portal.models import AuditEntry, ContactRestriction, Feedback, Person
from portal.services import interchange
from portal.services.data_protection import purge, retention_rules
from portal.services.procedures.calendars import current_calendar
from portal.services.reports import Period, build_report
from tests import factories
from tests.data_protection.conftest import REPORT_FROM, REPORT_TO


def report_json() -> str:
    db.session.expire_all()
    return json.dumps(build_report(Period(REPORT_FROM, REPORT_TO), current_calendar()), sort_keys=True)


def export_text() -> str:
    out = io.StringIO()
    interchange.export.export(out)
    return out.getvalue()


def audit_text() -> str:
    return json.dumps([[e.old, e.new] for e in db.session.scalars(select(AuditEntry))])


def test_a_purge_keeps_the_report_and_removes_every_name_email_and_phone(personal_data):
    before = report_json()
    assert "Zebedee" in export_text()

    result = purge.run(date(2031, 1, 1), actor="test")

    assert report_json() == before
    purged = {r.reference for r in db.session.scalars(select(Feedback).where(Feedback.purged_at.is_not(None)))}
    assert purged and set(result.references) >= purged
    exported, audited = export_text(), audit_text()
    for person in personal_data:
        if person["reference"] in purged:
            for value in (person["name"], person["email"], person["phone"]):
                assert value not in exported, value
                assert value not in audited, value
    # Every purged record lost its free text and named workers, and its person.
    for record in db.session.scalars(select(Feedback).where(Feedback.purged_at.is_not(None))):
        assert record.summary == "" and record.person_id is None and record.named_staff == []
        assert record.on_behalf_of_name is None and record.desired_outcome is None
        for stage in record.stages:
            assert stage.officer is None and all(e.summary == "" for e in stage.elements)
            assert stage.response is None or stage.response.text == ""
        assert all(event.text is None for event in record.timeline)
    for restriction in db.session.scalars(select(ContactRestriction)):
        assert restriction.person_name is None and restriction.reason is None
        assert restriction.letter_issued_on and restriction.restrictions == ["written_contact_only"]
    assert "Rupert" not in export_text()


def test_records_not_yet_closed_keep_their_personal_data(personal_data):
    purge.run(date(2031, 1, 1), actor="test")
    open_records = db.session.scalars(select(Feedback).where(Feedback.purged_at.is_(None))).all()
    assert open_records, "the data set has open records"
    for record in open_records:
        assert retention_rules.closure_date(record) is None
        assert record.person is not None and record.person.name.startswith("Zebedee")


def test_the_purge_is_audited_with_counts_and_never_purges_twice(personal_data):
    first = purge.run(date(2031, 1, 1), actor="test")
    second = purge.run(date(2031, 1, 1), actor="test")
    assert sum(first.counts.values()) > 0 and sum(second.counts.values()) == 0
    entries = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "retention_purge")
                                 .order_by(AuditEntry.id)).all()
    assert len(entries) == 2
    assert entries[0].new["records"] == first.counts and entries[0].actor_label == "test"
    assert entries[0].new["people_removed"] == first.people_removed > 0
    assert "Zebedee" not in json.dumps(entries[0].new)


def test_people_left_with_nothing_are_deleted(personal_data):
    before = db.session.scalar(select(db.func.count(Person.id)))
    result = purge.run(date(2031, 1, 1), actor="test")
    after = db.session.scalar(select(db.func.count(Person.id)))
    assert before - after == result.people_removed > 0
    kept = db.session.scalars(select(Person)).all()
    assert all(db.session.scalar(select(Feedback.id).where(Feedback.person_id == p.id)) for p in kept)


def test_nothing_is_due_before_its_time(personal_data):
    # A compliment shared on 15 May 2023 is kept two years: due on 15 May 2025, not before.
    due = purge.due_for_removal(date(2025, 5, 14))
    assert all(d.kind == "compliment" for d in due.due)
    assert not any(d.remove_on > date(2025, 5, 14) for d in due.due)
    assert any(d.remove_on == date(2025, 5, 15) for d in purge.due_for_removal(date(2025, 5, 15)).due)
    # Complaints are kept six years after closure: on 1 January 2029, those closed by
    # 1 January 2023 are due, those closed later are not.
    complaints = [d for d in purge.due_for_removal(date(2029, 1, 1)).due if d.kind == "complaint"]
    assert complaints and all(d.closed_on <= date(2023, 1, 1) for d in complaints)


def test_the_rules_are_an_administrators_to_change(personal_data):
    assert retention_rules.months_kept()["complaint"] == 72
    retention_rules.set_rule("complaint", 12)
    db.session.commit()
    assert [d for d in purge.due_for_removal(date(2025, 1, 1)).due if d.kind == "complaint"]


def test_the_audit_trail_still_refuses_any_other_change(personal_data):
    import pytest
    from sqlalchemy import update
    from sqlalchemy.exc import DatabaseError

    entry_id = db.session.scalar(select(AuditEntry.id).limit(1))
    with pytest.raises(DatabaseError):
        db.session.execute(update(AuditEntry.__table__).where(AuditEntry.id == entry_id)
                           .values(actor_label="someone else"))
    db.session.rollback()
    purge.run(date(2031, 1, 1), actor="test")
    redacted = db.session.scalar(select(AuditEntry.id).where(AuditEntry.redacted_at.is_not(None)).limit(1))
    with pytest.raises(DatabaseError):  # redacted once, never again
        db.session.execute(update(AuditEntry.__table__).where(AuditEntry.id == redacted)
                           .values(old={}, redacted_at=db.func.current_timestamp()))
    db.session.rollback()


def test_an_initial_contact_progressed_into_a_procedure_is_kept_as_a_complaint(app):
    # Progressed on 1 March 2024, its Stage 1 answered on 20 March 2024: it closed then, and
    # is kept as a complaint. With initial contacts kept 12 months and complaints 72 (the
    # default), it is not due on 1 April 2025 (12 months on), and on 20 March 2030 it is due
    # and counted among the complaints.
    progressed = factories.complaint(factories.stage(date(2024, 3, 1), date(2024, 3, 20)),
                                     received_on=date(2024, 2, 20))
    progressed.kind, progressed.outcome = "initial_contact", "progressed"
    stayed = factories.initial_contact(received_on=date(2024, 2, 20), outcome="resolved",
                                       outcome_on=date(2024, 3, 20))
    retention_rules.set_rule("initial_contact", 12)
    db.session.commit()

    due = purge.due_for_removal(date(2025, 4, 1))
    assert [(d.label, d.kind) for d in due.due] == [(stayed.reference, "initial_contact")]

    later = purge.due_for_removal(date(2030, 3, 20))
    assert (progressed.reference, "complaint", date(2030, 3, 20)) in [(d.label, d.kind, d.remove_on) for d in later.due]
    assert later.counts()["complaint"] == 1 and later.counts()["initial_contact"] == 1
