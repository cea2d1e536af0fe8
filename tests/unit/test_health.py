"""Health rules at every boundary (SPI 0.8 / 0.95, CPI 0.9 / 0.97, 14 days late, actual =
budget, EAC = budget), undefined figures, the worst-of rule, and the use case on fakes."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from app.domain.common.clock import FixedClock
from app.domain.common.errors import NotFound
from app.domain.common.principal import Principal, Role
from app.domain.milestones import service as milestones
from app.domain.projects import service as projects
from app.domain.projects.model import BusinessArea
from app.domain.reporting import service
from app.domain.reporting.health import (
    HealthFigures,
    RiskFacts,
    Status,
    assess,
    budget_health,
    risk_health,
    schedule_health,
    worst,
)
from app.domain.risks import service as risks
from app.domain.risks.model import RiskCategory, RiskStatus
from tests.fakes_reporting import FakeReportingUnitOfWork

TODAY = date(2026, 6, 1)
CLOCK = FixedClock(datetime(2026, 6, 1, 9, 0, tzinfo=UTC))
MANAGER = Principal("pm", "org-1", frozenset({Role.MANAGER}))
BASE = HealthFigures(
    currency="EUR", spi=None, cpi=None, eac=None, budget=Decimal("1000.00"),
    actual=Decimal("0.00"), forecast_finish=None, target_end_date=None,
)  # fmt: skip
NO_RISK = RiskFacts(0, 0, 0)


def _schedule(overdue: int = 0, **figures: object) -> tuple[str, list[str]]:
    d = schedule_health(replace(BASE, **figures), overdue)  # type: ignore[arg-type]
    return d.status.value, [r.code for r in d.reasons]


def _budget(**figures: object) -> tuple[str, list[str]]:
    d = budget_health(replace(BASE, **figures))  # type: ignore[arg-type]
    return d.status.value, [r.code for r in d.reasons]


@pytest.mark.parametrize(
    ("spi", "expected"),
    [
        ("0.7999", ("red", ["spi_low"])),
        ("0.8", ("amber", ["spi_slipping"])),
        ("0.9499", ("amber", ["spi_slipping"])),
        ("0.95", ("green", [])),
        ("1.2", ("green", [])),
    ],
)
def test_spi_bands(spi: str, expected: tuple[str, list[str]]) -> None:
    assert _schedule(spi=Decimal(spi)) == expected


@pytest.mark.parametrize(
    ("finish", "expected"),
    [(date(2026, 7, 15), ("green", [])), (date(2026, 7, 16), ("red", ["forecast_late"]))],
)
def test_forecast_late_after_14_days(finish: date, expected: tuple[str, list[str]]) -> None:
    assert _schedule(forecast_finish=finish, target_end_date=date(2026, 7, 1)) == expected


def test_an_overdue_milestone_is_amber_and_says_how_many() -> None:
    d = schedule_health(BASE, 2)
    assert (d.status, [r.message for r in d.reasons]) == (
        Status.AMBER,
        ["2 milestones are past the due date"],
    )


def test_undefined_figures_fire_nothing() -> None:
    # No planned value (SPI None), no actuals (CPI, EAC None), no target or forecast.
    assert _schedule() == ("green", [])
    assert _budget() == ("green", [])
    assert _schedule(forecast_finish=date(2030, 1, 1)) == ("green", [])


def test_the_message_states_the_figure() -> None:
    d = schedule_health(replace(BASE, spi=Decimal("0.7600")), 0)
    assert d.reasons[0].message == "SPI 0.76 is below 0.8"


@pytest.mark.parametrize(
    ("cpi", "expected"),
    [
        ("0.8999", ("red", ["cpi_low"])),
        ("0.9", ("amber", ["cpi_slipping"])),
        ("0.9699", ("amber", ["cpi_slipping"])),
        ("0.97", ("green", [])),
    ],
)
def test_cpi_bands(cpi: str, expected: tuple[str, list[str]]) -> None:
    assert _budget(cpi=Decimal(cpi)) == expected


@pytest.mark.parametrize(
    ("actual", "expected"),
    [("1000.00", ("green", [])), ("1000.01", ("red", ["over_budget"]))],
)
def test_over_budget_above_the_budget_only(actual: str, expected: tuple[str, list[str]]) -> None:
    assert _budget(actual=Decimal(actual)) == expected


@pytest.mark.parametrize(
    ("eac", "expected"),
    [("1000.00", ("green", [])), ("1000.01", ("amber", ["eac_over_budget"]))],
)
def test_eac_over_budget_above_the_budget_only(eac: str, expected: tuple[str, list[str]]) -> None:
    assert _budget(eac=Decimal(eac)) == expected


def test_rules_on_different_figures_fire_together() -> None:
    status, codes = _budget(cpi=Decimal("0.5"), actual=Decimal("1500.00"), eac=Decimal("2000.00"))
    assert (status, codes) == ("red", ["cpi_low", "over_budget", "eac_over_budget"])


@pytest.mark.parametrize(
    ("facts", "status", "codes"),
    [
        (RiskFacts(0, 0, 0), Status.GREEN, []),
        (RiskFacts(0, 0, 1), Status.AMBER, ["risk_review_overdue"]),
        (RiskFacts(0, 1, 0), Status.AMBER, ["high_risk_open"]),
        (RiskFacts(1, 1, 1), Status.RED, ["critical_risk_open", "high_risk_open",
                                          "risk_review_overdue"]),
    ],
)  # fmt: skip
def test_risk_rules(facts: RiskFacts, status: Status, codes: list[str]) -> None:
    d = risk_health(facts)
    assert (d.status, [r.code for r in d.reasons]) == (status, codes)


def test_overall_is_the_worst_of_the_three() -> None:
    assert worst([Status.GREEN, Status.AMBER, Status.GREEN]) is Status.AMBER
    assert worst([Status.AMBER, Status.RED, Status.GREEN]) is Status.RED
    assert worst([]) is Status.GREEN
    h = assess(TODAY, replace(BASE, spi=Decimal("0.9")), 0, RiskFacts(1, 0, 0))
    assert (h.schedule.status, h.budget.status, h.risk.status, h.overall) == (
        Status.AMBER, Status.GREEN, Status.RED, Status.RED,
    )  # fmt: skip


async def test_the_use_case_reads_milestones_and_risks_of_the_project() -> None:
    uow = FakeReportingUnitOfWork()
    cmd = projects.CreateProject(
        key="CRM", name="CRM", business_area=BusinessArea.OTHER, currency="EUR",
        start_date=date(2026, 3, 2), target_end_date=date(2026, 12, 31),
    )  # fmt: skip
    project = await projects.create_project(cmd, uow=uow, principal=MANAGER, clock=CLOCK)
    await milestones.create_milestone(
        milestones.CreateMilestone(project.id, "Late", date(2026, 4, 1), date(2026, 5, 1)),
        uow=uow, principal=MANAGER, clock=CLOCK,
    )  # fmt: skip
    await risks.create_risk(
        risks.CreateRisk(project.id, "Vendor", RiskCategory.VENDOR, 5, 4,
                         review_on=date(2026, 9, 1), status=RiskStatus.MITIGATING),
        uow=uow, principal=MANAGER, clock=CLOCK,
    )  # fmt: skip
    h = await service.project_health(project.id, uow=uow, principal=MANAGER, clock=CLOCK)
    assert [r.code for r in h.schedule.reasons] == ["milestone_overdue"]
    assert [r.code for r in h.risk.reasons] == ["critical_risk_open"]
    assert h.overall is Status.RED
    other = Principal("pm", "org-2", frozenset({Role.MANAGER}))
    with pytest.raises(NotFound):
        await service.project_health(project.id, uow=uow, principal=other, clock=CLOCK)


async def test_figures_of_loaded_projects_refuse_another_organizations_project() -> None:
    """The report helpers take projects already loaded; one from another organization (a
    caller's mistake) is refused rather than answered with that organization's figures."""
    from app.domain.ledger.service import earned_values_of_projects
    from app.domain.risks.occurrence import risk_matrices_of_projects

    uow = FakeReportingUnitOfWork()
    cmd = projects.CreateProject(
        key="ERP", name="ERP", business_area=BusinessArea.OTHER, currency="EUR",
        start_date=date(2026, 3, 2), target_end_date=date(2026, 12, 31),
    )  # fmt: skip
    project = await projects.create_project(cmd, uow=uow, principal=MANAGER, clock=CLOCK)
    (ev,) = await earned_values_of_projects(
        [project], None, uow=uow, principal=MANAGER, clock=CLOCK
    )
    assert ev.bac == Decimal("0.00")
    (matrix,) = await risk_matrices_of_projects([project], uow=uow, principal=MANAGER, clock=CLOCK)
    assert matrix.cells == [[0] * 5 for _ in range(5)]
    other = Principal("pm", "org-2", frozenset({Role.MANAGER}))
    with pytest.raises(NotFound):
        await earned_values_of_projects([project], None, uow=uow, principal=other, clock=CLOCK)
    with pytest.raises(NotFound):
        await risk_matrices_of_projects([project], uow=uow, principal=other, clock=CLOCK)
