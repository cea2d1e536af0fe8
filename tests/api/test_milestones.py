"""Milestones through REST on real PostgreSQL: CRUD, rules, money, roles, tenancy, history."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.api.helpers import assert_problem, make_person, make_project
from tests.conftest import Org


def url(project: dict[str, Any], *rest: str) -> str:
    return "/".join([f"/api/v1/projects/{project['id']}/milestones", *rest])


async def make_milestone(
    client: httpx.AsyncClient, org: Org, project: dict[str, Any], **fields: Any
) -> dict[str, Any]:
    body = {"name": "Design", "start_date": "2026-01-05", "due_date": "2026-01-09", **fields}
    r = await client.post(url(project), json=body, headers=org.manager)
    assert r.status_code == 201, r.text
    return dict(r.json())


async def test_created_milestone_is_readable_with_money_in_the_project_currency(
    client: httpx.AsyncClient, org: Org
) -> None:
    project = await make_project(client, org, currency="GBP")
    owner = await make_person(client, org)
    r = await client.post(
        url(project),
        headers=org.manager,
        json={
            "name": "Design",
            "start_date": "2026-01-05",
            "due_date": "2026-01-09",
            "owner_id": owner["id"],
            "planned_value": "1250.5",
            "currency": "GBP",
        },
    )
    assert r.status_code == 201, r.text
    created = r.json()
    assert created["planned_value"] == "1250.50"
    assert created["currency"] == "GBP"
    assert created["status"] == "planned"
    assert created["progress"] == 0
    assert created["completed_on"] is None
    assert created["version"] == 1
    assert r.headers["location"] == url(project, created["id"])
    got = await client.get(r.headers["location"], headers=org.viewer)
    assert got.status_code == 200
    assert got.json() == created
    assert got.headers["etag"] == '"1"'


async def test_done_sets_progress_100_and_completed_on_and_reopening_clears_it(
    client: httpx.AsyncClient, org: Org
) -> None:
    project = await make_project(client, org)
    m = await make_milestone(client, org, project)
    r = await client.patch(url(project, m["id"]), headers=org.member, json={"status": "done"})
    assert r.status_code == 200, r.text
    assert r.json()["progress"] == 100
    assert r.json()["completed_on"] is not None
    r = await client.patch(
        url(project, m["id"]), headers=org.member, json={"status": "in_progress", "progress": 60}
    )
    assert r.status_code == 200, r.text
    assert r.json()["completed_on"] is None
    assert r.json()["progress"] == 60
    done = await make_milestone(client, org, project, status="done", completed_on="2026-01-08")
    assert (done["progress"], done["completed_on"]) == (100, "2026-01-08")


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"due_date": "2026-01-01"}, "body.due_date"),
        ({"progress": 101}, "body.progress"),
        ({"progress": -1}, "body.progress"),
        ({"status": "done", "progress": 50}, "body.progress"),
        ({"status": "finished"}, "body.status"),
        ({"completed_on": "2026-01-08"}, "body.completed_on"),
        ({"status": "done", "completed_on": "2026-01-01"}, "body.completed_on"),
        ({"planned_value": 10}, "body.planned_value"),
        ({"planned_value": "10.001"}, "body.planned_value"),
        ({"planned_value": "-5.00"}, "body.planned_value"),
        ({"name": ""}, "body.name"),
        ({"name": "x" * 201}, "body.name"),
        ({"start_date": "2026-02-30"}, "body.start_date"),
        ({"owner_id": "not-a-uuid"}, "body.owner_id"),
        ({"owner_id": "00000000-0000-0000-0000-000000000000"}, "body.owner_id"),
        ({"colour": "red"}, "body.colour"),
    ],
)
async def test_bad_milestones_are_422_naming_the_field_and_write_nothing(
    client: httpx.AsyncClient, org: Org, body: dict[str, Any], field: str
) -> None:
    project = await make_project(client, org)
    full = {"name": "Design", "start_date": "2026-01-05", "due_date": "2026-01-09", **body}
    r = await client.post(url(project), json=full, headers=org.manager)
    assert_problem(r, 422, "validation_failed", field)
    listed = await client.get(url(project), headers=org.viewer)
    assert listed.json()["items"] == []


async def test_a_different_currency_is_a_currency_mismatch(
    client: httpx.AsyncClient, org: Org
) -> None:
    project = await make_project(client, org, currency="EUR")
    body = {"name": "D", "start_date": "2026-01-05", "due_date": "2026-01-09"}
    r = await client.post(
        url(project), json={**body, "planned_value": "5", "currency": "USD"}, headers=org.manager
    )
    assert_problem(r, 422, "currency_mismatch", "body.currency")
    m = await make_milestone(client, org, project)
    r = await client.patch(url(project, m["id"]), json={"currency": "USD"}, headers=org.manager)
    assert_problem(r, 422, "currency_mismatch", "body.currency")


async def test_update_is_a_merge_patch_with_optimistic_concurrency(
    client: httpx.AsyncClient, org: Org
) -> None:
    project = await make_project(client, org)
    m = await make_milestone(client, org, project, description="first")
    r = await client.patch(
        url(project, m["id"]),
        headers={**org.manager, "If-Match": '"1"'},
        json={"name": "Build", "planned_value": "99.99"},
    )
    assert r.status_code == 200, r.text
    assert (r.json()["name"], r.json()["description"]) == ("Build", "first")
    assert r.json()["planned_value"] == "99.99"
    assert r.headers["etag"] == '"2"'
    stale = await client.patch(
        url(project, m["id"]), headers={**org.manager, "If-Match": '"1"'}, json={"name": "Lost"}
    )
    assert_problem(stale, 412, "version_conflict")
    bad = await client.patch(url(project, m["id"]), headers=org.manager, json={"due_date": None})
    assert_problem(bad, 422, "validation_failed", "body.due_date")
    order = await client.patch(
        url(project, m["id"]), headers=org.manager, json={"start_date": "2026-02-01"}
    )
    assert_problem(order, 422, "validation_failed", "body.due_date")
    assert (await client.get(url(project, m["id"]), headers=org.viewer)).json()["name"] == "Build"


async def test_members_report_progress_but_only_managers_re_plan(
    client: httpx.AsyncClient, org: Org
) -> None:
    project = await make_project(client, org)
    m = await make_milestone(client, org, project)
    ok = await client.patch(url(project, m["id"]), headers=org.member, json={"progress": 40})
    assert ok.status_code == 200, ok.text
    denied = await client.patch(
        url(project, m["id"]), headers=org.member, json={"due_date": "2026-03-01"}
    )
    assert_problem(denied, 403, "forbidden")
    body = {"name": "X", "start_date": "2026-01-05", "due_date": "2026-01-09"}
    assert_problem(await client.post(url(project), json=body, headers=org.member), 403, "forbidden")
    assert_problem(
        await client.patch(url(project, m["id"]), headers=org.viewer, json={"progress": 1}),
        403,
        "forbidden",
    )


async def test_list_filters_by_status_and_pages_by_start_date(
    client: httpx.AsyncClient, org: Org
) -> None:
    project = await make_project(client, org)
    for day in ("03", "01", "02"):
        await make_milestone(
            client, org, project, name=f"M{day}", start_date=f"2026-01-{day}", due_date="2026-01-09"
        )
    await make_milestone(client, org, project, name="Gone", status="cancelled")
    first = await client.get(url(project) + "?limit=2&status=planned", headers=org.viewer)
    assert [m["name"] for m in first.json()["items"]] == ["M01", "M02"]
    cursor = first.json()["next_cursor"]
    rest = await client.get(
        url(project) + f"?limit=2&status=planned&cursor={cursor}", headers=org.viewer
    )
    assert [m["name"] for m in rest.json()["items"]] == ["M03"]
    assert rest.json()["next_cursor"] is None
    cancelled = await client.get(url(project) + "?status=cancelled", headers=org.viewer)
    assert [m["name"] for m in cancelled.json()["items"]] == ["Gone"]
    assert_problem(
        await client.get(url(project) + "?status=late", headers=org.viewer),
        422,
        "validation_failed",
    )
    assert_problem(
        await client.get(url(project) + "?cursor=%%%", headers=org.viewer),
        422,
        "validation_failed",
    )


async def test_delete_is_refused_while_others_depend_on_it(
    client: httpx.AsyncClient, org: Org
) -> None:
    project = await make_project(client, org)
    a = await make_milestone(client, org, project, name="A")
    b = await make_milestone(client, org, project, name="B")
    r = await client.post(
        url(project, b["id"], "dependencies"), json={"predecessor_id": a["id"]}, headers=org.manager
    )
    assert r.status_code == 201, r.text
    assert_problem(
        await client.delete(url(project, a["id"]), headers=org.manager),
        409,
        "milestone_has_dependents",
    )
    stale = await client.delete(url(project, b["id"]), headers={**org.manager, "If-Match": '"7"'})
    assert_problem(stale, 412, "version_conflict")
    gone = await client.delete(url(project, b["id"]), headers=org.manager)
    assert gone.status_code == 204
    assert (await client.delete(url(project, a["id"]), headers=org.manager)).status_code == 204
    assert_problem(await client.get(url(project, a["id"]), headers=org.viewer), 404, "not_found")


async def test_foreign_projects_and_milestones_look_missing(
    client: httpx.AsyncClient, org: Org, other_org: Org
) -> None:
    project = await make_project(client, org)
    m = await make_milestone(client, org, project)
    elsewhere = await make_project(client, org)
    assert_problem(
        await client.get(url(project, m["id"]), headers=other_org.admin), 404, "not_found"
    )
    assert_problem(await client.get(url(project), headers=other_org.admin), 404, "not_found")
    assert_problem(await client.get(url(elsewhere, m["id"]), headers=org.viewer), 404, "not_found")
    assert_problem(
        await client.patch(url(project, m["id"]), json={"progress": 5}, headers=other_org.admin),
        404,
        "not_found",
    )
    assert_problem(
        await client.get(url(project, "not-a-uuid"), headers=org.viewer), 422, "validation_failed"
    )


async def test_every_change_is_in_the_activity_history(client: httpx.AsyncClient, org: Org) -> None:
    project = await make_project(client, org)
    a = await make_milestone(client, org, project, name="A")
    b = await make_milestone(client, org, project, name="B")
    await client.patch(url(project, a["id"]), json={"progress": 30}, headers=org.member)
    dep = url(project, b["id"], "dependencies")
    await client.post(dep, json={"predecessor_id": a["id"]}, headers=org.manager)
    await client.delete(f"{dep}/{a['id']}", headers=org.manager)
    await client.delete(url(project, b["id"]), headers=org.manager)
    await client.post(
        f"/api/v1/projects/{project['id']}/baselines", json={"name": "v1"}, headers=org.manager
    )
    r = await client.get(f"/api/v1/projects/{project['id']}/activity", headers=org.viewer)
    actions = [e["action"] for e in r.json()["items"]]
    assert actions[:7] == [
        "baseline.taken",
        "milestone.deleted",
        "milestone.dependency_removed",
        "milestone.dependency_added",
        "milestone.updated",
        "milestone.created",
        "milestone.created",
    ]
    updated = r.json()["items"][4]
    assert updated["changes"] == {"progress": {"from": 0, "to": 30}}
    assert updated["actor"] == "user-member"


async def test_idempotent_creation_replays_the_first_milestone(
    client: httpx.AsyncClient, org: Org
) -> None:
    project = await make_project(client, org)
    body = {"name": "Once", "start_date": "2026-01-05", "due_date": "2026-01-09"}
    headers = {**org.manager, "Idempotency-Key": "m-1"}
    first = await client.post(url(project), json=body, headers=headers)
    again = await client.post(url(project), json=body, headers=headers)
    assert first.status_code == again.status_code == 201
    assert again.headers["idempotent-replayed"] == "true"
    assert again.json() == first.json()
    assert len((await client.get(url(project), headers=org.viewer)).json()["items"]) == 1
