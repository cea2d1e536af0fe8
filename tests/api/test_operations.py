"""Operational endpoints, GraphQL limits and production hardening, and a database outage."""

from __future__ import annotations

import asyncio
import contextlib
import json
import uuid
from typing import Any

import asyncpg
import httpx
from sqlalchemy.engine import make_url

from app.config import Settings
from app.main import create_app
from tests.api.helpers import assert_problem, gql, make_project
from tests.conftest import Org


async def test_healthz_and_readyz_and_metrics(client: httpx.AsyncClient, org: Org) -> None:
    assert (await client.get("/healthz")).json() == {"status": "ok"}
    assert (await client.get("/readyz")).json() == {"status": "ready"}
    await client.get("/api/v1/projects", headers=org.viewer)
    metrics = await client.get("/metrics")
    assert metrics.status_code == 200
    assert (
        'charter_http_requests_total{method="GET",route="/api/v1/projects",status="200"}'
        in metrics.text
    )


async def test_graphql_transport_errors_are_problems_and_counted(
    client: httpx.AsyncClient, org: Org
) -> None:
    broken = await client.post(
        "/graphql",
        content=b"{not json",
        headers={**org.viewer, "content-type": "application/json", "X-Request-ID": "gql-1"},
    )
    problem = assert_problem(broken, 400, "bad_request")
    assert problem["request_id"] == "gql-1" and broken.headers["x-request-id"] == "gql-1"
    assert_problem(await client.post("/graphql", json={}, headers=org.viewer), 400, "bad_request")
    assert_problem(
        await client.put("/graphql", json={}, headers=org.viewer), 405, "method_not_allowed"
    )
    ok = await client.post("/graphql", json={"query": "{ viewer { sub } }"}, headers=org.viewer)
    assert ok.status_code == 200 and ok.json()["data"]["viewer"]["sub"]
    metrics = (await client.get("/metrics")).text
    assert 'charter_http_requests_total{method="POST",route="/graphql",status="200"}' in metrics
    assert 'charter_http_requests_total{method="POST",route="/graphql",status="400"}' in metrics


async def test_unknown_routes_and_methods_are_problems(client: httpx.AsyncClient, org: Org) -> None:
    assert_problem(await client.get("/api/v1/nothing-here", headers=org.viewer), 404, "not_found")
    assert_problem(
        await client.delete("/api/v1/projects", headers=org.viewer), 405, "method_not_allowed"
    )


