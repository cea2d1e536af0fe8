"""Use cases of health: one project's, and many projects' for batched readers."""

from __future__ import annotations

from uuid import UUID

from app.domain.common.clock import Clock
from app.domain.common.errors import NotFound
from app.domain.common.principal import Principal, Role
from app.domain.reporting.facts import facts_of_projects
from app.domain.reporting.health import Health
from app.domain.reporting.ports import ReportingUnitOfWork


async def project_health(
    project_id: UUID, *, uow: ReportingUnitOfWork, principal: Principal, clock: Clock
) -> Health:
    """Compute a project's health as of today, with every reason that fired."""
    found = (await healths([project_id], uow=uow, principal=principal, clock=clock))[0]
    if found is None:
        raise NotFound("Project not found")
    return found


async def healths(
    project_ids: list[UUID], *, uow: ReportingUnitOfWork, principal: Principal, clock: Clock
) -> list[Health | None]:
    """The health of each project (None for an id not in the caller's organization), in a
    fixed number of statements whatever the number of projects."""
    principal.require(Role.VIEWER)
    async with uow:
        loaded = await uow.projects.get_many(principal.org, project_ids)
        present = [p for p in loaded if p is not None]
        facts = await facts_of_projects(present, uow=uow, principal=principal, clock=clock)
    by_id = {f.project.id: f.health() for f in facts}
    return [None if p is None else by_id[p.id] for p in loaded]
