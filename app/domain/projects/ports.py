"""The unit of work of projects, and the one way a use case loads the caller's project."""

from __future__ import annotations

from typing import Protocol
from uuid import UUID

from app.domain.common.errors import NotFound
from app.domain.common.ports import ActivityRepository
from app.domain.common.principal import Principal
from app.domain.people.ports import PeopleUnitOfWork
from app.domain.projects.model import Project, ProjectRepository


class ProjectsUnitOfWork(PeopleUnitOfWork, Protocol):
    @property
    def projects(self) -> ProjectRepository: ...

    @property
    def activity(self) -> ActivityRepository: ...


async def load_project(
    uow: ProjectsUnitOfWork, principal: Principal, project_id: UUID, *, for_update: bool = False
) -> Project:
    """Return the caller's project or raise NotFound (foreign ids look exactly like missing ones)."""
    project = await uow.projects.get(principal.org, project_id, for_update=for_update)
    if project is None:
        raise NotFound("Project not found")
    return project
