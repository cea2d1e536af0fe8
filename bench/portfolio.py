"""Benchmark: GET /portfolio over 500 projects, each with 25 milestones, 10 risks and 50
ledger entries (goal: under 300 ms of server time).

Run by hand (never part of ``make test``)::

    .venv/bin/python -m bench.portfolio [--projects 500] [--runs 15]

It starts an embedded PostgreSQL in a temporary directory (or uses ``DATABASE_URL``; it then
creates and drops its own database), migrates it, seeds the organization with direct SQL
(milestones over the last 200 days and the next 50, their progress history and baseline
1, taken on entering execution, open risks
with review dates around today, budget and actual entries with their daily totals), and
reports medians of:

- ``use case``: the portfolio use case in process (its SQL and the health of every
  project), with the number of SQL statements it sends;
- ``REST``: GET /api/v1/portfolio over HTTP on localhost (httpx in the same process, so
  an upper bound of server time);
- ``GraphQL``: ``portfolio`` with the health, figures and top risks of every row.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import time
import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import asyncpg

from app.domain.common.clock import SystemClock
from app.domain.common.principal import Principal, Role
from app.domain.reporting.portfolio import PortfolioFilter, portfolio
from app.infra.migrations.runner import migrate
from app.infra.postgres.engine import make_engine
from app.infra.postgres.uow import SqlUnitOfWork
from bench.database import bench_database
from bench.schedule import median_ms
from bench.serving import count_statements, served

ORG = "bench-org"
SECRET = "bench-secret-" + "x" * 32
PORT = 8313
CATEGORIES = ("labour", "hardware", "software", "services", "cloud")
QUERY = """{ portfolio { project { key name phase } health { overall
  schedule { status } budget { status } risk { status } }
  budget actual eac cpi spi objectivesProgress nextMilestone { name dueDate }
  topRisks { title score } } }"""


async def seed(url: str, projects: int) -> None:
    rng = random.Random(13)
    conn = await asyncpg.connect("postgresql://" + url.removeprefix("postgresql+asyncpg://"))
    now = datetime.now(UTC)
    today = now.date()
    start = today - timedelta(days=200)
    try:
        pids = [uuid.uuid4() for _ in range(projects)]
        await conn.executemany(
            "INSERT INTO projects (id, org_id, key, name, business_area, currency, phase, "
            "start_date, target_end_date, no_known_risks, version, created_at, updated_at) "
            "VALUES ($1, $2, $3, $3, 'other', 'EUR', 'execution', $4, $5, false, 1, $6, $6)",
            [(p, ORG, f"P{n:04d}", start, start + timedelta(days=rng.randint(230, 300)), now)
             for n, p in enumerate(pids)],
        )  # fmt: skip
        milestones, progress, risks, entries = [], [], [], []
        for p in pids:
            for m in range(25):
                mid = uuid.uuid4()
                s = start + timedelta(days=10 * m)
                due = s + timedelta(days=9)
                done = due < today - timedelta(days=rng.randint(0, 20))
                pct = 100 if done else (rng.randint(0, 90) if s <= today else 0)
                status = "done" if done else "in_progress" if pct else "planned"
                milestones.append((mid, ORG, p, f"M{m:02d}", s, due, status, pct,
                                   due if done else None, Decimal(rng.randint(1, 20) * 1000), now))  # fmt: skip
                progress.append((ORG, p, mid, now - timedelta(days=1), pct, status))
            for _ in range(10):
                risks.append((uuid.uuid4(), ORG, p, "Risk", rng.randint(1, 5), rng.randint(1, 5),
                              today + timedelta(days=rng.randint(-10, 60)), now))  # fmt: skip
            for e in range(50):
                kind = "budget" if e < 5 else "actual"
                amount = Decimal(rng.randint(20, 60) * 1000 if kind == "budget" else
                                 rng.randint(500, 5000))  # fmt: skip
                day = start + timedelta(days=rng.randint(0, 199))
                entries.append(
                    (uuid.uuid4(), ORG, p, kind, rng.choice(CATEGORIES), amount, day, now)
                )
        await conn.executemany(
            "INSERT INTO milestones (id, org_id, project_id, name, start_date, due_date, status, "
            "progress, completed_on, planned_value, version, created_at, updated_at) VALUES "
            "($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 1, $11, $11)",
            milestones,
        )
        # Entering execution takes baseline 1: earned value measures against its snapshot.
        await conn.executemany(
            "INSERT INTO baselines (org_id, project_id, number, name, taken_by, taken_at) "
            "VALUES ($1, $2, 1, 'Entering execution', 'bench', $3)",
            [(ORG, p, now) for p in pids],
        )
        await conn.executemany(
            "INSERT INTO baseline_milestones (org_id, project_id, number, milestone_id, "
            "start_date, due_date, planned_value) VALUES ($1, $2, 1, $3, $4, $5, $6)",
            [(ORG, m[2], m[0], m[4], m[5], m[9]) for m in milestones],
        )
        await conn.executemany(
            "INSERT INTO milestone_progress (org_id, project_id, milestone_id, at, progress, "
            "status) VALUES ($1, $2, $3, $4, $5, $6)",
            progress,
        )
        await conn.executemany(
            "INSERT INTO risks (id, org_id, project_id, title, category, probability, impact, "
            "response, review_on, status, version, created_at, updated_at) VALUES "
            "($1, $2, $3, $4, 'technical', $5, $6, 'mitigate', $7, 'open', 1, $8, $8)",
            risks,
        )
        await conn.executemany(
            "INSERT INTO ledger_entries (id, org_id, project_id, currency, kind, category, "
            "amount, occurred_on, created_by, created_at) VALUES "
            "($1, $2, $3, 'EUR', $4, $5, $6, $7, 'bench', $8)",
            entries,
        )
        # The totals the posting use case keeps, derived from the entries in one go.
        await conn.execute(
            "INSERT INTO ledger_daily_totals (org_id, project_id, day, category, slot, budget, "
            "commitments, actual, open_commitments) SELECT org_id, project_id, occurred_on, "
            "category, 0, coalesce(sum(amount) FILTER (WHERE kind = 'budget'), 0), 0, "
            "coalesce(sum(amount) FILTER (WHERE kind = 'actual'), 0), 0 FROM ledger_entries "
            "GROUP BY org_id, project_id, occurred_on, category"
        )
        await conn.execute(
            "INSERT INTO ledger_totals (org_id, project_id, slot, budget, actual, entries) "
            "SELECT org_id, project_id, 0, sum(amount) FILTER (WHERE kind = 'budget'), "
            "sum(amount) FILTER (WHERE kind = 'actual'), count(*) FROM ledger_entries "
            "GROUP BY org_id, project_id"
        )
        await conn.execute("ANALYZE")
    finally:
        await conn.close()


async def median_cpu_ms(call: Callable[[], Awaitable[Any]], runs: int) -> float:
    """The median CPU time of this process per call: the served app's work (and the
    in-process client's), whatever other processes on the machine take meanwhile."""
    times = []
    for _ in range(runs):
        t0 = time.process_time()
        await call()
        times.append((time.process_time() - t0) * 1000)
    return statistics.median(times)


