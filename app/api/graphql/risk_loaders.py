"""DataLoaders of the risk register: nested risk lists cost a constant number of statements."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any
from uuid import UUID

from strawberry.dataloader import DataLoader

from app.api.graphql.batching import page_of, per_project
from app.domain.common.paging import Page
from app.domain.common.principal import Principal
from app.domain.risks import assessments, issue_service, occurrence, service
from app.domain.risks.issues import Issue, IssueFilter
from app.domain.risks.matrix import RiskMatrix
from app.domain.risks.model import Assessment, Risk, RiskFilter

# (project id, filter, sort, limit, cursor values, backward): projects asking the same page share a batch.
PageKey = tuple[UUID, RiskFilter, str, int, tuple[Any, ...] | None, bool]
CountKey = tuple[UUID, RiskFilter]
IssuePageKey = tuple[UUID, IssueFilter, int, tuple[Any, ...] | None, bool]
IssueCountKey = tuple[UUID, IssueFilter]


class RiskLoaders:
    """Per-request loaders; each batch opens its own unit of work through the use cases."""

    def __init__(
        self, services: Any, principal: Callable[[], Awaitable[Principal]], uow: Callable[[], Any]
    ) -> None:
        self._services = services
        self._principal = principal
        self._uow = uow
        self.pages = DataLoader[PageKey, Page[Risk]](self._load_pages)
        self.counts = DataLoader[CountKey, int](self._load_counts)
        self.assessments = DataLoader[UUID, list[Assessment]](self._load_assessments)
        self.occurrence_issues = DataLoader[UUID, Issue | None](self._load_issues)
        self.matrices = DataLoader[UUID, RiskMatrix | None](self._load_matrices)
        self.issue_pages = DataLoader[IssuePageKey, Page[Issue]](self._load_issue_pages)
        self.issue_counts = DataLoader[IssueCountKey, int](self._load_issue_counts)

    async def _load_pages(self, keys: list[PageKey]) -> list[Page[Risk]]:
        principal = await self._principal()

        async def load(rest: tuple[Any, ...], pids: list[UUID]) -> dict[UUID, Page[Risk]]:
            flt, sort, limit, after, backward = rest
            return await service.risks_of_projects(
                pids, flt, sort, page_of(limit, after, backward), uow=self._uow(), principal=principal,
                clock=self._services.clock,
            )  # fmt: skip

        return await per_project(keys, load)

    async def _load_counts(self, keys: list[CountKey]) -> list[int]:
        principal = await self._principal()

        async def load(rest: tuple[Any, ...], pids: list[UUID]) -> dict[UUID, int]:
            return await service.count_risks(
                pids, rest[0], uow=self._uow(), principal=principal, clock=self._services.clock
            )

        return await per_project(keys, load)

    async def _load_assessments(self, risk_ids: list[UUID]) -> list[list[Assessment]]:
        principal = await self._principal()
        found = await assessments.assessments_of_risks(
            risk_ids, uow=self._uow(), principal=principal
        )
        return [found.get(rid, []) for rid in risk_ids]

    async def _load_issues(self, risk_ids: list[UUID]) -> list[Issue | None]:
        principal = await self._principal()
        return await issue_service.issues_from_occurrences(
            risk_ids, uow=self._uow(), principal=principal
        )

    async def _load_matrices(self, project_ids: list[UUID]) -> list[RiskMatrix | None]:
        principal = await self._principal()
        return await occurrence.risk_matrices(
            project_ids, uow=self._uow(), principal=principal, clock=self._services.clock
        )

    async def _load_issue_pages(self, keys: list[IssuePageKey]) -> list[Page[Issue]]:
        principal = await self._principal()

        async def load(rest: tuple[Any, ...], pids: list[UUID]) -> dict[UUID, Page[Issue]]:
            flt, limit, after, backward = rest
            return await issue_service.issues_of_projects(
                pids, flt, page_of(limit, after, backward), uow=self._uow(), principal=principal
            )

        return await per_project(keys, load)

    async def _load_issue_counts(self, keys: list[IssueCountKey]) -> list[int]:
        principal = await self._principal()

        async def load(rest: tuple[Any, ...], pids: list[UUID]) -> dict[UUID, int]:
            return await issue_service.count_issues_of_projects(
                pids, rest[0], uow=self._uow(), principal=principal
            )

        return await per_project(keys, load)