class TestGraphQLLimits:
    async def test_deep_queries_are_refused(self, client: httpx.AsyncClient, org: Org) -> None:
        deep = (
            "{ projects { edges { node { "
            + "activity { edges { node { " * 5
            + "id"
            + " } } }" * 5
            + " } } } }"
        )
        data = await gql(client, deep, org.viewer)
        assert "exceeds maximum operation depth" in data["errors"][0]["message"]

    async def test_alias_floods_are_refused(self, client: httpx.AsyncClient, org: Org) -> None:
        flood = "{ " + " ".join(f"a{i}: viewer {{ sub }}" for i in range(40)) + " }"
        data = await gql(client, flood, org.viewer)
        assert "aliases" in data["errors"][0]["message"].lower()

    async def test_huge_documents_are_refused_by_token_count(
        self, client: httpx.AsyncClient, org: Org
    ) -> None:
        big = "{ viewer { " + " ".join(["sub"] * 6000) + " } }"
        data = await gql(client, big, org.viewer)
        assert "token" in data["errors"][0]["message"].lower()

    async def test_field_suggestions_are_not_leaked(
        self, client: httpx.AsyncClient, org: Org
    ) -> None:
        data = await gql(client, "{ projectz { totalCount } }", org.viewer)
        assert "Did you mean" not in data["errors"][0]["message"]

    async def test_first_is_capped_at_100(self, client: httpx.AsyncClient, org: Org) -> None:
        data = await gql(client, "{ projects(first: 101) { totalCount } }", org.viewer)
        assert data["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


async def test_production_mode_has_no_ide_no_introspection_and_no_get_queries(
    settings: Settings, engine: Any
) -> None:
    app = create_app(settings.model_copy(update={"env": "production"}), engine=engine)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as c:
        ide = await c.get("/graphql", headers={"Accept": "text/html"})
        assert ide.status_code != 200 or "graphiql" not in ide.text.lower()
        via_get = await c.get("/graphql", params={"query": "{ __typename }"})
        assert via_get.status_code in (400, 404, 405)
        intro = await c.post("/graphql", json={"query": "{ __schema { types { name } } }"})
        assert "introspection" in intro.json()["errors"][0]["message"].lower()
        assert (await c.get("/docs")).status_code == 404


async def test_development_mode_serves_graphiql(client: httpx.AsyncClient) -> None:
    ide = await client.get("/graphql", headers={"Accept": "text/html"})
    assert ide.status_code == 200
    assert "graphiql" in ide.text.lower()


class OutageProxy:
    """A TCP front for the database that can be cut and restored, to stage an outage."""

    def __init__(self, target: tuple[str, str | int]) -> None:
        self.target = target
        self.server: asyncio.Server | None = None
        self.port = 0
        self.pipes: set[asyncio.Task[None]] = set()
        self.writers: set[asyncio.StreamWriter] = set()

    async def _open_target(self) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
        kind, where = self.target
        if kind == "unix":
            return await asyncio.open_unix_connection(str(where))
        host, port = str(where).rsplit(":", 1)
        return await asyncio.open_connection(host, int(port))

    async def _pipe(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        with contextlib.suppress(Exception):
            while data := await reader.read(65536):
                writer.write(data)
                await writer.drain()
        with contextlib.suppress(Exception):
            writer.close()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        up_reader, up_writer = await self._open_target()
        self.writers |= {writer, up_writer}
        for task in (self._pipe(reader, up_writer), self._pipe(up_reader, writer)):
            t = asyncio.create_task(task)
            self.pipes.add(t)
            t.add_done_callback(self.pipes.discard)

    async def start(self) -> None:
        self.server = await asyncio.start_server(self._serve, "127.0.0.1", self.port)
        self.port = self.server.sockets[0].getsockname()[1]

    async def cut(self) -> None:
        assert self.server is not None
        self.server.close()
        for w in self.writers:
            w.close()
        self.writers.clear()
        await self.server.wait_closed()


def _target(url: str) -> tuple[tuple[str, str | int], str]:
    u = make_url(url)
    socket_dir = u.query.get("host")
    if socket_dir:
        port = u.query.get("port", "5432")
        return ("unix", f"{socket_dir}/.s.PGSQL.{port}"), str(u.database)
    return ("tcp", f"{u.host}:{u.port or 5432}"), str(u.database)


async def test_a_database_outage_gives_503s_and_recovers_without_a_restart(
    settings: Settings, server_url: str, org: Org
) -> None:
    target, database = _target(server_url)
    proxy = OutageProxy(target)
    await proxy.start()
    url = f"postgresql+asyncpg://postgres@127.0.0.1:{proxy.port}/{database}"
    app = create_app(settings.model_copy(update={"database_url": url}))
    try:
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://t"
        ) as c:
            assert (await c.get("/readyz")).status_code == 200
            project = await make_project(c, org)

            await proxy.cut()
            assert (await c.get("/healthz")).status_code == 200
            down = await c.get("/readyz")
            assert down.status_code == 503
            read = await c.get(f"/api/v1/projects/{project['id']}", headers=org.viewer)
            assert_problem(read, 503, "service_unavailable")
            write = await c.post(
                "/api/v1/projects",
                headers=org.manager,
                json={"key": "OUTAGE", "name": "x", "business_area": "other", "currency": "EUR"},
            )
            assert_problem(write, 503, "service_unavailable")
            data = await gql(c, "{ projects { totalCount } }", org.viewer)
            assert data["errors"][0]["extensions"]["code"] == "SERVICE_UNAVAILABLE"

            await proxy.start()  # the database is back, same address
            for _ in range(20):
                if (await c.get("/readyz")).status_code == 200:
                    break
                await asyncio.sleep(0.25)
            assert (await c.get("/readyz")).status_code == 200
            again = await c.get(f"/api/v1/projects/{project['id']}", headers=org.viewer)
            assert again.status_code == 200
            assert again.json() == project
            keys = [
                p["key"]
                for p in (await c.get("/api/v1/projects", headers=org.viewer)).json()["items"]
            ]
            assert keys == [project["key"]]
    finally:
        if proxy.server is not None and proxy.server.is_serving():
            await proxy.cut()
        await app.state.engine.dispose()
        await app.state.read_engine.dispose()


async def test_readyz_is_503_when_migrations_are_not_current(
    settings: Settings, server_url: str
) -> None:

    u = make_url(server_url)
    name = "charter_unmigrated_" + uuid.uuid4().hex[:8]
    plain = server_url.replace("postgresql+asyncpg://", "postgresql://")
    conn = await asyncpg.connect(plain)
    try:
        await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()
    app = create_app(
        settings.model_copy(
            update={"database_url": str(u.set(database=name).render_as_string(False))}
        )
    )
    try:
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://t"
        ) as c:
            assert (await c.get("/readyz")).status_code == 503
    finally:
        await app.state.engine.dispose()
        await app.state.read_engine.dispose()
        conn = await asyncpg.connect(plain)
        try:
            await conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
        finally:
            await conn.close()


class ExplodingClock:
    """Fault injection: an unexpected failure deep inside a use case."""

    def now(self) -> Any:
        raise RuntimeError("SELECT secret FROM internals; password=hunter2")

    def today(self) -> Any:
        return self.now()


async def test_unexpected_failures_are_500_problems_that_leak_nothing(
    settings: Settings, engine: Any, org: Org, caplog: Any
) -> None:
    app = create_app(settings, engine=engine, clock=ExplodingClock())
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app, raise_app_exceptions=False), base_url="http://t"
    ) as c:
        r = await c.post(
            "/api/v1/projects",
            headers={**org.manager, "X-Request-ID": "trace-500"},
            json={"key": "BOOM", "name": "x", "business_area": "other", "currency": "EUR"},
        )
        body = assert_problem(r, 500, "internal_error")
        assert body["request_id"] == "trace-500"
        assert "secret" not in r.text and "hunter2" not in r.text and "Traceback" not in r.text
        data = await gql(
            c,
            'mutation { createProject(input: {key: "BOOM", name: "x", businessArea: OTHER, currency: "EUR"}) '
            "{ project { id } } }",
            org.manager,
        )
        assert data["errors"][0]["message"] == "Internal error"
        assert data["errors"][0]["extensions"]["code"] == "INTERNAL_SERVER_ERROR"
        assert "hunter2" not in json.dumps(data)
