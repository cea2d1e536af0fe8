"""Workload per person per ISO week (PRODUCT.md "People, workload"), as pure functions.

Each assignment contributes ``allocation_percent x w / 5`` to a week, where ``w`` is the
number of that week's weekdays (Monday to Friday) inside the assignment's dates. Sums
are kept in integer fifths of a percent (``allocation_percent x w``) until rendered, so
the figures are exact: 60 % on Monday to Wednesday is 36 %, never 35.99.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from typing import NamedTuple
from uuid import UUID

from app.domain.common.errors import FieldError
from app.domain.common.text import raise_if

MAX_WEEKS = 53
LAST_DAY = date(9999, 12, 24)  # the last whose ISO week ends inside the calendar
FULL = 100 * 5  # a full week at 100 %, in fifths of a percent
_CENT = Decimal("0.01")


@dataclass(frozen=True)
class Allocation:
    """What the workload needs of an assignment."""

    assignment_id: UUID
    person_id: UUID
    project_id: UUID
    project_key: str
    allocation_percent: int
    start_date: date
    end_date: date


@dataclass(frozen=True)
class Member:
    """A person as the workload needs them: who, and their weekly capacity."""

    person_id: UUID
    name: str
    capacity_hours: Decimal


@dataclass(frozen=True)
class WeekRange:
    """Whole ISO weeks: from the Monday of ``from`` to the Sunday of ``to``."""

    first_monday: date
    weeks: int

    @property
    def start(self) -> date:
        return self.first_monday

    @property
    def end(self) -> date:
        return self.first_monday + timedelta(days=7 * self.weeks - 1)

    def mondays(self) -> list[date]:
        return [self.first_monday + timedelta(days=7 * i) for i in range(self.weeks)]


def week_range(
    start: date, end: date, *, start_field: str = "from", end_field: str = "to"
) -> WeekRange:
    """The ISO weeks covering [start, end]; more than 53 of them, or end before start, is refused."""
    first = start - timedelta(days=start.weekday())
    last = end - timedelta(days=end.weekday())
    errors: list[FieldError] = []
    if end > LAST_DAY:
        errors.append(FieldError(end_field, f"must not be after {LAST_DAY.isoformat()}"))
    elif end < start:
        errors.append(FieldError(end_field, f"must not be before {start_field}"))
    elif (last - first).days // 7 + 1 > MAX_WEEKS:
        errors.append(FieldError(end_field, f"the range must span at most {MAX_WEEKS} ISO weeks"))
    raise_if(errors)
    return WeekRange(first, (last - first).days // 7 + 1)


@lru_cache(maxsize=1024)  # a few distinct weeks per request, rendered thousands of times
def week_label(monday: date) -> str:
    """``2027-W05``: the ISO year (which may differ from the calendar year) and week."""
    year, week, _ = monday.isocalendar()
    return f"{year}-W{week:02d}"


class Contribution(NamedTuple):  # a tuple: a large page renders thousands of them
    assignment_id: UUID
    project_id: UUID
    project_key: str
    percent: Decimal


class WeekLoad(NamedTuple):
    week: str
    monday: date
    load_percent: Decimal
    hours: Decimal
    over_allocated: bool
    assignments: tuple[Contribution, ...]


@dataclass(frozen=True)
class PersonLoad:
    """One person's load over a span: ``totals`` in fifths of a percent per week index.

    The totals are all that ordering an organization needs; the per-assignment breakdown
    of each week is worked out only for the people rendered (``weeks``).
    """

    person_id: UUID
    capacity_hours: Decimal
    allocations: tuple[Allocation, ...]
    totals: tuple[int, ...]
    peak_fifths: int

    @property
    def loaded(self) -> bool:
        """Any load in the span (an assignment on at least one of its weekdays)."""
        return self.peak_fifths > 0

    @property
    def over_allocated(self) -> bool:
        return self.peak_fifths > FULL

    @property
    def peak_percent(self) -> Decimal:
        return percent(self.peak_fifths)

    @property
    def free_percent(self) -> Decimal:
        """100 minus the highest weekly load in the range (negative when over-allocated)."""
        return Decimal(100) - self.peak_percent

    def weeks(self, span: WeekRange, *, only_loaded: bool = False) -> list[WeekLoad]:
        """Render the weeks of ``span`` (every one, or those with any load)."""
        parts: dict[int, list[tuple[Allocation, int]]] = defaultdict(list)
        for a in self.allocations:
            for i, f in _spread(a, span):
                parts[i].append((a, f))
        mondays = span.mondays()
        return [
            self._week(mondays[i], parts.get(i, []))
            for i in range(span.weeks)
            if self.totals[i] or not only_loaded
        ]

    def _week(self, monday: date, parts: list[tuple[Allocation, int]]) -> WeekLoad:
        total = sum(f for _, f in parts)
        load = percent(total)
        return WeekLoad(
            week=week_label(monday),
            monday=monday,
            load_percent=load,
            hours=_hours(total, self.capacity_hours),
            over_allocated=total > FULL,
            assignments=tuple(
                Contribution(a.assignment_id, a.project_id, a.project_key, percent(f))
                for a, f in parts
            ),
        )


@lru_cache(maxsize=4096)  # few distinct sums: Decimal arithmetic is what rendering costs
def percent(fifths: int) -> Decimal:
    """Fifths of a percent as an exact percent with one decimal place."""
    return (Decimal(fifths) / 5).quantize(Decimal("0.1"))


@lru_cache(maxsize=4096)
def _hours(fifths: int, capacity: Decimal) -> Decimal:
    return (percent(fifths) / 100 * capacity).quantize(_CENT, ROUND_HALF_UP)


def _spread(a: Allocation, span: WeekRange) -> list[tuple[int, int]]:
    """(week index, fifths) of each week of ``span`` the assignment loads.

    Day ordinals, not date objects: this runs for every assignment of an organization.
    Weeks strictly between the first and the last are whole (five weekdays).
    """
    base = span.first_monday.toordinal()
    start, end = a.start_date.toordinal(), a.end_date.toordinal()
    first = max(0, (start - base) // 7)
    last = min(span.weeks - 1, (end - base) // 7)
    if first > last:
        return []
    result = []
    for i in (first, last) if last > first + 1 else range(first, last + 1):
        monday = base + 7 * i
        days = min(end, monday + 4) - max(start, monday) + 1
        if days > 0:
            result.append((i, a.allocation_percent * days))
    if last > first + 1:
        whole = a.allocation_percent * 5
        result[1:1] = [(i, whole) for i in range(first + 1, last)]
        result.sort()
    return result


def person_load(
    person_id: UUID, capacity_hours: Decimal, allocations: Iterable[Allocation], span: WeekRange
) -> PersonLoad:
    """Spread one person's assignments over the weeks of ``span``."""
    totals = [0] * span.weeks
    mine = []
    for a in allocations:
        spread = _spread(a, span)
        if spread:
            mine.append(a)
        for i, f in spread:
            totals[i] += f
    return PersonLoad(person_id, capacity_hours, tuple(mine), tuple(totals), max(totals, default=0))


def organization_load(
    capacities: dict[UUID, Decimal], allocations: Iterable[Allocation], span: WeekRange
) -> list[PersonLoad]:
    """Every person of ``capacities``' load over ``span`` (people without load included)."""
    by_person: dict[UUID, list[Allocation]] = defaultdict(list)
    for a in allocations:
        by_person[a.person_id].append(a)
    return [person_load(p, hours, by_person.get(p, ()), span) for p, hours in capacities.items()]
