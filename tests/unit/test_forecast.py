"""The Monte Carlo forecast (PRODUCT.md "Forecast"): the properties issue 18 lists.

Day k means 2026-01-(k) as in test_schedule.py; a milestone "X(d) @s" lasts d days from day s.
"""

from __future__ import annotations

import itertools
import uuid
from datetime import date, timedelta
from decimal import Decimal

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.domain.common.money import Money
from app.domain.forecast.simulation import (
    Estimate,
    SimMilestone,
    SimRisk,
    average_ranks,
    nearest_rank,
    simulate,
    triangular,
)
from app.domain.milestones.model import DependencyType, MilestoneStatus
from app.domain.milestones.schedule import NetworkLink, ScheduleItem, compute_schedule

FS = DependencyType.FINISH_TO_START
PROJECT = uuid.uuid4()
DAY0 = date(2025, 12, 31)


def day(k: int) -> date:
    return DAY0 + timedelta(days=k)


def ms(
    name: str,
    days: int,
    start: int = 1,
    estimate: tuple[int, int, int] | None = None,
    status: MilestoneStatus = MilestoneStatus.PLANNED,
    planned_value: str = "0",
    progress: int = 0,
) -> SimMilestone:
    return SimMilestone(
        id=uuid.uuid5(PROJECT, name),
        name=name,
        start_date=day(start),
        due_date=day(start + days - 1),
        status=status,
        completed_on=None,
        progress=progress,
        planned_value=Decimal(planned_value),
        estimate=Estimate(*estimate) if estimate else None,
    )


def link(p: SimMilestone, s: SimMilestone, kind: DependencyType = FS, lag: int = 0) -> NetworkLink:
    return NetworkLink(PROJECT, p.id, s.id, kind, lag)


def risk(probability: int, impact: int | None, on: SimMilestone | None, cost: str | None = None):  # type: ignore[no-untyped-def]
    return SimRisk(
        uuid.uuid4(), probability, impact, on.id if on else None, Decimal(cost) if cost else None
    )


def run(milestones, links=(), risks=(), iterations=10_000, seed=7, target=None, actual="0"):  # type: ignore[no-untyped-def]
    return simulate(
        milestones,
        list(links),
        list(risks),
        actual_to_date=Decimal(actual),
        currency="GBP",
        target_end_date=target,
        iterations=iterations,
        seed=seed,
    )


def as_item(m: SimMilestone, days: int | None = None) -> ScheduleItem:
    due = m.due_date if days is None else m.start_date + timedelta(days=days - 1)
    return ScheduleItem(m.id, PROJECT, m.name, m.start_date, due, m.status, m.completed_on)


def criticality(f, m: SimMilestone) -> float:  # type: ignore[no-untyped-def]
    return next(x.criticality for x in f.milestones if x.milestone_id == m.id)


# --- the properties of issue 18 --------------------------------------------------------


def test_no_estimates_and_no_risks_every_percentile_is_the_schedules_finish() -> None:
    a, b, c, d = ms("A", 3), ms("B", 2), ms("C", 4), ms("D", 1)
    links = [link(a, b), link(a, c), link(b, d), link(c, d)]
    f = run([a, b, c, d], links, target=day(8))
    expected = compute_schedule([as_item(m) for m in (a, b, c, d)], links).forecast_finish
    assert expected == day(8)
    assert {f.finish.p10, f.finish.p50, f.finish.p80, f.finish.p90} == {expected}
    assert f.probability_on_time == 1.0
    # The worked example of PRODUCT.md: critical path A, C, D in every iteration, B never.
    assert [criticality(f, m) for m in (a, b, c, d)] == [1.0, 0.0, 1.0, 1.0]
    assert all(m.sensitivity is None for m in f.milestones)  # nothing varies
    assert sum(b.count for b in f.histogram) == 10_000 and len(f.histogram) == 20


def test_degenerate_estimates_equal_to_the_plan_give_the_schedules_finish() -> None:
    a, b = ms("A", 3, estimate=(3, 3, 3)), ms("B", 5, estimate=(5, 5, 5))
    f = run([a, b], [link(a, b)])
    assert {f.finish.p10, f.finish.p90} == {day(8)}


