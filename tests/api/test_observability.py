"""Logs, metrics and traces of requests through the real stack (README "Operations")."""

from __future__ import annotations

import io
import json
import logging
import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from sqlalchemy import text

from app.config import Settings
from app.logs import RequestContextFilter, json_formatter
from app.main import create_app
from app.tracing import instrument
from tests.conftest import Org


def _logged(out: io.StringIO) -> list[dict[str, Any]]:
    return [json.loads(line) for line in out.getvalue().splitlines()]


@pytest.fixture
def captured() -> Iterator[io.StringIO]:
    out = io.StringIO()
    handler = logging.StreamHandler(out)
    handler.setFormatter(json_formatter())
    handler.addFilter(RequestContextFilter())
    charter = logging.getLogger("charter")
    level = charter.level
    charter.addHandler(handler)
    charter.setLevel(logging.INFO)
    try:
        yield out
    finally:
        charter.removeHandler(handler)
        charter.setLevel(level)


async def test_one_access_line_per_request_with_route_template_and_caller(
    client: httpx.AsyncClient, org: Org, captured: io.StringIO
) -> None:
    missing = uuid.uuid4()
    r = await client.get(
        f"/api/v1/projects/{missing}", headers={**org.viewer, "X-Request-ID": "obs-404"}
    )
    assert r.status_code == 404
    anonymous = await client.get("/api/v1/projects")
    assert anonymous.status_code == 401
    access = [line for line in _logged(captured) if line["logger"] == "charter.access"]
    assert len(access) == 2
    first, second = access
    assert first["request_id"] == "obs-404"
    assert first["method"] == "GET" and first["status"] == 404
    assert first["route"] == "/api/v1/projects/{project_id}"  # the template, not the id
    assert str(missing) not in json.dumps(first)
    assert first["org"] == org.id and first["sub"] == "user-viewer"
    assert isinstance(first["duration_ms"], float) and first["duration_ms"] >= 0
    assert first["level"] == "INFO" and first["time"]
    assert second["request_id"] == anonymous.headers["x-request-id"]
    assert second["status"] == 401 and second["org"] is None and second["sub"] is None


async def test_graphql_error_lines_carry_the_request_id(
    client: httpx.AsyncClient, org: Org, captured: io.StringIO
) -> None:
    r = await client.post(
        "/graphql",
        json={"query": "{ noSuchField }"},
        headers={**org.viewer, "X-Request-ID": "obs-gql"},
    )
    assert r.status_code == 200 and r.json()["errors"]
    logged = _logged(captured)
    errors = [line for line in logged if line["logger"] == "charter.graphql"]
    assert errors and all(line["request_id"] == "obs-gql" for line in errors)
    (access,) = [line for line in logged if line["logger"] == "charter.access"]
    assert access["request_id"] == "obs-gql" and access["route"] == "/graphql"


def _sample(metrics: str, name: str, **labels: str) -> float | None:
    """The value of one series in a Prometheus text exposition (labels in any order)."""
    for line in metrics.splitlines():
        if not line.startswith(name + "{"):
            continue
        series, _, value = line.rpartition(" ")
        found = dict(part.split("=", 1) for part in series[len(name) + 1 : -1].split(",") if part)
        if {k: v.strip('"') for k, v in found.items()} == labels:
            return float(value)
    return None


async def test_graphql_operations_are_counted_by_name_and_outcome(
    client: httpx.AsyncClient, org: Org
) -> None:
    ok, bad = f"Ok{uuid.uuid4().hex[:8]}", f"Bad{uuid.uuid4().hex[:8]}"
    for _ in range(2):
        r = await client.post(
            "/graphql", json={"query": f"query {ok} {{ viewer {{ sub }} }}"}, headers=org.viewer
        )
        assert r.status_code == 200 and "errors" not in r.json()
    r = await client.post(
        "/graphql", json={"query": f"query {bad} {{ noSuchField }}"}, headers=org.viewer
    )
    assert r.status_code == 200 and r.json()["errors"]  # a 200, but not a success
    metrics = (await client.get("/metrics")).text
    ops = "charter_graphql_operations_total"
    assert _sample(metrics, ops, operation=ok, outcome="ok", type="query") == 2.0
    assert _sample(metrics, ops, operation=ok, outcome="error", type="query") is None
    assert _sample(metrics, ops, operation=bad, outcome="error", type="query") == 1.0
    errors = "charter_graphql_errors_total"
    assert _sample(metrics, errors, operation=bad, code="GRAPHQL_VALIDATION") == 1.0
    count = "charter_graphql_operation_duration_seconds_count"
    assert _sample(metrics, count, operation=ok, type="query") == 2.0


