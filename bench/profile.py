"""Where a read's time goes, without the network or the load tool (noise-free on a busy box).

Run by hand::

    .venv/bin/python -m bench.profile [--requests 2000] [--scenario "GQL get"] [--top 35]

Seeds an embedded PostgreSQL like ``bench.run``, then calls Charter's ASGI app and the
reference's directly, one request at a time, and prints the mean wall time per request of
each (and their ratio) for every scenario, then a cProfile of Charter for ``--scenario``
(cumulative time, top ``--top`` functions).
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import os
import pstats
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from app.api.auth import issue_token
from app.config import Settings
from app.infra.migrations.runner import migrate
from app.infra.postgres.engine import make_engine
from app.main import create_app
from bench import load
from bench.database import bench_database
from bench.seed import ORG, seed_projects

SECRET = "bench-secret-" + "x" * 32
Call = Callable[[], Awaitable[int]]


def asgi_call(app: Any, r: load.Req, token: str) -> Call:
    path, _, query = r.path.partition("?")
    body = (r.body or "").encode()
    headers = [(b"host", b"bench"), (b"authorization", f"Bearer {token}".encode())]
    if r.body is not None:
        headers += [(b"content-type", b"application/json"), (b"content-length", b"%d" % len(body))]
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": r.method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": query.encode(),
        "root_path": "",
        "headers": headers,
        "client": ("127.0.0.1", 1),
        "server": ("127.0.0.1", 80),
    }

    async def call() -> int:
        status = 0

        async def receive() -> dict[str, Any]:
            return {"type": "http.request", "body": body, "more_body": False}

        async def send(message: dict[str, Any]) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]

        await app(dict(scope), receive, send)
        if status != 200:
            raise RuntimeError(f"{r.method} {r.path}: {status}")
        return status

    return call


async def per_request_ms(calls: list[Call], n: int) -> tuple[float, float]:
    """Wall time and this process's CPU time per request, in ms (the CPU time leaves out
    PostgreSQL's share and the waits: the steadier measure of the Python work)."""
    for i in range(min(n, 200)):
        await calls[i % len(calls)]()
    t0, c0 = time.perf_counter(), time.process_time()
    for i in range(n):
        await calls[i % len(calls)]()
    return (time.perf_counter() - t0) * 1000 / n, (time.process_time() - c0) * 1000 / n


async def run(url: str, args: argparse.Namespace) -> None:
    engine = make_engine(url, pool_size=4)
    await migrate(engine)
    ids = await seed_projects(url, args.projects)
    token = issue_token(
        SECRET, org=ORG, sub="bench", roles=["viewer"], issuer="charter", audience="charter-api"
    )
    settings = Settings(
        database_url=url, jwt_secret=SECRET, data_dir=Path(tempfile.mkdtemp()), db_pool_size=4
    )
    ours = create_app(settings)
    os.environ.update(BENCH_DATABASE_URL=url, BENCH_JWT_SECRET=SECRET, BENCH_POOL_SIZE="4")
    from bench import reference

    reqs = load.scenarios([str(i) for i in ids[::50]])
    async with reference.lifespan(reference.app), ours.router.lifespan_context(ours):
        for name, rs in reqs.items():
            mine, mine_cpu = await per_request_ms(
                [asgi_call(ours, r, token) for r in rs], args.requests
            )
            ref, ref_cpu = await per_request_ms(
                [asgi_call(reference.app, r, token) for r in rs], args.requests
            )
            print(
                f"{name:<9} ours {mine:6.3f} ms (cpu {mine_cpu:6.3f})  "
                f"ref {ref:6.3f} ms (cpu {ref_cpu:6.3f})  ratio {ref / mine:.2f} "
                f"(cpu {ref_cpu / mine_cpu:.2f})"
            )
        calls = [asgi_call(ours, r, token) for r in reqs[args.scenario]]
        profiler = cProfile.Profile()
        profiler.enable()
        await per_request_ms(calls, args.requests)
        profiler.disable()
        stats = pstats.Stats(profiler)
        stats.sort_stats("cumulative").print_stats(args.top)
        stats.sort_stats("tottime").print_stats(args.top)
    await engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--projects", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--scenario", default="GQL get", choices=list(load.scenarios(["x"])))
    parser.add_argument("--top", type=int, default=35)
    args = parser.parse_args()
    with bench_database("charter_profile") as url:
        asyncio.run(run(url, args))


if __name__ == "__main__":
    main()
