"""Configuration for operators: unknown CHARTER_* variables, log formats, the OTEL_* switch."""

from __future__ import annotations

import io
import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest

from app.config import Settings, known_variables, unknown_variables
from app.logs import RequestContextFilter, logging_config, note_caller, start_request
from app.metrics import mark_dead_workers
from app.tracing import TracingUnavailable, check_tracing, tracing_requested


def test_every_setting_is_a_known_variable() -> None:
    known = known_variables()
    assert "CHARTER_LOG_FORMAT" in known and "CHARTER_JWT_SECRET" in known
    assert "CHARTER_TEST_DATABASE_URL" in known  # read by the test suite, not by Settings
    assert "CHARTER_DATABASE_URL" not in known  # it is DATABASE_URL, without the prefix


def test_a_misspelt_variable_is_named_with_the_closest_known_one() -> None:
    warnings = unknown_variables(
        {"CHARTER_LOG_LEVLE": "debug", "CHARTER_JWT_SECRET": "s", "PATH": "/bin"}
    )
    assert warnings == [
        "unknown environment variable CHARTER_LOG_LEVLE is ignored "
        "(did you mean CHARTER_LOG_LEVEL?)"
    ]
    (far,) = unknown_variables({"CHARTER_ZZZ": "1"})
    assert "CHARTER_ZZZ" in far and "did you mean" not in far


def test_log_format_is_json_in_production_and_text_in_development() -> None:
    assert Settings(env="production").resolved_log_format == "json"
    assert Settings(env="development").resolved_log_format == "text"
    assert Settings(env="production", log_format="text").resolved_log_format == "text"


@pytest.mark.parametrize("fmt", ["json", "text"])
def test_every_line_carries_the_current_request_id(fmt: str) -> None:
    config = logging_config(fmt, "info")  # type: ignore[arg-type]
    factory = config["formatters"][fmt]["()"]  # the factory dictConfig calls
    module, _, name = factory.rpartition(".")
    made = getattr(__import__(module, fromlist=[name]), name)()
    out = io.StringIO()
    handler = logging.StreamHandler(out)
    handler.setFormatter(made)
    handler.addFilter(RequestContextFilter())
    log = logging.getLogger("charter.test-lines")
    log.addHandler(handler)
    log.setLevel(logging.INFO)
    log.propagate = False
    try:
        start_request("req-42")
        note_caller("org-1", "alice")
        log.info("inside %s", "a request")
        start_request("req-43")
        log.warning("another")
    finally:
        log.removeHandler(handler)
    first, second = out.getvalue().splitlines()
    if fmt == "json":
        line = json.loads(first)
        assert line["request_id"] == "req-42" and line["message"] == "inside a request"
        assert line["level"] == "INFO" and line["logger"] == "charter.test-lines"
        assert line["time"].endswith("+00:00")
        assert json.loads(second)["request_id"] == "req-43"
    else:
        assert "[req-42] inside a request" in first and "[req-43] another" in second


def test_access_lines_follow_the_access_log_switch() -> None:
    on = logging_config("json", "info")
    off = logging_config("json", "info", access_log=False)
    assert on["loggers"]["charter.access"]["level"] == "INFO"
    assert off["loggers"]["charter.access"]["level"] == "WARNING"
    assert on["loggers"]["uvicorn.access"]["propagate"] is False  # ours replaces it


def test_tracing_is_off_unless_the_standard_variables_ask() -> None:
    assert not tracing_requested({})
    assert not tracing_requested({"OTEL_SERVICE_NAME": "charter"})
    assert tracing_requested({"OTEL_EXPORTER_OTLP_ENDPOINT": "http://127.0.0.1:4318"})
    assert tracing_requested({"OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": "http://127.0.0.1:4318"})
    assert tracing_requested({"OTEL_TRACES_EXPORTER": "console"})
    assert not tracing_requested({"OTEL_TRACES_EXPORTER": "none"})
    assert not tracing_requested({"OTEL_TRACES_EXPORTER": "console", "OTEL_SDK_DISABLED": "true"})


def test_an_unsupported_exporter_is_refused_before_serving() -> None:
    check_tracing({"OTEL_TRACES_EXPORTER": "console,otlp"})
    with pytest.raises(TracingUnavailable, match="'zipkin' is not supported"):
        check_tracing({"OTEL_TRACES_EXPORTER": "zipkin"})


def test_a_dead_workers_live_gauges_leave_the_sums(tmp_path: Path) -> None:
    """A worker killed without stopping: its files stay; the next scrape marks it dead."""
    worker = subprocess.run(
        [
            sys.executable,
            "-c",
            "from app.metrics import Metrics; Metrics().pool('write', 3, 10, 0)",
        ],
        env={**os.environ, "PROMETHEUS_MULTIPROC_DIR": str(tmp_path)},
        check=True,
    )
    assert worker.returncode == 0
    live = sorted(p.name for p in tmp_path.glob("gauge_live*.db"))
    assert len(live) == 2  # charter_worker_up (liveall) and the pool gauges (livesum)
    mine = tmp_path / f"gauge_livesum_{os.getpid()}.db"  # a live worker's
    mine.write_bytes(b"")
    mark_dead_workers(str(tmp_path))
    assert [p.name for p in tmp_path.glob("gauge_live*.db")] == [mine.name]
