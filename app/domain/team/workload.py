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


def week_label(monday: date) -> str:
    """``2027-W05``: the ISO year (which may differ from the calendar year) and week."""
    year, week, _ = monday.isocalendar()
    return f"{year}-W{week:02d}"


def weekdays_inside(monday: date, start: date, end: date) -> int:
    """How many of the weekdays of the week starting ``monday`` lie in [start, end]."""
    low = max(start, monday)
    high = min(end, monday + timedelta(days=4))
    return max(0, (high - low).days + 1)


@dataclass(frozen=True)
class Contribution:
    assignment_id: UUID
    project_id: UUID
    project_key: str
    percent: Decimal


@dataclass(frozen=True)
class WeekLoad:
    week: str
    monday: date
    load_percent: Decimal
    hours: Decimal
    over_allocated: bool
    assignments: tuple[Contribution, ...]


@dataclass(frozen=True)
class PersonLoad:
    """One person's weeks in a range; ``fifths`` per week index, for ordering without Decimals."""

    person_id: UUID
    capacity_hours: Decimal
    fifths: dict[int, list[tuple[Allocation, int]]]  # week index -> (assignment, fifths)
    peak_fifths: int

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
        mondays = span.mondays()
        indexes = sorted(self.fifths) if only_loaded else range(span.weeks)
        return [self._week(i, mondays[i]) for i in indexes]

    def _week(self, index: int, monday: date) -> WeekLoad:
        parts = self.fifths.get(index, [])
        total = sum(f for _, f in parts)
        load = percent(total)
        return WeekLoad(
            week=week_label(monday),
            monday=monday,
            load_percent=load,
            hours=(load / 100 * self.capacity_hours).quantize(_CENT, ROUND_HALF_UP),
            over_allocated=total > FULL,
            assignments=tuple(
                Contribution(a.assignment_id, a.project_id, a.project_key, percent(f))
                for a, f in parts
            ),
        )


def percent(fifths: int) -> Decimal:
    """Fifths of a percent as an exact percent with one decimal place."""
    return (Decimal(fifths) / 5).quantize(Decimal("0.1"))


def person_load(
    person_id: UUID, capacity_hours: Decimal, allocations: Iterable[Allocation], span: WeekRange
) -> PersonLoad:
    """Spread one person's assignments over the weeks of ``span``."""
    fifths: dict[int, list[tuple[Allocation, int]]] = defaultdict(list)
    span_end = span.end
    for a in allocations:
        if a.end_date < span.start or a.start_date > span_end:
            continue
        # Only the weeks the assignment touches: its first and last may be partial.
        first = max(0, (a.start_date - span.first_monday).days // 7)
        last = min(span.weeks - 1, (a.end_date - span.first_monday).days // 7)
        for i in range(first, last + 1):
            monday = span.first_monday + timedelta(days=7 * i)
            w = weekdays_inside(monday, a.start_date, a.end_date)
            if w:
                fifths[i].append((a, a.allocation_percent * w))
    totals = [sum(f for _, f in parts) for parts in fifths.values()]
    return PersonLoad(person_id, capacity_hours, dict(fifths), max(totals, default=0))


def organization_load(
    capacities: dict[UUID, Decimal], allocations: Iterable[Allocation], span: WeekRange
) -> list[PersonLoad]:
    """Every person of ``capacities``' load over ``span`` (people without load included)."""
    by_person: dict[UUID, list[Allocation]] = defaultdict(list)
    for a in allocations:
        by_person[a.person_id].append(a)
    return [person_load(p, hours, by_person.get(p, ()), span) for p, hours in capacities.items()]
