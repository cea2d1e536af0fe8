"""The async engine: asyncpg under SQLAlchemy, with short timeouts so outages fail fast."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine
from sqlalchemy.pool import NullPool

from app.infra.postgres import faults


def async_url(url: str) -> str:
    """Accept ``postgresql://`` and ``postgres://`` as well as ``postgresql+asyncpg://``."""
    for prefix in ("postgresql+asyncpg://", "postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+asyncpg://" + url[len(prefix) :]
    raise ValueError("DATABASE_URL must be a postgresql:// URL")


@dataclass(frozen=True)
class Timeouts:
    """Bounds on waiting, in milliseconds; None leaves the server's own default (none)."""

    statement_ms: int | None = None
    lock_ms: int | None = None
    pool_ms: int = 10_000
    connect_ms: int = 5_000


def make_engine(
    url: str,
    *,
    pool_size: int = 10,
    read_only: bool = False,
    timeouts: Timeouts | None = None,
) -> AsyncEngine:
    """The engine for commands, or with ``read_only`` the engine for queries.

    The read-only engine runs each statement on its own (AUTOCOMMIT: no BEGIN/COMMIT
    round trips, so a one-statement read costs one round trip), and its sessions have
    ``default_transaction_read_only`` on, so a write sent through it by mistake fails
    instead of committing. Under PostgreSQL's default READ COMMITTED every statement
    takes its own snapshot inside a transaction too, so reads see the same data.

    ``timeouts`` go into every session at connect (no round trip per request); the
    service's engines set them, migrations (``charter migrate``) do not.
    """
    bounds = timeouts or Timeouts()
    server_settings = {"application_name": "charter-read" if read_only else "charter"}
    if read_only:
        server_settings["default_transaction_read_only"] = "on"
    if bounds.statement_ms is not None:
        server_settings["statement_timeout"] = str(bounds.statement_ms)
    if bounds.lock_ms is not None:
        server_settings["lock_timeout"] = str(bounds.lock_ms)
    # The client's own bound stays past the server's, which cancels more cleanly; a
    # statement timeout of 0 (none, as in PostgreSQL) means no client bound either.
    command_s: float | None = 30.0
    if bounds.statement_ms is not None:
        command_s = bounds.statement_ms / 1000 + 5 if bounds.statement_ms else None
    engine = create_async_engine(
        async_url(url),
        pool_size=pool_size,
        max_overflow=pool_size,
        pool_timeout=bounds.pool_ms / 1000,
        pool_recycle=1800,
        isolation_level="AUTOCOMMIT" if read_only else None,
        connect_args={
            "timeout": bounds.connect_ms / 1000,
            "command_timeout": command_s,
            "server_settings": server_settings,
        },
    )
    faults.install(engine)
    return engine


def make_probe_engine(url: str, *, timeout_ms: int) -> AsyncEngine:
    """An engine for readiness checks: a new connection per check, bounded by ``timeout_ms``.

    Nothing is pooled, so no connection outlives a check and none can be stale: a check
    sees the database as it is now (and costs a connect, a few milliseconds).
    """
    return create_async_engine(
        async_url(url),
        poolclass=NullPool,
        connect_args={
            "timeout": timeout_ms / 1000,
            "command_timeout": timeout_ms / 1000,
            "server_settings": {"application_name": "charter-ready"},
        },
    )