def test_a_single_milestone_samples_the_triangular_mean() -> None:
    o, m, p = 2, 5, 17
    single = ms("A", 5, estimate=(o, m, p), planned_value="1000")
    f = run([single], iterations=100_000, seed=11)
    # The sampler the simulation draws with, on the simulation's first draws for this seed.
    rng = np.random.default_rng(11)
    u = rng.random((1, 100_000))
    sampled = triangular(u, np.array([[o]]), np.array([[m]]), np.array([[p]]))
    assert abs(sampled.mean() - (o + m + p) / 3) < 0.01 * (o + m + p) / 3
    assert sampled.min() >= o and sampled.max() <= p
    # And the forecast's own finishes stay within the estimate's range.
    assert f.finish.p10 is not None and f.finish.p90 is not None
    assert day(o) <= f.finish.p10 <= f.finish.p90 <= day(p)


def test_the_mean_sampled_duration_is_within_one_percent_of_the_triangular_mean() -> None:
    # Measured through the simulation: one milestone, cost = planned value x d / planned d,
    # so the P50 cost of a symmetric estimate is near the planned value, and the mean finish
    # boundary (from the histogram of whole days) brackets (o + m + p) / 3.
    o, m, p = 4, 10, 16  # symmetric: mean = median = 10
    single = ms("A", 10, estimate=(o, m, p), planned_value="10000")
    f = run([single], iterations=100_000, seed=3)
    median_cost = f.cost.p50.amount
    assert abs(median_cost - Decimal(10_000)) < Decimal(100)  # 1 % of the planned value


def test_a_serial_chain_is_critical_in_every_iteration() -> None:
    chain = [ms(f"M{i}", 3, estimate=(1, 3, 9)) for i in range(6)]
    links = [link(a, b) for a, b in itertools.pairwise(chain)]
    f = run(chain, links)
    assert all(x.criticality == 1.0 for x in f.milestones)
    assert all(x.sensitivity is not None and x.sensitivity > 0 for x in f.milestones)


def test_two_identical_parallel_branches_are_each_critical_half_the_time() -> None:
    start, end = ms("S", 1), ms("E", 1)
    left, right = ms("L", 5, estimate=(2, 5, 10)), ms("R", 5, estimate=(2, 5, 10))
    links = [link(start, left), link(start, right), link(left, end), link(right, end)]
    f = run([start, left, right, end], links)
    assert criticality(f, left) == pytest.approx(0.5, abs=0.03)
    assert criticality(f, right) == pytest.approx(0.5, abs=0.03)
    assert criticality(f, left) + criticality(f, right) == pytest.approx(1.0, abs=1e-9)
    assert criticality(f, start) == criticality(f, end) == 1.0


def test_a_ninety_percent_risk_occurs_in_ninety_percent_of_iterations() -> None:
    # A 10-day delay on a 1-day milestone: the finish is day 1 without it and day 11 with it,
    # so the share of late finishes is the share of iterations in which the risk occurred.
    only = ms("A", 1)
    f = run([only], risks=[risk(5, 10, only, cost="100")], target=day(1))
    assert f.probability_on_time is not None
    assert 1 - f.probability_on_time == pytest.approx(0.9, abs=0.01)
    assert f.finish.p50 == day(11)
    # Cost: P50 includes the occurred cost impact (most iterations), P10-ish would not.
    assert f.cost.p50 == Money(Decimal(100), "GBP")


def test_a_risk_on_a_milestone_counts_in_cost_even_without_a_schedule_impact() -> None:
    only = ms("A", 2, planned_value="50", progress=50)
    f = run([only], risks=[risk(5, None, None, cost="1000")], actual="10")
    # actual 10 + the remaining half of 50 + 1000 (occurs in 90 % of iterations).
    assert f.cost.p50 == Money(Decimal("1035"), "GBP")
    assert {f.finish.p10, f.finish.p90} == {day(2)}


def test_the_same_seed_gives_the_same_result_and_another_seed_another() -> None:
    a, b, c = ms("A", 3, estimate=(1, 3, 8)), ms("B", 4, estimate=(2, 4, 12)), ms("C", 2)
    links = [link(a, c), link(b, c, DependencyType.FINISH_TO_FINISH, 2)]
    risks = [risk(3, 5, a, "100")]
    first = run([a, b, c], links, risks, seed=42)
    again = run([c, b, a], list(reversed(links)), risks, seed=42)  # input order does not matter
    other = run([a, b, c], links, risks, seed=43)
    assert first == again
    assert first != other


