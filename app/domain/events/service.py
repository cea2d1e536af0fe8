"""Use cases of the events feed: read an organization's events by ``seq``, check a reader."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from app.domain.common.events import DomainEvent
from app.domain.common.principal import Principal, Role
from app.domain.projects.ports import ProjectsUnitOfWork, load_project

MAX_PAGE = 100


def may_read(principal: Principal, event: DomainEvent) -> bool:
    """Whether ``principal`` may see ``event``: its own organization, and a reading role.

    Roles are organization-wide (a viewer reads every project of the organization), so
    this is the whole check; it runs again on each event a subscription sends, so a
    token is never shown more than it could read through a query.
    """
    return event.org == principal.org and principal.has(Role.VIEWER)


async def list_events(
    after_seq: int, limit: int, *, uow: ProjectsUnitOfWork, principal: Principal
) -> list[DomainEvent]:
    """List the organization's events after ``after_seq``, oldest first."""
    principal.require(Role.VIEWER)
    async with uow:
        found = await uow.activity.list_after(principal.org, after_seq, min(limit, MAX_PAGE))
    return [e for e in found if may_read(principal, e)]


async def check_project_feed(
    project_id: UUID, *, uow: ProjectsUnitOfWork, principal: Principal
) -> None:
    """Check that the caller may follow a project's events (a foreign one is NotFound)."""
    principal.require(Role.VIEWER)
    async with uow:
        await load_project(uow, principal, project_id)


def document(event: DomainEvent) -> dict[str, Any]:
    """The event as API.md "Events" publishes it: the feed, subscriptions and webhooks send this."""
    return {
        "id": str(event.id),
        "seq": event.seq,
        "type": event.type,
        "occurred_at": event.occurred_at.isoformat().replace("+00:00", "Z"),  # as REST renders it
        "org": event.org,
        "project_id": str(event.project_id),
        "actor": event.actor,
        "subject": {"type": event.subject.type, "id": str(event.subject.id)},
        "changes": dict(event.changes),
    }
