"""Workload is exact and equals a plain day-by-day count, across months, years and ISO week 53."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from uuid import UUID, uuid4

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from app.domain.common.errors import ValidationFailed
from app.domain.team.workload import (
    Allocation,
    organization_load,
    person_load,
    week_label,
    week_range,
)

PERSON = uuid4()
PROJECT = uuid4()


def _allocation(percent: int, start: date, end: date, person: UUID = PERSON) -> Allocation:
    return Allocation(uuid4(), person, PROJECT, "CRM", percent, start, end)


def _reference(allocations: list[Allocation], start: date, end: date) -> dict[str, Decimal]:
    """Day by day: each weekday inside an assignment adds a fifth of its allocation to its week."""
    first = start - timedelta(days=start.weekday())
    last = end - timedelta(days=end.weekday()) + timedelta(days=6)
    loads: dict[str, Decimal] = defaultdict(Decimal)
    day = first
    while day <= last:
        year, week, weekday = day.isocalendar()
        label = f"{year}-W{week:02d}"
        loads[label] += 0
        if weekday <= 5:
            for a in allocations:
                if a.start_date <= day <= a.end_date:
                    loads[label] += Decimal(a.allocation_percent) / 5
        day += timedelta(days=1)
    return dict(loads)


def test_sixty_percent_monday_to_wednesday_is_exactly_thirty_six() -> None:
    span = week_range(date(2027, 2, 1), date(2027, 2, 7))
    load = person_load(
        PERSON, Decimal(40), [_allocation(60, date(2027, 2, 1), date(2027, 2, 3))], span
    )
    [week] = load.weeks(span)
    assert week.week == "2027-W05"
    assert week.load_percent == Decimal("36.0")
    assert week.hours == Decimal("14.40")
    assert not week.over_allocated


def test_a_week_over_100_is_over_allocated_with_the_assignments_that_make_it_up() -> None:
    span = week_range(date(2027, 3, 1), date(2027, 3, 14))
    a = _allocation(80, date(2027, 3, 1), date(2027, 3, 12))
    b = _allocation(50, date(2027, 3, 8), date(2027, 3, 10))  # three days of the second week
    load = person_load(PERSON, Decimal(32), [a, b], span)
    first, second = load.weeks(span)
    assert (first.load_percent, first.over_allocated) == (Decimal("80.0"), False)
    assert (second.load_percent, second.over_allocated) == (Decimal("110.0"), True)
    assert second.hours == Decimal("35.20")
    assert [(c.assignment_id, c.percent) for c in second.assignments] == [
        (a.assignment_id, Decimal("80.0")),
        (b.assignment_id, Decimal("30.0")),
    ]
    assert load.over_allocated and load.free_percent == Decimal("-10.0")


def test_weekends_carry_no_load() -> None:
    span = week_range(date(2027, 2, 1), date(2027, 2, 7))
    load = person_load(
        PERSON, Decimal(40), [_allocation(100, date(2027, 2, 6), date(2027, 2, 7))], span
    )
    assert load.weeks(span)[0].load_percent == 0
    assert load.weeks(span, only_loaded=True) == []


def test_iso_weeks_are_labelled_by_their_iso_year() -> None:
    assert week_label(date(2026, 12, 28)) == "2026-W53"  # 2026 has 53 ISO weeks
    assert week_label(date(2027, 1, 4)) == "2027-W01"
    assert week_label(date(2024, 12, 30)) == "2025-W01"  # week 1 of 2025 starts in December
    span = week_range(date(2026, 12, 31), date(2027, 1, 1))
    assert span.weeks == 1 and span.first_monday == date(2026, 12, 28)


def test_a_range_over_53_weeks_or_backwards_is_refused_naming_the_field() -> None:
    week_range(date(2027, 1, 4), date(2028, 1, 9))  # exactly 53 weeks
    with pytest.raises(ValidationFailed) as err:
        week_range(date(2027, 1, 4), date(2028, 1, 10), end_field="query.to")
    assert err.value.errors[0].field == "query.to"
    with pytest.raises(ValidationFailed):
        week_range(date(2027, 1, 4), date(2027, 1, 3))


DAYS = st.dates(min_value=date(2024, 11, 1), max_value=date(2028, 2, 28))


@st.composite
def assignments(draw: st.DrawFn) -> Allocation:
    start = draw(DAYS)
    end = start + timedelta(days=draw(st.integers(0, 120)))
    return _allocation(draw(st.integers(1, 100)), start, end)


@settings(max_examples=300, deadline=None)
@example(  # across ISO week 53 of 2026 into 2027-W01, 60 % Wednesday to the next Tuesday
    allocations=[_allocation(60, date(2026, 12, 30), date(2027, 1, 5))],
    start=date(2026, 12, 21),
    weeks=3,
    capacity=Decimal("37.50"),
)
@example(  # 2025-W01 starts on Monday 2024-12-30
    allocations=[_allocation(35, date(2024, 12, 24), date(2025, 1, 2))],
    start=date(2024, 12, 23),
    weeks=2,
    capacity=Decimal(40),
)
@given(
    allocations=st.lists(assignments(), max_size=6),
    start=DAYS,
    weeks=st.integers(0, 52),
    capacity=st.decimals(min_value=0, max_value=168, places=2),
)
def test_workload_equals_the_day_by_day_reference(
    allocations: list[Allocation], start: date, weeks: int, capacity: Decimal
) -> None:
    end = start + timedelta(days=7 * weeks)
    span = week_range(start, end)
    load = person_load(PERSON, capacity, allocations, span)
    rendered = load.weeks(span)
    expected = _reference(allocations, start, end)
    assert [w.week for w in rendered] == list(expected)  # every ISO week, in order, once
    for w in rendered:
        assert w.load_percent == expected[w.week], w.week
        assert w.over_allocated == (expected[w.week] > 100)
        assert sum(c.percent for c in w.assignments) == w.load_percent
        exact = w.load_percent * capacity / 100
        assert w.hours == exact.quantize(Decimal("0.01"), ROUND_HALF_UP)
    peak = max(expected.values(), default=Decimal(0))
    assert load.free_percent == 100 - peak


@settings(max_examples=50, deadline=None)
@given(allocations=st.lists(assignments(), max_size=8), start=DAYS)
def test_organization_load_is_each_persons_load(allocations: list[Allocation], start: date) -> None:
    people = [uuid4(), uuid4(), uuid4()]
    mixed = [
        Allocation(a.assignment_id, people[n % 3], a.project_id, a.project_key,
                   a.allocation_percent, a.start_date, a.end_date)
        for n, a in enumerate(allocations)
    ]  # fmt: skip
    span = week_range(start, start + timedelta(days=90))
    loads = organization_load(dict.fromkeys(people, Decimal(40)), mixed, span)
    for person, load in zip(people, loads, strict=True):
        mine = [a for a in mixed if a.person_id == person]
        assert load.weeks(span) == person_load(person, Decimal(40), mine, span).weeks(span)
