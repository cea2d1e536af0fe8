"""PgDoorbell: one connection per process that rings and listens for new events.

**Ringing.** After a command that wrote events commits, its unit of work calls
``ring(org)``. The doorbell sends ``pg_notify('charter_events', '<org> <seq>')`` (the
organization's newest committed seq, never the data) on its own connection, outside the
command: at once when it is idle, then at most once per ``coalesce_seconds`` with every
organization rung meanwhile. A NOTIFY in the command's own transaction (the trigger of
migrations 0008-0010) made PostgreSQL serialize those commits on one lock, which cost
the ledger a fifth of its postings per second; here one NOTIFY covers many commits.
A ring that cannot be sent (the connection is down) is kept and sent after the
reconnect; subscribers also read again every few seconds without one, so a late or lost
ring costs latency, never events.

**Listening.** The same connection LISTENs on that channel, remembers each organization's
newest seq, and wakes the subscriptions waiting on that organization. When the
connection drops it reconnects on its own, and wakes everyone on the way (they read
again from their last seq, so what was committed in between is not lost). It is started
on the first wait or ring, so a process that neither writes events nor serves
subscribers holds no extra connection.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

import asyncpg

log = logging.getLogger("charter.events")
CHANNEL = "charter_events"
# One NOTIFY for the organizations rung since the last, each with its newest committed seq.
NOTIFY = """
SELECT pg_notify('charter_events', k.org_id || ' ' || k.last_seq)
FROM event_counters AS k WHERE k.org_id = ANY($1::text[])
"""


class PgDoorbell:
    def __init__(
        self,
        dsn: str,
        *,
        retry_seconds: float = 1.0,
        ping_seconds: float = 5.0,
        coalesce_seconds: float = 0.05,
        application_name: str = "charter-listen",
    ) -> None:
        self._dsn = dsn
        self._name = application_name
        self._retry = retry_seconds
        self._ping = ping_seconds
        self._coalesce = coalesce_seconds
        self._conn: asyncpg.Connection | None = None
        self._using: asyncio.Lock | None = None  # one operation at a time on the connection
        self._unrung: set[str] = set()
        self._ringing: asyncio.Task[None] | None = None
        self._latest: dict[str, int] = {}
        self._waiters: dict[str, set[asyncio.Future[None]]] = {}
        self._task: asyncio.Task[None] | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    async def wait(self, org: str, after_seq: int, at_most: float) -> None:
        self._start()
        if self._latest.get(org, 0) > after_seq:
            return
        ring: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        waiting = self._waiters.setdefault(org, set())
        waiting.add(ring)
        try:
            await asyncio.wait_for(ring, at_most)
        except TimeoutError:
            pass
        finally:
            waiting.discard(ring)
            if not waiting and self._waiters.get(org) is waiting:
                del self._waiters[org]

    def ring(self, org: str) -> None:
        """Tell every process that ``org`` has new committed events (soon, coalesced)."""
        self._start()
        self._unrung.add(org)
        self._send_rings()

    def _send_rings(self) -> None:
        if self._conn is None or not self._unrung:
            return  # sent once the connection is (back) up
        if self._ringing is None or self._ringing.done():
            assert self._loop is not None
            self._ringing = self._loop.create_task(self._rings(), name="charter-doorbell-ring")

    async def _rings(self) -> None:
        while self._unrung and self._conn is not None and self._using is not None:
            orgs, self._unrung = sorted(self._unrung), set()
            try:
                async with self._using:
                    await self._conn.execute(NOTIFY, orgs, timeout=5)
            except Exception as exc:  # the listener sees the loss and reconnects
                self._unrung.update(orgs)
                log.warning("could not ring the event doorbell (%s); will ring again", exc)
                return
            await asyncio.sleep(self._coalesce)

    def _start(self) -> None:
        loop = asyncio.get_running_loop()
        if self._task is None or self._task.done() or self._loop is not loop:
            # (a new loop: an app reused across event loops, as tests do; the old one is gone)
            self._loop, self._waiters, self._conn, self._ringing = loop, {}, None, None
            self._using = asyncio.Lock()
            self._task = loop.create_task(self._listen(), name="charter-doorbell")

    def _ring(self, org: str | None) -> None:
        groups = self._waiters.values() if org is None else [self._waiters.get(org, set())]
        for waiting in groups:
            for ring in waiting:
                if not ring.done():
                    ring.set_result(None)

    def _on_notify(self, _conn: object, _pid: int, _channel: str, payload: str) -> None:
        org, _, seq = payload.rpartition(" ")
        with contextlib.suppress(ValueError):
            self._latest[org] = max(self._latest.get(org, 0), int(seq))
        self._ring(org)

    async def _listen(self) -> None:
        while True:
            conn: asyncpg.Connection | None = None
            try:
                conn = await asyncpg.connect(
                    self._dsn, timeout=5, server_settings={"application_name": self._name}
                )
                await conn.add_listener(CHANNEL, self._on_notify)
                self._conn = conn
                self._ring(None)  # whatever committed while we were not listening
                self._send_rings()  # and what this process could not ring meanwhile
                assert self._using is not None
                while True:
                    await asyncio.sleep(self._ping)
                    async with self._using:
                        await conn.fetchval("SELECT 1", timeout=5)
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                log.warning("event listener lost its connection (%s); reconnecting", exc)
            finally:
                self._conn = None
                if conn is not None:
                    with contextlib.suppress(Exception):
                        await asyncio.wait_for(conn.close(), 2)
            self._ring(None)
            await asyncio.sleep(self._retry)

    async def aclose(self) -> None:
        """Stop listening (the app's shutdown)."""
        if self._ringing is not None:
            self._ringing.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._ringing
            self._ringing = None
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._task
            self._task = None


def asyncpg_dsn(sqlalchemy_url: str) -> str:
    """asyncpg's DSN for a ``postgresql+asyncpg://`` URL."""
    return sqlalchemy_url.replace("postgresql+asyncpg://", "postgresql://", 1)
