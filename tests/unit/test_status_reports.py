"""Status reports on fakes: the trend rule, the override's reason, the manager role, and the
snapshot's sample days for the S-curve."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from app.domain.common.clock import FixedClock
from app.domain.common.errors import PermissionDenied, ValidationFailed
from app.domain.common.principal import Principal, Role
from app.domain.projects import service as projects
from app.domain.projects.model import BusinessArea
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
