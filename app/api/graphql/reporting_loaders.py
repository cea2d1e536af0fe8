"""DataLoaders of health and status reports: many projects' health in one batch use case."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any
from uuid import UUID

from strawberry.dataloader import DataLoader

from app.api.graphql.batching import page_of, per_project
from app.domain.common.paging import Page
from app.domain.common.principal import Principal
from app.domain.reporting import report_service, service
from app.domain.reporting.health import Health
from app.domain.reporting.reports import StatusReport

# (project id, limit, cursor values)
PageKey = tuple[UUID, int, tuple[Any, ...] | None, bool]


class ReportingLoaders:
    def __init__(
        self, services: Any, principal: Callable[[], Awaitable[Principal]], uow: Callable[[], Any]
    ) -> None:
        self._services = services
        self._principal = principal
        self._uow = uow
        self.health = DataLoader[UUID, Health | None](self._load_health)
        self.report_pages = DataLoader[PageKey, Page[StatusReport]](self._load_report_pages)
        self.report_counts = DataLoader[UUID, int](self._load_report_counts)

    async def _load_health(self, keys: list[UUID]) -> list[Health | None]:
        principal = await self._principal()
        return await service.healths(
            keys, uow=self._uow(), principal=principal, clock=self._services.clock
        )

    async def _load_report_pages(self, keys: list[PageKey]) -> list[Page[StatusReport]]:
        principal = await self._principal()

        async def load(rest: tuple[Any, ...], ids: list[UUID]) -> Any:
            return await report_service.status_reports_of_projects(
                ids, page_of(*rest), uow=self._uow(), principal=principal
            )

        return await per_project(keys, load)

    async def _load_report_counts(self, keys: list[UUID]) -> list[int]:
        principal = await self._principal()
        found = await report_service.count_status_reports(
            keys, uow=self._uow(), principal=principal
        )
        return [found[k] for k in keys]
