"""Fault-test fixtures: a PostgreSQL of their own and ``charter serve`` processes over it.

These tests run with ``make test-faults`` (``-m faults``), not in ``make test``.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import asyncpg
import pytest

from tests.faults.cluster import Cluster
from tests.faults.service import Service


@pytest.fixture(scope="module")
def cluster() -> Iterator[Cluster]:
    server = Cluster()
    try:
        server.init()
        server.start()
        yield server
    finally:
        server.destroy()


@pytest.fixture
def database(cluster: Cluster) -> str:
    """A fresh database on the cluster (the cluster must be up when the test starts)."""
    name = f"charter_{uuid.uuid4().hex[:8]}"

    async def create() -> None:
        conn = await asyncpg.connect(cluster.url)
        try:
            await conn.execute(f'CREATE DATABASE "{name}"')
        finally:
            await conn.close()

    asyncio.run(create())
    return cluster.url.rsplit("/", 1)[0] + "/" + name


@pytest.fixture
def serve(database: str, tmp_path: Path) -> Iterator[Callable[..., Service]]:
    """Start ``charter serve`` on the test's database, with settings as keyword arguments."""
    started: list[Service] = []

    def start(**settings: str) -> Service:
        service = Service(database, tmp_path, **settings)
        service.start()
        started.append(service)
        return service

    yield start
    for service in started:
        service.stop()
