"""Benchmark: the ledger summary over 1,000,000 entries, and posting throughput.

Run by hand (never part of ``make test``)::

    .venv/bin/python -m bench.ledger [--entries 1000000] [--workers 2] [--clients 32]
                                     [--duration 20] [--runs 30]

It starts an embedded PostgreSQL in a temporary directory (or uses ``DATABASE_URL``;
it then creates and drops its own database), migrates it and seeds one project with
``--entries`` ledger entries by direct SQL (generate_series), rebuilding the maintained
totals from them. Then it serves the real app with uvicorn (``--workers`` processes on
SO_REUSEPORT sockets, access log off) on 127.0.0.1:8312 and reports:

- summary: GET /ledger/summary, median of ``--runs`` requests, server time (the
  ``Server-Timing`` header) and round trip on localhost;
- postings: POST /ledger/entries from ``--clients`` concurrent connections for
  ``--duration`` seconds to that same project (wrk with a Lua script when installed,
  else an asyncio httpx loader in a separate process): a mix of budget, commitment and
  actual postings, ``--cuts`` percent (default 5) of them budget cuts that may be refused. Postings/s counts 201s only.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime

import asyncpg
import httpx

from app.api.auth import issue_token
from app.infra.migrations.runner import migrate
from app.infra.postgres.engine import make_engine
from bench.database import bench_database

ORG = "bench-org"
SECRET = "bench-secret-" + "x" * 32
PORT = 8312

SEED = """
INSERT INTO ledger_entries (id, org_id, project_id, currency, kind, category, amount,
    occurred_on, created_by, created_at)
SELECT gen_random_uuid(), $1, $2, 'EUR',
    CASE WHEN g % 10 = 0 THEN 'budget' WHEN g % 10 < 4 THEN 'commitment' ELSE 'actual' END,
    (ARRAY['labour', 'hardware', 'software', 'services', 'cloud', 'travel', 'contingency',
        'other'])[1 + g % 8],
    ((g % 99991) + 1) / 100.0 * CASE WHEN g % 10 = 0 THEN 20 ELSE 1 END,
    DATE '2023-01-01' + (g % 1095)::int, 'bench', now()
FROM generate_series($3::bigint, $4::bigint) AS g
"""
REBUILD = [
    """INSERT INTO ledger_commitments (org_id, project_id, entry_id, category, amount)
       SELECT org_id, project_id, id, category, amount FROM ledger_entries
       WHERE org_id = $1 AND project_id = $2 AND kind = 'commitment'""",
    """INSERT INTO ledger_totals (org_id, project_id, slot)
       SELECT $1, $2, s FROM generate_series(1, 7) AS s""",
    """INSERT INTO ledger_totals (org_id, project_id, slot, budget, commitments, actual,
           open_commitments, entries)
       SELECT $1, $2, 0, sum(amount) FILTER (WHERE kind = 'budget'),
           sum(amount) FILTER (WHERE kind = 'commitment'),
           sum(amount) FILTER (WHERE kind = 'actual'),
           sum(amount) FILTER (WHERE kind = 'commitment'), count(*)
       FROM ledger_entries WHERE org_id = $1 AND project_id = $2""",
    """INSERT INTO ledger_daily_totals (org_id, project_id, day, category, slot, budget,
           commitments, actual, open_commitments)
       SELECT $1, $2, occurred_on, category, 0,
           coalesce(sum(amount) FILTER (WHERE kind = 'budget'), 0),
           coalesce(sum(amount) FILTER (WHERE kind = 'commitment'), 0),
           coalesce(sum(amount) FILTER (WHERE kind = 'actual'), 0),
           coalesce(sum(amount) FILTER (WHERE kind = 'commitment'), 0)
       FROM ledger_entries WHERE org_id = $1 AND project_id = $2
       GROUP BY occurred_on, category""",
]

WRK_SCRIPT = """
local kinds = {"budget", "commitment", "actual", "actual", "actual"}
local categories = {"labour", "hardware", "software", "cloud", "travel"}
created, refused, other = 0, 0, 0
local threads = {}

function setup(thread) table.insert(threads, thread) end

