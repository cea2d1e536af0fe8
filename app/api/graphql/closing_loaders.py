"""DataLoaders of objectives, deliverables and closure reports: a portfolio's nested lists
cost a fixed number of statements whatever the number of projects. They hang off the
request context under ``loaders["closing"]``; each batch runs one batch use case."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any
from uuid import UUID

from strawberry.dataloader import DataLoader

from app.api.graphql.batching import page_of, per_project
from app.domain.closure import service as closure
from app.domain.closure.model import ClosureReport
from app.domain.common.paging import Page
from app.domain.deliverables import service as deliverables
from app.domain.deliverables.model import DecisionRecord, Deliverable, DeliverableStatus
from app.domain.objectives import key_results, service
from app.domain.objectives.model import CheckIn, ObjectiveWithResults

if TYPE_CHECKING:  # the context makes these loaders (Context.closing)
    from app.api.graphql.context import Context

Cursor = tuple[Any, ...] | None
# (owner id, limit, cursor values, backward) or (project id, status, limit, cursor values, backward)
PageKey = tuple[UUID, int, Cursor, bool]
DeliverablePageKey = tuple[UUID, DeliverableStatus | None, int, Cursor, bool]


class ClosingLoaders:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.objectives = DataLoader[PageKey, Page[ObjectiveWithResults]](self._objectives)
        self.objective_counts = DataLoader[UUID, int](self._objective_counts)
        self.progress = DataLoader[UUID, Decimal | None](self._progress)
        self.check_ins = DataLoader[PageKey, Page[CheckIn]](self._check_ins)
        self.deliverables = DataLoader[DeliverablePageKey, Page[Deliverable]](self._deliverables)
        self.deliverable_counts = DataLoader[tuple[UUID, DeliverableStatus | None], int](
            self._deliverable_counts
        )
        self.decisions = DataLoader[PageKey, Page[DecisionRecord]](self._decisions)
        self.reports = DataLoader[UUID, ClosureReport | None](self._reports)

    async def _objectives(self, keys: list[PageKey]) -> list[Page[ObjectiveWithResults]]:
        principal = await self.ctx.principal()

        async def load(rest: tuple[Any, ...], ids: list[UUID]) -> Any:
            return await service.objectives_of_projects(
                ids, page_of(*rest), uow=self.ctx.uow(), principal=principal
            )

        return await per_project(keys, load)

    async def _objective_counts(self, keys: list[UUID]) -> list[int]:
        principal = await self.ctx.principal()
        found = await service.count_objectives_of_projects(
            keys, uow=self.ctx.uow(), principal=principal
        )
        return [found[k] for k in keys]

    async def _progress(self, keys: list[UUID]) -> list[Decimal | None]:
        principal = await self.ctx.principal()
        found = await service.objectives_progress(keys, uow=self.ctx.uow(), principal=principal)
        return [found[k] for k in keys]

    async def _check_ins(self, keys: list[PageKey]) -> list[Page[CheckIn]]:
        principal = await self.ctx.principal()

        async def load(rest: tuple[Any, ...], ids: list[UUID]) -> Any:
            return await key_results.check_ins_of_key_results(
                ids, page_of(*rest), uow=self.ctx.uow(), principal=principal
            )

        return await per_project(keys, load)

    async def _deliverables(self, keys: list[DeliverablePageKey]) -> list[Page[Deliverable]]:
        principal = await self.ctx.principal()

        async def load(rest: tuple[Any, ...], ids: list[UUID]) -> Any:
            status, limit, after, backward = rest
            return await deliverables.deliverables_of_projects(
                ids,
                status,
                page_of(limit, after, backward),
                uow=self.ctx.uow(),
                principal=principal,
            )

        return await per_project(keys, load)

    async def _deliverable_counts(
        self, keys: list[tuple[UUID, DeliverableStatus | None]]
    ) -> list[int]:
        principal = await self.ctx.principal()

        async def load(rest: tuple[Any, ...], ids: list[UUID]) -> Any:
            return await deliverables.count_deliverables_of_projects(
                ids, rest[0], uow=self.ctx.uow(), principal=principal
            )

        return await per_project(keys, load)

    async def _decisions(self, keys: list[PageKey]) -> list[Page[DecisionRecord]]:
        principal = await self.ctx.principal()

        async def load(rest: tuple[Any, ...], ids: list[UUID]) -> Any:
            return await deliverables.decisions_of_deliverables(
                ids, page_of(*rest), uow=self.ctx.uow(), principal=principal
            )

        return await per_project(keys, load)

    async def _reports(self, keys: list[UUID]) -> list[ClosureReport | None]:
        principal = await self.ctx.principal()
        found = await closure.closure_reports_of_projects(
            keys, uow=self.ctx.uow(), principal=principal
        )
        return [found[k] for k in keys]


def closing_loaders(ctx: Context) -> ClosingLoaders:
    """Return this request's loaders of the closing capabilities (made on first use)."""
    return ctx.closing