async def test_operation_names_are_bounded(client: httpx.AsyncClient, org: Org) -> None:
    r = await client.post("/graphql", json={"query": "{ viewer { sub } }"}, headers=org.viewer)
    assert r.status_code == 200
    metrics = (await client.get("/metrics")).text
    assert 'operation="anonymous"' in metrics
    app_metrics = client._transport.app.state.metrics  # type: ignore[attr-defined]
    assert app_metrics.operation_label("a-b") == "invalid"
    assert app_metrics.operation_label("x" * 65) == "invalid"


async def test_pool_gauges_follow_connections_in_use(settings: Settings, org: Org) -> None:
    app = create_app(settings)  # pools of its own, as served
    try:
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://t"
        ) as c:
            assert (await c.get("/api/v1/projects", headers=org.viewer)).status_code == 200
            idle = (await c.get("/metrics")).text
            assert _sample(idle, "charter_db_pool_size", pool="read") == settings.db_pool_size
            assert _sample(idle, "charter_db_pool_size", pool="write") == settings.db_pool_size
            assert _sample(idle, "charter_db_pool_checked_out", pool="read") == 0.0
            assert _sample(idle, "charter_db_pool_overflow", pool="read") == 0.0
            async with app.state.engine.connect():
                busy = (await c.get("/metrics")).text
            assert _sample(busy, "charter_db_pool_checked_out", pool="write") == 1.0
            after = (await c.get("/metrics")).text
            assert _sample(after, "charter_db_pool_checked_out", pool="write") == 0.0
    finally:
        await app.state.engine.dispose()
        await app.state.read_engine.dispose()


async def test_traces_cover_the_request_and_its_sql(settings: Settings, org: Org) -> None:
    app = create_app(settings)
    exporter = InMemorySpanExporter()
    undo = instrument(app, exporter=exporter)
    try:
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://t"
        ) as c:
            r = await c.get("/api/v1/people", headers=org.viewer)
            assert r.status_code == 200
            assert (await c.get("/healthz")).status_code == 200  # probes are not traced
        async with app.state.engine.connect() as outside:  # SQL outside any request
            await outside.execute(text("SELECT 'outside a request'"))
    finally:
        undo()
        await app.state.engine.dispose()
        await app.state.read_engine.dispose()
    spans = exporter.get_finished_spans()
    (server,) = [s for s in spans if s.name == "GET /api/v1/people"]
    sql = [s for s in spans if (s.attributes or {}).get("db.system") == "postgresql"]
    people = [s for s in sql if "people" in str((s.attributes or {}).get("db.statement", ""))]
    assert people, [s.name for s in spans]
    assert all(s.context.trace_id == server.context.trace_id for s in people)
    assert not [s for s in spans if "healthz" in s.name]
    assert not [s for s in spans if "outside a request" in str(s.attributes)]
    assert not [s for s in spans if s.name.endswith((" send", " receive"))]


async def test_an_operation_over_its_time_budget_is_counted_as_cut_short(
    settings: Settings, engine: Any, org: Org
) -> None:
    app = create_app(settings.model_copy(update={"graphql_timeout_seconds": 1e-9}), engine=engine)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as c:
        r = await c.post(
            "/graphql", json={"query": "query Slow { projects { totalCount } }"}, headers=org.viewer
        )
        assert r.json()["errors"][0]["extensions"]["code"] == "TIMEOUT"
        metrics = (await c.get("/metrics")).text
    ops = "charter_graphql_operations_total"
    assert _sample(metrics, ops, operation="Slow", outcome="error", type="query") == 1.0
    assert _sample(metrics, ops, operation="Slow", outcome="ok", type="query") is None
    errors = "charter_graphql_errors_total"
    assert _sample(metrics, errors, operation="Slow", code="CANCELLED") == 1.0


async def test_an_unexpected_error_is_logged_with_its_request_id(
    settings: Settings, engine: Any, captured: io.StringIO
) -> None:
    app = create_app(settings, engine=engine)

    async def boom() -> None:
        raise RuntimeError("a bug")

    app.add_api_route("/boom", boom, operation_id="boom")  # not in the operations table
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as c:
        r = await c.get("/boom", headers={"X-Request-ID": "obs-500"})
    assert r.status_code == 500 and r.json()["request_id"] == "obs-500"
    logged = _logged(captured)
    (error,) = [line for line in logged if line["logger"] == "charter.errors"]
    assert error["request_id"] == "obs-500" and error["level"] == "ERROR"
    assert "RuntimeError: a bug" in error["exc_info"]
    (access,) = [line for line in logged if line["logger"] == "charter.access"]
    assert access["request_id"] == "obs-500" and access["status"] == 500
