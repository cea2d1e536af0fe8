"""Earned value and earned schedule on worked examples with hand-computed answers."""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal, localcontext

from app.domain.ledger.earned_value import PlannedCurve, PlannedWork, earned_value

D = Decimal
# A: days 1-10 (Jan 1-10), PV 1000; B: days 11-20 (Jan 11-20), PV 1000. BAC 2000.
A = (date(2026, 1, 1), date(2026, 1, 10), D(1000))
B = (date(2026, 1, 11), date(2026, 1, 20), D(1000))


def plan(a: int, b: int) -> list[PlannedWork]:
    return [PlannedWork(*A, progress=a), PlannedWork(*B, progress=b)]


def test_mid_way_behind_schedule_and_over_budget() -> None:
    ev = earned_value(date(2026, 1, 5), "EUR", D(2000), D(500), plan(40, 0))
    assert ev.actual_time_days == 5
    assert (ev.bac, ev.pv, ev.ev, ev.ac) == (D("2000.00"), D("500.00"), D("400.00"), D("500.00"))
    assert (ev.cv, ev.sv) == (D("-100.00"), D("-100.00"))
    assert (ev.cpi, ev.spi) == (D("0.8000"), D("0.8000"))
    assert (ev.eac, ev.etc, ev.vac) == (D("2500.00"), D("2000.00"), D("-500.00"))
    assert ev.tcpi == D("1.0667")  # 1600 / 1500
    # PV(4) = 400 <= EV < PV(5) = 500: C = 4, ES = 4 + 0 / 100
    assert (ev.earned_schedule_days, ev.sv_t_days, ev.spi_t) == (
        D("4.0000"),
        D("-1.0000"),
        D("0.8000"),
    )
    assert str(ev.cpi) == "0.8000" and str(ev.eac) == "2500.00"


def test_earned_schedule_interpolates_within_a_day() -> None:
    ev = earned_value(date(2026, 1, 5), "EUR", D(2000), D(500), plan(45, 0))
    assert ev.earned_schedule_days == D("4.5000")  # 4 + (450 - 400) / (500 - 400)
    assert (ev.sv_t_days, ev.spi_t) == (D("-0.5000"), D("0.9000"))


def test_before_the_start_nothing_is_planned_or_earned() -> None:
    ev = earned_value(date(2025, 12, 30), "EUR", D(2000), D(0), plan(0, 0))
    assert ev.actual_time_days == -1  # Dec 31 is k = 0, the day before the first start
    assert (ev.pv, ev.ev, ev.ac, ev.cv, ev.sv) == (D("0.00"),) * 5
    assert (ev.cpi, ev.spi, ev.eac, ev.etc, ev.vac) == (None,) * 5
    assert ev.tcpi == D("1.0000")
    assert ev.earned_schedule_days == D("0.0000")
    assert ev.sv_t_days == D("1.0000")
    assert ev.spi_t is None  # no elapsed time to divide by


def test_after_a_late_finish_spi_t_shows_the_delay() -> None:
    ev = earned_value(date(2026, 2, 15), "EUR", D(2000), D(1800), plan(100, 50))
    assert ev.actual_time_days == 46
    assert (ev.pv, ev.ev) == (D("2000.00"), D("1500.00"))
    assert (ev.cv, ev.sv) == (D("-300.00"), D("-500.00"))
    assert (ev.cpi, ev.spi) == (D("0.8333"), D("0.7500"))
    assert (ev.eac, ev.etc, ev.vac) == (D("2400.00"), D("600.00"), D("-400.00"))
    assert ev.tcpi == D("2.5000")  # 500 / 200
    assert (ev.earned_schedule_days, ev.sv_t_days, ev.spi_t) == (
        D("15.0000"),
        D("-31.0000"),
        D("0.3261"),
    )


def test_complete_project_earns_its_whole_schedule() -> None:
    ev = earned_value(date(2026, 3, 1), "EUR", D(2000), D(2000), plan(100, 100))
    assert ev.spi == D("1.0000")
    assert ev.earned_schedule_days == D("20.0000")  # capped at the planned finish
    assert ev.tcpi is None  # BAC - AC = 0


def test_flat_curve_takes_the_largest_day() -> None:
    work = [
        PlannedWork(date(2026, 1, 1), date(2026, 1, 5), D(500), 100),
        PlannedWork(date(2026, 1, 11), date(2026, 1, 15), D(500), 0),
    ]
    ev = earned_value(date(2026, 1, 12), "EUR", D(1000), D(400), work)
    assert ev.pv == D("700.00")
    assert ev.earned_schedule_days == D("10.0000")  # PV(5..10) = 500: the largest such day
    assert ev.sv_t_days == D("-2.0000")


def test_zero_denominators_are_null_not_errors() -> None:
    nothing = earned_value(date(2026, 1, 5), "EUR", D(0), D(0), [])
    assert (nothing.pv, nothing.ev) == (D("0.00"), D("0.00"))
    assert (nothing.cpi, nothing.spi, nothing.eac, nothing.tcpi) == (None,) * 4
    assert (nothing.actual_time_days, nothing.earned_schedule_days, nothing.spi_t) == (None,) * 3
    spent_nothing_earned = earned_value(date(2026, 1, 5), "EUR", D(2000), D(100), plan(0, 0))
    assert spent_nothing_earned.cpi == D("0.0000")
    assert (spent_nothing_earned.eac, spent_nothing_earned.etc) == (None, None)


def test_money_is_rounded_half_even_to_the_minor_unit() -> None:
    two_days = [PlannedWork(date(2026, 1, 1), date(2026, 1, 2), D("0.25"), 50)]
    ev = earned_value(date(2026, 1, 1), "EUR", D(1), D(0), two_days)
    assert (ev.pv, ev.ev) == (D("0.12"), D("0.12"))  # 0.125 rounds to even
    thirds = [PlannedWork(date(2026, 1, 1), date(2026, 1, 3), D(1000), 0)]
    assert earned_value(date(2026, 1, 1), "JPY", D(0), D(0), thirds).pv == D("333")
    assert earned_value(date(2026, 1, 1), "BHD", D(0), D(0), thirds).pv == D("333.333")


def _pv_as_defined(work: list[PlannedWork], k: int) -> Decimal:
    """PRODUCT.md's PV(k), term by term: value x min(max((k - s + 1) / d, 0), 1)."""
    first = min(w.start_date for w in work)
    total = Decimal(0)
    for w in work:
        s = (w.start_date - first).days + 1
        d = (w.due_date - w.start_date).days + 1
        total += w.planned_value * min(max(Decimal(k - s + 1) / Decimal(d), Decimal(0)), D(1))
    return total


def test_the_curve_skips_only_terms_that_are_zero_or_whole() -> None:
    """PlannedCurve.pv adds nothing for milestones not started and the whole value for
    those past their due day: the same PV as the formula, at every day of random plans."""
    rng = random.Random(7)
    for _ in range(200):
        work = []
        for _ in range(rng.randint(1, 8)):
            start = date(2026, 1, 1) + timedelta(days=rng.randint(0, 40))
            due = start + timedelta(days=rng.randint(0, 30))
            value = Decimal(rng.randint(0, 10**7)) / 100
            work.append(PlannedWork(start, due, value, progress=0))
        curve = PlannedCurve(work)
        with localcontext() as ctx:
            ctx.prec = 50
            for k in range(-2, curve.finish + 3):
                assert curve.pv(k) == _pv_as_defined(work, k)
