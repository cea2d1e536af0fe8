"""Status reports on fakes: the trend rule, the override's reason, the manager role, and the
snapshot's sample days for the S-curve."""

from __future__ import annotations

from datetime import UTC, date, datetime
from types import SimpleNamespace
from typing import cast

import pytest

from app.api.rest.status_report_page import render_page
from app.domain.common.clock import FixedClock
from app.domain.common.errors import PermissionDenied, ValidationFailed
from app.domain.common.principal import Principal, Role
from app.domain.projects import service as projects
from app.domain.projects.model import BusinessArea, Project
from app.domain.reporting import report_service as service
from app.domain.reporting.health import Status
from app.domain.reporting.reports import Override, StatusReport, Trend, trend_of
from app.domain.reporting.snapshot import CURVE_POINTS, curve_days
from tests.fakes_reporting import FakeReportingUnitOfWork

CLOCK = FixedClock(datetime(2026, 6, 1, 9, 0, tzinfo=UTC))
MANAGER = Principal("pm", "org-1", frozenset({Role.MANAGER}))
MEMBER = Principal("dev", "org-1", frozenset({Role.MEMBER}))


@pytest.mark.parametrize(
    ("now", "before", "trend"),
    [
        (Status.GREEN, None, None),
        (Status.GREEN, Status.AMBER, Trend.IMPROVING),
        (Status.AMBER, Status.RED, Trend.IMPROVING),
        (Status.AMBER, Status.AMBER, Trend.STEADY),
        (Status.RED, Status.GREEN, Trend.WORSENING),
    ],
)
def test_trend_compares_with_the_previous_overall(
    now: Status, before: Status | None, trend: Trend | None
) -> None:
    assert trend_of(now, before) is trend


def test_the_curve_samples_at_most_twelve_days_ending_today() -> None:
    today = date(2026, 6, 1)
    days = curve_days(date(2026, 1, 1), today)
    assert len(days) == CURVE_POINTS and days[0] == date(2026, 1, 1) and days[-1] == today
    assert curve_days(date(2026, 5, 29), today) == [date(2026, 5, d) for d in (29, 30, 31)] + [
        today
    ]
    assert curve_days(None, today) == [today]
    assert curve_days(date(2026, 7, 1), today) == [today]


async def test_reports_trend_keep_the_override_and_need_a_manager() -> None:
    uow = FakeReportingUnitOfWork()
    cmd = projects.CreateProject(key="CRM", name="CRM", business_area=BusinessArea.OTHER,
                                 currency="EUR")  # fmt: skip
    project = await projects.create_project(cmd, uow=uow, principal=MANAGER, clock=CLOCK)

    async def write(override: Override | None = None) -> StatusReport:
        report = service.WriteStatusReport(project.id, "On track", override=override)
        return await service.write_status_report(report, uow=uow, principal=MANAGER, clock=CLOCK)

    first = await write()
    assert (first.overall, first.computed_overall, first.trend) == (Status.GREEN,) * 2 + (None,)
    assert first.snapshot["health"]["overall"] == "green"
    second = await write(Override(Status.RED, "Supplier insolvent"))
    assert (second.overall, second.override_reason, second.trend) == (
        Status.RED, "Supplier insolvent", Trend.WORSENING,
    )  # fmt: skip
    with pytest.raises(ValidationFailed) as caught:
        await write(Override(Status.AMBER, " "))
    assert [e.field for e in caught.value.errors] == ["override.reason"]
    with pytest.raises(PermissionDenied):
        await service.write_status_report(
            service.WriteStatusReport(project.id, "x"), uow=uow, principal=MEMBER, clock=CLOCK
        )
    assert len(uow.status_reports.rows) == 2


def test_a_report_frozen_before_the_forecast_still_renders_without_it() -> None:
    project = cast(Project, SimpleNamespace(key="OLD", name="Old project"))
    old = SimpleNamespace(
        snapshot={"as_of": "2026-01-05", "health": {"overall": "green"}, "currency": "EUR"},
        overall=Status.GREEN, computed_overall=Status.GREEN, override_reason=None,
        achievements=None, next_steps=None, escalations=None, summary="Fine", trend=None,
        written_by="user-manager",
    )  # fmt: skip
    page = render_page(project, cast(StatusReport, old))
    assert 'id="s-curve"' in page and 'id="risk-matrix"' in page
    assert "forecast-histogram" not in page and "Forecast (Monte Carlo)" not in page
    new = SimpleNamespace(**{**vars(old), "snapshot": {**old.snapshot, "forecast": {
        "iterations": 1000, "seed": 3, "finish": {"p50": "2026-02-01", "p80": "2026-02-03"},
        "target_end_date": None, "probability_on_time": None, "cost": {"p50": "1.00"},
        "histogram": [{"from": "2026-01-30", "to": "2026-01-30", "count": 1000}],
    }}})  # fmt: skip
    page = render_page(project, cast(StatusReport, new))
    assert 'id="forecast-histogram"' in page and "<dd>2026-02-03</dd>" in page