async def run(url: str, projects: int, runs: int) -> None:
    engine = make_engine(url, pool_size=4)
    await migrate(engine)
    await seed(url, projects)
    principal = Principal("bench", ORG, frozenset({Role.VIEWER}))
    clock = SystemClock()

    async def use_case() -> None:
        await portfolio(
            PortfolioFilter(), uow=SqlUnitOfWork(engine), principal=principal, clock=clock
        )

    print(f"use case: {await count_statements(engine, use_case)} SQL statements")

    try:
        async with served(url, engine, SECRET, ORG, PORT) as client:

            async def rest() -> None:
                (await client.get("/api/v1/portfolio")).raise_for_status()

            async def graphql() -> None:
                r = await client.post("/graphql", json={"query": QUERY})
                r.raise_for_status()
                assert "errors" not in r.json(), r.text[:500]

            body = (await client.get("/api/v1/portfolio")).json()
            colours: dict[str, int] = {}
            for row in body["items"]:
                colours[row["health"]["overall"]] = colours.get(row["health"]["overall"], 0) + 1
            print(f"portfolio: {len(body['items'])} rows, overall health {colours}")
            for label, call in (("use case", use_case), ("REST", rest), ("GraphQL", graphql)):
                med, lo, hi = await median_ms(call, runs)
                cpu = await median_cpu_ms(call, runs)
                print(
                    f"{label:>9}: median {med:7.1f} ms  (min {lo:.1f}, max {hi:.1f}, {runs} runs)"
                    f"  CPU median {cpu:6.1f} ms"
                )
    finally:
        await engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--projects", type=int, default=500)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    with bench_database("charter_bench_portfolio") as url:
        asyncio.run(run(url, args.projects, args.runs))


if __name__ == "__main__":
    main()
