"""Use cases of status reports: write one (manager), read one, list a project's."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID

from app.domain.common.clock import Clock
from app.domain.common.errors import NotFound
from app.domain.common.events import Subject, event
from app.domain.common.ids import new_id
from app.domain.common.paging import Page, PageRequest
from app.domain.common.principal import Principal, Role
from app.domain.projects.ports import load_project
from app.domain.reporting.facts import facts_of_projects
from app.domain.reporting.ports import ReportingUnitOfWork
from app.domain.reporting.reports import Override, StatusReport, check_narrative, trend_of
from app.domain.reporting.snapshot import snapshot


@dataclass(frozen=True)
class WriteStatusReport:
    project_id: UUID
    summary: str
    achievements: str | None = None
    next_steps: str | None = None
    escalations: str | None = None
    override: Override | None = None


async def write_status_report(
    cmd: WriteStatusReport, *, uow: ReportingUnitOfWork, principal: Principal, clock: Clock
) -> StatusReport:
    """Snapshot the project's health and key figures with the manager's narrative."""
    principal.require(Role.MANAGER)
    check_narrative(cmd.summary, cmd.achievements, cmd.next_steps, cmd.escalations, cmd.override)
    async with uow:
        # Locked, so two reports written at once get their trends in order.
        project = await load_project(uow, principal, cmd.project_id, for_update=True)
        previous = await uow.status_reports.latest(principal.org, project.id)
        (facts,) = await facts_of_projects([project], uow=uow, principal=principal, clock=clock)
        since = previous.written_at.date() if previous else None
        frozen = await snapshot(facts, since, uow=uow, principal=principal, clock=clock)
        computed = facts.health().overall
        overall = cmd.override.overall if cmd.override else computed
        now = clock.now()
        report = StatusReport(
            id=new_id(), org_id=principal.org, project_id=project.id, summary=cmd.summary,
            achievements=cmd.achievements, next_steps=cmd.next_steps,
            escalations=cmd.escalations, computed_overall=computed, overall=overall,
            override_reason=cmd.override.reason if cmd.override else None,
            trend=trend_of(overall, previous.overall if previous else None),
            snapshot=frozen, written_by=principal.sub, written_at=now,
        )  # fmt: skip
        await uow.status_reports.add(report)
        changes: dict[str, Any] = {
            "overall": overall.value,
            "computed_overall": computed.value,
            "override_reason": report.override_reason,
            "trend": report.trend.value if report.trend else None,
        }
        uow.record(
            event(
                "status_report.created",
                Subject("status_report", report.id),
                changes,
                project_id=project.id,
                principal=principal,
                at=now,
            )
        )
        await uow.commit()
    return report


async def get_status_report(
    project_id: UUID, report_id: UUID, *, uow: ReportingUnitOfWork, principal: Principal
) -> StatusReport:
    """Return one status report of the caller's project."""
    principal.require(Role.VIEWER)
    async with uow:
        await load_project(uow, principal, project_id)
        found = await uow.status_reports.get(principal.org, project_id, report_id)
    if found is None:
        raise NotFound("Status report not found")
    return found


async def list_status_reports(
    project_id: UUID, page: PageRequest, *, uow: ReportingUnitOfWork, principal: Principal
) -> Page[StatusReport]:
    """List a project's status reports, newest first."""
    principal.require(Role.VIEWER)
    async with uow:
        await load_project(uow, principal, project_id)
        pages = await uow.status_reports.pages_for_projects(principal.org, [project_id], page)
    return pages[project_id]


async def status_reports_of_projects(
    project_ids: list[UUID], page: PageRequest, *, uow: ReportingUnitOfWork, principal: Principal
) -> dict[UUID, Page[StatusReport]]:
    """One page of status reports of each of several projects (for batched readers)."""
    principal.require(Role.VIEWER)
    async with uow:
        return await uow.status_reports.pages_for_projects(principal.org, project_ids, page)


async def count_status_reports(
    project_ids: list[UUID], *, uow: ReportingUnitOfWork, principal: Principal
) -> dict[UUID, int]:
    """Count the status reports of each of several projects (for batched readers)."""
    principal.require(Role.VIEWER)
    async with uow:
        return await uow.status_reports.counts_for_projects(principal.org, project_ids)
