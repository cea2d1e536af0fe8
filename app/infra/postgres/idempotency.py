"""SqlIdempotencyStore: idempotency keys in PostgreSQL, so they hold across processes.

The claim is an INSERT on the (org_id, key) primary key inside the command's own
transaction: a concurrent request with the same key blocks on the unique index until
the first commits (then it replays) or rolls back (then it proceeds). Failed commands
roll their claim back, so only successful responses are replayed.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from app.domain.common.ports import StoredResponse
from app.infra.postgres.tables import idempotency_keys as keys

RETENTION = timedelta(hours=24)


class SqlIdempotencyStore:
    def __init__(self, conn: AsyncConnection) -> None:
        self.conn = conn

    async def claim(
        self, org_id: str, key: str, request_hash: str, now: datetime
    ) -> StoredResponse | None:
        claimed = await self.conn.execute(
            insert(keys)
            .values(org_id=org_id, key=key, request_hash=request_hash, created_at=now)
            .on_conflict_do_nothing(index_elements=["org_id", "key"])
            .returning(keys.c.key)
        )
        if claimed.first() is not None:
            return None
        row = (
            await self.conn.execute(
                select(keys).where(keys.c.org_id == org_id, keys.c.key == key).with_for_update()
            )
        ).first()
        if row is None or row.created_at < now - RETENTION or row.status_code is None:
            # Expired (or vanished): the key starts over for this request.
            await self.conn.execute(
                insert(keys)
                .values(org_id=org_id, key=key, request_hash=request_hash, created_at=now)
                .on_conflict_do_update(
                    index_elements=["org_id", "key"],
                    set_={
                        "request_hash": request_hash,
                        "created_at": now,
                        "status_code": None,
                        "response_body": None,
                        "location": None,
                    },
                )
            )
            return None
        return StoredResponse(row.request_hash, row.status_code, row.response_body, row.location)

    async def complete(
        self, org_id: str, key: str, status_code: int, body: str, location: str | None
    ) -> None:
        await self.conn.execute(
            update(keys)
            .where(keys.c.org_id == org_id, keys.c.key == key)
            .values(status_code=status_code, response_body=body, location=location)
        )
