"""A batch read of milestones as the schedule sees them: for reports over many projects."""

from __future__ import annotations

from uuid import UUID

from app.domain.common.principal import Principal, Role
from app.domain.milestones.ports import MilestonesUnitOfWork
from app.domain.milestones.schedule import ScheduleItem


async def schedule_items_of_projects(
    project_ids: list[UUID], *, uow: MilestonesUnitOfWork, principal: Principal
) -> dict[UUID, list[ScheduleItem]]:
    """Return every milestone (dates, status, completion) of each project, in one read."""
    principal.require(Role.VIEWER)
    found: dict[UUID, list[ScheduleItem]] = {p: [] for p in project_ids}
    async with uow:
        for item in await uow.milestones.schedule_items(principal.org, project_ids):
            found[item.project_id].append(item)
    return found
