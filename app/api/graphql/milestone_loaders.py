"""DataLoaders for milestones: nested lists cost a constant number of SQL statements.

Each batch opens its own unit of work (sessions are never shared across tasks) and
answers in key order. They hang off the request context under ``loaders["milestones"]``.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from strawberry.dataloader import DataLoader

from app.api.graphql.common import gql_page
from app.api.graphql.context import Context
from app.domain.common.paging import Page
from app.domain.milestones import network
from app.domain.milestones.model import Dependency, Milestone, MilestoneStatus
from app.domain.milestones.schedule import MilestoneSchedule, Schedule

# (project id, status filter, first, after): one connection page of a project's milestones.
PageKey = tuple[UUID, MilestoneStatus | None, int | None, str | None]


@dataclass(frozen=True)
class IndexedSchedule:
    schedule: Schedule
    rows: dict[UUID, MilestoneSchedule] = field(default_factory=dict)


class MilestoneLoaders:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.milestone = DataLoader[UUID, Milestone | None](self._milestones)
        self.predecessors = DataLoader[UUID, list[Dependency]](self._predecessors)
        self.successors = DataLoader[UUID, list[Dependency]](self._successors)
        self.schedule = DataLoader[UUID, IndexedSchedule](self._schedules)
        self.page = DataLoader[PageKey, Page[Milestone]](self._pages)
        self.count = DataLoader[tuple[UUID, MilestoneStatus | None], int](self._counts)

    async def _milestones(self, ids: list[UUID]) -> list[Milestone | None]:
        principal = await self.ctx.principal()
        async with self.ctx.uow() as uow:
            found: list[Milestone | None] = await uow.milestones.get_many(principal.org, ids)
            return found

    async def _links(self, ids: list[UUID], successors: bool) -> list[list[Dependency]]:
        principal = await self.ctx.principal()
        async with self.ctx.uow() as uow:
            repo = uow.dependencies
            if successors:
                rows = await repo.of_predecessors(principal.org, ids)
            else:
                rows = await repo.of_successors(principal.org, ids)
        grouped: dict[UUID, list[Dependency]] = defaultdict(list)
        for d in rows:
            grouped[d.predecessor_id if successors else d.successor_id].append(d)
        return [grouped[i] for i in ids]

    async def _predecessors(self, ids: list[UUID]) -> list[list[Dependency]]:
        return await self._links(ids, successors=False)

    async def _successors(self, ids: list[UUID]) -> list[list[Dependency]]:
        return await self._links(ids, successors=True)

    async def _schedules(self, project_ids: list[UUID]) -> list[IndexedSchedule]:
        principal = await self.ctx.principal()
        schedules = await network.schedules_of_projects(
            project_ids, uow=self.ctx.uow(), principal=principal
        )
        return [IndexedSchedule(s, {r.milestone_id: r for r in s.milestones}) for s in schedules]

    async def _pages(self, keys: list[PageKey]) -> list[Page[Milestone]]:
        principal = await self.ctx.principal()
        groups: dict[tuple[Any, ...], list[UUID]] = defaultdict(list)
        for project_id, *rest in keys:
            groups[tuple(rest)].append(project_id)
        found: dict[PageKey, Page[Milestone]] = {}
        async with self.ctx.uow() as uow:
            for (status, first, after), project_ids in groups.items():
                pages = await uow.milestones.pages_for_projects(
                    principal.org, project_ids, status, gql_page(first, after)
                )
                for project_id, page in zip(project_ids, pages, strict=True):
                    found[(project_id, status, first, after)] = page
                    for m in page.items:
                        self.milestone.prime(m.id, m)
        return [found[k] for k in keys]

    async def _counts(self, keys: list[tuple[UUID, MilestoneStatus | None]]) -> list[int]:
        principal = await self.ctx.principal()
        groups: dict[MilestoneStatus | None, list[UUID]] = defaultdict(list)
        for project_id, status in keys:
            groups[status].append(project_id)
        found: dict[tuple[UUID, MilestoneStatus | None], int] = {}
        async with self.ctx.uow() as uow:
            for status, project_ids in groups.items():
                counts = await uow.milestones.counts_for_projects(
                    principal.org, project_ids, status
                )
                found.update(((p, status), c) for p, c in zip(project_ids, counts, strict=True))
        return [found[k] for k in keys]


def milestone_loaders(ctx: Context) -> MilestoneLoaders:
    """Return this request's milestone loaders, creating them on first use."""
    loaders = ctx.loaders.get("milestones")
    if loaders is None:
        loaders = ctx.loaders["milestones"] = MilestoneLoaders(ctx)  # type: ignore[assignment]
    assert isinstance(loaders, MilestoneLoaders)
    return loaders
