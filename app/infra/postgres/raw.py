"""Wide batch reads straight from the driver, for the views over a whole organization.

SQLAlchemy's result layer (the asyncpg adapter's cursor, then a ``Row`` per row) costs about
three times asyncpg's own ``fetch`` on a wide read: 12,500 milestone rows take ~50 ms
through ``conn.execute`` and ~15 ms through the driver on this machine. The portfolio and
health read five such sets per call, so the batch reads behind them use :func:`fetch`:
plain SQL with ``= ANY($n)`` array parameters, on the unit of work's own connection (so in
its transaction, if it has one), through SQLAlchemy's public ``get_raw_connection()``.
Commands and single reads keep SQLAlchemy Core.

Driver errors need no wrapping: ``errors.translate`` classifies asyncpg's own exceptions
(SQLSTATE, lost connections, timeouts) as it does SQLAlchemy's, and the pool discards a
connection the server closed on its next checkout.

The ledger's lone posting (a command's only statement, in autocommit) goes the same way
through :func:`fetchval`: its SQLAlchemy ``text()`` is compiled once by the engine's own
dialect into the driver's ``$n`` form (:func:`positional`), so the SQL sent is the SQL
SQLAlchemy would send, without the isolation switch, the greenlet hops and the result
layer around one row (9% fewer Python calls per posting, measured in process).

Statement counts (the tests that hold nested reads to a fixed number of statements) must
see these statements too: :func:`counted` collects both kinds.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from asyncpg import Record
from sqlalchemy import Executable, event
from sqlalchemy.engine import Dialect
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine
from sqlalchemy.pool import Pool

# Observers of the statements sent through fetch(), per connection pool: an engine and the
# engines derived from it with execution_options() (the read path's AUTOCOMMIT) share one,
# as they share SQLAlchemy's event listeners.
_observers: dict[Pool, list[Callable[[str], None]]] = {}


async def _driver(conn: AsyncConnection, sql: str) -> Any:
    for observe in _observers.get(conn.sync_engine.pool, ()):
        observe(sql)
    raw = await conn.get_raw_connection()
    driver = raw.driver_connection
    assert driver is not None
    return driver


async def fetch(conn: AsyncConnection, sql: str, *args: Any) -> list[Record]:
    """Run ``sql`` with positional ``$n`` arguments on ``conn``'s driver connection."""
    rows: list[Record] = await (await _driver(conn, sql)).fetch(sql, *args)
    return rows


# A compiled statement in the driver's form: its SQL and the names of its $1, $2, ...
Positional = tuple[str, tuple[str, ...]]
_compiled: dict[tuple[int, int], tuple[Executable, Positional]] = {}


def positional(stmt: Executable, dialect: Dialect) -> Positional:
    """``stmt`` (named ``:binds``) as its dialect renders it for the driver, once per stmt."""
    key = (id(stmt), id(dialect))
    found = _compiled.get(key)
    if found is not None and found[0] is stmt:
        return found[1]
    compiled = stmt.compile(dialect=dialect)  # type: ignore[attr-defined]
    result = (compiled.string, tuple(compiled.positiontup or ()))
    _compiled[key] = (stmt, result)
    return result


async def fetchval(conn: AsyncConnection, stmt: Executable, params: dict[str, Any]) -> Any:
    """The first column of the first row of ``stmt`` (None without a row), through the driver.

    Outside a transaction the driver runs it in autocommit: it commits by itself.
    """
    sql, names = positional(stmt, conn.dialect)
    return await (await _driver(conn, sql)).fetchval(sql, *[params[n] for n in names])


@contextmanager
def counted(engine: AsyncEngine) -> Iterator[list[str]]:
    """Collect every statement sent on ``engine`` while the block runs: through SQLAlchemy
    (its ``before_cursor_execute`` event) and through :func:`fetch`."""
    statements: list[str] = []

    def on_cursor(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        statements.append(statement)

    sync, pool = engine.sync_engine, engine.sync_engine.pool
    event.listen(sync, "before_cursor_execute", on_cursor)
    _observers.setdefault(pool, []).append(statements.append)
    try:
        yield statements
    finally:
        event.remove(sync, "before_cursor_execute", on_cursor)
        _observers[pool].remove(statements.append)
        if not _observers[pool]:
            del _observers[pool]
