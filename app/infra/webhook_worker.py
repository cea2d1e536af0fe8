"""Webhook delivery: a worker in every server process, sharing the work through the database.

Each round first queues deliveries for what committed since the last one (``FAN_OUT``):
for each enabled endpoint behind its organization's committed event seq, one pending
delivery per event after its ``through_seq`` that it wants, and ``through_seq`` moves on,
in one statement that locks the endpoint row (``SKIP LOCKED``: another process takes the
next endpoint). A seq is taken in commit order with no gap, so every event up to the
committed counter is visible, and none is queued twice (the unique (endpoint, event) key
says so too). The events table is the outbox; no trigger runs in the command.

Then it claims due deliveries in one statement (``FOR UPDATE SKIP LOCKED``: two
processes never take the same one) and leases them by moving ``next_attempt_at`` a
minute ahead, then sends them outside any transaction. A process that stops mid-send
leaves its lease to expire, and another process sends the delivery again (delivery is
at-least-once; receivers dedupe on ``webhook-id``, the event's id). Requests are signed
per Standard Webhooks: ``v1,<base64 HMAC-SHA256 of "id.timestamp.body">`` keyed with the
secret's bytes after ``whsec_``.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import hashlib
import hmac
import json
import logging
import time
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

import httpx
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from app.domain.common.events import DomainEvent, Subject
from app.domain.events.service import document
from app.domain.webhooks.model import DISABLE_AFTER_FAILURES, is_private_address, next_attempt

log = logging.getLogger("charter.webhooks")
LEASE_SECONDS = 60

FAN_OUT = text("""
WITH behind AS (
    SELECT w.id, w.org_id, w.event_types, w.through_seq, k.last_seq AS newest,
        least(k.last_seq, w.through_seq + :events) AS upto
    FROM webhook_endpoints AS w JOIN event_counters AS k ON k.org_id = w.org_id
    WHERE NOT w.disabled AND w.through_seq < k.last_seq
    ORDER BY w.through_seq LIMIT :endpoints
    FOR UPDATE OF w SKIP LOCKED
), queued AS (
    INSERT INTO webhook_deliveries (id, org_id, endpoint_id, event_id, event_type, status,
        attempts, next_attempt_at, created_at)
    SELECT gen_random_uuid(), e.org_id, b.id, e.id, e.action, 'pending', '[]'::jsonb, now(),
        now()
    FROM behind AS b
    JOIN project_activity AS e ON e.org_id = b.org_id AND e.seq > b.through_seq
        AND e.seq <= b.upto
    WHERE cardinality(b.event_types) = 0 OR e.action = ANY (b.event_types)
    ON CONFLICT (endpoint_id, event_id) DO NOTHING
)
UPDATE webhook_endpoints AS w SET through_seq = b.upto FROM behind AS b WHERE w.id = b.id
RETURNING b.upto < b.newest AS more
""")
CLAIM = text("""
WITH due AS (
    SELECT d.id FROM webhook_deliveries AS d
    JOIN webhook_endpoints AS w ON w.org_id = d.org_id AND w.id = d.endpoint_id
    WHERE d.status = 'pending' AND d.next_attempt_at <= now() AND NOT w.disabled
    ORDER BY d.next_attempt_at LIMIT :batch
    FOR UPDATE OF d SKIP LOCKED
)
UPDATE webhook_deliveries AS d SET next_attempt_at = now() + make_interval(secs => :lease)
FROM due, webhook_endpoints AS w, project_activity AS a
WHERE d.id = due.id AND w.org_id = d.org_id AND w.id = d.endpoint_id
    AND a.org_id = d.org_id AND a.id = d.event_id
RETURNING d.id, d.endpoint_id, jsonb_array_length(d.attempts) AS tried, w.url, w.secret,
    a.id AS event_id, a.seq, a.action, a.at, a.org_id, a.project_id, a.actor, a.entity_type,
    a.entity_id, a.changes
""")
RECORD = text("""
UPDATE webhook_deliveries SET attempts = attempts || CAST(:attempt AS jsonb),
    status = :status, next_attempt_at = :next
WHERE id = :id
""")
SUCCEEDED = text("UPDATE webhook_endpoints SET failures = 0 WHERE id = :endpoint_id")
FAILED = text("""
UPDATE webhook_endpoints SET failures = failures + 1,
    disabled = disabled OR failures + 1 >= :limit
WHERE id = :endpoint_id
""")


def sign(secret: str, msg_id: str, timestamp: int, body: bytes) -> str:
    """The ``webhook-signature`` header's value for one request."""
    key = base64.b64decode(secret.removeprefix("whsec_"))
    signed = f"{msg_id}.{timestamp}.".encode() + body
    return "v1," + base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()


