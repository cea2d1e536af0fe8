"""A batch read of milestones for reports over many projects: each project's milestones as
the schedule sees them and its forecast finish, from one read of milestones and links."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from uuid import UUID

from app.domain.common.principal import Principal, Role
from app.domain.milestones.ports import MilestonesUnitOfWork
from app.domain.milestones.schedule import NetworkLink, ScheduleItem, forecast_finish


@dataclass(frozen=True)
class MilestoneFacts:
    items: list[ScheduleItem]  # dates, status and completion of every milestone
    forecast_finish: date | None  # the schedule's (no baseline needed: it sets slippage only)


async def milestone_facts_of_projects(
    project_ids: list[UUID], *, uow: MilestonesUnitOfWork, principal: Principal
) -> dict[UUID, MilestoneFacts]:
    """Return each project's milestones and forecast finish, in two reads."""
    principal.require(Role.VIEWER)
    items: dict[UUID, list[ScheduleItem]] = {p: [] for p in project_ids}
    links: dict[UUID, list[NetworkLink]] = {p: [] for p in project_ids}
    async with uow:
        for item in await uow.milestones.schedule_items(principal.org, project_ids):
            items[item.project_id].append(item)
        for link in await uow.dependencies.links(principal.org, project_ids):
            links[link.project_id].append(link)
    return {p: MilestoneFacts(items[p], forecast_finish(items[p], links[p])) for p in project_ids}
