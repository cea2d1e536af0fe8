"""`charter serve` with no DATABASE_URL: its own PostgreSQL, data kept across restarts,
and stopping the service (SIGTERM from a supervisor, or Ctrl-C) stops that server."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

CHARTER = str(Path(sys.executable).parent / "charter")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait(condition: object, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():  # type: ignore[operator]
            return True
        time.sleep(0.2)
    return False


def _up(url: str) -> bool:
    try:
        return httpx.get(url + "/readyz", timeout=1).status_code == 200
    except httpx.HTTPError:
        return False


def test_serve_keeps_data_and_stopping_it_stops_the_embedded_server(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if "DATABASE_URL" not in k}
    env["CHARTER_DATA_DIR"] = str(tmp_path)
    postmaster = tmp_path / "pgdata" / "postmaster.pid"
    people = None
    for stop in (signal.SIGTERM, signal.SIGINT):
        port = _free_port()
        url = f"http://127.0.0.1:{port}"
        serve = subprocess.Popen(
            [CHARTER, "serve", "--port", str(port), "--no-access-log"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            assert _wait(lambda url=url: _up(url), 90), "the service did not become ready"
            token = subprocess.run(
                [CHARTER, "token", "--org", "o", "--sub", "s", "--role", "admin"],
                env=env, check=True, capture_output=True, text=True,
            ).stdout.strip()  # fmt: skip
            auth = {"Authorization": f"Bearer {token}"}
            if people is None:  # first run: write something
                made = httpx.post(
                    url + "/api/v1/people",
                    json={"name": "Kept", "email": "kept@example.com"},
                    headers=auth,
                )
                assert made.status_code == 201, made.text
                people = [made.json()["id"]]
            else:  # after a restart the data is still there
                listed = httpx.get(url + "/api/v1/people", headers=auth).json()
                assert [p["id"] for p in listed["items"]] == people
            serve.send_signal(stop)
            assert serve.wait(30) is not None
        finally:
            if serve.poll() is None:
                serve.kill()
        assert _wait(lambda: not postmaster.exists(), 20), f"PostgreSQL still runs after {stop!r}"
        # A holder of the server that died without letting go (killed, crashed) must not
        # keep the next run from stopping it.
        gone = subprocess.Popen([sys.executable, "-c", "pass"])
        gone.wait()
        (tmp_path / "pgdata" / ".handle_pids.json").write_text(f"[{gone.pid}]")
