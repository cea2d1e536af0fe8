"""Issue 10's findings replayed through the real stack, REST and GraphQL side by side:
each is a 4xx (or a correct answer), never a 500 or a stalled server. The header-size
limit lives in the HTTP server and is tested through `charter serve`
(tests/integration/test_serve_limits.py); the GraphQL-only findings are in
test_hostile_graphql.py."""

from __future__ import annotations

import base64
import json
import time
from typing import Any

import httpx
import jwt
import pytest

from tests.api.helpers import assert_problem, gql, make_person, make_project
from tests.api.ledger_helpers import entries_url, posted
from tests.conftest import AUDIENCE, ISSUER, SECRET, Org


def _cursor(value: Any) -> str:
    return base64.urlsafe_b64encode(json.dumps(value).encode()).decode().rstrip("=")


def _json(body: Any) -> bytes:
    return json.dumps(body).encode()  # ASCII escapes keep lone surrogates sendable


PROJECT = {"key": "HX", "name": "ok", "business_area": "other", "currency": "EUR"}
GQL_CREATE = """mutation($input: CreateProjectInput!) {
  createProject(input: $input) { project { id } userErrors { field code message } } }"""


# Finding 3: NUL and lone surrogates in any text.
@pytest.mark.parametrize("bad", ["a\x00b", "a\ud800b", "\udfff"])
async def test_unsafe_text_in_a_body_is_a_422_naming_the_field(
    client: httpx.AsyncClient, org: Org, bad: str
) -> None:
    r = await client.post(
        "/api/v1/projects",
        content=_json({**PROJECT, "name": bad}),
        headers={**org.manager, "content-type": "application/json"},
    )
    assert_problem(r, 422, "validation_failed", "body.name")
    project = await make_project(client, org)
    budget = await posted(client, org, project, "budget", "10", occurred_on="2026-01-03")
    r = await client.post(
        entries_url(project, budget["id"]) + "/reversal",
        content=_json({"reason": bad}),
        headers={**org.manager, "content-type": "application/json"},
    )
    assert_problem(r, 422, "validation_failed", "body.reason")


@pytest.mark.parametrize("path", ["/api/v1/projects", "/api/v1/people"])
async def test_a_nul_in_a_query_parameter_is_a_422(
    client: httpx.AsyncClient, org: Org, path: str
) -> None:
    r = await client.get(path + "?q=%00", headers=org.viewer)
    assert_problem(r, 422, "validation_failed", "query.q")


