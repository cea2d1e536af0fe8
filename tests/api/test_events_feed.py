"""The events feed: one event per committed change, a per-organization gapless seq."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx

from tests.api.helpers import assert_problem, gql, make_project
from tests.api.ledger_helpers import post
from tests.conftest import Org

SHAPE = {"id", "seq", "type", "occurred_at", "org", "project_id", "actor", "subject", "changes"}


async def feed(client: httpx.AsyncClient, org: Org, after: int = 0, limit: int = 100) -> Any:
    r = await client.get(
        "/api/v1/activity", params={"after_seq": after, "limit": limit}, headers=org.viewer
    )
    assert r.status_code == 200, r.text
    return r.json()


async def test_feed_lists_every_change_oldest_first_with_the_api_shape(
    client: httpx.AsyncClient, org: Org
) -> None:
    project = await make_project(client, org)
    r = await client.patch(
        f"/api/v1/projects/{project['id']}",
        json={"name": "Renamed"},
        headers={**org.manager, "If-Match": f'"{project["version"]}"'},
    )
    assert r.status_code == 200, r.text
    assert (await post(client, org, project, "budget", "100.00")).status_code == 201

    body = await feed(client, org)
    items = body["items"]
    assert [e["type"] for e in items] == [
        "project.created",
        "project.updated",
        "ledger_entry.posted",
    ]
    assert [e["seq"] for e in items] == [1, 2, 3]
    assert body["next_after_seq"] == 3
    first = items[0]
    assert set(first) == SHAPE
    assert first["org"] == org.id
    assert first["project_id"] == project["id"]
    assert first["subject"] == {"type": "project", "id": project["id"]}
    assert items[1]["changes"]["name"] == {"from": "CRM rollout", "to": "Renamed"}
    assert items[2]["subject"]["type"] == "ledger_entry"

    later = await feed(client, org, after=2)
    assert [e["seq"] for e in later["items"]] == [3]
    assert (await feed(client, org, after=3)) == {"items": [], "next_after_seq": 3}
    assert [e["seq"] for e in (await feed(client, org, limit=2))["items"]] == [1, 2]


async def test_each_organization_counts_its_own_seq(
    client: httpx.AsyncClient, org: Org, other_org: Org
) -> None:
    await make_project(client, org)
    await make_project(client, other_org)
    await make_project(client, other_org)
    mine = (await feed(client, org))["items"]
    theirs = (await feed(client, other_org))["items"]
    assert [e["seq"] for e in mine] == [1]
    assert [e["seq"] for e in theirs] == [1, 2]
    assert {e["org"] for e in theirs} == {other_org.id}


async def test_concurrent_commands_get_gapless_distinct_seqs(
    client: httpx.AsyncClient, org: Org
) -> None:
    project = await make_project(client, org)
    results = await asyncio.gather(
        *[post(client, org, project, "budget", "10.00") for _ in range(12)],
        *[make_project(client, org) for _ in range(4)],
    )
    assert all(r.status_code == 201 for r in results[:12])
    seqs = [e["seq"] for e in (await feed(client, org))["items"]]
    assert seqs == list(range(1, 18))


async def test_a_refused_command_emits_nothing(client: httpx.AsyncClient, org: Org) -> None:
    project = await make_project(client, org)
    r = await post(client, org, project, "budget", "-5.00")  # a cut below zero is refused
    assert r.status_code in (409, 422), r.text
    stale = await client.patch(
        f"/api/v1/projects/{project['id']}",
        json={"name": "Nope"},
        headers={**org.manager, "If-Match": '"99"'},
    )
    assert stale.status_code == 412
    assert [e["type"] for e in (await feed(client, org))["items"]] == ["project.created"]


async def test_feed_bad_input_and_auth(client: httpx.AsyncClient, org: Org) -> None:
    assert (await client.get("/api/v1/activity")).status_code == 401
    r = await client.get("/api/v1/activity", params={"after_seq": -1}, headers=org.viewer)
    assert_problem(r, 422, "validation_failed", "query.after_seq")
    r = await client.get("/api/v1/activity", params={"limit": 101}, headers=org.viewer)
    assert_problem(r, 422, "validation_failed", "query.limit")


async def test_graphql_activity_after_seq(client: httpx.AsyncClient, org: Org) -> None:
    project = await make_project(client, org)
    await post(client, org, project, "budget", "100.00")
    query = """query($after: Int!) { activity(afterSeq: $after, first: 10) {
        id seq type org projectId actor subject { type id } changes occurredAt } }"""
    data = (await gql(client, query, org.viewer, after=0))["data"]["activity"]
    assert [(e["seq"], e["type"]) for e in data] == [
        (1, "project.created"),
        (2, "ledger_entry.posted"),
    ]
    assert data[0]["subject"] == {"type": "project", "id": project["id"]}
    data = (await gql(client, query, org.viewer, after=1))["data"]["activity"]
    assert [e["seq"] for e in data] == [2]
    bad = await gql(client, "{ activity(first: 500) { seq } }", org.viewer)
    assert bad["errors"]


async def test_project_history_still_newest_first(client: httpx.AsyncClient, org: Org) -> None:
    project = await make_project(client, org)
    await post(client, org, project, "budget", "100.00")
    r = await client.get(f"/api/v1/projects/{project['id']}/activity", headers=org.viewer)
    assert [i["action"] for i in r.json()["items"]] == ["ledger_entry.posted", "project.created"]
