"""The retry policy: run a request again when the database failed it and that is safe.

Both adapters note an ``Unavailable`` they answer (``note``) with what they know of the
request: whether it only reads, and whether it is one command. ``DatabaseRetry`` then
drops that answer and runs the request again, body replayed, when the policy allows:

    the work never reached the database (not_sent)      once, unless it is several commands
    the database rolled it back (40001, 40P01)          up to 3 times, same condition
    the connection was lost mid-work (unknown)          once, and only if it only reads
    a lock, statement or pool wait passed its bound     never (it would wait again)

A command whose connection was lost may have committed: it is answered 503 and the
client retries it with its ``Idempotency-Key``. Each retry gets a fresh connection: a
lost connection invalidates the pool (see ``app/infra/postgres/faults.py``).
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import MutableMapping
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.domain.common.errors import Unavailable

KEY = "charter_retries_allowed"  # in the request's state: retries the last failure allows
MAX_RETRIES = 3


def retries_for(outcome: str, *, read_only: bool, one_command: bool) -> int:
    """How many times in all a request that failed with ``outcome`` may be run again."""
    if outcome == "rolled_back" and (read_only or one_command):
        return MAX_RETRIES
    if outcome == "not_sent" and (read_only or one_command):
        return 1
    if outcome == "unknown" and read_only:
        return 1
    return 0


def note(state: Any, error: Unavailable, *, read_only: bool, one_command: bool) -> None:
    """Record, for ``DatabaseRetry``, how often the request that met ``error`` may run again."""
    allowed = retries_for(error.outcome, read_only=read_only, one_command=one_command)
    setattr(state, KEY, allowed)


def _pause(retry: int, outcome_allowed: int) -> float:
    # Collisions (rolled back) back off with jitter so the colliding commands part ways.
    if outcome_allowed == MAX_RETRIES:
        return random.uniform(0.005, 0.025) * retry  # noqa: S311 - jitter, not secrecy
    return 0.05


class DatabaseRetry:
    """Pure ASGI middleware that runs a request again when its failure allows it."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        state: MutableMapping[str, Any] = scope.setdefault("state", {})
        received: list[Message] = []

        async def recording() -> Message:
            message = await receive()
            if message["type"] == "http.request":
                received.append(message)
            return message

        incoming: Receive = recording
        retries = 0
        while not await self._attempt(scope, incoming, send, state, retries):
            retries += 1
            await asyncio.sleep(_pause(retries, state.get(KEY, 0)))
            incoming = _replay(received, recording)

    async def _attempt(
        self, scope: Scope, receive: Receive, send: Send, state: Any, retries: int
    ) -> bool:
        """Run the app once; False when its answer was dropped to run it again."""
        state.pop(KEY, None)
        dropped = False

        async def guarded(message: Message) -> None:
            nonlocal dropped
            if message["type"] == "http.response.start":
                dropped = state.get(KEY, 0) > retries
            if not dropped:
                await send(message)

        await self.app(scope, receive, guarded)
        return not dropped


def _replay(received: list[Message], more: Receive) -> Receive:
    """A receive that gives the body already read again, then reads (and records) the rest."""
    given = 0

    async def receive() -> Message:
        nonlocal given
        if given < len(received):
            given += 1
            return received[given - 1]
        message = await more()
        given = len(received)
        return message

    return receive
