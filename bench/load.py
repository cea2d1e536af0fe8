"""Load drivers: wrk (C, Lua script) when installed, else a multi-connection asyncio client.

Both keep ``connections`` keep-alive connections busy for ``duration`` seconds, cycling
through a list of requests (so the get-by-id scenarios touch many rows), and report
requests per second and p50/p99 latency. Non-2xx answers count as errors.

The Python fallback runs in its own process (``python -m bench.load`` reading a JSON
job on stdin) so it never shares an interpreter with a server under test. It is much
slower per request than wrk, so its figures are lower bounds; ratios stay comparable
because ours and the reference are loaded the same way.
"""

from __future__ import annotations

import asyncio
import json
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

FIELDS = (
    "id key name description businessArea startDate targetEndDate currency phase heldFrom "
    "noKnownRisks version createdAt updatedAt"
)
GQL_GET = f"query Project($id: ID!) {{ project(id: $id) {{ {FIELDS} }} }}"
GQL_LIST = (
    "query Projects($first: Int) { projects(first: $first) { "
    f"edges {{ cursor node {{ {FIELDS} }} }} pageInfo {{ hasNextPage endCursor }} }} }}"
)


@dataclass
class Req:
    method: str
    path: str
    body: str | None = None


@dataclass
class Result:
    requests: int
    seconds: float
    rps: float
    p50_ms: float
    p99_ms: float
    errors: int
    tool: str


