"""Prometheus metrics: HTTP requests, GraphQL operations, database pools (README "Operations").

With several workers (``charter serve --workers N``) each is its own process with its own
counters, and a scrape reaches one of them. ``charter serve`` then sets
``PROMETHEUS_MULTIPROC_DIR`` before the workers start: prometheus-client's multiprocess mode
keeps every worker's values in files there, and ``/metrics`` (whichever worker answers it)
adds them up. Without it (one worker, tests) each app counts in its own registry.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"
# GraphQL operation names come from the caller: only plain names, and at most this many
# distinct ones per process (a client inventing names cannot grow the series without bound).
OPERATION_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,63}$")
MAX_OPERATION_NAMES = 200
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5)
_LIVE_FILE = re.compile(r"^gauge_live\w*?_(\d+)\.db$")


def multiprocess_dir() -> str | None:
    return os.environ.get(MULTIPROC_ENV) or None


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        r = self.registry
        self.requests = Counter(
            "charter_http_requests", "HTTP requests", ["method", "route", "status"], registry=r
        )
        self.latency = Histogram(
            "charter_http_request_duration_seconds",
            "HTTP request latency",
            ["method", "route"],
            registry=r,
            buckets=LATENCY_BUCKETS,
        )
        self.graphql_operations = Counter(
            "charter_graphql_operations",
            "GraphQL operations by name, type and outcome (error: the result has errors)",
            ["operation", "type", "outcome"],
            registry=r,
        )
        self.graphql_errors = Counter(
            "charter_graphql_errors",
            "GraphQL errors by operation and extensions.code",
            ["operation", "code"],
            registry=r,
        )
        self.graphql_latency = Histogram(
            "charter_graphql_operation_duration_seconds",
            "GraphQL operation latency",
            ["operation", "type"],
            registry=r,
            buckets=LATENCY_BUCKETS,
        )
        # Pool gauges: summed over the live workers (each has its own pools).
        self.pool_checked_out = Gauge(
            "charter_db_pool_checked_out",
            "Connections lent out by the pool",
            ["pool"],
            registry=r,
            multiprocess_mode="livesum",
        )
        self.pool_size = Gauge(
            "charter_db_pool_size",
            "Connections the pool keeps",
            ["pool"],
            registry=r,
            multiprocess_mode="livesum",
        )
        self.pool_overflow = Gauge(
            "charter_db_pool_overflow",
            "Connections open beyond the pool's size",
            ["pool"],
            registry=r,
            multiprocess_mode="livesum",
        )
        # One series per live worker (the pid label in multiprocess mode).
        self.workers = Gauge(
            "charter_worker_up",
            "1 for each live worker process",
            registry=r,
            multiprocess_mode="liveall",
        )
        self.workers.set(1)
        self._operation_names: set[str] = set()
        self._pool_gauges: dict[str, tuple[list[Gauge], list[int | None]]] = {}

    def pool(self, name: str, checked_out: int, size: int, overflow: int) -> None:
        # Called on every checkout and checkin: the labelled gauges are looked up once, and
        # a value is written only when it changed (size and overflow rarely do).
        gauges = self._pool_gauges.get(name)
        if gauges is None:
            gauges = self._pool_gauges[name] = (
                [self.pool_checked_out.labels(name), self.pool_size.labels(name),
                 self.pool_overflow.labels(name)],
                [None, None, None],
            )  # fmt: skip
        children, last = gauges
        for i, value in enumerate((checked_out, size, max(0, overflow))):
            if last[i] != value:
                last[i] = value
                children[i].set(value)

    def operation_label(self, name: str | None) -> str:
        if not name:
            return "anonymous"
        if not OPERATION_NAME.match(name):
            return "invalid"
        if name not in self._operation_names:
            if len(self._operation_names) >= MAX_OPERATION_NAMES:
                return "other"
            self._operation_names.add(name)
        return name

    def graphql(self, name: str | None, kind: str, seconds: float, codes: list[str] | None) -> None:
        label = self.operation_label(name)
        outcome = "error" if codes else "ok"
        self.graphql_operations.labels(label, kind, outcome).inc()
        self.graphql_latency.labels(label, kind).observe(seconds)
        for code in codes or ():
            self.graphql_errors.labels(label, code).inc()

    def exposition(self) -> tuple[bytes, str]:
        """The text of a scrape: every live and dead worker's counters in multiprocess mode."""
        path = multiprocess_dir()
        if path is None:
            return generate_latest(self.registry), CONTENT_TYPE_LATEST
        from prometheus_client import multiprocess

        mark_dead_workers(path)
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry, path=path)  # type: ignore[no-untyped-call]
        return generate_latest(registry), CONTENT_TYPE_LATEST

    def close(self) -> None:
        """A worker that stops: its live gauges leave the sums (its counters stay)."""
        path = multiprocess_dir()
        if path is not None:
            from prometheus_client import multiprocess

            multiprocess.mark_process_dead(os.getpid(), path)  # type: ignore[no-untyped-call]


def mark_dead_workers(path: str) -> None:
    """Drop the live gauges of workers that died without stopping (killed, crashed; the
    supervisor starts others), so pool gauges and ``charter_worker_up`` count only the live."""
    from prometheus_client import multiprocess

    dead = set()
    for file in Path(path).iterdir():
        match = _LIVE_FILE.match(file.name)
        if match and not _alive(int(match.group(1))):
            dead.add(int(match.group(1)))
    for pid in dead:
        multiprocess.mark_process_dead(pid, path)  # type: ignore[no-untyped-call]


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
