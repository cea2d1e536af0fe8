"""Ports every capability shares: the unit of work and the activity history."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from types import TracebackType
from typing import Any, Protocol, Self
from uuid import UUID

from app.domain.common.paging import Page, PageRequest


class UnitOfWork(Protocol):
    """One transaction per command; nested ``async with`` joins the outer transaction."""

    async def __aenter__(self) -> Self: ...

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...

    async def commit(self) -> None:
        """Commit the transaction (deferred to the outermost block when nested)."""
        ...


@dataclass(frozen=True)
class ActivityEntry:
    """One change in a project's history: who, when, what changed."""

    id: UUID
    org_id: str
    project_id: UUID
    actor: str
    at: datetime
    action: str  # e.g. "project.created", "project.transitioned"
    entity_type: str
    entity_id: UUID
    changes: dict[str, Any] = field(default_factory=dict)


class ActivityRepository(Protocol):
    async def add(self, entry: ActivityEntry) -> None:
        """Append an entry to the project's history (same transaction as the change)."""
        ...

    async def list_for_project(
        self, org_id: str, project_id: UUID, page: PageRequest
    ) -> Page[ActivityEntry]:
        """List a project's history, newest first."""
        ...


@dataclass(frozen=True)
class StoredResponse:
    """What an idempotency key recorded: the request's fingerprint and the first response."""

    request_hash: str
    status_code: int
    body: str
    location: str | None


class IdempotencyStore(Protocol):
    async def claim(
        self, org_id: str, key: str, request_hash: str, now: datetime
    ) -> StoredResponse | None:
        """Claim ``key`` in this transaction, waiting for a concurrent holder to finish.

        Return None when the caller now owns the key (and must ``complete`` it before
        committing), or the response recorded under it by an earlier request.
        """
        ...

    async def complete(
        self, org_id: str, key: str, status_code: int, body: str, location: str | None
    ) -> None:
        """Record the response for a claimed key."""
        ...