request = function()
  local kind = kinds[math.random(#kinds)]
  local amount = string.format("%d.%02d", math.random(1, 500), math.random(0, 99))
  if math.random(1000) <= CUTS_PER_MILLE then kind = "budget"; amount = "-" .. amount .. "000" end
  local body = string.format(
    '{"kind":"%s","category":"%s","amount":"%s","occurred_on":"2025-12-%02d"}',
    kind, categories[math.random(#categories)], amount, math.random(1, 28))
  return wrk.format("POST", nil, nil, body)
end

response = function(status, headers, body)
  if status == 201 then created = created + 1
  elseif status == 422 then refused = refused + 1
  else other = other + 1 end
end

done = function(summary, latency, requests)
  local c, r, o = 0, 0, 0
  for _, t in ipairs(threads) do
    c = c + t:get("created"); r = r + t:get("refused"); o = o + t:get("other")
  end
  io.write(string.format("STATUS created=%d refused=%d other=%d\\n", c, r, o))
  io.write(string.format("LATENCY p50=%.2f p99=%.2f\\n",
    latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
"""


async def seed(url: str, entries: int) -> uuid.UUID:
    conn = await asyncpg.connect("postgresql://" + url.removeprefix("postgresql+asyncpg://"))
    project_id = uuid.uuid4()
    now = datetime.now(UTC)
    try:
        await conn.execute(
            "INSERT INTO projects (id, org_id, key, name, business_area, currency, phase, "
            "no_known_risks, version, created_at, updated_at) VALUES "
            "($1, $2, 'LEDGER', 'Ledger benchmark', 'other', 'EUR', 'execution', true, 1, $3, $3)",
            project_id,
            ORG,
            now,
        )
        t0 = time.perf_counter()
        chunk = 250_000
        for start in range(1, entries + 1, chunk):
            await conn.execute(SEED, ORG, project_id, start, min(entries, start + chunk - 1))
        for sql in REBUILD:
            await conn.execute(sql, ORG, project_id)
        await conn.execute("VACUUM ANALYZE")
        print(f"seeded {entries:,} entries in {time.perf_counter() - t0:.0f} s", flush=True)
    finally:
        await conn.close()
    return project_id


def serve(url: str, workers: int) -> list[subprocess.Popen[bytes]]:
    """Start ``workers`` uvicorn processes, each on its own SO_REUSEPORT socket.

    uvicorn's ``--workers`` share one listening socket, and a few keep-alive clients
    land unevenly on the workers that win the accept race; with SO_REUSEPORT the
    kernel spreads the connections over the processes.
    """
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "CHARTER_JWT_SECRET": SECRET,
        "CHARTER_DB_POOL_SIZE": "20",
    }
    command = [sys.executable, "-m", "bench.ledger", "--serve-worker"]
    if os.environ.get("BENCH_WORKER_SCRIPT"):
        command = [sys.executable, os.environ["BENCH_WORKER_SCRIPT"]]
    return [subprocess.Popen(command, env=env) for _ in range(workers)]


def serve_worker() -> None:
    import socket

    import uvicorn

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind(("127.0.0.1", PORT))
    config = uvicorn.Config(
        "app.main:app_factory",
        factory=True,
        access_log=False,
        log_level="warning",
        proxy_headers=False,
    )
    uvicorn.Server(config).run(sockets=[sock])


async def summary_figures(token: str, project_id: uuid.UUID, runs: int) -> None:
    path = f"/api/v1/projects/{project_id}/ledger/summary"
    headers = {"Authorization": f"Bearer {token}"}
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{PORT}", headers=headers) as client:
        for _ in range(40):
            try:
                if (await client.get("/healthz")).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            await asyncio.sleep(0.25)
        first = await client.get(path)
        first.raise_for_status()
        body = first.json()
        print(
            f"summary: budget {body['budget']}, actual {body['actual']}, "
            f"{len(body['by_month'])} months, {len(body['by_category'])} categories"
        )
        for label, params in (("summary", {}), ("summary as_of", {"as_of": "2024-06-15"})):
            server, total = [], []
            for _ in range(runs):
                t0 = time.perf_counter()
                r = await client.get(path, params=params)
                total.append((time.perf_counter() - t0) * 1000)
                r.raise_for_status()
                server.append(float(r.headers["server-timing"].split("dur=")[1]))
            print(
                f"{label:>14}: median server {statistics.median(server):.1f} ms, "
                f"round trip {statistics.median(total):.1f} ms (max {max(total):.1f}, {runs} runs)"
            )


def wrk_load(url: str, token: str, clients: int, duration: int, cuts: float) -> None:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(WRK_SCRIPT.replace("CUTS_PER_MILLE", str(round(cuts * 10))))
    threads = str(min(2, clients))
    command = [
        "wrk", "-t", threads, "-c", str(clients), "-d", f"{duration}s", "--latency",
        "-H", f"Authorization: Bearer {token}", "-H", "Content-Type: application/json",
        "-s", script.name, url,
    ]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode:
        raise SystemExit(f"wrk failed: {done.stderr or done.stdout}")
    out = done.stdout
    os.unlink(script.name)
    status = re.search(r"STATUS created=(\d+) refused=(\d+) other=(\d+)", out)
    latency = re.search(r"LATENCY p50=([\d.]+) p99=([\d.]+)", out)
    assert status and latency, out
    created, refused, other = (int(x) for x in status.groups())
    print(
        f"postings: {created / duration:,.0f}/s accepted (201) over {duration} s with {clients} "
        f"clients (wrk, {threads} threads); {refused} refused cuts (422), {other} other; "
        f"latency p50 {latency.group(1)} ms, p99 {latency.group(2)} ms"
    )
    if other:
        raise SystemExit("unexpected statuses under load")


async def httpx_load(url: str, token: str, clients: int, duration: int) -> None:
    import random

    headers = {"Authorization": f"Bearer {token}"}
    counts = {"created": 0, "refused": 0, "other": 0}
    stop = time.perf_counter() + duration

    async def client_loop(client: httpx.AsyncClient) -> None:
        while time.perf_counter() < stop:
            kind = random.choice(["budget", "commitment", "actual", "actual", "actual"])
            body = {
                "kind": kind,
                "category": "labour",
                "amount": f"{random.randint(1, 500)}.{random.randint(0, 99):02d}",
                "occurred_on": "2025-12-01",
            }
            r = await client.post(url, json=body)
            key = {201: "created", 422: "refused"}.get(r.status_code, "other")
            counts[key] += 1

    limits = httpx.Limits(max_connections=clients)
    async with httpx.AsyncClient(headers=headers, limits=limits) as client:
        await asyncio.gather(*(client_loop(client) for _ in range(clients)))
    print(
        f"postings: {counts['created'] / duration:,.0f}/s accepted over {duration} s with "
        f"{clients} clients (httpx loader); {counts}"
    )


async def check_consistency(url: str, project_id: uuid.UUID) -> None:
    conn = await asyncpg.connect("postgresql://" + url.removeprefix("postgresql+asyncpg://"))
    try:
        counted = await conn.fetchval(
            "SELECT count(*) FROM ledger_entries WHERE project_id = $1", project_id
        )
        maintained = await conn.fetchval(
            "SELECT sum(entries) FROM ledger_totals WHERE project_id = $1", project_id
        )
        sums = await conn.fetchrow(
            "SELECT (SELECT sum(amount) FROM ledger_entries WHERE project_id = $1 "
            "AND kind = 'actual') AS entries, (SELECT sum(actual) FROM ledger_totals "
            "WHERE project_id = $1) AS totals",
            project_id,
        )
    finally:
        await conn.close()
    assert counted == maintained and sums["entries"] == sums["totals"], (counted, maintained)
    print(f"consistent: {counted:,} entries; maintained actual equals the sum of entries")


async def prepare(url: str, entries: int) -> uuid.UUID:
    engine = make_engine(url, pool_size=1)
    try:
        await migrate(engine)
    finally:
        await engine.dispose()
    return await seed(url, entries)


def run(url: str, args: argparse.Namespace) -> None:
    project_id = asyncio.run(prepare(url, args.entries))
    token = issue_token(
        SECRET, org=ORG, sub="bench", roles=["admin"], issuer="charter", audience="charter-api"
    )
    servers = serve(url, args.workers)
    try:
        asyncio.run(summary_figures(token, project_id, args.runs))
        target = f"http://127.0.0.1:{PORT}/api/v1/projects/{project_id}/ledger/entries"
        print(
            f"server: {args.workers} uvicorn process(es) on SO_REUSEPORT sockets, access log off",
            flush=True,
        )
        if shutil.which("wrk") and not args.httpx:
            wrk_load(target, token, args.clients, args.duration, args.cuts)
        else:
            asyncio.run(httpx_load(target, token, args.clients, args.duration))
        asyncio.run(summary_figures(token, project_id, args.runs))
        asyncio.run(check_consistency(url, project_id))
    finally:
        for server in servers:
            server.terminate()
        for server in servers:
            server.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=1_000_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--duration", type=int, default=20)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--cuts", type=float, default=5.0, help="percent of budget cuts")
    parser.add_argument("--httpx", action="store_true", help="use the httpx loader, not wrk")
    parser.add_argument("--serve-worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve_worker:
        serve_worker()
        return
    with bench_database() as url:
        run(url, args)


if __name__ == "__main__":
    main()
