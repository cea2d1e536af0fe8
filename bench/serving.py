"""What the in-process benchmarks share: counting a use case's SQL statements, and serving
the real app on loopback with a viewer's client for the length of a block."""

from __future__ import annotations

import asyncio
import tempfile
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
import uvicorn
from sqlalchemy.ext.asyncio import AsyncEngine

from app.api.auth import issue_token
from app.config import Settings
from app.infra.postgres.raw import counted
from app.main import create_app


async def count_statements(engine: AsyncEngine, use_case: Callable[[], Awaitable[Any]]) -> int:
    """Run ``use_case`` once and return how many SQL statements it sent (both kinds)."""
    with counted(engine) as statements:
        await use_case()
    return len(statements)


@asynccontextmanager
async def served(
    url: str, engine: AsyncEngine, secret: str, org: str, port: int, **overrides: Any
) -> AsyncIterator[httpx.AsyncClient]:
    """Serve Charter on 127.0.0.1:``port`` and yield a client holding a viewer's token."""
    settings = Settings(
        database_url=url, jwt_secret=secret, data_dir=Path(tempfile.gettempdir()), **overrides
    )
    app = create_app(settings, engine=engine)
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    serving = asyncio.create_task(server.serve())
    while not server.started:  # noqa: ASYNC110 - uvicorn exposes a flag, not an event
        await asyncio.sleep(0.05)
    token = issue_token(
        secret, org=org, sub="bench", roles=["viewer"], issuer="charter", audience="charter-api"
    )
    try:
        async with httpx.AsyncClient(
            base_url=f"http://127.0.0.1:{port}",
            headers={"Authorization": f"Bearer {token}"},
            timeout=60,
        ) as client:
            yield client
    finally:
        server.should_exit = True
        await serving
