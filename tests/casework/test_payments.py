"""Money on a case: exact amounts from what staff type, totals per case and per period."""

from __future__ import annotations

import inspect
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import AuditEntry, Payment
from portal.services.casework import payments
from portal.services.casework.payments import format_amount, parse_amount
from portal.services.common.errors import Refused

TODAY = date(2024, 6, 28)


@pytest.mark.parametrize("typed, pounds", [
    ("£1,300", "1300.00"),
    ("1300.5", "1300.50"),
    (" £12.05 ", "12.05"),
    ("0.01", "0.01"),
    (".5", "0.50"),
    ("1,234,567.8", None),  # over the ceiling: see below
    ("£ 250", "250.00"),
    ("999999.99", "999999.99"),
    (Decimal("0.1") + Decimal("0.2"), "0.30"),
    (75, "75.00"),
])
def test_what_staff_type_becomes_exact_pounds(typed, pounds):
    if pounds is None:
        with pytest.raises(Refused, match="£1,000,000 or less"):
            parse_amount(typed)
        return
    amount = parse_amount(typed)
    assert isinstance(amount, Decimal)
    assert amount == Decimal(pounds) and str(amount) == pounds


@pytest.mark.parametrize("typed, message", [
    ("", "Enter the amount"),
    ("   ", "Enter the amount"),
    (None, "Enter the amount"),
    ("-5", "Amount must be more than £0"),
    ("£-5", "Amount must be more than £0"),
    ("0", "Amount must be more than £0"),
    ("0.00", "Amount must be more than £0"),
    ("12.345", "no more than 2 decimal places"),
    ("1,30", "like £1,300 or 1300.50"),
    ("12,34.00", "like £1,300 or 1300.50"),
    ("ten pounds", "like £1,300 or 1300.50"),
    ("1e3", "like £1,300 or 1300.50"),
    ("NaN", "like £1,300 or 1300.50"),
    ("£1.2.3", "like £1,300 or 1300.50"),
    (Decimal("-1"), "Amount must be more than £0"),
    (Decimal("0.001"), "no more than 2 decimal places"),
])
def test_amounts_that_are_refused_say_why_for_the_error_summary(typed, message):
    with pytest.raises(Refused, match=message) as refused:
        parse_amount(typed)
    assert refused.value.field == "amount"
    assert isinstance(refused.value, ValueError)


def test_a_float_is_never_accepted_as_money():
    with pytest.raises(TypeError, match="never a float"):
        parse_amount(0.1)
    with pytest.raises(TypeError):
        format_amount(0.1)


def test_amounts_are_shown_in_pounds_with_pence_and_thousands():
    assert format_amount(Decimal("1300")) == "£1,300.00"
    assert format_amount(Decimal("0.5")) == "£0.50"
    assert format_amount(Decimal("1234567.891").quantize(Decimal("0.01"))) == "£1,234,567.89"
    assert format_amount(None) == ""
    assert payments.format_pence(130000) == "£1,300.00"


def test_a_remedy_is_recorded_with_who_decided_and_why_and_is_audited(app, officer, make_complaint):
    record = make_complaint()
    payment = payments.record_payment(
        record, "financial_remedy", "£1,300", date(2024, 6, 3), officer,
        decided_by="Adjudicating manager", reason="Time and trouble in pursuing the complaint", today=TODAY,
    )
    db.session.commit()
    assert payment.amount_pence == 130000 and payment.amount == Decimal("1300.00")
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.entity_type == "payment"))
    assert (entry.action, entry.actor_id) == ("create", officer.id)
    assert entry.new["amount_pence"] == 130000 and entry.new["decided_by"] == "Adjudicating manager"

    payments.correct_payment(payment, "financial_remedy", "1250", date(2024, 6, 3), officer,
                             decided_by="Adjudicating manager", reason="Corrected to the letter", today=TODAY)
    db.session.commit()
    change = db.session.scalars(select(AuditEntry).where(
        AuditEntry.entity_type == "payment", AuditEntry.action == "update")).one()
    assert change.old["amount_pence"] == 130000 and change.new["amount_pence"] == 125000

    payments.remove_payment(payment, officer)
    db.session.commit()
    assert db.session.scalars(select(AuditEntry).where(
        AuditEntry.entity_type == "payment", AuditEntry.action == "delete")).one().actor_id == officer.id


@pytest.mark.parametrize("kind, amount, paid_on, decided_by, reason, field", [
    ("gift", "10", date(2024, 6, 1), "x", "y", "kind"),
    ("financial_remedy", "10", None, "x", "y", "paid_on"),
    ("financial_remedy", "10", date(2024, 6, 29), "x", "y", "paid_on"),
    ("financial_remedy", "10", date(2024, 6, 1), "", "y", "decided_by"),
    ("financial_remedy", "10", date(2024, 6, 1), "x", " ", "reason"),
    ("investigation_cost", "10", date(2024, 6, 1), None, None, "reason"),
    ("investigation_cost", "ten", date(2024, 6, 1), None, "Panel fee", "amount"),
])
def test_a_payment_that_cannot_be_recorded_names_its_field(app, officer, make_complaint, kind, amount,
                                                           paid_on, decided_by, reason, field):
    record = make_complaint()
    with pytest.raises(Refused) as refused:
        payments.record_payment(record, kind, amount, paid_on, officer, decided_by, reason, today=TODAY)
    assert refused.value.field == field
    db.session.rollback()


def test_totals_per_case_and_per_period_are_exact_sums_of_many_pennies(app, officer, make_complaint):
    first, second = make_complaint(), make_complaint()
    # 1,001 payments of a penny and ten of 10p: a float sum would drift; pence do not.
    for _ in range(1001):
        db.session.add(Payment(feedback=first, kind="investigation_cost", amount=Decimal("0.01"),
                               paid_on=date(2024, 4, 30), description="Panel fee share"))
    for _ in range(10):
        db.session.add(Payment(feedback=first, kind="financial_remedy", amount="0.10",
                               paid_on=date(2024, 5, 1), decided_by="Investigating Officer", description="x"))
    payments.record_payment(second, "investigation_cost", "£2,450.75", date(2024, 3, 31), officer,
                            reason="External Investigating Officer", today=TODAY)
    db.session.commit()

    totals = payments.case_totals(first)
    assert totals.investigation_costs == Decimal("10.01")
    assert totals.financial_remedies == Decimal("1.00")
    assert totals.total == Decimal("11.01")
    assert all(isinstance(v, Decimal) for v in (totals.investigation_costs, totals.financial_remedies))
    assert payments.case_totals(second).investigation_costs == Decimal("2450.75")

    quarter = payments.period_totals(date(2024, 4, 1), date(2024, 6, 30))  # Q1 2024-25
    assert (quarter.investigation_costs, quarter.financial_remedies) == (Decimal("10.01"), Decimal("1.00"))
    year = payments.period_totals(date(2023, 4, 1), date(2024, 6, 30))
    assert year.investigation_costs == Decimal("2460.76")
    assert format_amount(year.total) == "£2,461.76"
    empty = payments.period_totals(date(2020, 1, 1), date(2020, 1, 31))
    assert empty.total == Decimal("0.00")


def test_the_money_service_never_uses_floats():
    source = inspect.getsource(payments)
    assert "float(" not in source
