"""Money figures and severities: one rounding and one writing, in the domain."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from uuid import uuid4

import pytest

from app.domain.common.money import Money, at_minor_unit, decimal_text
from app.domain.ledger.earned_value import PlannedWork, earned_value
from app.domain.ledger.model import Category
from app.domain.ledger.ports import CategoryTotals, MonthTotals
from app.domain.ledger.summary import summarize
from app.domain.risks.matrix import build_matrix
from app.domain.risks.model import Assessment, Severity
from tests.unit.test_risks import NOW, TODAY, risk


@pytest.mark.parametrize(
    ("amount", "currency", "figure"),
    [
        ("33.333", "GBP", "33.33"),
        ("0.005", "EUR", "0.00"),  # half to even: down to 0
        ("0.015", "EUR", "0.02"),  # half to even: up to 2
        ("-2.345", "EUR", "-2.34"),
        ("2.5", "JPY", "2"),
        ("3.5", "JPY", "4"),
        ("7.0007", "BHD", "7.001"),
        ("1E+2", "JPY", "100"),  # never an exponent
        ("100.0000", "GBP", "100.00"),  # as numeric(20, 4) stores it
        ("0", "CLF", "0.0000"),
    ],
)
def test_every_money_stands_at_its_currency_minor_unit(
    amount: str, currency: str, figure: str
) -> None:
    assert decimal_text(at_minor_unit(Decimal(amount), currency)) == figure
    money = Money(Decimal(amount), currency)
    assert str(money) == figure and decimal_text(money.amount) == figure


def test_sums_and_negations_of_money_stay_at_the_minor_unit() -> None:
    third = Money(Decimal(1) / Decimal(3), "EUR")
    assert str(third) == "0.33"
    assert str(third + third + third) == "0.99"
    assert str(-third) == "-0.33" and str(Money.zero("JPY")) == "0"


def test_the_suggested_contingency_adds_the_emv_figures_shown() -> None:
    small = risk(probability=1, cost_impact=Decimal("333.33"), currency="GBP")
    large = risk(probability=4, cost_impact=Decimal("1000.00"), currency="GBP")
    assert str(small.expected_monetary_value) == "33.33"  # 10% of 333.33 = 33.333
    assert str(small.cost) == "333.33" and risk(cost_impact=None).cost is None
    matrix = build_matrix([small, large], "GBP", TODAY)
    assert str(matrix.suggested_contingency) == "733.33"
    # Three EMVs of 0.005 each: the figures shown are 0.00, so the contingency is too.
    crumbs = [risk(probability=1, cost_impact=Decimal("0.05")) for _ in range(3)]
    assert str(build_matrix(crumbs, "EUR", TODAY).suggested_contingency) == "0.00"


def test_computed_ledger_and_earned_value_figures_come_at_the_minor_unit() -> None:
    third = Decimal(1) / Decimal(3)
    summary = summarize(
        TODAY,
        "BHD",
        [CategoryTotals(Category.LABOUR, third, Decimal(0), Decimal("0.0005"))],
        [MonthTotals("2026-03", third, Decimal(0), Decimal("0.0015"))],
    )
    assert [decimal_text(x) for x in (summary.budget, summary.actual, summary.remaining)] == [
        "0.333",
        "0.000",
        "0.333",
    ]
    assert decimal_text(summary.by_month[0].actual) == "0.002"
    work = [PlannedWork(date(2026, 3, 1), date(2026, 3, 3), Decimal("100.00"), 50)]
    ev = earned_value(date(2026, 3, 1), "GBP", Decimal("100.00"), Decimal("10.00"), work)
    assert decimal_text(ev.pv) == "33.33" and decimal_text(ev.ev) == "50.00"


def test_an_assessment_carries_the_severities_of_its_scores() -> None:
    initial = Assessment(uuid4(), "org-1", uuid4(), uuid4(), "pm", NOW, None, None, 2, 2, None)
    assert (initial.from_severity, initial.to_severity) == (None, Severity.LOW)
    change = Assessment(uuid4(), "org-1", uuid4(), uuid4(), "pm", NOW, 2, 3, 5, 3, "worse")
    assert (change.from_severity, change.to_severity) == (Severity.MEDIUM, Severity.CRITICAL)
