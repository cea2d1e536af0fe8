"""Helpers for the team API tests: assignments, stakeholders and meetings through the API."""

from __future__ import annotations

from typing import Any

import httpx

from tests.conftest import Org


async def assign(
    client: httpx.AsyncClient,
    org: Org,
    project: dict[str, Any],
    person: dict[str, Any],
    **fields: Any,
) -> dict[str, Any]:
    body = {
        "person_id": person["id"],
        "role": "Developer",
        "allocation_percent": 60,
        "start_date": "2027-02-01",
        "end_date": "2027-02-03",
        **fields,
    }
    r = await client.post(
        f"/api/v1/projects/{project['id']}/assignments", json=body, headers=org.manager
    )
    assert r.status_code == 201, r.text
    return dict(r.json())


async def add_stakeholder(
    client: httpx.AsyncClient, org: Org, project: dict[str, Any], **fields: Any
) -> dict[str, Any]:
    body = {"name": "CFO", "influence": "high", "interest": "high", **fields}
    r = await client.post(
        f"/api/v1/projects/{project['id']}/stakeholders", json=body, headers=org.manager
    )
    assert r.status_code == 201, r.text
    return dict(r.json())


async def record_meeting(
    client: httpx.AsyncClient, org: Org, project: dict[str, Any], **fields: Any
) -> dict[str, Any]:
    body = {"title": "Steering", "kind": "steering", "held_on": "2027-02-20", **fields}
    r = await client.post(
        f"/api/v1/projects/{project['id']}/meetings", json=body, headers=org.manager
    )
    assert r.status_code == 201, r.text
    return dict(r.json())
