"""Read benchmark: Charter against a minimal reference app, back to back in one run.

Run by hand (never part of ``make test``)::

    make bench                       # or: .venv/bin/python -m bench.run
    make bench ARGS="--duration 20 --rounds 3 --connections 32 --tool python"

It starts an embedded PostgreSQL in a temporary directory (or uses ``DATABASE_URL``:
it then creates and drops its own database), migrates it, seeds 10,000 projects in one
organization, then serves Charter (``uvicorn app.main:app_factory``) and the reference
(``uvicorn bench.reference:app``, Starlette + raw asyncpg) each in its own process with
one worker, the same uvicorn options and the same database pool size. It checks that
both answer the four requests with the same JSON, then for each scenario and round
loads Charter and then the reference for ``--duration`` seconds each (after a short
warm-up) and prints requests per second, p50/p99 latency and ours/reference ratios.
The last lines summarise the median ratio per scenario over the rounds.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path

import httpx

from app.api.auth import issue_token
from app.infra.migrations.runner import migrate
from app.infra.postgres.engine import make_engine
from bench import load
from bench.database import bench_database
from bench.seed import ORG, seed_projects

SECRET = "bench-secret-" + "x" * 32
GOALS = {"REST get": 0.5, "REST list": 0.5, "GQL get": 0.3, "GQL list": 0.3}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def serve(target: str, port: int, env: dict[str, str], factory: bool) -> subprocess.Popen[bytes]:
    cmd = [sys.executable, "-m", "uvicorn", target, "--host", "127.0.0.1", "--port", str(port)]
    cmd += ["--workers", "1", "--log-level", "warning", "--no-access-log"]
    if factory:
        cmd.append("--factory")
    return subprocess.Popen(cmd, env={**os.environ, **env})


def wait_up(port: int, proc: subprocess.Popen[bytes], timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server on port {port} exited with {proc.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"server on port {port} did not start")


def stop(proc: subprocess.Popen[bytes]) -> None:
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()


def same_json(ours: str, ref: str, reqs: dict[str, list[load.Req]], token: str) -> None:
    """Refuse to measure unless both apps give the same status, JSON and ETag."""
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    with httpx.Client(headers=headers, timeout=10) as client:
        for name, rs in reqs.items():
            r = rs[0]
            a = client.request(r.method, ours + r.path, content=r.body)
            b = client.request(r.method, ref + r.path, content=r.body)
            if a.status_code != 200 or b.status_code != 200:
                raise SystemExit(f"{name}: status {a.status_code} vs {b.status_code}: {a.text}")
            if a.json() != b.json() or a.headers.get("etag") != b.headers.get("etag"):
                raise SystemExit(f"{name}: different answers\nours: {a.text}\nref:  {b.text}")
            exact = "same bytes" if a.content == b.content else "same JSON"
            print(f"  {name:<9} {exact} ({len(a.content)} bytes)")


def measure(args: argparse.Namespace, url: str) -> None:
    async def migrate_once() -> None:
        engine = make_engine(url, pool_size=1)
        try:
            await migrate(engine)
        finally:
            await engine.dispose()

    asyncio.run(migrate_once())
    ids = asyncio.run(seed_projects(url, args.projects))
    print(f"seeded {args.projects} projects in organization {ORG}")
    token = issue_token(
        SECRET,
        org=ORG,
        sub="bench",
        roles=["viewer"],
        issuer="charter",
        audience="charter-api",
        ttl=24 * 3600,
    )
    ports = {"ours": free_port(), "reference": free_port()}
    pool = str(args.pool or args.connections)
    ours_env = {
        "DATABASE_URL": url,
        "CHARTER_JWT_SECRET": SECRET,
        "CHARTER_DB_POOL_SIZE": pool,
        "CHARTER_DATA_DIR": tempfile.mkdtemp(prefix="charter-bench-data-"),
    }
    ref_env = {"BENCH_DATABASE_URL": url, "BENCH_JWT_SECRET": SECRET, "BENCH_POOL_SIZE": pool}
    sample = [str(i) for i in ids[:: max(1, len(ids) // 1000)]]
    reqs = load.scenarios(sample)
    if args.only:
        reqs = {k: v for k, v in reqs.items() if k in args.only}
    tool = args.tool if args.tool != "auto" else ("wrk" if load.have_wrk() else "python")
    with ExitStack() as stack:
        procs = {
            "ours": serve("app.main:app_factory", ports["ours"], ours_env, factory=True),
            "reference": serve("bench.reference:app", ports["reference"], ref_env, factory=False),
        }
        for name, proc in procs.items():
            stack.callback(stop, proc)
            wait_up(ports[name], proc)
        base = {k: f"http://127.0.0.1:{p}" for k, p in ports.items()}
        print("answers:")
        same_json(base["ours"], base["reference"], reqs, token)
        if args.hold:
            pids = f"pids {procs['ours'].pid}/{procs['reference'].pid}"
            print(f"serving: ours {base['ours']} reference {base['reference']} {pids}", flush=True)
            Path(args.hold).write_text(json.dumps({"base": base, "token": token, "ids": sample}))
            signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
            while True:
                time.sleep(1)
        print(
            f"load: {tool}, {args.connections} connections, {args.duration:g} s per measurement, "
            f"in {args.slices} alternating slices, {args.rounds} round(s), {os.cpu_count()} cores, "
            f"1 uvicorn worker each, pool {pool}"
        )
        ratios: dict[str, list[float]] = {k: [] for k in reqs}
        slice_s = args.duration / args.slices
        rows: list[dict[str, object]] = []
        for rnd in range(1, args.rounds + 1):
            for name, rs in reqs.items():
                for who in ("ours", "reference"):
                    load.run(base[who], rs, token, args.warmup, args.connections, tool)
                # Alternate short slices (ours, reference, ours, ...) so that load from other
                # processes on the machine falls on both alike; the ratio is the median of
                # the slices' ratios, the figures are the slices' medians.
                got: dict[str, list[load.Result]] = {"ours": [], "reference": []}
                for _ in range(args.slices):
                    for who in ("ours", "reference"):
                        got[who].append(
                            load.run(base[who], rs, token, slice_s, args.connections, tool)
                        )
                o, r = (load.median_result(got[w]) for w in ("ours", "reference"))
                ratio = statistics.median(
                    a.rps / b.rps for a, b in zip(got["ours"], got["reference"], strict=True)
                )
                ratios[name].append(ratio)
                print(
                    f"round {rnd} {name:<9} ours {o.rps:8.0f} req/s p50 {o.p50_ms:6.2f} "
                    f"p99 {o.p99_ms:6.2f} ms | ref {r.rps:8.0f} req/s p50 {r.p50_ms:6.2f} "
                    f"p99 {r.p99_ms:6.2f} ms | ratio {ratio:.2f}"
                    + (f"  errors {o.errors}/{r.errors}" if o.errors or r.errors else ""),
                    flush=True,
                )
                rows.append({"round": rnd, "scenario": name, "ours": o.__dict__, "ref": r.__dict__})
        print("summary (median ratio over rounds; goal):")
        for name, values in ratios.items():
            med = statistics.median(values)
            verdict = "met" if med >= GOALS[name] else "NOT met"
            print(f"  {name:<9} {med:.3f}  (goal {GOALS[name]:.1f}: {verdict})")
        if args.json:
            Path(args.json).parent.mkdir(parents=True, exist_ok=True)
            Path(args.json).write_text(json.dumps(rows, indent=2))


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--projects", type=int, default=10_000)
    parser.add_argument("--duration", type=float, default=15, help="seconds per measurement")
    parser.add_argument("--slices", type=int, default=3, help="alternations per measurement")
    parser.add_argument("--warmup", type=float, default=2, help="seconds before each")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--pool", type=int, default=0, help="DB pool size (default: connections)")
    parser.add_argument("--tool", choices=("auto", "wrk", "python"), default="auto")
    parser.add_argument("--only", nargs="*", help="scenario names, e.g. 'REST get'")
    parser.add_argument("--json", help="also write the raw figures to this file")
    parser.add_argument(
        "--hold", metavar="FILE", help="serve both until SIGTERM; write urls, token, ids to FILE"
    )
    args = parser.parse_args()
    with bench_database() as url:
        measure(args, url)


if __name__ == "__main__":
    main()
