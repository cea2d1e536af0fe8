"""GraphQL for browser frontends: error codes and request ids on every error, CORS, backward
paging with a full PageInfo, and enums for sort orders and user error codes."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from app.config import Settings
from app.main import create_app
from tests.api.helpers import gql, make_person, make_project, unique_key
from tests.conftest import Org

ORIGIN = "https://frontend.example"


async def post(client: httpx.AsyncClient, body: dict[str, Any], **headers: str) -> httpx.Response:
    r = await client.post("/graphql", json=body, headers=headers)
    assert r.status_code == 200, r.text
    return r


@pytest.mark.parametrize(
    ("query", "variables", "code"),
    [
        ("{ projects(first: 1) { totalCount }", None, "GRAPHQL_PARSE_FAILED"),
        ("{ noSuchField }", None, "GRAPHQL_VALIDATION_FAILED"),
        ('{ projects(sort: "title") { totalCount } }', None, "BAD_USER_INPUT"),
        (
            "query($s: ProjectSort!) { projects(sort: $s) { totalCount } }",
            {"s": "TITLE"},
            "BAD_USER_INPUT",
        ),
        ("{ projects(first: 0) { totalCount } }", None, "BAD_USER_INPUT"),
        ("{ projects(first: 2, last: 2) { totalCount } }", None, "BAD_USER_INPUT"),
    ],
)
async def test_every_error_carries_a_code_and_the_request_id(
    client: httpx.AsyncClient, org: Org, query: str, variables: Any, code: str
) -> None:
    r = await post(client, {"query": query, "variables": variables}, **org.viewer)
    errors = r.json()["errors"]
    assert errors, r.text
    for error in errors:
        assert error["extensions"]["code"] == code, error
        assert error["extensions"]["requestId"] == r.headers["x-request-id"], error
    # A request id the caller chose is the one its errors name.
    mine = await post(
        client, {"query": query, "variables": variables}, **org.viewer, **{"X-Request-ID": "f-1"}
    )
    assert {e["extensions"]["requestId"] for e in mine.json()["errors"]} == {"f-1"}


async def test_domain_errors_keep_their_code_and_gain_the_request_id(
    client: httpx.AsyncClient, org: Org
) -> None:
    anonymous = await post(client, {"query": "{ viewer { sub } }"})
    error = anonymous.json()["errors"][0]
    assert error["extensions"] == {
        "code": "UNAUTHENTICATED",
        "requestId": anonymous.headers["x-request-id"],
    }
    create = """mutation($i: CreatePersonInput!) { createPerson(input: $i) { person { id } } }"""
    viewer = await post(
        client,
        {"query": create, "variables": {"i": {"name": "A", "email": "a@example.com"}}},
        **org.viewer,
    )
    assert viewer.json()["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert viewer.json()["errors"][0]["extensions"]["requestId"] == viewer.headers["x-request-id"]


async def test_user_error_codes_are_an_enum(client: httpx.AsyncClient, org: Org) -> None:
    project = await make_project(client, org)
    again = await gql(
        client,
        """mutation($i: CreateProjectInput!) {
             createProject(input: $i) { project { id } userErrors { field code message } } }""",
        org.manager,
        i={
            "key": project["key"],
            "name": "Twin",
            "businessArea": "SOFTWARE_DEVELOPMENT",
            "currency": "EUR",
        },
    )
    assert again["data"]["createProject"]["userErrors"][0]["code"] == "KEY_TAKEN"
    enum = await gql(
        client, '{ __type(name: "UserErrorCode") { enumValues { name } } }', org.viewer
    )
    names = {v["name"] for v in enum["data"]["__type"]["enumValues"]}
    assert {"VALIDATION_FAILED", "KEY_TAKEN", "IDEMPOTENCY_KEY_REUSED"} <= names


PROJECTS = """
query($first: Int, $after: String, $last: Int, $before: String, $q: String, $sort: ProjectSort!) {
  projects(first: $first, after: $after, last: $last, before: $before,
           filter: {q: $q}, sort: $sort) {
    edges { cursor node { key } }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  }
}
"""


async def _page(client: httpx.AsyncClient, org: Org, **args: Any) -> dict[str, Any]:
    data = await gql(client, PROJECTS, org.viewer, **{"sort": "KEY", **args})
    assert "errors" not in data, data
    return dict(data["data"]["projects"])


def _keys(page: dict[str, Any]) -> list[str]:
    return [e["node"]["key"] for e in page["edges"]]


async def test_pages_go_backward_with_last_and_before(client: httpx.AsyncClient, org: Org) -> None:
    made = sorted([(await make_project(client, org, name="Pager"))["key"] for _ in range(5)])
    head = await _page(client, org, first=2, q="Pager")
    assert _keys(head) == made[:2]
    assert head["pageInfo"]["hasNextPage"] is True
    assert head["pageInfo"]["hasPreviousPage"] is False
    assert head["pageInfo"]["startCursor"] == head["edges"][0]["cursor"]
    assert head["pageInfo"]["endCursor"] == head["edges"][-1]["cursor"]
    # The last two, in the list's own order.
    tail = await _page(client, org, last=2, q="Pager")
    assert _keys(tail) == made[3:]
    assert tail["pageInfo"] == {
        "hasNextPage": False,
        "hasPreviousPage": True,
        "startCursor": tail["edges"][0]["cursor"],
        "endCursor": tail["edges"][-1]["cursor"],
    }
    # Back from the tail's start: the two before it, then the first one alone.
    middle = await _page(client, org, last=2, before=tail["pageInfo"]["startCursor"], q="Pager")
    assert _keys(middle) == made[1:3]
    assert middle["pageInfo"]["hasNextPage"] is True
    assert middle["pageInfo"]["hasPreviousPage"] is True
    start = await _page(client, org, last=2, before=middle["pageInfo"]["startCursor"], q="Pager")
    assert _keys(start) == made[:1]
    assert start["pageInfo"]["hasPreviousPage"] is False
    # Forward from a cursor there is a previous page; the same cursors serve both ways.
    forward = await _page(client, org, first=10, after=start["pageInfo"]["endCursor"], q="Pager")
    assert _keys(forward) == made[1:]
    assert forward["pageInfo"]["hasPreviousPage"] is True
    assert forward["pageInfo"]["hasNextPage"] is False
    # Descending order pages backward too.
    desc = await _page(client, org, last=2, q="Pager", sort="KEY_DESC")
    assert _keys(desc) == made[:2][::-1]


async def test_nested_connections_page_backward_through_the_loaders(
    client: httpx.AsyncClient, org: Org
) -> None:
    project = await make_project(client, org)
    for title in ("A", "B", "C"):
        r = await client.post(
            f"/api/v1/projects/{project['id']}/risks",
            json={"title": title, "probability": 2, "impact": 2, "category": "technical"},
            headers=org.manager,
        )
        assert r.status_code == 201, r.text
    query = """query($id: ID!, $last: Int, $before: String) {
      project(id: $id) { risks(last: $last, before: $before, sort: REVIEW_ON) {
        edges { cursor node { title } } pageInfo { hasPreviousPage hasNextPage startCursor } } } }"""
    all_ = await gql(client, query, org.viewer, id=project["id"], last=100)
    titles = [e["node"]["title"] for e in all_["data"]["project"]["risks"]["edges"]]
    assert sorted(titles) == ["A", "B", "C"]
    tail = await gql(client, query, org.viewer, id=project["id"], last=1)
    page = tail["data"]["project"]["risks"]
    assert [e["node"]["title"] for e in page["edges"]] == titles[2:]
    assert page["pageInfo"]["hasPreviousPage"] is True
    before = await gql(
        client, query, org.viewer, id=project["id"], last=5, before=page["pageInfo"]["startCursor"]
    )
    assert [e["node"]["title"] for e in before["data"]["project"]["risks"]["edges"]] == titles[:2]
    # A cursor of another list is refused.
    wrong = await gql(
        client,
        "query($b: String) { projects(last: 1, before: $b) { totalCount } }",
        org.viewer,
        b=page["pageInfo"]["startCursor"],
    )
    assert wrong["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


async def test_last_prices_a_connection_like_first(client: httpx.AsyncClient, org: Org) -> None:
    many = """{ projects(last: 100) { edges { node {
      assignments(last: 100) { edges { node { id } } } } } } }"""
    data = await gql(client, many, org.viewer)
    assert data["errors"][0]["extensions"]["code"] == "QUERY_TOO_COMPLEX"


@pytest.fixture
async def cors_client(
    settings: Settings, engine: AsyncEngine, read_engine: AsyncEngine
) -> AsyncIterator[httpx.AsyncClient]:
    allowed = settings.model_copy(update={"cors_origins": f"{ORIGIN}, http://localhost:5173"})
    app = create_app(allowed, engine=engine, read_engine=read_engine)
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as c:
        yield c


PREFLIGHT = {
    "Origin": ORIGIN,
    "Access-Control-Request-Method": "POST",
    "Access-Control-Request-Headers": "authorization, content-type, idempotency-key",
}


@pytest.mark.parametrize("path", ["/graphql", "/api/v1/projects"])
async def test_a_listed_origin_passes_the_preflight(
    cors_client: httpx.AsyncClient, path: str
) -> None:
    r = await cors_client.options(path, headers=PREFLIGHT)
    assert r.status_code == 200, r.text
    assert r.headers["access-control-allow-origin"] == ORIGIN
    allowed = r.headers["access-control-allow-headers"].lower()
    assert {"authorization", "content-type", "idempotency-key", "if-match"} <= {
        h.strip() for h in allowed.split(",")
    }
    assert "POST" in r.headers["access-control-allow-methods"]
    other = await cors_client.options(path, headers={**PREFLIGHT, "Origin": "https://evil.example"})
    assert other.status_code == 400
    assert "access-control-allow-origin" not in other.headers


async def test_cross_origin_responses_expose_what_clients_read(
    cors_client: httpx.AsyncClient, org: Org
) -> None:
    r = await cors_client.post(
        "/api/v1/projects",
        json={"key": unique_key(), "name": "X", "business_area": "other", "currency": "EUR"},
        headers={**org.manager, "Origin": ORIGIN},
    )
    assert r.status_code == 201, r.text
    assert r.headers["access-control-allow-origin"] == ORIGIN
    exposed = {h.strip().lower() for h in r.headers["access-control-expose-headers"].split(",")}
    assert {"etag", "location", "x-request-id", "idempotent-replayed", "retry-after"} <= exposed
    g = await cors_client.post(
        "/graphql", json={"query": "{ viewer { org } }"}, headers={**org.viewer, "Origin": ORIGIN}
    )
    assert g.json() == {"data": {"viewer": {"org": org.id}}}
    assert g.headers["access-control-allow-origin"] == ORIGIN


async def test_no_origin_is_allowed_by_default(client: httpx.AsyncClient) -> None:
    r = await client.options("/graphql", headers=PREFLIGHT)
    assert "access-control-allow-origin" not in r.headers
    assert r.status_code == 405


async def test_in_memory_lists_page_backward_too(client: httpx.AsyncClient, org: Org) -> None:
    """Lists cut in memory (availability, a risk's assessments) page like the SQL ones."""
    for name in ("Ann", "Bob", "Cy"):
        await make_person(client, org, name=name)
    query = """query($last: Int, $before: String, $first: Int) {
      availablePeople(from: "2027-01-04", to: "2027-01-31", first: $first, last: $last,
                      before: $before) {
        edges { cursor node { name } } pageInfo { hasPreviousPage hasNextPage startCursor } } }"""
    everyone = await gql(client, query, org.viewer, first=100)
    names = [e["node"]["name"] for e in everyone["data"]["availablePeople"]["edges"]]
    assert sorted(names) == ["Ann", "Bob", "Cy"]
    tail = (await gql(client, query, org.viewer, last=2))["data"]["availablePeople"]
    assert [e["node"]["name"] for e in tail["edges"]] == names[1:]
    assert tail["pageInfo"]["hasPreviousPage"] is True and tail["pageInfo"]["hasNextPage"] is False
    head = await gql(client, query, org.viewer, last=2, before=tail["pageInfo"]["startCursor"])
    page = head["data"]["availablePeople"]
    assert [e["node"]["name"] for e in page["edges"]] == names[:1]
    assert page["pageInfo"] == {
        "hasPreviousPage": False,
        "hasNextPage": True,
        "startCursor": page["edges"][0]["cursor"],
    }

    project = await make_project(client, org)
    r = await client.post(
        f"/api/v1/projects/{project['id']}/risks",
        json={"title": "R", "probability": 1, "impact": 1, "category": "technical"},
        headers=org.manager,
    )
    risk_url = f"/api/v1/projects/{project['id']}/risks/{r.json()['id']}/assessments"
    for level in (2, 3, 4):
        body = {"probability": level, "impact": 1}
        assert (await client.post(risk_url, json=body, headers=org.manager)).status_code == 201
    history = """query($id: ID!, $last: Int, $before: String) { risk(id: $id) {
      assessments(last: $last, before: $before) {
        edges { node { toProbability } } pageInfo { hasPreviousPage hasNextPage startCursor } } } }"""
    newest_first = [4, 3, 2, 1]
    oldest = (await gql(client, history, org.viewer, id=r.json()["id"], last=2))["data"]
    found = oldest["risk"]["assessments"]
    assert [e["node"]["toProbability"] for e in found["edges"]] == newest_first[2:]
    assert found["pageInfo"]["hasPreviousPage"] is True
    assert found["pageInfo"]["hasNextPage"] is False
    newer = await gql(
        client, history, org.viewer, id=r.json()["id"], last=5,
        before=found["pageInfo"]["startCursor"],
    )  # fmt: skip
    page = newer["data"]["risk"]["assessments"]
    assert [e["node"]["toProbability"] for e in page["edges"]] == newest_first[:2]
    assert page["pageInfo"]["hasPreviousPage"] is False and page["pageInfo"]["hasNextPage"] is True
