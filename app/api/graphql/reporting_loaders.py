"""DataLoaders of health and status reports: many projects' health in one batch use case."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any
from uuid import UUID

from strawberry.dataloader import DataLoader

from app.domain.common.principal import Principal
from app.domain.reporting import service
from app.domain.reporting.health import Health


class ReportingLoaders:
    def __init__(
        self, services: Any, principal: Callable[[], Awaitable[Principal]], uow: Callable[[], Any]
    ) -> None:
        self._services = services
        self._principal = principal
        self._uow = uow
        self.health = DataLoader[UUID, Health | None](self._load_health)

    async def _load_health(self, keys: list[UUID]) -> list[Health | None]:
        principal = await self._principal()
        return await service.healths(
            keys, uow=self._uow(), principal=principal, clock=self._services.clock
        )
