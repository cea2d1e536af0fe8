"""The lifecycle through REST and GraphQL: gates, forced moves, on-hold, history."""

from __future__ import annotations

import httpx

from tests.api.closing_helpers import define_objective
from tests.api.helpers import assert_problem, gql, make_person, make_project
from tests.conftest import Org


async def _move(
    client: httpx.AsyncClient, org: Org, pid: str, to: str, **extra: object
) -> httpx.Response:
    return await client.post(
        f"/api/v1/projects/{pid}/transitions", headers=org.manager, json={"to": to, **extra}
    )


async def test_the_gate_checklist_names_the_next_phase_and_its_conditions(
    client: httpx.AsyncClient, org: Org
) -> None:
    project = await make_project(client, org)
    gate = (await client.get(f"/api/v1/projects/{project['id']}/gate", headers=org.viewer)).json()
    assert gate["to"] == "planning"
    sponsor = next(c for c in gate["conditions"] if c["gate"] == "sponsor_named")
    assert sponsor["met"] is False
    person = await make_person(client, org)
    await client.patch(
        f"/api/v1/projects/{project['id']}", headers=org.manager, json={"sponsor_id": person["id"]}
    )
    gate = (await client.get(f"/api/v1/projects/{project['id']}/gate", headers=org.viewer)).json()
    assert next(c for c in gate["conditions"] if c["gate"] == "sponsor_named")["met"] is True


async def test_an_unmet_gate_is_409_listing_the_conditions(
    client: httpx.AsyncClient, org: Org
) -> None:
    project = await make_project(client, org)
    r = await _move(client, org, project["id"], "planning")
    body = assert_problem(r, 409, "phase_gate_unmet")
    assert {"gate": "sponsor_named", "message": "Name a sponsor for the project"} in body["unmet"]
    assert (await client.get(f"/api/v1/projects/{project['id']}", headers=org.viewer)).json()[
        "phase"
    ] == "initiation"


async def test_a_met_gate_moves_the_project_and_records_it(
    client: httpx.AsyncClient, org: Org
) -> None:
    person = await make_person(client, org)
    project = await make_project(client, org, sponsor_id=person["id"])
    await define_objective(client, org, project["id"])
    r = await _move(client, org, project["id"], "planning")
    assert r.status_code == 200, r.text
    assert r.json()["phase"] == "planning"
    assert r.json()["version"] == 2
    history = (
        await client.get(f"/api/v1/projects/{project['id']}/activity", headers=org.viewer)
    ).json()
    assert history["items"][0]["action"] == "project.transitioned"
    assert history["items"][0]["changes"]["phase"] == {"from": "initiation", "to": "planning"}


async def test_an_admin_may_force_a_gate_with_a_reason_kept_on_record(
    client: httpx.AsyncClient, org: Org
) -> None:
    project = await make_project(client, org)
    url = f"/api/v1/projects/{project['id']}/transitions"
    by_manager = await client.post(
        url, headers=org.manager, json={"to": "planning", "force": True, "reason": "x"}
    )
    assert_problem(by_manager, 403, "forbidden")
    no_reason = await client.post(url, headers=org.admin, json={"to": "planning", "force": True})
    assert_problem(no_reason, 422, "validation_failed", "body.reason")
    forced = await client.post(
        url, headers=org.admin, json={"to": "planning", "force": True, "reason": "Board said go"}
    )
    assert forced.status_code == 200, forced.text
    entry = (
        await client.get(f"/api/v1/projects/{project['id']}/activity", headers=org.viewer)
    ).json()["items"][0]
    assert entry["changes"]["forced"] is True
    assert entry["changes"]["reason"] == "Board said go"
    assert entry["changes"]["unmet"][0]["gate"] == "sponsor_named"
    assert entry["actor"] == "user-admin"