class WebhookWorker:
    def __init__(
        self,
        engine: AsyncEngine,
        *,
        allow_private: bool,
        retry_scale: float = 1.0,
        poll_seconds: float = 1.0,
        batch: int = 20,
        fan_out_events: int = 1000,
        fan_out_endpoints: int = 50,
        timeout_seconds: float = 10.0,
        lease_seconds: int = LEASE_SECONDS,
    ) -> None:
        self.lease = lease_seconds
        self.engine = engine
        self.allow_private = allow_private
        self.retry_scale = retry_scale
        self.poll_seconds = poll_seconds
        self.batch = batch
        self.fan_out_limits = {"events": fan_out_events, "endpoints": fan_out_endpoints}
        self.timeout = timeout_seconds
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._task = asyncio.get_running_loop().create_task(self._run(), name="charter-webhooks")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._task

    async def _run(self) -> None:
        # Two loops, so that queuing never waits behind a slow receiver (a send can take
        # the whole timeout) and sending never waits for a long fan-out.
        async with httpx.AsyncClient(timeout=self.timeout, follow_redirects=False) as client:
            await asyncio.gather(self._queue_loop(), self._send_loop(client))

    async def _queue_loop(self) -> None:
        while True:
            try:
                more = await self.fan_out()
            except Exception as exc:
                log.warning("webhook fan-out failed: %s", exc)
                more = False
            if not more:
                await asyncio.sleep(self.poll_seconds)

    async def _send_loop(self, client: httpx.AsyncClient) -> None:
        while True:
            try:
                sent = await self.run_once(client)
            except Exception as exc:
                log.warning("webhook round failed: %s", exc)
                sent = 0
            if sent < self.batch:
                await asyncio.sleep(self.poll_seconds)

    async def fan_out(self) -> bool:
        """Queue deliveries for newly committed events; True if some endpoint has more to queue."""
        async with self.engine.connect() as conn:
            rows = (await conn.execute(FAN_OUT, self.fan_out_limits)).all()
            await conn.commit()
        return any(r.more for r in rows) or len(rows) == self.fan_out_limits["endpoints"]

    async def run_once(self, client: httpx.AsyncClient) -> int:
        """Claim due deliveries and send them; return how many were claimed."""
        async with self.engine.connect() as conn:
            rows = (await conn.execute(CLAIM, {"batch": self.batch, "lease": self.lease})).all()
            await conn.commit()
        await asyncio.gather(*(self._deliver(client, r._mapping) for r in rows))
        return len(rows)

    async def _deliver(self, client: httpx.AsyncClient, row: Any) -> None:
        event = DomainEvent(
            row["event_id"], row["action"], row["at"], row["org_id"], row["project_id"],
            row["actor"], Subject(row["entity_type"], row["entity_id"]), row["changes"], row["seq"],
        )  # fmt: skip
        body = json.dumps(document(event), separators=(",", ":")).encode()
        msg_id, timestamp = str(event.id), int(time.time())
        headers = {
            "content-type": "application/json",
            "webhook-id": msg_id,
            "webhook-timestamp": str(timestamp),
            "webhook-signature": sign(row["secret"], msg_id, timestamp, body),
        }
        started, at = time.monotonic(), datetime.now(UTC)
        status_code: int | None = None
        error: str | None = None
        try:
            await self._check_address(row["url"])
            response = await client.post(row["url"], content=body, headers=headers)
            status_code = response.status_code
            if not 200 <= status_code < 300:
                error = f"HTTP {status_code}"
        except Exception as exc:
            error = f"{type(exc).__name__}: {exc}"[:500]
        latency = int((time.monotonic() - started) * 1000)
        attempt = {"at": at.isoformat(), "status_code": status_code, "latency_ms": latency,
                   "error": error}  # fmt: skip
        ok = error is None
        retry = None if ok else next_attempt(row["tried"] + 1, at, scale=self.retry_scale)
        status = "succeeded" if ok else ("pending" if retry is not None else "failed")
        async with self.engine.begin() as conn:
            await conn.execute(
                RECORD,
                {"attempt": json.dumps(attempt), "status": status, "next": retry, "id": row["id"]},
            )
            params = {"endpoint_id": row["endpoint_id"], "limit": DISABLE_AFTER_FAILURES}
            await conn.execute(SUCCEEDED if ok else FAILED, params)

    async def _check_address(self, url: str) -> None:
        """Refuse a name that resolves to a private address (unless allowed): DNS can change."""
        if self.allow_private:
            return
        parts = urlsplit(url)
        host = parts.hostname or ""
        infos = await asyncio.get_running_loop().getaddrinfo(host, parts.port or 443)
        if is_private_address(host) or any(is_private_address(str(i[4][0])) for i in infos):
            raise PermissionError("the URL resolves to a private or loopback address")
