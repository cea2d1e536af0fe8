"""Assignments and workload over REST, end to end on PostgreSQL."""

from __future__ import annotations

import httpx

from tests.api.helpers import assert_problem, make_person, make_project
from tests.api.team_helpers import assign
from tests.conftest import Org


async def test_a_manager_assigns_people_and_everyone_reads_the_assignment(
    client: httpx.AsyncClient, org: Org
) -> None:
    ada, project = await make_person(client, org), await make_project(client, org)
    made = await assign(client, org, project, ada)
    url = f"/api/v1/projects/{project['id']}/assignments/{made['id']}"
    r = await client.get(url, headers=org.viewer)
    assert r.status_code == 200 and r.headers["etag"] == '"1"'
    assert r.json()["allocation_percent"] == 60 and r.json()["person_id"] == ada["id"]
    r = await client.patch(
        url, json={"allocation_percent": 80}, headers={**org.manager, "If-Match": '"1"'}
    )
    assert r.status_code == 200 and r.json()["version"] == 2
    r = await client.patch(url, json={"role": "Lead"}, headers={**org.manager, "If-Match": '"1"'})
    assert_problem(r, 412, "version_conflict")
    listed = await client.get(f"/api/v1/projects/{project['id']}/assignments", headers=org.viewer)
    assert [a["id"] for a in listed.json()["items"]] == [made["id"]]
    history = await client.get(f"/api/v1/projects/{project['id']}/activity", headers=org.viewer)
    actions = [e["action"] for e in history.json()["items"]]
    assert actions[:2] == ["assignment.updated", "assignment.created"]
    assert (await client.delete(url, headers=org.manager)).status_code == 204
    assert_problem(await client.get(url, headers=org.viewer), 404, "not_found")


async def test_members_may_not_manage_assignments(client: httpx.AsyncClient, org: Org) -> None:
    ada, project = await make_person(client, org), await make_project(client, org)
    body = {"person_id": ada["id"], "role": "Dev", "allocation_percent": 50,
            "start_date": "2027-01-04", "end_date": "2027-01-08"}  # fmt: skip
    r = await client.post(
        f"/api/v1/projects/{project['id']}/assignments", json=body, headers=org.member
    )
    assert_problem(r, 403, "forbidden")


async def test_bad_allocations_dates_and_foreign_people_are_422s(
    client: httpx.AsyncClient, org: Org, other_org: Org
) -> None:
    ada, project = await make_person(client, org), await make_project(client, org)
    stranger = await make_person(client, other_org)
    url = f"/api/v1/projects/{project['id']}/assignments"
    base = {"person_id": ada["id"], "role": "Dev", "allocation_percent": 50,
            "start_date": "2027-01-04", "end_date": "2027-01-08"}  # fmt: skip
    for change, field in [
        ({"allocation_percent": 0}, "body.allocation_percent"),
        ({"allocation_percent": 101}, "body.allocation_percent"),
        ({"allocation_percent": 50.5}, "body.allocation_percent"),
        ({"end_date": "2027-01-03"}, "body.end_date"),
        ({"person_id": stranger["id"]}, "body.person_id"),
        ({"role": "x" * 201}, "body.role"),
        ({"team": "A"}, "body.team"),
    ]:
        r = await client.post(url, json={**base, **change}, headers=org.manager)
        assert_problem(r, 422, "validation_failed", field)
    r = await client.post(
        f"/api/v1/projects/{project['id']}/assignments", json=base, headers=other_org.manager
    )
    assert_problem(r, 404, "not_found")


async def test_workload_pro_rates_weekdays_and_reports_over_allocation(
    client: httpx.AsyncClient, org: Org
) -> None:
    ada = await make_person(client, org, name="Ada", weekly_capacity_hours="32")
    bob = await make_person(client, org, name="Bob")
    crm, erp = await make_project(client, org), await make_project(client, org)
    # 60 % Monday to Wednesday of 2027-W05 is 36 %; W06 has 80 % + 3 days of 50 % = 110 %.
    await assign(client, org, crm, ada, allocation_percent=60)
    long = await assign(client, org, crm, ada, allocation_percent=80,
                        start_date="2027-02-08", end_date="2027-02-19")  # fmt: skip
    short = await assign(client, org, erp, ada, allocation_percent=50,
                         start_date="2027-02-08", end_date="2027-02-10")  # fmt: skip
    await assign(client, org, erp, bob, allocation_percent=20)
    r = await client.get(
        f"/api/v1/people/{ada['id']}/workload?from=2027-02-01&to=2027-02-21", headers=org.viewer
    )
    assert r.status_code == 200, r.text
    weeks = r.json()["weeks"]
    assert [(w["week"], w["load_percent"], w["hours"], w["over_allocated"]) for w in weeks] == [
        ("2027-W05", "36.0", "11.52", False),
        ("2027-W06", "110.0", "35.20", True),
        ("2027-W07", "80.0", "25.60", False),
    ]
    assert {(a["assignment_id"], a["percent"]) for a in weeks[1]["assignments"]} == {
        (long["id"], "80.0"),
        (short["id"], "30.0"),
    }
    assert weeks[1]["assignments"][0]["project_key"] in (crm["key"], erp["key"])
    r = await client.get("/api/v1/workload?from=2027-02-01&to=2027-02-21", headers=org.viewer)
    people = r.json()["items"]
    assert [(p["name"], p["over_allocated"], p["peak_load_percent"]) for p in people] == [
        ("Ada", True, "110.0"),
        ("Bob", False, "12.0"),
    ]
    assert [w["week"] for w in people[1]["weeks"]] == ["2027-W05"]  # only loaded weeks
    page = await client.get(
        "/api/v1/workload?from=2027-02-01&to=2027-02-21&limit=1", headers=org.viewer
    )
    rest = await client.get(
        f"/api/v1/workload?from=2027-02-01&to=2027-02-21&limit=1&cursor={page.json()['next_cursor']}",
        headers=org.viewer,
    )
    assert [p["name"] for p in rest.json()["items"]] == ["Bob"]
    assert rest.json()["next_cursor"] is None


