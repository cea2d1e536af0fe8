"""Projects through REST and GraphQL on real PostgreSQL: create, read, list, update, history."""

from __future__ import annotations

import httpx

from tests.api.helpers import assert_problem, gql, make_person, make_project, unique_key
from tests.conftest import Org


async def test_created_project_starts_in_initiation_and_is_readable(
    client: httpx.AsyncClient, org: Org
) -> None:
    key = unique_key()
    r = await client.post(
        "/api/v1/projects",
        headers=org.manager,
        json={
            "key": key,
            "name": "Data platform",
            "business_area": "databases",
            "currency": "GBP",
            "start_date": "2026-01-01",
            "target_end_date": "2026-06-30",
        },
    )
    assert r.status_code == 201, r.text
    created = r.json()
    assert created["phase"] == "initiation"
    assert created["version"] == 1
    assert r.headers["location"] == f"/api/v1/projects/{created['id']}"
    assert r.headers["etag"] == '"1"'
    got = await client.get(r.headers["location"], headers=org.viewer)
    assert got.status_code == 200
    assert got.json() == created
    assert got.headers["etag"] == '"1"'


async def test_key_is_unique_per_organization(
    client: httpx.AsyncClient, org: Org, other_org: Org
) -> None:
    project = await make_project(client, org)
    again = await client.post(
        "/api/v1/projects",
        headers=org.manager,
        json={"key": project["key"], "name": "Twin", "business_area": "other", "currency": "EUR"},
    )
    assert_problem(again, 409, "key_taken")
    elsewhere = await client.post(
        "/api/v1/projects",
        headers=other_org.manager,
        json={"key": project["key"], "name": "Twin", "business_area": "other", "currency": "EUR"},
    )
    assert elsewhere.status_code == 201


async def test_update_is_a_merge_patch_with_optimistic_concurrency(
    client: httpx.AsyncClient, org: Org
) -> None:
    project = await make_project(client, org, description="first")
    url = f"/api/v1/projects/{project['id']}"
    r = await client.patch(
        url, headers={**org.manager, "If-Match": '"1"'}, json={"name": "Renamed"}
    )
    assert r.status_code == 200, r.text
    assert r.json()["name"] == "Renamed"
    assert r.json()["description"] == "first"
    assert r.json()["version"] == 2
    stale = await client.patch(
        url, headers={**org.manager, "If-Match": '"1"'}, json={"name": "Lost"}
    )
    assert_problem(stale, 412, "version_conflict")
    assert (await client.get(url, headers=org.viewer)).json()["name"] == "Renamed"
    cleared = await client.patch(
        url,
        headers={**org.manager, "Content-Type": "application/merge-patch+json"},
        content=b'{"description": null}',
    )
    assert cleared.status_code == 200, cleared.text
    assert cleared.json()["description"] is None


async def test_sponsor_must_be_a_person_of_the_same_organization(
    client: httpx.AsyncClient, org: Org, other_org: Org
) -> None:
    foreign = await make_person(client, other_org)
    r = await client.post(
        "/api/v1/projects",
        headers=org.manager,
        json={
            "key": unique_key(),
            "name": "X",
            "business_area": "other",
            "currency": "EUR",
            "sponsor_id": foreign["id"],
        },
    )
    assert_problem(r, 422, "validation_failed", "body.sponsor_id")
    mine = await make_person(client, org)
    ok = await make_project(client, org, sponsor_id=mine["id"], manager_id=mine["id"])
    assert ok["sponsor_id"] == mine["id"]


async def test_list_filters_sorts_and_paginates(client: httpx.AsyncClient, org: Org) -> None:
    keys = sorted(unique_key("L") for _ in range(5))
    for i, key in enumerate(keys):
        await make_project(
            client,
            org,
            key=key,
            name=f"Item {i}",
            business_area="databases" if i % 2 else "infrastructure",
        )
    seen: list[str] = []
    cursor = None
    while True:
        params = {"limit": 2, **({"cursor": cursor} if cursor else {})}
        page = (await client.get("/api/v1/projects", params=params, headers=org.viewer)).json()
        seen += [p["key"] for p in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == keys
    desc = (
        await client.get("/api/v1/projects", params={"sort": "-key"}, headers=org.viewer)
    ).json()
    assert [p["key"] for p in desc["items"]] == keys[::-1]
    dbs = (
        await client.get(
            "/api/v1/projects", params={"business_area": "databases"}, headers=org.viewer
        )
    ).json()
    assert [p["key"] for p in dbs["items"]] == [keys[1], keys[3]]
    q = (await client.get("/api/v1/projects", params={"q": "item 4"}, headers=org.viewer)).json()
    assert [p["key"] for p in q["items"]] == [keys[4]]


async def test_every_change_is_in_the_activity_history(client: httpx.AsyncClient, org: Org) -> None:
    project = await make_project(client, org)
    await client.patch(f"/api/v1/projects/{project['id']}", headers=org.manager, json={"name": "B"})
    r = await client.get(f"/api/v1/projects/{project['id']}/activity", headers=org.viewer)
    items = r.json()["items"]
    assert [i["action"] for i in items] == ["project.updated", "project.created"]
    assert items[0]["changes"] == {"name": {"from": "CRM rollout", "to": "B"}}
    assert items[0]["actor"] == "user-manager"


async def test_graphql_reads_and_creates_projects(client: httpx.AsyncClient, org: Org) -> None:
    person = await make_person(client, org)
    key = unique_key()
    created = await gql(
        client,
        """
        mutation($input: CreateProjectInput!) {
          createProject(input: $input) { project { id key phase sponsor { name } } userErrors { field code } }
        }""",
        org.manager,
        input={
            "key": key,
            "name": "Mobile",
            "businessArea": "MOBILE_APPLICATIONS",
            "currency": "USD",
            "sponsorId": person["id"],
        },
    )
    payload = created["data"]["createProject"]
    assert payload["userErrors"] == []
    assert payload["project"]["phase"] == "INITIATION"
    assert payload["project"]["sponsor"]["name"] == person["name"]
    bad = await gql(
        client,
        """
        mutation { createProject(input: {key: "lower", name: "x", businessArea: OTHER, currency: "XXX"}) {
          project { id } userErrors { field code message } } }""",
        org.manager,
    )
    errors = bad["data"]["createProject"]["userErrors"]
    assert {e["field"] for e in errors} == {"key", "currency"}
    assert {e["code"] for e in errors} == {"VALIDATION_FAILED"}
    listed = await gql(
        client, "{ projects(first: 10) { totalCount edges { node { key } } } }", org.viewer
    )
    assert listed["data"]["projects"]["totalCount"] == 1
    assert listed["data"]["projects"]["edges"][0]["node"]["key"] == key
