"""Benchmark: the organization-wide workload over 52 weeks for 1,000 people and 3,000 assignments.

Run by hand (never part of ``make test``)::

    .venv/bin/python -m bench.workload [--people 1000] [--assignments 3000] [--runs 15]

It starts an embedded PostgreSQL in a temporary directory (or uses ``DATABASE_URL`` when
set; it then creates and drops its own database), migrates it, seeds 50 projects, the
people and their assignments with direct SQL (random dates over the year, 2 to 26 weeks
long, 10-100 %), serves the real app with uvicorn on 127.0.0.1:8312 and reports medians of:

- ``compute``: the domain's workload of everyone over 52 weeks and its ordering (in memory);
- ``use case``: organization_workload (its reads over SQL + compute), in process, with the
  number of SQL statements it sends;
- ``REST page``: GET /api/v1/workload?from=&to= (the first page of 50 people, their loaded
  weeks and the assignments in each) over HTTP on localhost, end to end;
- ``REST all``: every page of 100 walked by cursor (the whole organization);
- ``GraphQL``: the ``workload(from, to, first: 50)`` query with the same fields.

The httpx client shares the process, so the HTTP figures are an upper bound of server time.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import uuid
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import asyncpg

from app.domain.common.paging import PageRequest
from app.domain.common.principal import Principal, Role
from app.domain.team import workload_service
from app.domain.team.workload import organization_load, week_range
from app.infra.migrations.runner import migrate
from app.infra.postgres.engine import make_engine
from app.infra.postgres.uow import SqlUnitOfWork
from bench.database import bench_database
from bench.schedule import median_ms
from bench.serving import count_statements, served

ORG = "bench-org"
SECRET = "bench-secret-" + "x" * 32
PORT = 8312
START = date(2027, 1, 4)  # a Monday: 2027-W01
END = START + timedelta(weeks=52, days=-1)
QUERY = """query($after: String) { workload(from: "START", to: "END", first: 50, after: $after) {
  edges { node { personId name overAllocated peakLoadPercent
    weeks { week loadPercent hours overAllocated assignments { assignmentId projectKey percent } } } }
  pageInfo { hasNextPage endCursor } } }""".replace("START", str(START)).replace("END", str(END))


async def seed(url: str, people: int, assignments: int) -> None:
    rng = random.Random(12)
    conn = await asyncpg.connect("postgresql://" + url.removeprefix("postgresql+asyncpg://"))
    now = datetime.now(UTC)
    try:
        projects = [uuid.uuid4() for _ in range(50)]
        await conn.executemany(
            "INSERT INTO projects (id, org_id, key, name, business_area, currency, phase, "
            "no_known_risks, version, created_at, updated_at) VALUES "
            "($1, $2, $3, $3, 'other', 'EUR', 'execution', false, 1, $4, $4)",
            [(p, ORG, f"P{n:03d}", now) for n, p in enumerate(projects)],
        )
        persons = [uuid.uuid4() for _ in range(people)]
        await conn.executemany(
            "INSERT INTO people (id, org_id, name, email, weekly_capacity_hours, version, "
            "created_at, updated_at) VALUES ($1, $2, $3, $4, $5, 1, $6, $6)",
            [
                (p, ORG, f"Person {n:04d}", f"p{n}@example.com", Decimal(rng.choice((32, 40))), now)
                for n, p in enumerate(persons)
            ],
        )
        rows = []
        for _ in range(assignments):
            start = START + timedelta(days=rng.randint(-30, 360))
            end = start + timedelta(days=rng.randint(14, 182))
            rows.append((uuid.uuid4(), ORG, rng.choice(projects), rng.choice(persons), "Developer",
                         rng.randint(10, 100), start, end, now))  # fmt: skip
        await conn.executemany(
            "INSERT INTO assignments (id, org_id, project_id, person_id, role, "
            "allocation_percent, start_date, end_date, version, created_at, updated_at) "
            "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 1, $9, $9)",
            rows,
        )
        await conn.execute("ANALYZE")
    finally:
        await conn.close()


async def run(url: str, people: int, assignments: int, runs: int) -> None:
    engine = make_engine(url, pool_size=4)
    await migrate(engine)
    await seed(url, people, assignments)
    principal = Principal("bench", ORG, frozenset({Role.VIEWER}))
    span = week_range(START, END)
    async with SqlUnitOfWork(engine) as uow:
        allocations = await uow.assignments.allocations(ORG, span)
        roster = await uow.assignments.roster(ORG)
    capacities = {m.person_id: m.capacity_hours for m in roster}

    async def compute() -> None:
        loads = organization_load(capacities, allocations, span)
        sorted(loads, key=lambda ld: (not ld.over_allocated, -ld.peak_fifths))

    async def use_case() -> None:
        await workload_service.organization_workload(
            START, END, PageRequest(), uow=SqlUnitOfWork(engine), principal=principal
        )

    print(f"use case: {await count_statements(engine, use_case)} SQL statements")

    try:
        # The measured query asks for 50 people's 53 weeks: over the default query cost.
        async with served(url, engine, SECRET, ORG, PORT, graphql_max_cost=200_000) as client:
            path = f"/api/v1/workload?from={START}&to={END}"

            async def page() -> None:
                (await client.get(path)).raise_for_status()

            async def walk() -> None:
                cursor: str | None = None
                while True:
                    r = await client.get(
                        path + "&limit=100" + (f"&cursor={cursor}" if cursor else "")
                    )
                    r.raise_for_status()
                    cursor = r.json()["next_cursor"]
                    if cursor is None:
                        return

            async def graphql() -> None:
                r = await client.post("/graphql", json={"query": QUERY})
                r.raise_for_status()
                assert "errors" not in r.json(), r.text

            first = (await client.get(path)).json()
            over = sum(1 for p in first["items"] if p["over_allocated"])
            print(
                f"organization: {people} people, {len(allocations)} assignments in "
                f"{span.weeks} weeks; first page: {len(first['items'])} people, {over} "
                f"over-allocated, {sum(len(p['weeks']) for p in first['items'])} loaded weeks"
            )
            for label, call in (
                ("compute", compute),
                ("use case", use_case),
                ("REST page", page),
                ("REST all", walk),
                ("GraphQL", graphql),
            ):
                med, lo, hi = await median_ms(call, runs)
                print(
                    f"{label:>9}: median {med:7.1f} ms  (min {lo:.1f}, max {hi:.1f}, {runs} runs)"
                )
    finally:
        await engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=1000)
    parser.add_argument("--assignments", type=int, default=3000)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    with bench_database("charter_bench_workload") as url:
        asyncio.run(run(url, args.people, args.assignments, args.runs))


if __name__ == "__main__":
    main()
