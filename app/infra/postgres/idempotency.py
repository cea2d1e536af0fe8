"""SqlIdempotencyStore: idempotency keys in PostgreSQL, so they hold across processes.

The claim is an INSERT on the (org_id, key) primary key inside the command's own
transaction: a concurrent request with the same key blocks on the unique index until
the first commits (then it replays) or rolls back (then it proceeds). Failed commands
roll their claim back, so only successful results are replayed.

A row holds the command's fingerprint (``request_hash``) and its result as JSON
(``response_body``); ``status_code`` and ``location`` are what REST stored before both
adapters stored domain results (they stay NULL now, and can go once no row older than
the change is kept).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from app.domain.common.ports import StoredResult
from app.infra.postgres.tables import idempotency_keys as keys

RETENTION = timedelta(hours=24)


class SqlIdempotencyStore:
    def __init__(self, conn: AsyncConnection) -> None:
        self.conn = conn

    async def claim(
        self, org_id: str, key: str, fingerprint: str, now: datetime
    ) -> StoredResult | None:
        claimed = await self.conn.execute(
            insert(keys)
            .values(org_id=org_id, key=key, request_hash=fingerprint, created_at=now)
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
        if row is None or row.created_at < now - RETENTION or row.response_body is None:
            # Expired (or vanished): the key starts over for this request.
            await self.conn.execute(
                insert(keys)
                .values(org_id=org_id, key=key, request_hash=fingerprint, created_at=now)
                .on_conflict_do_update(
                    index_elements=["org_id", "key"],
                    set_={
                        "request_hash": fingerprint,
                        "created_at": now,
                        "status_code": None,
                        "response_body": None,
                        "location": None,
                    },
                )
            )
            return None
        return StoredResult(row.request_hash, row.response_body)

    async def complete(self, org_id: str, key: str, result: str) -> None:
        await self.conn.execute(
            update(keys)
            .where(keys.c.org_id == org_id, keys.c.key == key)
            .values(response_body=result)
        )
