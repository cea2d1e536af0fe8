"""``charter serve`` as a real process on a free port, over the fault tests' own PostgreSQL."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Any

import httpx

from app.api.auth import issue_token
from tests.faults.cluster import free_port

CHARTER = str(Path(sys.executable).parent / "charter")
SECRET = "faults-secret-" + "x" * 32


class Service:
    """One ``charter serve``; ``kill`` and ``start`` again keep its port (clients keep their URL)."""

    def __init__(self, database_url: str, workdir: Path, **settings: str) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = workdir / f"serve-{self.port}.log"
        self.env = {k: v for k, v in os.environ.items() if "DATABASE_URL" not in k}
        self.env.update(
            DATABASE_URL=database_url,
            CHARTER_JWT_SECRET=SECRET,
            CHARTER_DATA_DIR=str(workdir),
            **{f"CHARTER_{k.upper()}": v for k, v in settings.items()},
        )
        self.process: subprocess.Popen[bytes] | None = None

    def start(self, within: float = 60) -> None:
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                [CHARTER, "serve", "--port", str(self.port), "--no-access-log"],
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + within
        while not self.ready():
            assert self.process.poll() is None, "charter serve exited:\n" + self.log_tail()
            assert time.monotonic() < deadline, "charter serve is not ready:\n" + self.log_tail()
            time.sleep(0.1)

    def ready(self) -> bool:
        try:
            return httpx.get(self.url + "/readyz", timeout=1).status_code == 200
        except httpx.HTTPError:
            return False

    def kill(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(10)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)

    def log_tail(self, lines: int = 40) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""


def admin_headers(org: str | None = None) -> tuple[str, dict[str, Any]]:
    """A fresh organization and an admin's headers for it."""
    org = org or f"org-{uuid.uuid4().hex[:12]}"
    token = issue_token(
        SECRET, org=org, sub="faults", roles=["admin"], issuer="charter", audience="charter-api"
    )
    return org, {"Authorization": f"Bearer {token}"}