async def test_on_hold_returns_to_where_it_came_from_and_cancel_ends_it(
    client: httpx.AsyncClient, org: Org
) -> None:
    person = await make_person(client, org)
    project = await make_project(client, org, sponsor_id=person["id"])
    pid = project["id"]
    await define_objective(client, org, pid)
    assert (await _move(client, org, pid, "planning")).status_code == 200
    held = await _move(client, org, pid, "on_hold", reason="Budget freeze")
    assert held.json()["phase"] == "on_hold"
    assert held.json()["held_from"] == "planning"
    assert_problem(await _move(client, org, pid, "execution"), 409, "invalid_transition")
    assert (await _move(client, org, pid, "planning")).json()["phase"] == "planning"
    assert (await _move(client, org, pid, "cancelled")).json()["phase"] == "cancelled"
    assert_problem(await _move(client, org, pid, "planning"), 409, "invalid_transition")


async def test_transitions_honour_if_match(client: httpx.AsyncClient, org: Org) -> None:
    project = await make_project(client, org)
    r = await client.post(
        f"/api/v1/projects/{project['id']}/transitions",
        headers={**org.manager, "If-Match": '"7"'},
        json={"to": "cancelled"},
    )
    assert_problem(r, 412, "version_conflict")


async def test_graphql_transition_reports_unmet_gates_as_user_errors(
    client: httpx.AsyncClient, org: Org
) -> None:
    project = await make_project(client, org)
    mutation = """mutation($input: TransitionProjectInput!) {
        transitionProject(input: $input) { project { phase version } userErrors { field code message } } }"""
    refused = await gql(
        client, mutation, org.manager, input={"id": project["id"], "to": "PLANNING"}
    )
    payload = refused["data"]["transitionProject"]
    assert payload["project"] is None
    assert payload["userErrors"] == [
        {
            "field": "sponsor_named",
            "code": "PHASE_GATE_UNMET",
            "message": "Name a sponsor for the project",
        },
        {
            "field": "objective_defined",
            "code": "PHASE_GATE_UNMET",
            "message": "Define an objective with at least one key result",
        },
    ]
    stale = await gql(
        client,
        mutation,
        org.manager,
        input={"id": project["id"], "to": "CANCELLED", "expectedVersion": 3},
    )
    assert stale["data"]["transitionProject"]["userErrors"][0]["code"] == "VERSION_CONFLICT"
    cancelled = await gql(
        client, mutation, org.manager, input={"id": project["id"], "to": "CANCELLED"}
    )
    assert cancelled["data"]["transitionProject"]["project"] == {"phase": "CANCELLED", "version": 2}
    read = await gql(
        client,
        "query($id: ID!) { project(id: $id) { gate { to } activity(first: 5) { edges { node { action } } } } }",
        org.viewer,
        id=project["id"],
    )
    assert read["data"]["project"]["gate"]["to"] is None
    actions = [e["node"]["action"] for e in read["data"]["project"]["activity"]["edges"]]
    assert actions == ["project.transitioned", "project.created"]


async def test_graphql_update_is_a_merge_patch_with_expected_version(
    client: httpx.AsyncClient, org: Org
) -> None:
    project = await make_project(client, org, description="keep me")
    mutation = """mutation($input: UpdateProjectInput!) {
        updateProject(input: $input) { project { name description version } userErrors { field code } } }"""
    ok = await gql(
        client,
        mutation,
        org.manager,
        input={"id": project["id"], "name": "New", "expectedVersion": 1},
    )
    assert ok["data"]["updateProject"]["project"] == {
        "name": "New",
        "description": "keep me",
        "version": 2,
    }
    stale = await gql(
        client,
        mutation,
        org.manager,
        input={"id": project["id"], "name": "X", "expectedVersion": 1},
    )
    assert stale["data"]["updateProject"]["userErrors"] == [
        {"field": None, "code": "VERSION_CONFLICT"}
    ]
    bad = await gql(
        client,
        mutation,
        org.manager,
        input={"id": project["id"], "targetEndDate": "1999-01-01", "startDate": "2000-01-01"},
    )
    assert bad["data"]["updateProject"]["userErrors"] == [
        {"field": "targetEndDate", "code": "VALIDATION_FAILED"}
    ]
