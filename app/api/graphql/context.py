"""Per-request GraphQL context: the caller (resolved lazily) and DataLoaders."""

from __future__ import annotations

from functools import cached_property
from uuid import UUID

from starlette.requests import HTTPConnection
from strawberry.dataloader import DataLoader
from strawberry.fastapi import BaseContext

from app.api.container import Services
from app.api.graphql.closing_loaders import ClosingLoaders
from app.api.graphql.ledger_loaders import LedgerLoaders
from app.api.graphql.milestone_loaders import MilestoneLoaders
from app.api.graphql.reporting_loaders import ReportingLoaders
from app.api.graphql.risk_loaders import RiskLoaders
from app.api.graphql.team_loaders import TeamLoaders
from app.domain.common.principal import Principal
from app.domain.people import service as people
from app.domain.people.model import Person
from app.domain.unit_of_work import CharterUnitOfWork


class Context(BaseContext):
    def __init__(self, services: Services, request: HTTPConnection) -> None:
        super().__init__()
        self.services = services
        self.http_request = request
        self._principal: Principal | None = None
        self.read_only = False  # set for query operations by extensions.OperationPlumbing
        self.unauthenticated = False  # a WebSocket's connection_init token was refused (live.py)
        self.ws_authorization: str | None = None  # its accepted token, rechecked while open

    # Loaders are made on first use: most requests need none or one of them.
    @cached_property
    def people(self) -> DataLoader[UUID, Person | None]:
        return DataLoader[UUID, Person | None](self._load_people)

    @cached_property
    def milestones(self) -> MilestoneLoaders:
        return MilestoneLoaders(self.principal, self.uow)

    @cached_property
    def risks(self) -> RiskLoaders:
        return RiskLoaders(self.services, self.principal, self.uow)

    @cached_property
    def ledger(self) -> LedgerLoaders:
        return LedgerLoaders(self.services, self.principal, self.uow)

    @cached_property
    def closing(self) -> ClosingLoaders:
        return ClosingLoaders(self)

    @cached_property
    def team(self) -> TeamLoaders:
        return TeamLoaders(self.services, self.principal, self.uow)

    @cached_property
    def reporting(self) -> ReportingLoaders:
        return ReportingLoaders(self.services, self.principal, self.uow)

    async def principal(self) -> Principal:
        """Authenticate once per request; raise Unauthenticated for a missing or bad token.

        Over WebSocket the token is the ``connection_init`` payload's, checked when the
        connection starts (``GraphQLEndpoint.on_ws_connect``).
        """
        if self._principal is None:
            header = self.http_request.headers.get("authorization")
            self._principal = await self.services.authenticator.authenticate(header)
        return self._principal

    def uow(self) -> CharterUnitOfWork:
        return (self.services.reading if self.read_only else self.services).uow()

    # Each batch opens its own unit of work (sessions are never shared across tasks) and
    # goes through a use case, so through its permission check.
    async def _load_people(self, ids: list[UUID]) -> list[Person | None]:
        return await people.people_by_ids(ids, uow=self.uow(), principal=await self.principal())
