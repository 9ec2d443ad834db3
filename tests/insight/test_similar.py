"""Similar past cases and `flask insight similar` (issue 22, "Similar past cases")."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from portal.extensions import db
from portal.models import Payment
from portal.services.common.dates import now_utc, today
from portal.services.insight import similar, training
from tests import factories

ORIGINAL = ("My grandson's taxi to his special school has been late every day this week and on Tuesday "
            "the escort left him sitting in the car park on his own.")
PARAPHRASE = ("Every day this week the cab that takes my grandson to his special school was late, and on "
              "Tuesday the escort just left him alone in the car park.")


def _earlier_complaint(text: str, team: str = "Education - Transport", days_ago: int = 90):
    day = today() - timedelta(days=days_ago)
    record = factories.complaint(factories.stage(day, day + timedelta(days=12), outcome="upheld"),
                                 procedure="corporate", summary=text, received_on=day, status="closed",
                                 team_id=factories.team(team).id)
    return record


def test_a_paraphrase_finds_the_complaint_it_repeats_first(app, imported, runner, no_network):
    original = _earlier_complaint(ORIGINAL)
    db.session.add(Payment(feedback=original, kind="financial_remedy", amount_pence=25000, paid_on=today()))
    db.session.commit()
    training.train(app.config["INSIGHT_PATH"], 50)
    new = factories.initial_contact(summary=PARAPHRASE)

    found = similar.similar_cases(new, app.config["INSIGHT_PATH"])
    assert len(found) == 5
    assert found[0].reference == original.reference
    assert found[0].outcome == "Stage 1: upheld" and found[0].upheld
    assert found[0].remedy_paid == Decimal("250.00")
    assert [c.similarity for c in found] == sorted((c.similarity for c in found), reverse=True)

    result = runner.invoke(args=["insight", "similar", new.reference, "--limit", "3"])
    assert result.exit_code == 0, result.output
    lines = result.output.split()
    assert len(lines) == 3 and lines[0] == original.reference


def test_only_earlier_cases_the_viewer_may_open_and_never_purged(app, imported, no_network):
    original = _earlier_complaint(ORIGINAL)
    training.train(app.config["INSIGHT_PATH"], 50)
    new = factories.initial_contact(summary=PARAPHRASE)
    folder = app.config["INSIGHT_PATH"]

    finance_manager = factories.staff("team_manager", team=factories.team("Finance"))
    seen = similar.similar_cases(new, folder, viewer=finance_manager)
    assert seen and all(case.record.team.name == "Finance" for case in seen)
    transport_manager = factories.staff("team_manager", team=factories.team("Education - Transport"))
    assert similar.similar_cases(new, folder, viewer=transport_manager)[0].reference == original.reference
    officer = factories.staff("investigating_officer")
    assert similar.similar_cases(new, folder, viewer=officer) == []

    later = factories.initial_contact(summary=PARAPHRASE, received_on=today() - timedelta(days=200))
    assert original.reference not in [c.reference for c in similar.similar_cases(later, folder)]

    original.purged_at = now_utc()
    db.session.commit()
    assert original.reference not in [c.reference for c in similar.similar_cases(new, folder)]


def _case(amount: str, upheld: bool = True) -> similar.SimilarCase:
    return similar.SimilarCase("CF-1", today(), 0.5, "Stage 1: upheld", upheld, Decimal(amount), (), None)


def test_a_payment_far_outside_similar_upheld_cases_is_noted():
    cases = [_case("100.00"), _case("250.00"), _case("5000.00", upheld=False), _case("0.00")]
    # Paid in similar upheld cases: 100 to 250. Twice 250 is 500; half of 100 is 50.
    assert similar.payment_note(Decimal("500.00"), cases) is None
    assert similar.payment_note(Decimal("50.00"), cases) is None
    assert similar.payment_note(Decimal("500.01"), cases) == (
        "£500.01 is far outside what similar upheld cases were paid (£100.00 to £250.00, 2 cases).")
    assert similar.payment_note(Decimal("49.99"), cases).startswith("£49.99 is far outside")
    assert similar.payment_note(Decimal("900.00"), [_case("5000.00", upheld=False)]) is None
