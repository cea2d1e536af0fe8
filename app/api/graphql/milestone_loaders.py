"""DataLoaders for milestones: nested lists cost a constant number of SQL statements."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from strawberry.dataloader import DataLoader

from app.api.graphql.batching import page_of, per_project
from app.domain.common.paging import Page
from app.domain.common.principal import Principal
from app.domain.milestones import network, service
from app.domain.milestones.model import Dependency, Milestone, MilestoneStatus
from app.domain.milestones.schedule import MilestoneSchedule, Schedule

# (project id, status filter, first, after): one connection page of a project's milestones.
PageKey = tuple[UUID, MilestoneStatus | None, int, tuple[Any, ...] | None, bool]
CountKey = tuple[UUID, MilestoneStatus | None]


@dataclass(frozen=True)
class IndexedSchedule:
    schedule: Schedule
    rows: dict[UUID, MilestoneSchedule] = field(default_factory=dict)


class MilestoneLoaders:
    """Per-request loaders; each batch opens its own unit of work through the use cases."""

    def __init__(
        self, principal: Callable[[], Awaitable[Principal]], uow: Callable[[], Any]
    ) -> None:
        self._principal = principal
        self._uow = uow
        self.milestone = DataLoader[UUID, Milestone | None](self._load_milestones)
        self.predecessors = DataLoader[UUID, list[Dependency]](self._load_predecessors)
        self.successors = DataLoader[UUID, list[Dependency]](self._load_successors)
        self.schedule = DataLoader[UUID, IndexedSchedule](self._load_schedules)
        self.page = DataLoader[PageKey, Page[Milestone]](self._load_pages)
        self.count = DataLoader[CountKey, int](self._load_counts)

    async def _load_milestones(self, ids: list[UUID]) -> list[Milestone | None]:
        principal = await self._principal()
        return await service.milestones_by_ids(ids, uow=self._uow(), principal=principal)

    async def _load_predecessors(self, ids: list[UUID]) -> list[list[Dependency]]:
        principal = await self._principal()
        found = await network.dependencies_of_milestones(ids, uow=self._uow(), principal=principal)
        return [found[i] for i in ids]

    async def _load_successors(self, ids: list[UUID]) -> list[list[Dependency]]:
        principal = await self._principal()
        found = await network.dependents_of_milestones(ids, uow=self._uow(), principal=principal)
        return [found[i] for i in ids]

    async def _load_schedules(self, project_ids: list[UUID]) -> list[IndexedSchedule]:
        principal = await self._principal()
        schedules = await network.schedules_of_projects(
            project_ids, uow=self._uow(), principal=principal
        )
        return [IndexedSchedule(s, {r.milestone_id: r for r in s.milestones}) for s in schedules]

    async def _load_pages(self, keys: list[PageKey]) -> list[Page[Milestone]]:
        principal = await self._principal()

        async def load(rest: tuple[Any, ...], pids: list[UUID]) -> dict[UUID, Page[Milestone]]:
            status, limit, after, backward = rest
            pages = await service.milestones_of_projects(
                pids, status, page_of(limit, after, backward), uow=self._uow(), principal=principal
            )
            for page in pages.values():
                for m in page.items:  # a dependency's milestone is then read from memory
                    self.milestone.prime(m.id, m)
            return pages

        return await per_project(keys, load)

    async def _load_counts(self, keys: list[CountKey]) -> list[int]:
        principal = await self._principal()

        async def load(rest: tuple[Any, ...], pids: list[UUID]) -> dict[UUID, int]:
            return await service.count_milestones_of_projects(
                pids, rest[0], uow=self._uow(), principal=principal
            )

        return await per_project(keys, load)
