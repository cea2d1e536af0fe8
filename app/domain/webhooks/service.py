"""Use cases of webhooks (admins only): endpoints, their delivery log, replay."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any
from uuid import UUID

from app.domain.common.clock import Clock
from app.domain.common.errors import NotFound, ValidationFailed
from app.domain.common.ids import new_id
from app.domain.common.principal import Principal, Role
from app.domain.webhooks.model import (
    Delivery,
    Endpoint,
    check_event_types,
    check_url,
    new_secret,
)
from app.domain.webhooks.ports import WebhooksUnitOfWork


@dataclass(frozen=True)
class CreateEndpoint:
    url: str
    event_types: list[str]
    allow_private: bool


@dataclass(frozen=True)
class UpdateEndpoint:
    endpoint_id: UUID
    changes: dict[str, Any]  # url, event_types, disabled (only those given)
    allow_private: bool


async def create_endpoint(
    cmd: CreateEndpoint, *, uow: WebhooksUnitOfWork, principal: Principal, clock: Clock
) -> Endpoint:
    """Register an endpoint; the returned one carries its signing secret (shown once)."""
    principal.require(Role.ADMIN)
    now = clock.now()
    endpoint = Endpoint(
        id=new_id(),
        org_id=principal.org,
        url=check_url(cmd.url, allow_private=cmd.allow_private),
        event_types=check_event_types(cmd.event_types),
        disabled=False,
        failures=0,
        version=1,
        created_at=now,
        updated_at=now,
        secret=new_secret(),
    )
    async with uow:
        await uow.webhooks.add(endpoint)
        await uow.commit()
    return endpoint


async def list_endpoints(*, uow: WebhooksUnitOfWork, principal: Principal) -> list[Endpoint]:
    """List the organization's endpoints."""
    principal.require(Role.ADMIN)
    async with uow:
        return await uow.webhooks.list_all(principal.org)


async def get_endpoint(
    endpoint_id: UUID, *, uow: WebhooksUnitOfWork, principal: Principal
) -> Endpoint:
    """Return one endpoint (a foreign one is NotFound)."""
    principal.require(Role.ADMIN)
    async with uow:
        return await _load(uow, principal, endpoint_id)


async def update_endpoint(
    cmd: UpdateEndpoint, *, uow: WebhooksUnitOfWork, principal: Principal, clock: Clock
) -> Endpoint:
    """Change an endpoint's URL, types or disabled flag; enabling it forgets its failures."""
    principal.require(Role.ADMIN)
    for name, value in cmd.changes.items():
        if value is None:
            raise ValidationFailed.on(name, "must not be null (leave it out to keep it)")
    changes: dict[str, Any] = {}
    if "url" in cmd.changes:
        changes["url"] = check_url(cmd.changes["url"], allow_private=cmd.allow_private)
    if "event_types" in cmd.changes:
        changes["event_types"] = check_event_types(cmd.changes["event_types"])
    if "disabled" in cmd.changes:
        changes["disabled"] = bool(cmd.changes["disabled"])
        if not changes["disabled"]:
            changes["failures"] = 0
    async with uow:
        endpoint = await _load(uow, principal, endpoint_id=cmd.endpoint_id)
        changes.update(version=endpoint.version + 1, updated_at=clock.now())
        await uow.webhooks.update(endpoint, changes)
        await uow.commit()
    return replace(endpoint, **changes)


async def delete_endpoint(
    endpoint_id: UUID, *, uow: WebhooksUnitOfWork, principal: Principal
) -> None:
    """Delete an endpoint and its delivery log."""
    principal.require(Role.ADMIN)
    async with uow:
        if not await uow.webhooks.delete(principal.org, endpoint_id):
            raise NotFound("Webhook endpoint not found")
        await uow.commit()


async def list_deliveries(
    endpoint_id: UUID, limit: int, *, uow: WebhooksUnitOfWork, principal: Principal
) -> list[Delivery]:
    """List an endpoint's deliveries, newest first, with their attempts."""
    principal.require(Role.ADMIN)
    async with uow:
        await _load(uow, principal, endpoint_id)
        return await uow.webhooks.deliveries(principal.org, endpoint_id, limit)


async def replay_delivery(
    delivery_id: UUID, *, uow: WebhooksUnitOfWork, principal: Principal, clock: Clock
) -> Delivery:
    """Send a delivery's event again, now, with the same webhook-id."""
    principal.require(Role.ADMIN)
    async with uow:
        delivery = await uow.webhooks.replay(principal.org, delivery_id, clock.now())
        if delivery is None:
            raise NotFound("Webhook delivery not found")
        await uow.commit()
    return delivery


async def _load(uow: WebhooksUnitOfWork, principal: Principal, endpoint_id: UUID) -> Endpoint:
    endpoint = await uow.webhooks.get(principal.org, endpoint_id)
    if endpoint is None:
        raise NotFound("Webhook endpoint not found")
    return endpoint
