"""Report a connection pool's numbers whenever a connection is lent or returned."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine

# checked out, size, overflow (beyond the size; negative while the pool is not yet full)
PoolReport = Callable[[int, int, int], None]


def watch_pool(engine: AsyncEngine, report: PoolReport) -> bool:
    """Call ``report`` now and on each checkout and checkin; False for a pool without sizes
    (NullPool: a connection per use, nothing to report)."""
    pool: Any = engine.sync_engine.pool
    if not all(hasattr(pool, attr) for attr in ("checkedout", "size", "overflow")):
        return False

    def lent(*_: object) -> None:
        report(pool.checkedout(), pool.size(), pool.overflow())

    def returned(*_: object) -> None:
        # Called just before the pool takes the connection back: one fewer is out. (An
        # overflow connection closed on its return leaves the overflow one too high until
        # the next checkout or checkin.)
        report(pool.checkedout() - 1, pool.size(), pool.overflow())

    event.listen(pool, "checkout", lent)
    event.listen(pool, "checkin", returned)
    lent()
    return True
