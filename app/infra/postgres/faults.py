"""Database faults: what each failure means for the work, and the engine hooks that keep
dead connections out of use.

Outcomes (``Unavailable.outcome``) by cause:

    not_sent     connecting failed: refused, "the database system is starting up" or
                 "shutting down" (57P03), too many connections, connect timeout
    rolled_back  serialization failure (40001), deadlock detected (40P01)
    timed_out    lock timeout (55P03), statement timeout (57014), pool wait
    unknown      the connection was lost mid-work: administrator or crash shutdown
                 (57P01, 57P02), connection exceptions (class 08), a reset socket; or
                 the server ran out of resources (classes 53, 58)

Dead pooled connections are discarded on checkout without a round trip: a server that
goes away closes its sockets (it terminates its backends, or they exit when the
postmaster dies), and asyncpg marks such a connection closed as soon as the event loop
sees it. The rest (a connection that dies between checkout and use) fail their statement,
are treated as disconnects, and invalidate the whole pool so the next checkouts connect
afresh. ``pool_pre_ping`` would cost a round trip per checkout (three on the command
engine: SQLAlchemy wraps the ping in BEGIN/ROLLBACK) to catch the same thing.
"""

from __future__ import annotations

from typing import Any

import asyncpg
from sqlalchemy import event
from sqlalchemy.engine import ExceptionContext
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.ext.asyncio import AsyncEngine

ROLLED_BACK = frozenset({"40001", "40P01"})
TIMED_OUT = frozenset({"55P03", "57014"})
# The connection is gone: class 08 (connection exception) and the shutdowns of class 57.
LOST_PREFIXES = ("08", "57P")
# The server could not do it (out of connections, memory or disk): outcome unknown.
UNKNOWN_PREFIXES = (*LOST_PREFIXES, "53", "58")


class DatabaseUnreachable(ConnectionError):
    """Opening a connection failed: nothing of the work reached the database."""


def sqlstate(exc: BaseException) -> str | None:
    """The SQLSTATE of a driver error, through SQLAlchemy's wrapper and its causes."""
    seen: BaseException | None = exc
    for _ in range(4):
        if seen is None:
            return None
        code = getattr(seen, "sqlstate", None) or getattr(seen, "pgcode", None)
        if isinstance(code, str):
            return code
        seen = getattr(seen, "orig", None) or seen.__cause__
    return None


def is_connection_lost(exc: BaseException) -> bool:
    """True when ``exc`` says the connection died (not that the work was refused)."""
    code = sqlstate(exc)
    if code is not None:
        return code.startswith(LOST_PREFIXES)
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, asyncpg.ConnectionDoesNotExistError | ConnectionError):
            return True
        seen = seen.__cause__
    return False


def outcome(exc: BaseException) -> str | None:
    """What became of the work when ``exc`` ended it, or None when it is no outage."""
    if isinstance(exc, DatabaseUnreachable):
        return "not_sent"
    code = sqlstate(exc)
    if code in ROLLED_BACK:
        return "rolled_back"
    if code in TIMED_OUT:
        return "timed_out"
    if code is not None and code.startswith(UNKNOWN_PREFIXES):
        return "unknown"
    if isinstance(exc, TimeoutError):  # asyncpg's command_timeout, past the server's own
        return "timed_out"
    if is_connection_lost(exc) or isinstance(exc, OSError | asyncpg.InterfaceError):
        return "unknown"
    return None


def install(engine: AsyncEngine) -> None:
    """Hook ``engine``: discard closed connections on checkout, mark failed connects,
    and treat every lost-connection error as a disconnect (invalidating the pool)."""
    sync = engine.sync_engine

    @event.listens_for(sync, "checkout")
    def _discard_closed(dbapi_connection: Any, record: Any, proxy: Any) -> None:
        driver = getattr(dbapi_connection, "_connection", None)
        if driver is not None and driver.is_closed():
            # The pool replaces it (up to three times) and, since the server went
            # away, drops every connection older than now as well.
            raise DisconnectionError("the pooled connection was closed by the server")

    @event.listens_for(sync, "do_connect")
    def _connect(dialect: Any, record: Any, cargs: Any, cparams: Any) -> Any:
        try:
            return dialect.connect(*cargs, **cparams)
        except Exception as exc:  # refused, starting up, too many clients, timeout...
            raise DatabaseUnreachable(f"cannot connect to the database: {exc}") from exc

    @event.listens_for(sync, "handle_error")
    def _lost_is_disconnect(ctx: ExceptionContext) -> None:
        if not ctx.is_disconnect and is_connection_lost(ctx.original_exception):
            ctx.is_disconnect = True