def test_done_and_cancelled_milestones_keep_their_facts() -> None:
    done = SimMilestone(
        uuid.uuid5(PROJECT, "done"), "done", day(1), day(3), MilestoneStatus.DONE,
        day(5), 100, Decimal(500), Estimate(1, 2, 30),
    )  # fmt: skip
    gone = ms("gone", 9, start=2, estimate=(5, 9, 40), status=MilestoneStatus.CANCELLED)
    f = run([done, gone], risks=[risk(5, 20, done), risk(5, 20, gone)])
    assert {f.finish.p10, f.finish.p90} == {day(5)}  # actual dates; no time when cancelled
    assert criticality(f, gone) == 0.0
    assert f.cost.p90 == Money(Decimal(0), "GBP")  # done: nothing remains to spend


def test_nearest_rank_and_average_ranks() -> None:
    values = np.array([1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0])
    assert nearest_rank(values, 10) == 1.0
    assert nearest_rank(values, 50) == 5.0
    assert nearest_rank(values, 80) == 8.0
    assert nearest_rank(values, 91) == 10.0
    assert list(average_ranks(np.array([3.0, 1.0, 3.0, 2.0]))) == [2.5, 0.0, 2.5, 1.0]


def test_no_milestones_gives_no_finish_and_the_actual_cost() -> None:
    f = run([], actual="12.34", target=day(3))
    assert f.finish.p50 is None and f.probability_on_time is None and f.histogram == []
    assert f.cost.p90 == Money(Decimal("12.34"), "GBP")


# --- one degenerate iteration equals the critical-path function ----------------------


@st.composite
def networks(
    draw: st.DrawFn,
) -> tuple[list[SimMilestone], list[NetworkLink], dict[uuid.UUID, int]]:
    n = draw(st.integers(1, 12))
    items = []
    durations = {}
    for i in range(n):
        planned = draw(st.integers(1, 6))
        sampled = draw(st.one_of(st.none(), st.integers(1, 9)))  # o = m = p, maybe not the plan
        item = ms(
            f"M{i}",
            planned,
            start=draw(st.integers(1, 20)),
            estimate=(sampled, sampled, sampled) if sampled else None,
            status=draw(
                st.sampled_from(
                    [
                        MilestoneStatus.PLANNED,
                        MilestoneStatus.IN_PROGRESS,
                        MilestoneStatus.CANCELLED,
                    ]
                )
            ),
        )
        items.append(item)
        durations[item.id] = sampled or planned
    pairs = draw(
        st.sets(
            st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)).filter(lambda t: t[0] < t[1]),
            max_size=3 * n,
        )
    )
    links = [
        link(
            items[p],
            items[s],
            draw(st.sampled_from(list(DependencyType))),
            draw(st.integers(-3, 5)),
        )
        for p, s in sorted(pairs)
    ]
    return items, links, durations


@settings(max_examples=300, deadline=None)
@given(networks(), st.integers(0, 2**31 - 1))
def test_one_degenerate_iteration_equals_the_critical_path_function(
    network: tuple[list[SimMilestone], list[NetworkLink], dict[uuid.UUID, int]], seed: int
) -> None:
    items, links, durations = network
    schedule = compute_schedule([as_item(m, durations[m.id]) for m in items], links)
    f = run(items, links, iterations=1, seed=seed, target=schedule.forecast_finish)
    assert f.finish.p50 == f.finish.p10 == f.finish.p90 == schedule.forecast_finish
    on_path = {x.milestone_id for x in f.milestones if x.criticality == 1.0}
    assert on_path == set(schedule.critical_path)
    if schedule.forecast_finish is not None:
        assert f.probability_on_time == 1.0


def test_the_simulated_duration_has_the_triangular_quantiles() -> None:
    # Cost = planned value x sampled / planned duration: with a 1-day plan of 1,000,000 the
    # cost percentiles read the sampled duration's quantiles to six digits.
    o, m, p = 2, 5, 17
    single = ms("A", 1, estimate=(o, m, p), planned_value="1000000")
    f = run([single], iterations=100_000, seed=5)

    def quantile(q: float) -> float:  # the triangular distribution's inverse CDF
        c = (m - o) / (p - o)
        if q < c:
            return o + ((p - o) * (m - o) * q) ** 0.5
        return p - ((p - o) * (p - m) * (1 - q)) ** 0.5

    for percent, money in ((50, f.cost.p50), (80, f.cost.p80), (90, f.cost.p90)):
        sampled = float(money.amount) / 1_000_000
        assert sampled == pytest.approx(quantile(percent / 100), rel=0.01), percent
