"""DataLoaders of the team: nested assignments, stakeholders, meetings, action items and
workload cost a constant number of SQL statements, each batch through a use case."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Awaitable, Callable
from typing import Any
from uuid import UUID

from strawberry.dataloader import DataLoader

from app.api.graphql.batching import page_of, per_project
from app.domain.common.paging import Page
from app.domain.common.principal import Principal
from app.domain.projects.model import Project
from app.domain.team import action_item_service as actions
from app.domain.team import assignment_service as assignments
from app.domain.team import meeting_service as meetings
from app.domain.team import stakeholder_service as stakeholders
from app.domain.team import workload_service
from app.domain.team.assignments import Assignment
from app.domain.team.meetings import ActionItem, ActionItemFilter, Meeting
from app.domain.team.stakeholders import Stakeholder, StakeholderFilter
from app.domain.team.workload import WeekRange
from app.domain.team.workload_service import PersonWorkload

Cursor = tuple[Any, ...] | None
PageKey = tuple[UUID, int, Cursor, bool]  # (project or person id, limit, cursor values, backward)
StakeholderKey = tuple[UUID, StakeholderFilter, int, Cursor, bool]
ItemKey = tuple[UUID, ActionItemFilter, int, Cursor, bool]
WorkloadKey = tuple[UUID, WeekRange]


class TeamLoaders:
    """Per-request loaders (``Context.team``); each batch opens its own unit of work."""

    def __init__(
        self, services: Any, principal: Callable[[], Awaitable[Principal]], uow: Callable[[], Any]
    ) -> None:
        self._services = services
        self._principal = principal
        self._uow = uow
        self.project = DataLoader[UUID, Project | None](self._projects)
        self.project_assignments = DataLoader[PageKey, Page[Assignment]](self._project_assignments)
        self.person_assignments = DataLoader[PageKey, Page[Assignment]](self._person_assignments)
        self.stakeholders = DataLoader[StakeholderKey, Page[Stakeholder]](self._stakeholders)
        self.stakeholder = DataLoader[UUID, Stakeholder | None](self._stakeholder)
        self.meetings = DataLoader[PageKey, Page[Meeting]](self._meetings)
        self.meeting_items = DataLoader[UUID, list[ActionItem]](self._meeting_items)
        self.project_items = DataLoader[ItemKey, Page[ActionItem]](self._project_items)
        self.owner_items = DataLoader[ItemKey, Page[ActionItem]](self._owner_items)
        self.workload = DataLoader[WorkloadKey, PersonWorkload](self._workload)

    async def _projects(self, ids: list[UUID]) -> list[Project | None]:
        principal = await self._principal()
        return await assignments.projects_of_assignments(ids, uow=self._uow(), principal=principal)

    async def _project_assignments(self, keys: list[PageKey]) -> list[Page[Assignment]]:
        principal = await self._principal()

        async def load(rest: tuple[Any, ...], ids: list[UUID]) -> dict[UUID, Page[Assignment]]:
            return await assignments.assignments_of_projects(
                ids, page_of(*rest), uow=self._uow(), principal=principal
            )

        return await per_project(keys, load)

    async def _person_assignments(self, keys: list[PageKey]) -> list[Page[Assignment]]:
        principal = await self._principal()

        async def load(rest: tuple[Any, ...], ids: list[UUID]) -> dict[UUID, Page[Assignment]]:
            return await assignments.assignments_of_people(
                ids, page_of(*rest), uow=self._uow(), principal=principal
            )

        return await per_project(keys, load)

    async def _stakeholders(self, keys: list[StakeholderKey]) -> list[Page[Stakeholder]]:
        principal = await self._principal()

        async def load(rest: tuple[Any, ...], ids: list[UUID]) -> dict[UUID, Page[Stakeholder]]:
            flt, limit, after, backward = rest
            return await stakeholders.stakeholders_of_projects(
                ids, flt, page_of(limit, after, backward), uow=self._uow(), principal=principal,
                clock=self._services.clock,
            )  # fmt: skip

        return await per_project(keys, load)

    async def _stakeholder(self, ids: list[UUID]) -> list[Stakeholder | None]:
        principal = await self._principal()
        return await stakeholders.stakeholders_by_id(ids, uow=self._uow(), principal=principal)

    async def _meetings(self, keys: list[PageKey]) -> list[Page[Meeting]]:
        principal = await self._principal()

        async def load(rest: tuple[Any, ...], ids: list[UUID]) -> dict[UUID, Page[Meeting]]:
            return await meetings.meetings_of_projects(
                ids, page_of(*rest), uow=self._uow(), principal=principal
            )

        return await per_project(keys, load)

    async def _meeting_items(self, ids: list[UUID]) -> list[list[ActionItem]]:
        principal = await self._principal()
        found = await meetings.action_items_of_meetings(ids, uow=self._uow(), principal=principal)
        return [found.get(i, []) for i in ids]

    async def _items(self, keys: list[ItemKey], by_owner: bool) -> list[Page[ActionItem]]:
        principal = await self._principal()
        batch = actions.action_items_of_owners if by_owner else actions.action_items_of_projects

        async def load(rest: tuple[Any, ...], ids: list[UUID]) -> dict[UUID, Page[ActionItem]]:
            flt, limit, after, backward = rest
            return await batch(
                ids, flt, page_of(limit, after, backward), uow=self._uow(), principal=principal,
                clock=self._services.clock,
            )  # fmt: skip

        return await per_project(keys, load)

    async def _project_items(self, keys: list[ItemKey]) -> list[Page[ActionItem]]:
        return await self._items(keys, by_owner=False)

    async def _owner_items(self, keys: list[ItemKey]) -> list[Page[ActionItem]]:
        return await self._items(keys, by_owner=True)

    async def _workload(self, keys: list[WorkloadKey]) -> list[PersonWorkload]:
        principal = await self._principal()
        spans: dict[WeekRange, list[UUID]] = defaultdict(list)
        for person_id, span in keys:
            spans[span].append(person_id)
        found: dict[WorkloadKey, PersonWorkload] = {}
        for span, ids in spans.items():
            unique = list(dict.fromkeys(ids))
            loads = await workload_service.workload_of_people(
                unique, span, uow=self._uow(), principal=principal
            )
            found.update(((p, span), w) for p, w in zip(unique, loads, strict=True))
        return [found[k] for k in keys]
