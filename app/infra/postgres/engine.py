"""The async engine: asyncpg under SQLAlchemy, with short timeouts so outages fail fast."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine


def async_url(url: str) -> str:
    """Accept ``postgresql://`` and ``postgres://`` as well as ``postgresql+asyncpg://``."""
    for prefix in ("postgresql+asyncpg://", "postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+asyncpg://" + url[len(prefix) :]
    raise ValueError("DATABASE_URL must be a postgresql:// URL")


def make_engine(url: str, *, pool_size: int = 10) -> AsyncEngine:
    return create_async_engine(
        async_url(url),
        pool_size=pool_size,
        max_overflow=pool_size,
        pool_timeout=10,
        pool_recycle=1800,
        connect_args={
            "timeout": 5,
            "command_timeout": 30,
            "server_settings": {"application_name": "charter"},
        },
    )
