"""Helpers of the closing capabilities for API tests: what a gate needs, through REST."""

from __future__ import annotations

from typing import Any

import httpx

from tests.conftest import Org


async def define_objective(
    client: httpx.AsyncClient, org: Org, project_id: str, name: str = "Faster support"
) -> dict[str, Any]:
    """An objective with one key result: what initiation -> planning needs (objective_defined)."""
    base = f"/api/v1/projects/{project_id}/objectives"
    r = await client.post(base, json={"name": name}, headers=org.manager)
    assert r.status_code == 201, r.text
    objective = dict(r.json())
    r = await client.post(
        f"{base}/{objective['id']}/key-results",
        json={"name": "Median ticket time", "unit": "hours", "baseline": "48", "target": "8"},
        headers=org.manager,
    )
    assert r.status_code == 201, r.text
    objective["key_results"] = [r.json()]
    return objective
