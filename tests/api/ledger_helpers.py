"""Helpers for ledger API tests: post entries and read the summary through the real API."""

from __future__ import annotations

from typing import Any

import httpx

from tests.conftest import Org


def entries_url(project: dict[str, Any], entry_id: str | None = None) -> str:
    base = f"/api/v1/projects/{project['id']}/ledger/entries"
    return f"{base}/{entry_id}" if entry_id else base


async def post(
    client: httpx.AsyncClient,
    org: Org,
    project: dict[str, Any],
    kind: str,
    amount: str,
    *,
    category: str = "labour",
    occurred_on: str = "2026-01-15",
    role: str = "manager",
    **fields: Any,
) -> httpx.Response:
    body = {
        "kind": kind,
        "category": category,
        "amount": amount,
        "occurred_on": occurred_on,
        **fields,
    }
    return await client.post(entries_url(project), json=body, headers=org.headers(role))


async def posted(
    client: httpx.AsyncClient, org: Org, project: dict[str, Any], kind: str, amount: str, **kw: Any
) -> dict[str, Any]:
    r = await post(client, org, project, kind, amount, **kw)
    assert r.status_code == 201, r.text
    return dict(r.json())


async def summary(
    client: httpx.AsyncClient, org: Org, project: dict[str, Any], as_of: str | None = None
) -> dict[str, Any]:
    params = {"as_of": as_of} if as_of else {}
    r = await client.get(
        f"/api/v1/projects/{project['id']}/ledger/summary", params=params, headers=org.viewer
    )
    assert r.status_code == 200, r.text
    return dict(r.json())
