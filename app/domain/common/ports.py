"""Ports every capability shares: the unit of work, the activity history, idempotency."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from types import TracebackType
from typing import Protocol, Self
from uuid import UUID

from app.domain.common.events import DomainEvent
from app.domain.common.paging import Page, PageRequest


class UnitOfWork(Protocol):
    """One transaction per command; nested ``async with`` joins the outer transaction.

    Use cases record what they changed as events (``record``); the unit of work writes
    them with the commit, in the same transaction, and forgets them on rollback.
    """

    async def __aenter__(self) -> Self: ...

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...

    async def commit(self) -> None:
        """Write the recorded events and commit (deferred to the outermost block when nested)."""
        ...

    def record(self, event: DomainEvent) -> None:
        """Record a change made in this unit of work; it is written with the commit."""
        ...


class ActivityRepository(Protocol):
    async def list_for_project(
        self, org_id: str, project_id: UUID, page: PageRequest
    ) -> Page[DomainEvent]:
        """List a project's history (its committed events), newest first."""
        ...

    async def list_after(self, org_id: str, after_seq: int, limit: int) -> list[DomainEvent]:
        """List the organization's events after ``after_seq``, oldest first (at most ``limit``)."""
        ...


@dataclass(frozen=True)
class StoredResult:
    """What an idempotency key recorded: its command's fingerprint and the first result."""

    fingerprint: str
    result: str  # JSON (see app.domain.common.result_codec)


class IdempotencyStore(Protocol):
    async def claim(
        self, org_id: str, key: str, fingerprint: str, now: datetime
    ) -> StoredResult | None:
        """Claim ``key`` in this transaction, waiting for a concurrent holder to finish.

        Return None when the caller now owns the key (and must ``complete`` it before
        committing), or what an earlier request recorded under it.
        """
        ...

    async def complete(self, org_id: str, key: str, result: str) -> None:
        """Record the result of the command that claimed ``key``."""
        ...


class KeyedUnitOfWork(UnitOfWork, Protocol):
    """A unit of work that can claim idempotency keys in its transaction."""

    @property
    def idempotency(self) -> IdempotencyStore: ...
