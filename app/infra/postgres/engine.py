"""The async engine: asyncpg under SQLAlchemy, with short timeouts so outages fail fast."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine


def async_url(url: str) -> str:
    """Accept ``postgresql://`` and ``postgres://`` as well as ``postgresql+asyncpg://``."""
    for prefix in ("postgresql+asyncpg://", "postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+asyncpg://" + url[len(prefix) :]
    raise ValueError("DATABASE_URL must be a postgresql:// URL")


def make_engine(url: str, *, pool_size: int = 10, read_only: bool = False) -> AsyncEngine:
    """The engine for commands, or with ``read_only`` the engine for queries.

    The read-only engine runs each statement on its own (AUTOCOMMIT: no BEGIN/COMMIT
    round trips, so a one-statement read costs one round trip), and its sessions have
    ``default_transaction_read_only`` on, so a write sent through it by mistake fails
    instead of committing. Under PostgreSQL's default READ COMMITTED every statement
    takes its own snapshot inside a transaction too, so reads see the same data.
    """
    server_settings = {"application_name": "charter-read" if read_only else "charter"}
    if read_only:
        server_settings["default_transaction_read_only"] = "on"
    return create_async_engine(
        async_url(url),
        pool_size=pool_size,
        max_overflow=pool_size,
        pool_timeout=10,
        pool_recycle=1800,
        isolation_level="AUTOCOMMIT" if read_only else None,
        connect_args={
            "timeout": 5,
            "command_timeout": 30,
            "server_settings": server_settings,
        },
    )