async def test_available_people_are_ordered_by_free_percent(
    client: httpx.AsyncClient, org: Org
) -> None:
    ada = await make_person(client, org, name="Ada")
    bob = await make_person(client, org, name="Bob")
    cy = await make_person(client, org, name="Cy")
    project = await make_project(client, org)
    await assign(client, org, project, ada, allocation_percent=100,
                 start_date="2027-02-01", end_date="2027-02-05")  # fmt: skip
    await assign(client, org, project, bob, allocation_percent=30,
                 start_date="2027-02-01", end_date="2027-02-05")  # fmt: skip
    r = await client.get(
        "/api/v1/people/available?from=2027-02-01&to=2027-02-14&min_free_percent=50",
        headers=org.viewer,
    )
    assert r.status_code == 200, r.text
    assert [(p["name"], p["free_percent"]) for p in r.json()["items"]] == [
        ("Cy", "100.0"),
        ("Bob", "70.0"),
    ]
    assert cy["id"] == r.json()["items"][0]["person_id"]


async def test_workload_ranges_and_cursors_are_checked(
    client: httpx.AsyncClient, org: Org, other_org: Org
) -> None:
    ada = await make_person(client, org)
    for query, field in [
        ("from=2027-01-04&to=2028-01-10", "query.to"),  # 54 ISO weeks
        ("from=2027-01-04&to=2027-01-03", "query.to"),
        ("from=2027-01-04&to=9999-12-31", "query.to"),
        ("from=2027-02-30&to=2027-03-01", "query.from"),
        ("to=2027-03-01", "query.from"),
    ]:
        r = await client.get(f"/api/v1/workload?{query}", headers=org.viewer)
        assert_problem(r, 422, "validation_failed", field)
    ok = "from=2027-01-04&to=2028-01-09"  # exactly 53 weeks
    assert (await client.get(f"/api/v1/workload?{ok}", headers=org.viewer)).status_code == 200
    for cursor in ("garbage!", "WzEsMl0", "WyJhIiwiYiIsImMiLCJkIl0"):
        r = await client.get(f"/api/v1/workload?{ok}&cursor={cursor}", headers=org.viewer)
        assert_problem(r, 422, "validation_failed", "query.cursor")
        r = await client.get(f"/api/v1/people/available?{ok}&cursor={cursor}", headers=org.viewer)
        assert_problem(r, 422, "validation_failed", "query.cursor")
    r = await client.get(f"/api/v1/people/{ada['id']}/workload?{ok}", headers=other_org.viewer)
    assert_problem(r, 404, "not_found")
    r = await client.get(f"/api/v1/people/available?{ok}&min_free_percent=101", headers=org.viewer)
    assert_problem(r, 422, "validation_failed", "query.min_free_percent")


async def test_an_idempotency_key_replays_the_first_assignment(
    client: httpx.AsyncClient, org: Org
) -> None:
    ada, project = await make_person(client, org), await make_project(client, org)
    url = f"/api/v1/projects/{project['id']}/assignments"
    body = {"person_id": ada["id"], "role": "Dev", "allocation_percent": 50,
            "start_date": "2027-01-04", "end_date": "2027-01-08"}  # fmt: skip
    headers = {**org.manager, "Idempotency-Key": "staff-ada-1"}
    first = await client.post(url, json=body, headers=headers)
    again = await client.post(url, json=body, headers=headers)
    assert first.status_code == again.status_code == 201
    assert again.headers["idempotent-replayed"] == "true" and again.json() == first.json()
    listed = await client.get(url, headers=org.viewer)
    assert len(listed.json()["items"]) == 1
    other = await client.post(url, json={**body, "role": "Lead"}, headers=headers)
    assert_problem(other, 422, "idempotency_key_reused")
