"""Use cases of the closure review: write the report (snapshotting the final figures), read
it, and search the lessons of the organization's closed projects."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any
from uuid import UUID

from app.domain.closure.model import (
    ClosureReport,
    FinalFigures,
    Lesson,
    LessonFilter,
    check_report,
)
from app.domain.closure.ports import ClosureUnitOfWork
from app.domain.common.changes import check_version, plain
from app.domain.common.clock import Clock
from app.domain.common.errors import FieldError, NotFound, WrongPhase
from app.domain.common.events import Subject, event
from app.domain.common.paging import Page, PageRequest
from app.domain.common.principal import Principal, Role
from app.domain.common.text import check_text, raise_if
from app.domain.deliverables.model import DeliverableStatus
from app.domain.ledger.service import earned_values
from app.domain.milestones.network import schedules_of_projects
from app.domain.objectives.model import shown
from app.domain.objectives.service import objectives_progress
from app.domain.projects.model import Phase, Project
from app.domain.projects.ports import load_project

Q_MAX = 200


@dataclass(frozen=True)
class WriteClosureReport:
    project_id: UUID
    summary: str
    went_well: list[str] = field(default_factory=list)
    to_improve: list[str] = field(default_factory=list)
    expected_version: int | None = None


async def final_figures(
    project: Project, *, uow: ClosureUnitOfWork, principal: Principal, clock: Clock
) -> FinalFigures:
    """Budget, actual, CPI, SPI, forecast finish vs target, objectives, deliverables: now."""
    today = clock.today()
    org, pid = principal.org, project.id
    totals = await uow.ledger.totals(org, pid)
    ev = (await earned_values([pid], today, uow=uow, principal=principal, clock=clock))[0]
    schedule = (await schedules_of_projects([pid], uow=uow, principal=principal))[0]
    forecast = schedule.forecast_finish
    progress = (await objectives_progress([pid], uow=uow, principal=principal))[pid]
    counts = (await uow.deliverables.status_counts(org, [pid]))[pid]
    target = project.target_end_date
    return FinalFigures(
        as_of=today,
        currency=project.currency,
        budget=totals.budget,
        actual=totals.actual,
        cpi=ev.cpi if ev else None,
        spi=ev.spi if ev else None,
        forecast_finish=forecast,
        target_end_date=target,
        finish_variance_days=(forecast - target).days if forecast and target else None,
        objectives_progress=shown(progress),
        deliverables_accepted=counts.get(DeliverableStatus.ACCEPTED, 0),
        deliverables_waived=counts.get(DeliverableStatus.WAIVED, 0),
        deliverables_total=sum(counts.values()),
    )


async def write_closure_report(
    cmd: WriteClosureReport, *, uow: ClosureUnitOfWork, principal: Principal, clock: Clock
) -> ClosureReport:
    """Write (or rewrite) the closure report while the project is in closing (manager)."""
    principal.require(Role.MANAGER)
    check_report(cmd.summary, cmd.went_well, cmd.to_improve)
    async with uow:
        project = await load_project(uow, principal, cmd.project_id, for_update=True)
        if project.phase != Phase.CLOSING:
            frozen = project.phase == Phase.CLOSED
            raise WrongPhase(
                "The closure report of a closed project is frozen"
                if frozen
                else f"The closure report is written in closing; the project is in {project.phase}"
            )
        existing = await uow.closure_reports.get(principal.org, project.id)
        if existing is not None:
            check_version(existing, cmd.expected_version, "closure report")
        figures = await final_figures(project, uow=uow, principal=principal, clock=clock)
        now = clock.now()
        report = ClosureReport(
            org_id=principal.org, project_id=project.id, summary=cmd.summary,
            went_well=list(cmd.went_well), to_improve=list(cmd.to_improve),
            final_figures=figures, written_by=principal.sub, written_at=now,
            version=existing.version + 1 if existing else 1,
            created_at=existing.created_at if existing else now,
        )  # fmt: skip
        await uow.closure_reports.save(report)
        changes: dict[str, Any] = {
            "summary": report.summary,
            "went_well": report.went_well,
            "to_improve": report.to_improve,
            "final_figures": {k: plain(v) for k, v in asdict(figures).items()},
        }
        uow.record(
            event(
                "closure_report.written",
                Subject("closure_report", project.id),
                changes,
                project_id=project.id,
                principal=principal,
                at=now,
            )
        )
        await uow.commit()
    return report


async def get_closure_report(
    project_id: UUID, *, uow: ClosureUnitOfWork, principal: Principal
) -> ClosureReport:
    """Return the project's closure report, or raise NotFound when none is written."""
    principal.require(Role.VIEWER)
    async with uow:
        await load_project(uow, principal, project_id)
        found = await uow.closure_reports.get(principal.org, project_id)
    if found is None:
        raise NotFound("No closure report has been written for this project")
    return found


async def closure_reports_of_projects(
    project_ids: list[UUID], *, uow: ClosureUnitOfWork, principal: Principal
) -> dict[UUID, ClosureReport | None]:
    """Each project's closure report (None where none), in one read (for loaders)."""
    principal.require(Role.VIEWER)
    async with uow:
        return await uow.closure_reports.for_projects(principal.org, project_ids)


async def search_lessons(
    flt: LessonFilter, page: PageRequest, *, uow: ClosureUnitOfWork, principal: Principal
) -> Page[Lesson]:
    """Search what went well and what to improve in the organization's closed projects."""
    principal.require(Role.VIEWER)
    errors: list[FieldError] = []
    check_text(errors, "query.q", flt.q, limit=Q_MAX)
    raise_if(errors)
    async with uow:
        return await uow.closure_reports.lessons(principal.org, flt, page)
