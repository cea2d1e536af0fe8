"""Helpers shared by API tests: create records through the real API, run GraphQL."""

from __future__ import annotations

import uuid
from typing import Any

import httpx

from tests.conftest import Org


def unique_key(prefix: str = "P") -> str:
    return (prefix + uuid.uuid4().hex[:9].upper())[:10].replace("-", "")


async def make_person(client: httpx.AsyncClient, org: Org, **fields: Any) -> dict[str, Any]:
    body = {"name": "Ada Lovelace", "email": f"{uuid.uuid4().hex[:8]}@example.com", **fields}
    r = await client.post("/api/v1/people", json=body, headers=org.admin)
    assert r.status_code == 201, r.text
    return dict(r.json())


async def make_project(client: httpx.AsyncClient, org: Org, **fields: Any) -> dict[str, Any]:
    body = {
        "key": unique_key(),
        "name": "CRM rollout",
        "business_area": "software_development",
        "currency": "EUR",
        **fields,
    }
    r = await client.post("/api/v1/projects", json=body, headers=org.manager)
    assert r.status_code == 201, r.text
    return dict(r.json())


async def gql(
    client: httpx.AsyncClient, query: str, headers: dict[str, str] | None = None, **variables: Any
) -> dict[str, Any]:
    r = await client.post(
        "/graphql", json={"query": query, "variables": variables}, headers=headers or {}
    )
    assert r.status_code == 200, r.text
    return dict(r.json())


def assert_problem(
    r: httpx.Response, status: int, code: str, field: str | None = None
) -> dict[str, Any]:
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/problem+json"), r.headers
    body = dict(r.json())
    assert body["code"] == code, body
    assert body["status"] == status
    if field is not None:
        assert field in [e["field"] for e in body.get("errors", [])], body
    return body
