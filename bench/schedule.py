"""Benchmark: GET /schedule for one project with 2,000 milestones and 6,000 dependencies.

Run by hand (never part of ``make test``)::

    .venv/bin/python -m bench.schedule [--milestones 2000] [--dependencies 6000] [--runs 15]

It starts an embedded PostgreSQL in a temporary directory (or uses ``DATABASE_URL`` when
set; it then creates and drops its own database), migrates it, seeds one project with
direct SQL, serves the real app with uvicorn on 127.0.0.1:8311 and reports medians of:

- ``compute``: the domain's critical-path computation alone (data already in memory);
- ``use case``: the get_schedule use case (three reads over SQL + compute), in process;
- ``request``: GET /api/v1/projects/{id}/schedule over HTTP on localhost, end to end
  (the httpx client shares the process, so this is an upper bound of server time).

All three are measured while the app is serving, after its startup (which freezes the
startup objects out of the garbage collector's full collections, as in production).
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import uvicorn

from app.api.auth import issue_token
from app.config import Settings
from app.domain.common.principal import Principal, Role
from app.domain.milestones import network
from app.domain.milestones.model import DependencyType
from app.domain.milestones.schedule import compute_schedule
from app.infra.migrations.runner import migrate
from app.infra.postgres.engine import make_engine
from app.infra.postgres.uow import SqlUnitOfWork
from app.main import create_app
from bench.database import bench_database

ORG = "bench-org"
SECRET = "bench-secret-" + "x" * 32
PORT = 8311


async def seed(url: str, milestones: int, dependencies: int) -> uuid.UUID:
    """Insert one project with a random DAG: each edge goes from a lower to a higher index."""
    rng = random.Random(42)
    conn = await asyncpg.connect("postgresql://" + url.removeprefix("postgresql+asyncpg://"))
    now = datetime.now(UTC)
    project_id = uuid.uuid4()
    try:
        await conn.execute(
            "INSERT INTO projects (id, org_id, key, name, business_area, currency, phase, "
            "no_known_risks, version, created_at, updated_at) VALUES "
            "($1, $2, 'BENCH', 'Benchmark', 'other', 'EUR', 'planning', false, 1, $3, $3)",
            project_id,
            ORG,
            now,
        )
        ids = [uuid.uuid4() for _ in range(milestones)]
        start = date(2026, 1, 1)
        rows = []
        for i, mid in enumerate(ids):
            s = start + timedelta(days=i // 10)
            rows.append(
                (mid, ORG, project_id, f"M{i:04d}", s, s + timedelta(days=rng.randint(0, 20)), now)
            )
        await conn.executemany(
            "INSERT INTO milestones (id, org_id, project_id, name, start_date, due_date, status, "
            "progress, planned_value, version, created_at, updated_at) VALUES "
            "($1, $2, $3, $4, $5, $6, 'planned', 0, 1000, 1, $7, $7)",
            rows,
        )
        pairs: set[tuple[int, int]] = set()
        while len(pairs) < dependencies:
            succ = rng.randint(1, milestones - 1)
            pred = rng.randint(max(0, succ - 50), succ - 1)  # mostly local links, like real plans
            pairs.add((pred, succ))
        kinds = [t.value for t in DependencyType]
        await conn.executemany(
            "INSERT INTO milestone_dependencies (org_id, project_id, predecessor_id, "
            "successor_id, type, lag_days, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
            [
                (ORG, project_id, ids[p], ids[s], rng.choice(kinds), rng.randint(-2, 5), now)
                for p, s in sorted(pairs)
            ],
        )
        await conn.execute("ANALYZE")
    finally:
        await conn.close()
    return project_id


async def median_ms(call: Callable[[], Awaitable[Any]], runs: int) -> tuple[float, float, float]:
    """Return (median, min, max) milliseconds over ``runs`` after two warm-up calls."""
    for _ in range(2):
        await call()
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        await call()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times), min(times), max(times)


async def run(url: str, milestones: int, dependencies: int, runs: int) -> None:
    engine = make_engine(url, pool_size=4)
    await migrate(engine)
    project_id = await seed(url, milestones, dependencies)
    principal = Principal("bench", ORG, frozenset({Role.VIEWER}))

    async with SqlUnitOfWork(engine) as uow:
        ms = await uow.milestones.schedule_items(ORG, [project_id])
        ds = await uow.dependencies.links(ORG, [project_id])

    async def compute() -> None:
        compute_schedule(ms, ds)

    async def use_case() -> None:
        await network.get_schedule(project_id, None, uow=SqlUnitOfWork(engine), principal=principal)

    settings = Settings(database_url=url, jwt_secret=SECRET, data_dir=Path(tempfile.gettempdir()))
    app = create_app(settings, engine=engine)
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=PORT, log_level="warning"))
    serving = asyncio.create_task(server.serve())
    while not server.started:  # noqa: ASYNC110 - uvicorn exposes a flag, not an event
        await asyncio.sleep(0.05)
    token = issue_token(
        SECRET, org=ORG, sub="bench", roles=["viewer"], issuer="charter", audience="charter-api"
    )
    try:
        async with httpx.AsyncClient(
            base_url=f"http://127.0.0.1:{PORT}", headers={"Authorization": f"Bearer {token}"}
        ) as client:
            path = f"/api/v1/projects/{project_id}/schedule"

            async def request() -> None:
                r = await client.get(path)
                r.raise_for_status()

            first = (await client.get(path)).json()
            print(
                f"project: {len(ms)} milestones, {len(ds)} dependencies; "
                f"critical path {len(first['critical_path'])}, finish {first['forecast_finish']}"
            )
            for label, call in (("compute", compute), ("use case", use_case), ("request", request)):
                med, lo, hi = await median_ms(call, runs)
                print(
                    f"{label:>9}: median {med:7.1f} ms  (min {lo:.1f}, max {hi:.1f}, {runs} runs)"
                )
    finally:
        server.should_exit = True
        await serving
        await engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--milestones", type=int, default=2000)
    parser.add_argument("--dependencies", type=int, default=6000)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    with bench_database() as url:
        asyncio.run(run(url, args.milestones, args.dependencies, args.runs))


if __name__ == "__main__":
    main()
