"""PgDoorbell: one LISTEN connection per process, fanning doorbells out to waiting readers.

The trigger on the event table calls ``pg_notify('charter_events', '<org> <seq>')`` as
the events commit (migration 0007). This process keeps one asyncpg connection that
LISTENs on that channel, remembers each organization's newest seq, and wakes the
subscriptions waiting on that organization. When the connection drops it reconnects on
its own, and wakes everyone on the way (they read again from their last seq, so what
was committed in between is not lost). It is started on the first wait, so a process
without subscribers holds no extra connection.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

import asyncpg

log = logging.getLogger("charter.events")
CHANNEL = "charter_events"


class PgDoorbell:
    def __init__(
        self,
        dsn: str,
        *,
        retry_seconds: float = 1.0,
        ping_seconds: float = 5.0,
        application_name: str = "charter-listen",
    ) -> None:
        self._dsn = dsn
        self._name = application_name
        self._retry = retry_seconds
        self._ping = ping_seconds
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

    def _start(self) -> None:
        loop = asyncio.get_running_loop()
        if self._task is None or self._task.done() or self._loop is not loop:
            # (a new loop: an app reused across event loops, as tests do; the old one is gone)
            self._loop, self._waiters = loop, {}
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
                self._ring(None)  # whatever committed while we were not listening
                while True:
                    await asyncio.sleep(self._ping)
                    await conn.fetchval("SELECT 1", timeout=5)
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                log.warning("event listener lost its connection (%s); reconnecting", exc)
            finally:
                if conn is not None:
                    with contextlib.suppress(Exception):
                        await asyncio.wait_for(conn.close(), 2)
            self._ring(None)
            await asyncio.sleep(self._retry)

    async def aclose(self) -> None:
        """Stop listening (the app's shutdown)."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._task
            self._task = None


def asyncpg_dsn(sqlalchemy_url: str) -> str:
    """asyncpg's DSN for a ``postgresql+asyncpg://`` URL."""
    return sqlalchemy_url.replace("postgresql+asyncpg://", "postgresql://", 1)
