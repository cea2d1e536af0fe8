"""Every way the database can fail is an Unavailable saying what became of the work, and
the retry policy runs a request again only when that is safe."""

from __future__ import annotations

from typing import Any

import asyncpg
import httpx
import pytest
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from starlette.types import Receive, Scope, Send

from app.api.retry import KEY, MAX_RETRIES, DatabaseRetry, retries_for
from app.domain.common.errors import Conflict, Unavailable
from app.infra.postgres.errors import translate
from app.infra.postgres.faults import DatabaseUnreachable


def _wrapped(orig: Exception) -> DBAPIError:
    """As SQLAlchemy raises a driver error from a statement."""
    return DBAPIError("SELECT 1", {}, orig)


@pytest.mark.parametrize(
    ("failure", "outcome"),
    [
        (DatabaseUnreachable("refused"), "not_sent"),
        (DatabaseUnreachable("starting up"), "not_sent"),
        (PoolTimeout("pool wait"), "timed_out"),
        (_wrapped(asyncpg.SerializationError("could not serialize")), "rolled_back"),
        (_wrapped(asyncpg.DeadlockDetectedError("deadlock detected")), "rolled_back"),
        (_wrapped(asyncpg.LockNotAvailableError("lock timeout")), "timed_out"),
        (_wrapped(asyncpg.QueryCanceledError("statement timeout")), "timed_out"),
        (_wrapped(asyncpg.AdminShutdownError("terminating connection")), "unknown"),
        (_wrapped(asyncpg.CrashShutdownError("crash of another server process")), "unknown"),
        (_wrapped(asyncpg.CannotConnectNowError("starting up")), "unknown"),
        (_wrapped(asyncpg.ConnectionDoesNotExistError("closed mid-operation")), "unknown"),
        (_wrapped(asyncpg.TooManyConnectionsError("too many clients")), "unknown"),
        (asyncpg.AdminShutdownError("raw, past SQLAlchemy"), "unknown"),
        (ConnectionResetError("reset by peer"), "unknown"),
        (TimeoutError(), "timed_out"),
    ],
)
def test_each_outage_is_unavailable_with_what_became_of_the_work(
    failure: Exception, outcome: str
) -> None:
    mapped = translate(failure)
    assert isinstance(mapped, Unavailable)
    assert mapped.outcome == outcome


def test_failures_that_are_not_outages_are_not_unavailable() -> None:
    assert translate(_wrapped(asyncpg.ReadOnlySQLTransactionError("read-only"))) is None
    assert translate(ValueError("a bug")) is None
    conflict = IntegrityError("INSERT", {}, asyncpg.UniqueViolationError("duplicate key"))
    assert isinstance(translate(conflict), Conflict)


@pytest.mark.parametrize(
    ("outcome", "read_only", "one_command", "retries"),
    [
        ("not_sent", False, True, 1),
        ("not_sent", True, False, 1),
        ("not_sent", False, False, 0),  # several GraphQL mutations: one may have committed
        ("rolled_back", False, True, MAX_RETRIES),
        ("rolled_back", False, False, 0),
        ("unknown", True, False, 1),
        ("unknown", False, True, 0),  # it may have committed: the client retries with its key
        ("timed_out", True, True, 0),  # it would wait again
    ],
)
def test_the_retry_policy(outcome: str, read_only: bool, one_command: bool, retries: int) -> None:
    assert retries_for(outcome, read_only=read_only, one_command=one_command) == retries


class FailingApp:
    """Answers 503 ``failures`` times (noting ``outcome`` as the adapters do), then 200."""

    def __init__(self, failures: int, outcome: str) -> None:
        self.failures = failures
        self.outcome = outcome
        self.bodies: list[bytes] = []

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        self.bodies.append(body)
        status = 200
        if len(self.bodies) <= self.failures:
            status = 503
            read_only = scope["method"] == "GET"
            allowed = retries_for(self.outcome, read_only=read_only, one_command=True)
            scope["state"][KEY] = allowed
        await send({"type": "http.response.start", "status": status, "headers": []})
        await send({"type": "http.response.body", "body": str(len(self.bodies)).encode()})


async def _call(app: Any, method: str) -> httpx.Response:
    transport = httpx.ASGITransport(app=DatabaseRetry(app))
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        return await client.request(
            method, "/", content=b"the same body" if method == "POST" else None
        )


async def test_a_command_that_sent_nothing_runs_again_with_its_body() -> None:
    app = FailingApp(failures=1, outcome="not_sent")
    r = await _call(app, "POST")
    assert (r.status_code, r.text) == (200, "2")
    assert app.bodies == [b"the same body"] * 2


async def test_a_command_whose_connection_was_lost_is_not_run_again() -> None:
    app = FailingApp(failures=1, outcome="unknown")
    r = await _call(app, "POST")
    assert (r.status_code, len(app.bodies)) == (503, 1)


async def test_a_read_whose_connection_was_lost_runs_once_more_only() -> None:
    assert (await _call(FailingApp(failures=1, outcome="unknown"), "GET")).status_code == 200
    app = FailingApp(failures=5, outcome="unknown")
    assert ((await _call(app, "GET")).status_code, len(app.bodies)) == (503, 2)


async def test_a_serialization_failure_runs_again_a_bounded_number_of_times() -> None:
    assert (await _call(FailingApp(failures=3, outcome="rolled_back"), "POST")).status_code == 200
    app = FailingApp(failures=10, outcome="rolled_back")
    assert ((await _call(app, "POST")).status_code, len(app.bodies)) == (503, 1 + MAX_RETRIES)
