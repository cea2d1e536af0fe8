"""DataLoaders of the budget ledger: a portfolio's entries, summaries and earned value cost
a fixed number of statements whatever the number of projects."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date
from typing import Any
from uuid import UUID

from strawberry.dataloader import DataLoader

from app.api.graphql.batching import page_of, per_project
from app.domain.common.paging import Page
from app.domain.common.principal import Principal
from app.domain.ledger import service
from app.domain.ledger.earned_value import EarnedValue
from app.domain.ledger.model import LedgerEntry
from app.domain.ledger.ports import EntryFilter
from app.domain.ledger.summary import LedgerSummary

# (project id, filter, limit, cursor values, backward): projects asking the same page share a batch.
PageKey = tuple[UUID, EntryFilter, int, tuple[Any, ...] | None, bool]
CountKey = tuple[UUID, EntryFilter]
AsOfKey = tuple[UUID, date | None]


class LedgerLoaders:
    """Per-request loaders; each batch opens its own unit of work through the use cases."""

    def __init__(
        self, services: Any, principal: Callable[[], Awaitable[Principal]], uow: Callable[[], Any]
    ) -> None:
        self._services = services
        self._principal = principal
        self._uow = uow
        self.pages = DataLoader[PageKey, Page[LedgerEntry]](self._load_pages)
        self.counts = DataLoader[CountKey, int](self._load_counts)
        self.summaries = DataLoader[AsOfKey, LedgerSummary | None](self._load_summaries)
        self.earned_values = DataLoader[AsOfKey, EarnedValue | None](self._load_earned_values)

    async def _load_pages(self, keys: list[PageKey]) -> list[Page[LedgerEntry]]:
        principal = await self._principal()

        async def load(rest: tuple[Any, ...], pids: list[UUID]) -> dict[UUID, Page[LedgerEntry]]:
            flt, limit, after, backward = rest
            return await service.entries_of_projects(
                pids, flt, page_of(limit, after, backward), uow=self._uow(), principal=principal
            )

        return await per_project(keys, load)

    async def _load_counts(self, keys: list[CountKey]) -> list[int]:
        principal = await self._principal()

        async def load(rest: tuple[Any, ...], pids: list[UUID]) -> dict[UUID, int]:
            return await service.count_entries_of_projects(
                pids, rest[0], uow=self._uow(), principal=principal
            )

        return await per_project(keys, load)

    async def _by_date(
        self, keys: list[AsOfKey], load: Callable[..., Awaitable[list[Any]]]
    ) -> list[Any]:
        """Run ``load`` once per as-of date asked, for all the projects asking it."""
        principal = await self._principal()

        async def for_date(rest: tuple[Any, ...], pids: list[UUID]) -> dict[UUID, Any]:
            results = await load(
                pids, rest[0], uow=self._uow(), principal=principal, clock=self._services.clock
            )
            return dict(zip(pids, results, strict=True))

        return await per_project(keys, for_date)

    async def _load_summaries(self, keys: list[AsOfKey]) -> list[LedgerSummary | None]:
        return await self._by_date(keys, service.ledger_summaries)

    async def _load_earned_values(self, keys: list[AsOfKey]) -> list[EarnedValue | None]:
        return await self._by_date(keys, service.earned_values)