def median_result(results: list[Result]) -> Result:
    """Totals over the slices, with the median slice's rate and latencies."""
    mid = sorted(results, key=lambda r: r.rps)[len(results) // 2]
    return Result(
        requests=sum(r.requests for r in results),
        seconds=sum(r.seconds for r in results),
        rps=mid.rps,
        p50_ms=statistics.median(r.p50_ms for r in results),
        p99_ms=statistics.median(r.p99_ms for r in results),
        errors=sum(r.errors for r in results),
        tool=mid.tool,
    )


def scenarios(ids: list[str], limit: int = 50) -> dict[str, list[Req]]:
    """The four loads: each a list of requests cycled through."""
    return {
        "REST get": [Req("GET", f"/api/v1/projects/{i}") for i in ids],
        "REST list": [Req("GET", f"/api/v1/projects?limit={limit}")],
        "GQL get": [
            Req("POST", "/graphql", json.dumps({"query": GQL_GET, "variables": {"id": i}}))
            for i in ids
        ],
        "GQL list": [
            Req("POST", "/graphql", json.dumps({"query": GQL_LIST, "variables": {"first": limit}}))
        ],
    }


def have_wrk() -> bool:
    return shutil.which("wrk") is not None


def _lua(reqs: list[Req], token: str) -> str:
    def s(text: str) -> str:
        assert "]==]" not in text
        return f"[==[{text}]==]"

    items = ",\n".join(
        f"{{{s(r.method)}, {s(r.path)}, {s(r.body) if r.body is not None else 'nil'}}}"
        for r in reqs
    )
    return f"""
wrk.headers["Authorization"] = "Bearer {token}"
wrk.headers["Content-Type"] = "application/json"
local reqs = {{
{items}
}}
local i = 0
request = function()
  i = i % #reqs + 1
  local r = reqs[i]
  return wrk.format(r[1], r[2], nil, r[3])
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("BENCH %d %d %.1f %.1f %d\\n", summary.requests, summary.duration,
    latency:percentile(50), latency:percentile(99),
    e.status + e.connect + e.read + e.write + e.timeout))
end
"""


def run_wrk(
    base_url: str, reqs: list[Req], token: str, duration: float, connections: int
) -> Result:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as f:
        f.write(_lua(reqs, token))
        script = f.name
    try:
        out = subprocess.run(
            [
                "wrk",
                "-t1",
                f"-c{connections}",
                f"-d{max(1, round(duration))}s",
                "--timeout",
                "10s",
                "-s",
                script,
                base_url,
            ],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    finally:
        Path(script).unlink()
    m = re.search(r"^BENCH (\d+) (\d+) ([\d.]+) ([\d.]+) (\d+)$", out, re.M)
    if not m:
        raise RuntimeError(f"unexpected wrk output:\n{out}")
    n, micros = int(m[1]), int(m[2])
    return Result(
        requests=n,
        seconds=micros / 1e6,
        rps=n / (micros / 1e6),
        p50_ms=float(m[3]) / 1000,
        p99_ms=float(m[4]) / 1000,
        errors=int(m[5]),
        tool="wrk",
    )


def run_python(
    base_url: str, reqs: list[Req], token: str, duration: float, connections: int
) -> Result:
    job = {
        "base_url": base_url,
        "reqs": [asdict(r) for r in reqs],
        "token": token,
        "duration": duration,
        "connections": connections,
    }
    out = subprocess.run(
        [sys.executable, "-m", "bench.load"],
        input=json.dumps(job),
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return Result(**json.loads(out))


def run(
    base_url: str,
    reqs: list[Req],
    token: str,
    duration: float,
    connections: int,
    tool: str = "auto",
) -> Result:
    if tool == "wrk" or (tool == "auto" and have_wrk()):
        return run_wrk(base_url, reqs, token, duration, connections)
    return run_python(base_url, reqs, token, duration, connections)


# --- the Python fallback (runs in its own process) -------------------------------------


def _encode(r: dict[str, Any], host: str, token: str) -> bytes:
    body = (r["body"] or "").encode()
    head = (
        f"{r['method']} {r['path']} HTTP/1.1\r\nHost: {host}\r\n"
        f"Authorization: Bearer {token}\r\nConnection: keep-alive\r\n"
    )
    if r["body"] is not None:
        head += f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n"
    return (head + "\r\n").encode() + body


async def _read_response(reader: asyncio.StreamReader) -> int:
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head[9:12])
    lower = head.lower()
    start = lower.find(b"content-length:")
    if start < 0:
        raise RuntimeError("response without Content-Length")
    end = lower.find(b"\r\n", start)
    await reader.readexactly(int(head[start + 15 : end]))
    return status


async def _drive(job: dict[str, Any]) -> dict[str, Any]:
    hostport = job["base_url"].split("://", 1)[1].rstrip("/")
    host, port = hostport.rsplit(":", 1)
    wire = [_encode(r, hostport, job["token"]) for r in job["reqs"]]
    latencies: list[float] = []
    errors = 0
    stop_at = time.perf_counter() + job["duration"]

    async def worker(offset: int) -> None:
        nonlocal errors
        reader, writer = await asyncio.open_connection(host, int(port))
        i = offset
        try:
            while time.perf_counter() < stop_at:
                data = wire[i % len(wire)]
                i += 1
                t0 = time.perf_counter()
                writer.write(data)
                status = await _read_response(reader)
                latencies.append(time.perf_counter() - t0)
                if not 200 <= status < 300:
                    errors += 1
        finally:
            writer.close()

    begin = time.perf_counter()
    await asyncio.gather(*(worker(k * 97) for k in range(job["connections"])))
    seconds = time.perf_counter() - begin
    latencies.sort()
    n = len(latencies)

    def pct(p: float) -> float:
        return latencies[min(n - 1, int(p * n))] * 1000 if n else 0.0

    return {
        "requests": n,
        "seconds": seconds,
        "rps": n / seconds,
        "p50_ms": pct(0.50),
        "p99_ms": pct(0.99),
        "errors": errors,
        "tool": "python",
    }


def main() -> None:
    job = json.loads(sys.stdin.read())
    try:
        import uvloop
    except ImportError:
        print(json.dumps(asyncio.run(_drive(job))))
    else:
        print(json.dumps(uvloop.run(_drive(job))))


if __name__ == "__main__":
    main()
