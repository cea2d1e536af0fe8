"""Benchmark: the frontend's dashboard query, Charter against a hand-written reference.

Run by hand (never part of ``make test``)::

    .venv/bin/python -m bench.dashboard                  # 20 x 25, then 100 x 50
    .venv/bin/python -m bench.dashboard --sizes 20x25 --rounds 3 --duration 10

For each size (projects x milestones) it seeds a tenant (``bench.dashboard_seed``: each
project in execution with its milestones in a finish-to-start chain, baseline 1 and 5
risks), serves Charter (``uvicorn app.main:app_factory``) and the reference
(``uvicorn bench.dashboard:app``) each in its own process with one worker and the same
pool size, checks that both answer the query below with the same bytes, then loads each
in alternating slices (``bench.load``, as ``bench.run`` does) and prints requests per
second, latencies and the ours/reference ratio per round, the median last (goal: >= 0.4).

The reference does the same work without Charter's layers: the same ten statements as
Charter sends for the query (asyncpg, ``= ANY`` arrays, a window per project for the
pages), the domain's critical-path function (``compute_schedule``: the schedule is the
work, not overhead) and severity and EMV rules, plain dicts and ``json.dumps``; the same
JWT checks and the same cache of verified tokens as ``bench.reference``. It answers only
this query, recognised by its text, with ``first`` taken from the query's literals.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import statistics
import tempfile
import uuid
from collections.abc import AsyncIterator
from contextlib import ExitStack, asynccontextmanager
from decimal import Decimal
from typing import Any

import asyncpg
import httpx
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from app.api.auth import issue_token
from app.domain.common.money import at_minor_unit
from app.domain.milestones.model import DependencyType, MilestoneStatus
from app.domain.milestones.schedule import NetworkLink, ScheduleItem, compute_schedule
from app.domain.risks.model import LIKELIHOOD, LIVE, severity_of
from bench import load
from bench.dashboard_seed import ORG, seed_dashboard
from bench.database import bench_database
from bench.reference import verified_org
from bench.seed import plain_dsn

GOAL = 0.4
SECRET = "bench-secret-" + "x" * 32


def dashboard_query(projects: int, milestones: int) -> str:
    return (
        f"{{ projects(first: {projects}) {{ edges {{ node {{ key name phase\n"
        f"    milestones(first: {milestones}) {{ edges {{ node {{ name dueDate forecastFinish "
        "totalFloatDays\n      slippageDays dependencies { type lagDays predecessor { name } } "
        "} } }\n    risks(first: 5) { edges { node { title score severity "
        "expectedMonetaryValue } } }\n    riskMatrix { cells suggestedContingency } } } } }"
    )


QUERY_SHAPE = re.compile(
    re.escape(dashboard_query(999_991, 999_992))
    .replace("999991", r"(?P<projects>\d+)")
    .replace("999992", r"(?P<milestones>\d+)")
)

# --- the reference -------------------------------------------------------------------

PROJECTS_SQL = (
    "SELECT id, key, name, phase FROM projects WHERE org_id = $1 "
    "ORDER BY key ASC NULLS LAST, id ASC NULLS LAST LIMIT $2"
)
MILESTONES_SQL = (
    "SELECT id, project_id, name, due_date FROM (SELECT id, project_id, name, due_date, "
    "row_number() OVER (PARTITION BY project_id ORDER BY start_date, id) AS rank "
    "FROM milestones WHERE org_id = $1 AND project_id = ANY($2::uuid[])) AS m "
    "WHERE rank <= $3 ORDER BY project_id, rank"
)
CURRENCY_SQL = "SELECT id, currency FROM projects WHERE org_id = $1 AND id = ANY($2::uuid[])"
ITEMS_SQL = (
    "SELECT id, project_id, name, start_date, due_date, status, completed_on "
    "FROM milestones WHERE org_id = $1 AND project_id = ANY($2::uuid[])"
)
PREDECESSORS_SQL = (
    "SELECT successor_id, predecessor_id, type, lag_days FROM milestone_dependencies "
    "WHERE org_id = $1 AND successor_id = ANY($2::uuid[]) ORDER BY created_at, predecessor_id"
)
RISKS_SQL = (
    "SELECT project_id, title, score, probability, cost_impact FROM (SELECT project_id, title, "
    "score, probability, cost_impact, row_number() OVER (PARTITION BY project_id "
    "ORDER BY score DESC NULLS FIRST, id DESC NULLS FIRST) AS rank FROM risks "
    "WHERE org_id = $1 AND project_id = ANY($2::uuid[])) AS r "
    "WHERE rank <= $3 ORDER BY project_id, rank"
)
LIVE_SQL = (
    "SELECT project_id, probability, impact, cost_impact FROM risks "
    "WHERE org_id = $1 AND project_id = ANY($2::uuid[]) AND status = ANY($3::text[])"
)
LINKS_SQL = (
    "SELECT project_id, predecessor_id, successor_id, type, lag_days FROM milestone_dependencies "
    "WHERE org_id = $1 AND project_id = ANY($2::uuid[])"
)
NUMBERS_SQL = (
    "SELECT project_id, max(number) FROM baselines "
    "WHERE org_id = $1 AND project_id = ANY($2::uuid[]) GROUP BY project_id"
)
SNAPSHOTS_SQL = (
    "SELECT milestone_id, due_date FROM baseline_milestones WHERE org_id = $1 "
    "AND (project_id, number) IN (SELECT * FROM unnest($2::uuid[], $3::int[]))"
)
LIVE_STATUSES = sorted(s.value for s in LIVE)
STATUS = {s.value: s for s in MilestoneStatus}
TYPES = {t.value: t for t in DependencyType}
pool: asyncpg.Pool | None = None


def _money(value: Decimal) -> str:
    return format(value, "f")


async def answer(org: str, first_projects: int, first_milestones: int) -> dict[str, Any]:
    assert pool is not None
    async with pool.acquire() as c:
        projects = (await c.fetch(PROJECTS_SQL, org, first_projects + 1))[:first_projects]
        ids = [p["id"] for p in projects]
        ms = await c.fetch(MILESTONES_SQL, org, ids, first_milestones)
        currency = {r[0]: r[1] for r in await c.fetch(CURRENCY_SQL, org, ids)}
        items = await c.fetch(ITEMS_SQL, org, ids)
        preds = await c.fetch(PREDECESSORS_SQL, org, [m["id"] for m in ms])
        risks = await c.fetch(RISKS_SQL, org, ids, 5)
        live = await c.fetch(LIVE_SQL, org, ids, LIVE_STATUSES)
        links = await c.fetch(LINKS_SQL, org, ids)
        numbers = {r[0]: r[1] for r in await c.fetch(NUMBERS_SQL, org, ids)}
        due = await c.fetch(SNAPSHOTS_SQL, org, list(numbers), list(numbers.values()))
    baseline_due = {r[0]: r[1] for r in due}
    per_items: dict[uuid.UUID, list[ScheduleItem]] = {p: [] for p in ids}
    for r in items:
        per_items[r[1]].append(ScheduleItem(r[0], r[1], r[2], r[3], r[4], STATUS[r[5]], r[6]))
    per_links: dict[uuid.UUID, list[NetworkLink]] = {p: [] for p in ids}
    for r in links:
        per_links[r[0]].append(NetworkLink(r[0], r[1], r[2], TYPES[r[3]], r[4]))
    figures = {}
    for p in ids:
        due_of = baseline_due if p in numbers else None
        schedule = compute_schedule(per_items[p], per_links[p], due_of, numbers.get(p))
        figures.update({row.milestone_id: row for row in schedule.milestones})
    names = {m["id"]: m["name"] for m in ms}
    pred_of: dict[uuid.UUID, list[dict[str, Any]]] = {}
    for r in preds:
        pred_of.setdefault(r[0], []).append(
            {
                "type": TYPES[r[2]].name,
                "lagDays": r[3],
                "predecessor": {"name": names[r[1]]},
            }
        )
    milestones_of: dict[uuid.UUID, list[dict[str, Any]]] = {p: [] for p in ids}
    for m in ms:
        f = figures[m["id"]]
        milestones_of[m["project_id"]].append(
            {
                "node": {
                    "name": m["name"],
                    "dueDate": m["due_date"].isoformat(),
                    "forecastFinish": f.forecast_finish and f.forecast_finish.isoformat(),
                    "totalFloatDays": f.total_float_days,
                    "slippageDays": f.slippage_days,
                    "dependencies": pred_of.get(m["id"], [])[:10],
                }
            }
        )
    risks_of: dict[uuid.UUID, list[dict[str, Any]]] = {p: [] for p in ids}
    for r in risks:
        cur = currency[r[0]]
        emv = None
        if r[4] is not None:
            emv = _money(at_minor_unit(LIKELIHOOD[r[3]] * at_minor_unit(r[4], cur), cur))
        risks_of[r[0]].append(
            {
                "node": {
                    "title": r[1],
                    "score": r[2],
                    "severity": severity_of(r[2]).name,
                    "expectedMonetaryValue": emv,
                }
            }
        )
    cells = {p: [[0] * 5 for _ in range(5)] for p in ids}
    contingency = {p: Decimal(0) for p in ids}
    for r in live:
        cells[r[0]][r[1] - 1][r[2] - 1] += 1
        if r[3] is not None:
            cur = currency[r[0]]
            contingency[r[0]] += at_minor_unit(LIKELIHOOD[r[1]] * at_minor_unit(r[3], cur), cur)
    edges = [
        {
            "node": {
                "key": p["key"],
                "name": p["name"],
                "phase": p["phase"].upper(),
                "milestones": {"edges": milestones_of[p["id"]]},
                "risks": {"edges": risks_of[p["id"]]},
                "riskMatrix": {
                    "cells": cells[p["id"]],
                    "suggestedContingency": _money(
                        at_minor_unit(contingency[p["id"]], currency[p["id"]])
                    ),
                },
            }
        }
        for p in projects
    ]
    return {"data": {"projects": {"edges": edges}}}


async def graphql(request: Request) -> Response:
    org = verified_org(request)
    if org is None:
        return Response('{"status":401}', 401, media_type="application/problem+json")
    payload = await request.json()
    shape = QUERY_SHAPE.fullmatch(payload.get("query") or "")
    if shape is None:
        return Response('{"status":400}', 400, media_type="application/problem+json")
    body = await answer(org, int(shape["projects"]), int(shape["milestones"]))
    return Response(json.dumps(body, separators=(",", ":")), media_type="application/json")


@asynccontextmanager
async def lifespan(_: Starlette) -> AsyncIterator[None]:
    global pool
    size = int(os.environ.get("BENCH_POOL_SIZE", "8"))
    pool = await asyncpg.create_pool(
        plain_dsn(os.environ["BENCH_DATABASE_URL"]), min_size=size, max_size=size
    )
    yield
    await pool.close()


app = Starlette(routes=[Route("/graphql", graphql, methods=["POST"])], lifespan=lifespan)

# --- the measurement -----------------------------------------------------------------


def measure_size(args: argparse.Namespace, url: str, projects: int, milestones: int) -> float:
    from bench.run import free_port, serve, stop, wait_up  # the read benchmark's plumbing

    asyncio.run(_migrate(url))
    asyncio.run(seed_dashboard(plain_dsn(url), projects, milestones))
    token = issue_token(
        SECRET, org=ORG, sub="bench", roles=["viewer"], issuer="charter",
        audience="charter-api", ttl=24 * 3600,
    )  # fmt: skip
    pool_size = str(args.connections)
    ports = {"ours": free_port(), "reference": free_port()}
    ours_env = {
        "DATABASE_URL": url,
        "CHARTER_JWT_SECRET": SECRET,
        "CHARTER_DB_POOL_SIZE": pool_size,
        "CHARTER_DATA_DIR": tempfile.mkdtemp(prefix="charter-bench-data-"),
        # The query prices at (projects x milestones x dependencies): allow the larger size.
        "CHARTER_GRAPHQL_MAX_COST": "1000000",
        "CHARTER_GRAPHQL_TIMEOUT_SECONDS": "120",  # a loaded machine must not cut it short
    }
    ref_env = {"BENCH_DATABASE_URL": url, "BENCH_JWT_SECRET": SECRET, "BENCH_POOL_SIZE": pool_size}
    body = json.dumps({"query": dashboard_query(projects, milestones)})
    reqs = [load.Req("POST", "/graphql", body)]
    tool = args.tool if args.tool != "auto" else ("wrk" if load.have_wrk() else "python")
    with ExitStack() as stack:
        procs = {
            "ours": serve("app.main:app_factory", ports["ours"], ours_env, factory=True),
            "reference": serve("bench.dashboard:app", ports["reference"], ref_env, factory=False),
        }
        for name, proc in procs.items():
            stack.callback(stop, proc)
            wait_up(ports[name], proc)
        base = {k: f"http://127.0.0.1:{p}" for k, p in ports.items()}
        headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
        with httpx.Client(headers=headers, timeout=60) as client:
            a = client.post(base["ours"] + "/graphql", content=body)
            b = client.post(base["reference"] + "/graphql", content=body)
        if a.status_code != 200 or "errors" in a.json():
            raise SystemExit(f"ours: {a.status_code} {a.text[:800]}")
        if a.content != b.content:
            raise SystemExit(
                f"{projects}x{milestones}: the answers differ\nours: {a.text[:600]}\n"
                f"ref:  {b.text[:600]}"
            )
        print(f"{projects} x {milestones}: same bytes ({len(a.content):,} bytes)", flush=True)
        ratios = []
        slice_s = args.duration / args.slices
        for rnd in range(1, args.rounds + 1):
            for who in ("ours", "reference"):
                load.run(base[who], reqs, token, args.warmup, args.connections, tool)
            got: dict[str, list[load.Result]] = {"ours": [], "reference": []}
            for _ in range(args.slices):
                for who in ("ours", "reference"):
                    got[who].append(
                        load.run(base[who], reqs, token, slice_s, args.connections, tool)
                    )
            o, r = (load.median_result(got[w]) for w in ("ours", "reference"))
            ratio = statistics.median(
                x.rps / y.rps for x, y in zip(got["ours"], got["reference"], strict=True)
            )
            ratios.append(ratio)
            print(
                f"round {rnd} {projects}x{milestones} ours {o.rps:7.1f} req/s p50 {o.p50_ms:7.1f} "
                f"ms | ref {r.rps:7.1f} req/s p50 {r.p50_ms:7.1f} ms | ratio {ratio:.2f}"
                + (f"  errors {o.errors}/{r.errors}" if o.errors or r.errors else ""),
                flush=True,
            )
    return statistics.median(ratios)


async def _migrate(url: str) -> None:
    from app.infra.migrations.runner import migrate
    from app.infra.postgres.engine import make_engine

    engine = make_engine(url, pool_size=1)
    try:
        await migrate(engine)
    finally:
        await engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--sizes", nargs="*", default=["20x25", "100x50"])
    parser.add_argument("--duration", type=float, default=12, help="seconds per measurement")
    parser.add_argument("--slices", type=int, default=3)
    parser.add_argument("--warmup", type=float, default=2)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--tool", choices=("auto", "wrk", "python"), default="auto")
    args = parser.parse_args()
    summary = {}
    for size in args.sizes:
        projects, milestones = (int(x) for x in size.split("x"))
        with bench_database("charter_bench_dashboard") as url:
            summary[size] = measure_size(args, url, projects, milestones)
    print("summary (median ratio over rounds; goal):")
    for size, med in summary.items():
        verdict = "met" if med >= GOAL else "NOT met"
        print(f"  {size:<7} {med:.3f}  (goal {GOAL}: {verdict})")


if __name__ == "__main__":
    main()
