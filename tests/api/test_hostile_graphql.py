"""Issue 10's findings about GraphQL, production behaviour and response headers, replayed
through the real stack (REST beside GraphQL where both apply)."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from app.config import Settings
from app.infra.postgres.raw import counted as counting
from app.main import create_app
from tests.api.helpers import gql, make_project
from tests.conftest import SECRET, Org

ATTACK = """{ projects(first: 20) { edges { node { milestones(first: 100) { edges { node {
  dependencies { predecessor { dependents { successor { name } } } } } } } } } } }"""


@pytest.fixture
async def production(
    server_url: str, engine: AsyncEngine, read_engine: AsyncEngine
) -> AsyncIterator[httpx.AsyncClient]:
    settings = Settings(
        database_url=server_url, jwt_secret=SECRET, env="production", data_dir=Path("/tmp")
    )
    app = create_app(settings, engine=engine, read_engine=read_engine)
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as c:
        yield c


# Finding 1: a query's cost is refused before any SQL, whatever the tenant's size.
async def test_the_stalling_query_is_refused_with_its_cost_before_any_sql(
    client: httpx.AsyncClient, org: Org, read_engine: AsyncEngine, engine: AsyncEngine
) -> None:
    with counting(read_engine) as reads, counting(engine) as writes:
        data = await gql(client, ATTACK, org.viewer)
    error = data["errors"][0]
    assert data["data"] is None and error["extensions"]["code"] == "QUERY_TOO_COMPLEX"
    assert error["extensions"]["cost"] > error["extensions"]["maxCost"] == 25_000
    assert reads == [] and writes == []


async def test_aliases_multiply_the_cost_and_variables_count_as_sent(
    client: httpx.AsyncClient, org: Org
) -> None:
    one = "a: projects(first: $n) { edges { node { milestones(first: 100) { edges { node { name } } } } } }"
    query = "query($n: Int) { " + " ".join(one.replace("a:", f"a{i}:") for i in range(4)) + " }"
    cheap = await gql(client, query, org.viewer, n=10)
    assert "errors" not in cheap, cheap
    dear = await gql(client, query, org.viewer, n=100)
    assert dear["errors"][0]["extensions"]["code"] == "QUERY_TOO_COMPLEX"
    assert dear["errors"][0]["extensions"]["cost"] == 4 * (1 + 100 * (2 + 1 + 100 * 3))


async def test_dependency_lists_are_bounded_by_first(client: httpx.AsyncClient, org: Org) -> None:
    project = await make_project(client, org)
    query = """query($id: ID!, $n: Int!) { project(id: $id) { milestones { edges { node {
      dependencies(first: $n) { lagDays } dependents(first: $n) { lagDays } } } } } }"""
    assert "errors" not in await gql(client, query, org.viewer, id=project["id"], n=100)
    r = await client.post(
        f"/api/v1/projects/{project['id']}/milestones",
        json={"name": "M", "start_date": "2026-01-05", "due_date": "2026-01-09"},
        headers=org.manager,
    )
    assert r.status_code == 201
    refused = await gql(client, query, org.viewer, id=project["id"], n=101)
    assert refused["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


async def _client_with(app_settings: Settings, engine: AsyncEngine) -> httpx.AsyncClient:
    app = create_app(app_settings, engine=engine)
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    return httpx.AsyncClient(transport=transport, base_url="http://test")


async def test_the_cost_limit_and_the_time_budget_are_settings(
    server_url: str, engine: AsyncEngine, org: Org
) -> None:
    base = {"database_url": server_url, "jwt_secret": SECRET, "data_dir": Path("/tmp")}
    query = "{ projects(first: 5) { edges { node { key name } } } }"  # cost 1 + 5 x 4 = 21
    async with await _client_with(Settings(**base, graphql_max_cost=20), engine) as strict:
        data = await gql(strict, query, org.viewer)
        extensions = dict(data["errors"][0]["extensions"])
        assert extensions.pop("requestId")
        assert extensions == {"code": "QUERY_TOO_COMPLEX", "cost": 21, "maxCost": 20}
    async with await _client_with(Settings(**base, graphql_max_cost=21), engine) as enough:
        assert "errors" not in await gql(enough, query, org.viewer)
    hurried = Settings(**base, graphql_timeout_seconds=1e-9)
    async with await _client_with(hurried, engine) as c:
        data = await gql(c, "{ projects { totalCount } }", org.viewer)
        assert data["data"] is None and data["errors"][0]["extensions"]["code"] == "TIMEOUT"


# Finding 5: JSON nested too deep is a 400, not a 500.
@pytest.mark.parametrize("depth", [65, 1000, 100_000])
async def test_deeply_nested_json_to_graphql_is_a_400(
    client: httpx.AsyncClient, depth: int
) -> None:
    body = '{"query": "{ viewer { sub } }", "variables": {"a": ' + "[" * depth + "]" * depth + "}}"
    r = await client.post("/graphql", content=body, headers={"content-type": "application/json"})
    assert r.status_code == 400, r.text
    assert r.headers["content-type"].startswith("application/problem+json")


# Finding 9: no "Did you mean" in production, even to callers without a token.
@pytest.mark.parametrize(
    "query",
    [
        "{ projects(frist: 1) { totalCount } }",
        "{ projects(filter: {phaze: EXECUTION}) { totalCount } }",
        "{ projects(filter: {phase: EXECUTON}) { totalCount } }",
        "query($f: ProjectFiltr) { projects(filter: $f) { totalCount } }",
        "{ projectz { totalCount } }",
    ],
)
async def test_production_suggests_nothing(
    production: httpx.AsyncClient, client: httpx.AsyncClient, query: str
) -> None:
    data = (await production.post("/graphql", json={"query": query})).json()
    assert data["errors"] and all("Did you mean" not in e["message"] for e in data["errors"])
    development = (await client.post("/graphql", json={"query": query})).json()
    assert development["errors"]  # the same mistake is still an error in development


# Finding 11: expected errors are one short line, without traceback or query text.
async def test_expected_graphql_errors_are_logged_as_one_short_line(
    client: httpx.AsyncClient, org: Org, caplog: pytest.LogCaptureFixture
) -> None:
    secret_text = "xyzzy-not-in-logs"
    queries = [
        ("{ viewer { sub } }", {}),  # no token: UNAUTHENTICATED
        (f'{{ project(id: "{secret_text}") {{ id }} }}', org.viewer),
        (f"{{ {secret_text} }}", org.viewer),  # validation
        (f'{{ "{secret_text}" ', org.viewer),  # syntax
    ]
    with caplog.at_level(logging.DEBUG):
        for query, headers in queries:
            await client.post("/graphql", json={"query": query}, headers=headers)
    records = [r for r in caplog.records if r.name.startswith(("charter", "strawberry"))]
    assert records
    for record in records:
        assert record.levelno < logging.ERROR and record.exc_info is None
        assert "{" not in record.getMessage() and len(record.getMessage()) < 300


# Finding 12: headers, and the operationName rule.
async def test_responses_carry_the_security_headers_and_no_server_details(
    production: httpx.AsyncClient, client: httpx.AsyncClient, org: Org
) -> None:
    for r in (
        await production.get("/api/v1/projects", headers=org.viewer),
        await production.post("/graphql", json={"query": "{ viewer { sub } }"}, headers=org.viewer),
        await production.get("/healthz"),
    ):
        assert r.headers["x-content-type-options"] == "nosniff"
        assert "server-timing" not in r.headers and "server" not in r.headers
    authenticated = await production.get("/api/v1/projects", headers=org.viewer)
    assert authenticated.headers["cache-control"] == "no-store"
    assert "server-timing" in (await client.get("/healthz")).headers  # development only


async def test_several_operations_without_an_operation_name_run_nothing(
    client: httpx.AsyncClient, org: Org
) -> None:
    document = (
        "query A { viewer { sub } } "
        'mutation B { createProject(input: {key: "OPN", name: "n", businessArea: OTHER, '
        'currency: "EUR"}) { project { id } } }'
    )
    data = await gql(client, document, org.manager)
    assert data["data"] is None and data["errors"][0]["extensions"]["code"] == "BAD_REQUEST"
    named = await client.post(
        "/graphql", json={"query": document, "operationName": "A"}, headers=org.manager
    )
    assert named.json()["data"]["viewer"]["sub"] == "user-manager"
    assert (await client.get("/api/v1/projects", headers=org.viewer)).json()["items"] == []
