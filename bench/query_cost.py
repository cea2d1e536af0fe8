"""Benchmark: the most expensive GraphQL queries the default cost limit admits, on a
demo-sized tenant (100 projects x 100 milestones, each milestone depending on up to two
earlier ones), and /healthz latency while one runs.

Run by hand (never part of ``make test``)::

    .venv/bin/python -m bench.query_cost [--runs 3]

It starts an embedded PostgreSQL (or uses ``DATABASE_URL``; then it creates and drops its
own database), seeds the tenant with COPY, serves it with ``charter serve`` in a separate
process (so the client's own work does not share the server's event loop) and reports,
per query, its cost, the median wall time and the /healthz latencies (median and max)
measured every 20 ms while the query runs; then shows the refusal of issue 10's query.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import socket
import statistics
import subprocess
import sys
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import asyncpg
import httpx

from app.api.auth import issue_token
from app.infra.migrations.runner import migrate
from app.infra.postgres.engine import make_engine
from bench.database import bench_database
from bench.seed import ORG, plain_dsn, seed_projects

SECRET = "bench-secret-" + "x" * 32
CHARTER = str(Path(sys.executable).parent / "charter")
QUERIES = {
    # Issue 10's shape (dependencies of dependents), scaled down until it is admitted.
    "nested dependencies, 30 x 100": """{ projects(first: 30) { edges { node {
        milestones(first: 100) { edges { node { name dependencies(first: 1) {
          predecessor { dependents(first: 1) { successor { name } } } } } } } } } } }""",
    # The README's portfolio query.
    "README portfolio, 5 x 100": """{ projects(first: 5) { edges { node { key
        milestones(first: 100) { edges { node {
          name dueDate forecastFinish totalFloatDays slippageDays
          dependencies { type lagDays predecessor { name } } } } }
        riskMatrix { cells suggestedContingency }
        risks(first: 10) { edges { node { title score severity expectedMonetaryValue } } }
      } } } }""",
    # Every milestone leaf of 20 projects.
    "milestone leaves, 20 x 100": """{ projects(first: 20) { edges { node {
        milestones(first: 100) { edges { node { id name status startDate dueDate
          completedOn progress plannedValue version } } } } } } }""",
}
REFUSED = """{ projects(first: 20) { edges { node { milestones(first: 100) { edges { node {
  dependencies { predecessor { dependents { successor { name } } } } } } } } } } }"""


async def seed(url: str, projects: int, per_project: int) -> None:
    engine = make_engine(url, pool_size=1)
    await migrate(engine)
    await engine.dispose()
    ids = await seed_projects(url, projects)
    rng = random.Random(11)
    now = datetime.now(UTC)
    milestones, links = [], []
    for pid in ids:
        mids = [uuid.uuid4() for _ in range(per_project)]
        for i, mid in enumerate(mids):
            start = date(2026, 1, 1) + timedelta(days=i)
            milestones.append(
                (mid, ORG, pid, f"M{i:03d}", start, start + timedelta(days=rng.randint(0, 9)))
            )
            for pred in {rng.randint(max(0, i - 5), i - 1) for _ in range(2)} if i else ():
                links.append((ORG, pid, mids[pred], mid, "finish_to_start", 0, now))
    conn = await asyncpg.connect(plain_dsn(url))
    try:
        await conn.executemany(
            "INSERT INTO milestones (id, org_id, project_id, name, start_date, due_date, status, "
            "progress, planned_value, version, created_at, updated_at) VALUES "
            "($1, $2, $3, $4, $5, $6, 'planned', 0, 1000, 1, now(), now())",
            milestones,
        )
        await conn.executemany(
            "INSERT INTO milestone_dependencies (org_id, project_id, predecessor_id, "
            "successor_id, type, lag_days, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
            links,
        )
        await conn.execute("ANALYZE")
    finally:
        await conn.close()
    print(f"tenant: {len(ids)} projects, {len(milestones)} milestones, {len(links)} dependencies")


async def _probe(base: str, done: asyncio.Event, latencies: list[float]) -> None:
    """GET /healthz every 20 ms until ``done``, recording each latency in ms."""
    async with httpx.AsyncClient(base_url=base) as client:
        while not done.is_set():
            t0 = time.perf_counter()
            await client.get("/healthz")
            latencies.append((time.perf_counter() - t0) * 1000)
            await asyncio.sleep(0.02)


async def measure(base: str, token: str, query: str, runs: int) -> None:
    auth = {"Authorization": f"Bearer {token}"}
    async with httpx.AsyncClient(base_url=base, timeout=60) as client:
        first = (await client.post("/graphql", json={"query": query}, headers=auth)).json()
        if "errors" in first:
            print("   refused:", first["errors"][0]["extensions"])
            return
        walls: list[float] = []
        health: list[float] = []
        for _ in range(runs):
            done = asyncio.Event()
            prober = asyncio.create_task(_probe(base, done, health))
            await asyncio.sleep(0.05)
            t0 = time.perf_counter()
            r = await client.post("/graphql", json={"query": query}, headers=auth)
            walls.append((time.perf_counter() - t0) * 1000)
            done.set()
            await prober
            assert "errors" not in r.json(), r.text[:300]
        print(
            f"   {statistics.median(walls):8.0f} ms median wall ({runs} runs, "
            f"{len(r.content) / 1e6:.1f} MB); /healthz meanwhile: median "
            f"{statistics.median(health):.0f} ms, max {max(health):.0f} ms"
        )


def _cost(query: str) -> int:
    from graphql import OperationDefinitionNode, parse

    from app.api.graphql.cost import query_cost
    from app.api.graphql.schema import build_schema

    document = parse(query)
    operation = next(d for d in document.definitions if isinstance(d, OperationDefinitionNode))
    return query_cost(build_schema()._schema, operation, {}, {})


async def measure_all(base: str, runs: int) -> None:
    token = issue_token(
        SECRET, org=ORG, sub="bench", roles=["viewer"], issuer="charter", audience="charter-api"
    )
    for label, query in [*QUERIES.items(), ("issue 10's query", REFUSED)]:
        print(f"{label}: cost {_cost(query)}")
        await measure(base, token, query, runs)


def serve_and_measure(url: str, runs: int) -> None:
    asyncio.run(seed(url, 100, 100))
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "DATABASE_URL": url, "CHARTER_JWT_SECRET": SECRET}
    server = subprocess.Popen(
        [CHARTER, "serve", "--port", str(port), "--no-access-log"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            try:
                if httpx.get(base + "/readyz").status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            time.sleep(0.5)
        asyncio.run(measure_all(base, runs))
    finally:
        server.terminate()
        server.wait(30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with bench_database("charter_bench_cost") as url:
        serve_and_measure(url, args.runs)


if __name__ == "__main__":
    main()