async def test_unsafe_text_in_graphql_literals_and_variables_is_refused(
    client: httpx.AsyncClient, org: Org
) -> None:
    literal = (
        'mutation { createProject(input: {key: "HX", name: "a\\u0000b", '
        'businessArea: OTHER, currency: "EUR"}) { project { id } } }'
    )
    data = await gql(client, literal, org.manager)
    assert data["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    variables = {"key": "HX", "name": "a\x00b", "businessArea": "OTHER", "currency": "EUR"}
    data = await gql(client, GQL_CREATE, org.manager, input=variables)
    assert data["data"] is None and data["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    data = await gql(client, "{ projects(filter: {q: $q}) { totalCount } }", org.viewer)
    assert "errors" in data  # an undeclared variable is a validation error, not a 500
    assert (await client.get("/api/v1/projects", headers=org.viewer)).json()["items"] == []


@pytest.mark.parametrize("claim", ["org", "sub"])
async def test_a_nul_in_a_token_claim_is_a_401(client: httpx.AsyncClient, claim: str) -> None:
    claims = {"sub": "s", "org": "o", "roles": ["admin"], "iss": ISSUER, "aud": AUDIENCE}
    claims |= {claim: "x\x00y", "exp": int(time.time()) + 60}
    auth = {"Authorization": "Bearer " + jwt.encode(claims, SECRET, algorithm="HS256")}
    assert_problem(await client.get("/api/v1/projects", headers=auth), 401, "unauthenticated")
    data = (
        await client.post("/graphql", json={"query": "{ viewer { sub } }"}, headers=auth)
    ).json()
    assert data["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


# Finding 4: cursors are typed, size-limited and bound to the list that issued them.
BAD_CURSORS = [
    _cursor([1, 2]),
    _cursor(["x", 1.5]),
    _cursor(["x", [1], {"a": 1}]),
    _cursor(["x", 10**30, "y"]),
    base64.urlsafe_b64encode(b"[" * 1000 + b"]" * 1000).decode(),
    base64.urlsafe_b64encode(b"[" * 150 + b"]" * 150).decode(),  # under the size limit
    "[" * 1000,
    "A" * 5000,
]


@pytest.mark.parametrize("cursor", BAD_CURSORS)
async def test_a_badly_typed_cursor_is_a_422_in_rest_and_an_error_in_graphql(
    client: httpx.AsyncClient, org: Org, cursor: str
) -> None:
    project = await make_project(client, org)
    for path in (
        "/api/v1/projects",
        "/api/v1/people",
        f"/api/v1/projects/{project['id']}/milestones",
        f"/api/v1/projects/{project['id']}/risks",
        f"/api/v1/projects/{project['id']}/issues",
        entries_url(project),
    ):
        r = await client.get(path, params={"cursor": cursor}, headers=org.viewer)
        assert_problem(r, 422, "validation_failed", "query.cursor")
    data = await gql(
        client, "query($a: String) { projects(after: $a) { totalCount } }", org.viewer, a=cursor
    )
    assert data["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


async def test_a_cursor_from_another_list_of_the_same_shape_is_refused(
    client: httpx.AsyncClient, org: Org
) -> None:
    for name in ("Ann", "Bob"):
        await make_person(client, org, name=name)
    people = await client.get("/api/v1/people", params={"limit": 1}, headers=org.viewer)
    cursor = people.json()["next_cursor"]
    assert cursor is not None
    # Projects sorted by name page over (name, id) too: same shape, another list.
    r = await client.get(
        "/api/v1/projects", params={"cursor": cursor, "sort": "name"}, headers=org.viewer
    )
    assert_problem(r, 422, "validation_failed", "query.cursor")
    r = await client.get("/api/v1/people", params={"cursor": cursor}, headers=org.viewer)
    assert r.status_code == 200 and len(r.json()["items"]) == 1


# Finding 6: dates out of range.
async def test_a_date_past_9999_12_30_is_a_422_in_both_adapters(
    client: httpx.AsyncClient, org: Org
) -> None:
    project = await make_project(client, org)
    for path in ("earned-value", "ledger/summary"):
        r = await client.get(
            f"/api/v1/projects/{project['id']}/{path}",
            params={"as_of": "9999-12-31"},
            headers=org.viewer,
        )
        assert_problem(r, 422, "validation_failed", "query.as_of")
    r = await client.post(
        "/api/v1/projects",
        json={**PROJECT, "start_date": "1899-12-31"},
        headers=org.manager,
    )
    assert_problem(r, 422, "validation_failed", "body.start_date")
    query = 'query($id: ID!) { project(id: $id) { earnedValue(asOf: "9999-12-31") { bac } } }'
    data = await gql(client, query, org.viewer, id=project["id"])
    assert data["errors"] and "9999-12-30" in data["errors"][0]["message"]
    ok = 'query($id: ID!) { project(id: $id) { earnedValue(asOf: "9999-12-30") { bac } } }'
    assert "errors" not in await gql(client, ok, org.viewer, id=project["id"])


# Finding 7: one ASCII decimal grammar in both adapters.
ARABIC_INDIC = "\u0663.\u0665\u0660"  # 3.50 in Arabic-Indic digits
FULL_WIDTH = "\uff11\uff10"  # 10 in full-width digits


@pytest.mark.parametrize(
    "amount", [ARABIC_INDIC, FULL_WIDTH, "1e2", "+1.00", " 1.00", "1_0", "1.", ".5"]
)
async def test_only_ascii_decimals_are_money_in_both_adapters(
    client: httpx.AsyncClient, org: Org, amount: str
) -> None:
    project = await make_project(client, org)
    body = {"kind": "budget", "category": "other", "amount": amount, "occurred_on": "2026-01-01"}
    r = await client.post(entries_url(project), json=body, headers=org.manager)
    assert_problem(r, 422, "validation_failed", "body.amount")
    mutation = """mutation($input: PostLedgerEntryInput!) {
      postLedgerEntry(input: $input) { entry { id } userErrors { field } } }"""
    entry = {
        "projectId": project["id"],
        "kind": "BUDGET",
        "category": "OTHER",
        "amount": amount,
        "occurredOn": "2026-01-01",
    }
    data = await gql(client, mutation, org.manager, input=entry)
    assert data["data"] is None and data["errors"], data
    listed = await client.get(entries_url(project), headers=org.viewer)
    assert listed.json()["items"] == []


# Finding 8: an idempotent replay needs the original's authorization.
async def test_a_viewer_replaying_an_admins_key_gets_403_not_the_admins_201(
    client: httpx.AsyncClient, org: Org
) -> None:
    key = {"Idempotency-Key": "replay-me"}
    first = await client.post("/api/v1/projects", json=PROJECT, headers={**org.admin, **key})
    assert first.status_code == 201
    r = await client.post("/api/v1/projects", json=PROJECT, headers={**org.viewer, **key})
    assert_problem(r, 403, "forbidden")
    again = await client.post("/api/v1/projects", json=PROJECT, headers={**org.admin, **key})
    assert again.status_code == 201 and again.headers["idempotent-replayed"] == "true"
    assert again.json() == first.json()
    listed = await client.get("/api/v1/projects", headers=org.viewer)
    assert len(listed.json()["items"]) == 1


# Finding 10: no redirect built from Host.
async def test_a_trailing_slash_is_a_404_not_a_redirect_to_the_host_header(
    client: httpx.AsyncClient, org: Org
) -> None:
    r = await client.get("/api/v1/projects/", headers={**org.viewer, "Host": "evil.example"})
    assert r.status_code == 404 and "location" not in r.headers


# Finding 12 (tokens): strict claim types.
@pytest.mark.parametrize(
    "claims",
    [
        {"exp": str(int(time.time()) + 600)},
        {"roles": "admin"},
        {"roles": ["admin", 7]},
        {"iat": "yesterday"},
    ],
)
async def test_claims_of_the_wrong_type_are_a_401(
    client: httpx.AsyncClient, claims: dict[str, Any]
) -> None:
    base = {
        "sub": "s",
        "org": "o",
        "roles": ["admin"],
        "iss": ISSUER,
        "aud": AUDIENCE,
        "exp": int(time.time()) + 600,
    }
    token = jwt.encode(base | claims, SECRET, algorithm="HS256")
    r = await client.get("/api/v1/projects", headers={"Authorization": f"Bearer {token}"})
    assert_problem(r, 401, "unauthenticated")


# Finding 5 (REST side; GraphQL's is in test_hostile_graphql.py): one depth rule for both.
@pytest.mark.parametrize(("depth", "status"), [(64, 422), (65, 400), (1000, 400)])
async def test_json_nested_deeper_than_64_levels_is_a_400(
    client: httpx.AsyncClient, org: Org, depth: int, status: int
) -> None:
    nested = "[" * (depth - 1) + "]" * (depth - 1)  # the body object is the first level
    body = '{"key": "HX", "name": ' + nested + "}"
    r = await client.post(
        "/api/v1/projects",
        content=body,
        headers={**org.manager, "content-type": "application/json"},
    )
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
