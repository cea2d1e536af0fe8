"""A process dies mid-postings (the service, or PostgreSQL's postmaster): clients that retry
each posting with its Idempotency-Key end with exactly one entry per key and exact totals."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import pytest

from tests.faults.cluster import Cluster
from tests.faults.load import Load, check_ledgers, seed_projects
from tests.faults.service import Service, admin_headers

pytestmark = pytest.mark.faults


async def test_killing_the_service_mid_postings_loses_nothing_and_doubles_nothing(
    database: str, serve: Callable[..., Service]
) -> None:
    service = serve()
    org, headers = admin_headers()
    load = Load(service.url, headers, await seed_projects(service.url, headers, 3))
    posters = [asyncio.create_task(load.poster()) for _ in range(6)]
    for _ in range(2):
        await asyncio.sleep(1.5)
        await asyncio.to_thread(service.kill)
        await asyncio.sleep(0.5)
        await asyncio.to_thread(service.start)
    await asyncio.sleep(1.5)
    load.done.set()
    await asyncio.gather(*posters)

    statuses = load.statuses()
    # Dead, it answers nothing (connection errors); alive, every posting is created.
    assert all(s == 201 or str(s).startswith("transport:") for s in statuses), statuses
    assert any(str(s).startswith("transport:") for s in statuses), "the kill hit no request"
    checked = await check_ledgers(load, database, org)
    print(f"\nservice killed twice: {dict(statuses)}; {checked}")


async def test_killing_postgresql_mid_postings_loses_nothing_and_doubles_nothing(
    cluster: Cluster, database: str, serve: Callable[..., Service]
) -> None:
    service = serve()
    org, headers = admin_headers()
    load = Load(service.url, headers, await seed_projects(service.url, headers, 3))
    posters = [asyncio.create_task(load.poster()) for _ in range(6)]
    readers = [asyncio.create_task(load.reader()) for _ in range(2)]
    await asyncio.sleep(1.5)
    await asyncio.to_thread(cluster.kill)
    await asyncio.sleep(1.0)
    back = await asyncio.to_thread(cluster.start)  # crash recovery, then accepting again
    await asyncio.sleep(3)
    load.done.set()
    await asyncio.gather(*posters, *readers)

    statuses = load.statuses()
    assert not load.unexpected({200, 201, 503}), load.unexpected({200, 201, 503})[:5]
    assert statuses[503] > 0
    recovery = max(0.0, load.last_failure_end() - back)
    assert recovery < 2.0, f"503s went on {recovery:.2f} s after the database was back"
    checked = await check_ledgers(load, database, org)
    print(f"\npostmaster killed: {dict(statuses)}; recovered {recovery:.2f} s after; {checked}")
