"""Rules of one milestone and of the dependency network, on the domain alone."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from app.domain.common.errors import DependencyCycle, ValidationFailed
from app.domain.common.money import Money
from app.domain.milestones.model import (
    Dependency,
    DependencyType,
    Milestone,
    MilestoneStatus,
    check_acyclic,
)

NOW = datetime(2026, 3, 1, tzinfo=UTC)
TODAY = date(2026, 3, 1)


def milestone(**fields: object) -> Milestone:
    base = Milestone(
        id=uuid.uuid4(),
        org_id="org",
        project_id=uuid.uuid4(),
        name="Design",
        description=None,
        owner_id=None,
        start_date=date(2026, 2, 1),
        due_date=date(2026, 2, 10),
        status=MilestoneStatus.PLANNED,
        progress=0,
        completed_on=None,
        planned_value=Money(Decimal("100.00"), "EUR"),
        version=1,
        created_at=NOW,
        updated_at=NOW,
    )
    return replace(base, **fields)  # type: ignore[arg-type]


def fields(exc: ValidationFailed) -> list[str]:
    return [e.field for e in exc.errors]


def test_marking_done_sets_progress_100_and_completion_today() -> None:
    done, diff = milestone(progress=40).changed({"status": MilestoneStatus.DONE}, NOW)
    assert (done.progress, done.completed_on) == (100, TODAY)
    assert diff["progress"] == {"from": 40, "to": 100}


def test_done_with_less_than_100_percent_is_refused() -> None:
    with pytest.raises(ValidationFailed) as caught:
        milestone().changed({"status": MilestoneStatus.DONE, "progress": 90}, NOW)
    assert fields(caught.value) == ["progress"]


def test_reopening_a_done_milestone_clears_its_completion() -> None:
    done = milestone(status=MilestoneStatus.DONE, progress=100, completed_on=TODAY)
    reopened, _ = done.changed({"status": MilestoneStatus.IN_PROGRESS, "progress": 80}, NOW)
    assert reopened.completed_on is None


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"due_date": date(2026, 1, 1)}, "due_date"),
        ({"progress": 101}, "progress"),
        ({"completed_on": TODAY}, "completed_on"),
        ({"planned_value": Money(Decimal(-1), "EUR")}, "planned_value"),
        ({"name": "  "}, "name"),
        ({"start_date": None}, "start_date"),
    ],
)
def test_broken_rules_name_their_field(changes: dict[str, object], field: str) -> None:
    with pytest.raises(ValidationFailed) as caught:
        milestone().changed(changes, NOW)
    assert field in fields(caught.value)


def test_a_dependency_on_itself_or_with_a_huge_lag_is_refused() -> None:
    a, b = uuid.uuid4(), uuid.uuid4()
    with pytest.raises(ValidationFailed):
        Dependency("org", a, b, b, DependencyType.FINISH_TO_START, 0, NOW).validate()
    with pytest.raises(ValidationFailed):
        Dependency("org", a, a, b, DependencyType.FINISH_TO_START, 4000, NOW).validate()


def test_a_cycle_is_named_in_dependency_order() -> None:
    a, b, c, d = (uuid.uuid4() for _ in range(4))
    edges = [(a, b), (b, c), (a, d)]
    check_acyclic(edges, (d, c))  # a diamond is fine
    with pytest.raises(DependencyCycle) as caught:
        check_acyclic(edges, (c, a))
    # New edge c -> a, then the existing path a -> b -> c.
    assert caught.value.cycle == [str(c), str(a), str(b)]
    assert caught.value.code == "dependency_cycle"
