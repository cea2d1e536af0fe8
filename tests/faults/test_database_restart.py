"""The database goes away under load and comes back: only 503s meanwhile, never a 500."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import pytest

from tests.faults.cluster import Cluster
from tests.faults.load import Load, check_ledgers, seed_projects
from tests.faults.service import Service, admin_headers

pytestmark = pytest.mark.faults

OK = {200, 201, 503}
AWAY_SECONDS = 2.0


@pytest.mark.parametrize("mode", ["immediate", "fast"])
async def test_a_database_restart_costs_503s_only_and_the_service_recovers_at_once(
    mode: str, cluster: Cluster, database: str, serve: Callable[..., Service]
) -> None:
    service = serve()
    org, headers = admin_headers()
    load = Load(service.url, headers, await seed_projects(service.url, headers, 3))
    clients = [
        *(asyncio.create_task(load.reader()) for _ in range(4)),
        *(asyncio.create_task(load.poster()) for _ in range(4)),
        asyncio.create_task(load.watch_readiness()),
    ]
    await asyncio.sleep(1.5)
    lost = await asyncio.to_thread(cluster.stop, mode)
    down = asyncio.get_running_loop().time()  # same clock as time.monotonic()
    await asyncio.sleep(AWAY_SECONDS)
    restarting = asyncio.get_running_loop().time()  # it may accept before pg_ctl says so
    back = await asyncio.to_thread(cluster.start)
    await asyncio.sleep(3)
    load.done.set()
    await asyncio.gather(*clients)

    assert not load.unexpected(OK), load.unexpected(OK)[:5]
    statuses = load.statuses()
    away = {a.status for a in load.between(down, restarting)}
    assert away == {503}, f"only 503s while the database is away, not {away}"
    assert statuses[503] > 0 and statuses[200] > 0 and statuses[201] > 0
    recovery = max(0.0, load.last_failure_end() - back)
    assert recovery < 2.0, f"503s went on {recovery:.2f} s after the database was back"
    not_ready = load.readiness_change(lost, 503)
    ready = load.readiness_change(back, 200)
    assert not_ready is not None and ready is not None
    assert not_ready - lost < 1.0 and ready - back < 1.0
    checked = await check_ledgers(load, database, org)
    print(
        f"\nrestart ({mode}): {dict(statuses)}; recovered {recovery:.2f} s after the database; "
        f"/readyz 503 after {not_ready - lost:.2f} s, 200 after {ready - back:.2f} s; {checked}"
    )
