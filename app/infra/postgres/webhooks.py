"""SqlWebhookRepository: endpoints and their delivery log.

Deliveries are queued by the webhook workers (``app/infra/webhook_worker.py``) from the
events after each endpoint's ``through_seq``. A new endpoint starts at its organization's
committed seq, and so does one being enabled again: events committed while an endpoint
is disabled are not queued for it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.engine import Row
from sqlalchemy.ext.asyncio import AsyncConnection

from app.domain.webhooks.model import Attempt, Delivery, Endpoint
from app.infra.postgres.tables import event_counters
from app.infra.postgres.tables import webhook_deliveries as deliveries
from app.infra.postgres.tables import webhook_endpoints as endpoints

_ENDPOINT = tuple(c.name for c in endpoints.columns if c.name != "through_seq")


def _committed_seq(org_id: str) -> Any:
    """The organization's newest committed event seq (0 before its first event)."""
    newest = select(event_counters.c.last_seq).where(event_counters.c.org_id == org_id)
    return func.coalesce(newest.scalar_subquery(), 0)


def endpoint_from_row(row: Row[Any]) -> Endpoint:
    return Endpoint(**{c: row._mapping[c] for c in _ENDPOINT})


def delivery_from_row(row: Row[Any]) -> Delivery:
    m = row._mapping
    attempts = [
        Attempt(
            at=datetime.fromisoformat(a["at"]),
            status_code=a.get("status_code"),
            latency_ms=int(a.get("latency_ms", 0)),
            error=a.get("error"),
        )
        for a in m["attempts"]
    ]
    return Delivery(
        id=m["id"],
        endpoint_id=m["endpoint_id"],
        event_id=m["event_id"],
        event_type=m["event_type"],
        status=m["status"],
        attempts=attempts,
        next_attempt_at=m["next_attempt_at"],
        created_at=m["created_at"],
    )


class SqlWebhookRepository:
    def __init__(self, conn: AsyncConnection) -> None:
        self.conn = conn

    async def add(self, endpoint: Endpoint) -> None:
        await self.conn.execute(
            insert(endpoints).values(
                {c: getattr(endpoint, c) for c in _ENDPOINT}
                | {"through_seq": _committed_seq(endpoint.org_id)}
            )
        )

    async def get(self, org_id: str, endpoint_id: UUID) -> Endpoint | None:
        stmt = select(endpoints).where(endpoints.c.org_id == org_id, endpoints.c.id == endpoint_id)
        row = (await self.conn.execute(stmt)).first()
        return endpoint_from_row(row) if row else None

    async def list_all(self, org_id: str) -> list[Endpoint]:
        stmt = (
            select(endpoints)
            .where(endpoints.c.org_id == org_id)
            .order_by(endpoints.c.created_at, endpoints.c.id)
        )
        return [endpoint_from_row(r) for r in (await self.conn.execute(stmt)).all()]

    async def update(self, endpoint: Endpoint, changes: dict[str, Any]) -> None:
        values = dict(changes)
        if endpoint.disabled and changes.get("disabled") is False:
            values["through_seq"] = _committed_seq(endpoint.org_id)
        await self.conn.execute(
            update(endpoints)
            .where(endpoints.c.org_id == endpoint.org_id, endpoints.c.id == endpoint.id)
            .values(values)
        )

    async def delete(self, org_id: str, endpoint_id: UUID) -> bool:
        stmt = delete(endpoints).where(endpoints.c.org_id == org_id, endpoints.c.id == endpoint_id)
        return bool((await self.conn.execute(stmt)).rowcount)

    async def deliveries(self, org_id: str, endpoint_id: UUID, limit: int) -> list[Delivery]:
        stmt = (
            select(deliveries)
            .where(deliveries.c.org_id == org_id, deliveries.c.endpoint_id == endpoint_id)
            .order_by(deliveries.c.created_at.desc(), deliveries.c.id.desc())
            .limit(limit)
        )
        return [delivery_from_row(r) for r in (await self.conn.execute(stmt)).all()]

    async def replay(self, org_id: str, delivery_id: UUID, now: datetime) -> Delivery | None:
        stmt = (
            update(deliveries)
            .where(deliveries.c.org_id == org_id, deliveries.c.id == delivery_id)
            .values(status="pending", next_attempt_at=now)
            .returning(*deliveries.c)
        )
        row = (await self.conn.execute(stmt)).first()
        return delivery_from_row(row) if row else None
