"""Per-request GraphQL context: the caller (resolved lazily) and DataLoaders."""

from __future__ import annotations

from functools import cached_property
from typing import Any
from uuid import UUID

from starlette.requests import Request
from strawberry.dataloader import DataLoader
from strawberry.fastapi import BaseContext

from app.api.container import Services
from app.api.graphql.ledger_loaders import LedgerLoaders
from app.api.graphql.risk_loaders import RiskLoaders
from app.api.graphql.team_loaders import TeamLoaders
from app.domain.common.principal import Principal
from app.domain.people.model import Person
from app.domain.projects.model import Project


class Context(BaseContext):
    def __init__(self, services: Services, request: Request) -> None:
        super().__init__()
        self.services = services
        self.http_request = request
        self._principal: Principal | None = None
        self.read_only = False  # set for query operations by extensions.OperationPlumbing
        self.loaders: dict[str, DataLoader[Any, Any]] = {}  # capabilities add theirs by name

    # Loaders are made on first use: most requests need none or one of them.
    @cached_property
    def people(self) -> DataLoader[UUID, Person | None]:
        return DataLoader[UUID, Person | None](self._load_people)

    @cached_property
    def projects(self) -> DataLoader[UUID, Project | None]:
        return DataLoader[UUID, Project | None](self._load_projects)

    @cached_property
    def risks(self) -> RiskLoaders:
        return RiskLoaders(self.services, self.principal, self.uow)

    @cached_property
    def ledger(self) -> LedgerLoaders:
        return LedgerLoaders(self.services, self.principal, self.uow)

    @cached_property
    def team(self) -> TeamLoaders:
        return TeamLoaders(self.services, self.principal, self.uow)

    async def principal(self) -> Principal:
        """Authenticate once per request; raise Unauthenticated for a missing or bad token."""
        if self._principal is None:
            header = self.http_request.headers.get("authorization")
            self._principal = await self.services.authenticator.authenticate(header)
        return self._principal

    def uow(self) -> Any:
        return (self.services.reading if self.read_only else self.services).uow()

    # Each batch opens its own unit of work: sessions are never shared across tasks.
    async def _load_people(self, ids: list[UUID]) -> list[Person | None]:
        principal = await self.principal()
        async with self.uow() as uow:
            result: list[Person | None] = await uow.people.get_many(principal.org, ids)
            return result

    async def _load_projects(self, ids: list[UUID]) -> list[Project | None]:
        principal = await self.principal()
        async with self.uow() as uow:
            result: list[Project | None] = await uow.projects.get_many(principal.org, ids)
            return result
