"""Hostile input on the team endpoints: NUL, surrogates, huge values, foreign ids, bad cursors."""

from __future__ import annotations

import json

import httpx
import pytest

from tests.api.helpers import assert_problem, gql, make_person, make_project
from tests.api.team_helpers import add_stakeholder, assign, record_meeting
from tests.conftest import Org

NUL = "bad\u0000text"
SURROGATE = "bad\ud800text"


@pytest.mark.parametrize("text", [NUL, SURROGATE])
async def test_nul_and_lone_surrogates_in_any_text_are_422s(
    client: httpx.AsyncClient, org: Org, text: str
) -> None:
    ada, project = await make_person(client, org), await make_project(client, org)
    await assign(client, org, project, ada)
    base = f"/api/v1/projects/{project['id']}"
    meeting = {"title": "Status", "kind": "status", "held_on": "2027-02-20"}
    item = {"title": "x", "owner_id": ada["id"], "due_on": "2027-03-01"}
    cases = [
        ("assignments", {"person_id": ada["id"], "role": text, "allocation_percent": 5,
                         "start_date": "2027-01-04", "end_date": "2027-01-05"}, "body.role"),
        ("stakeholders", {"name": text, "influence": "low", "interest": "low"}, "body.name"),
        ("stakeholders", {"name": "n", "email": f"a{text}@b.co", "influence": "low",
                          "interest": "low"}, "body.email"),
        ("meetings", {**meeting, "title": text}, "body.title"),
        ("meetings", {**meeting, "notes": text}, "body.notes"),
        ("meetings", {**meeting, "decisions": ["ok", text]}, "body.decisions[1]"),
        ("meetings", {**meeting, "action_items": [{**item, "title": text}]},
         "body.action_items[0].title"),
    ]  # fmt: skip
    for path, body, field in cases:
        content = json.dumps(body).encode()  # ASCII, with \u escapes as a client sends them
        r = await client.post(
            f"{base}/{path}", content=content,
            headers={**org.manager, "Content-Type": "application/json"},
        )  # fmt: skip
        assert r.status_code == 422, (path, field, r.text)
        assert r.json()["code"] == "validation_failed"


async def test_nul_in_graphql_text_is_refused_before_the_mutation_runs(
    client: httpx.AsyncClient, org: Org
) -> None:
    project = await make_project(client, org)
    mutation = """mutation($input: CreateStakeholderInput!) {
      createStakeholder(input: $input) { stakeholder { id } userErrors { field code } } }"""
    r = await gql(client, mutation, org.manager, input={
        "projectId": project["id"], "name": NUL, "influence": "HIGH", "interest": "LOW"})  # fmt: skip
    assert r["data"] is None and r["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


async def test_huge_values_are_422s(client: httpx.AsyncClient, org: Org) -> None:
    ada, project = await make_person(client, org), await make_project(client, org)
    url = f"/api/v1/projects/{project['id']}/assignments"
    body = {"person_id": ada["id"], "role": "Dev", "allocation_percent": 10**30,
            "start_date": "2027-01-04", "end_date": "2027-01-05"}  # fmt: skip
    assert_problem(await client.post(url, json=body, headers=org.manager), 422,
                   "validation_failed", "body.allocation_percent")  # fmt: skip
    body = {**body, "allocation_percent": 50, "end_date": "10000-01-01"}
    assert_problem(await client.post(url, json=body, headers=org.manager), 422,
                   "validation_failed", "body.end_date")  # fmt: skip
    for query, field in [
        (f"{url}?limit=1000000000000000000000", "query.limit"),
        ("/api/v1/workload?from=2027-01-04&to=2027-02-01&limit=0", "query.limit"),
        (
            "/api/v1/people/available?from=2027-01-04&to=2027-02-01&min_free_percent=1e309",
            "query.min_free_percent",
        ),
        ("/api/v1/workload?from=2027-01-04&to=99999-01-01", "query.to"),
    ]:
        assert_problem(await client.get(query, headers=org.viewer), 422, "validation_failed",
                       field)  # fmt: skip
    meeting = {"title": "t", "kind": "status", "held_on": "2027-02-20",
               "decisions": ["d"] * 101}  # fmt: skip
    r = await client.post(
        f"/api/v1/projects/{project['id']}/meetings", json=meeting, headers=org.manager
    )
    assert_problem(r, 422, "validation_failed", "body.decisions")
    # The earliest date a week can start on still answers (no overflow before year 1).
    r = await client.get(f"/api/v1/people/{ada['id']}/workload?from=0001-01-01&to=0001-01-07",
                         headers=org.viewer)  # fmt: skip
    assert r.status_code == 200, r.text


async def test_foreign_and_mismatched_ids_are_404s(
    client: httpx.AsyncClient, org: Org, other_org: Org
) -> None:
    ada, project = await make_person(client, org), await make_project(client, org)
    await assign(client, org, project, ada)
    made = await assign(client, org, project, ada)
    stakeholder = await add_stakeholder(client, org, project)
    meeting = await record_meeting(
        client, org, project,
        action_items=[{"title": "x", "owner_id": ada["id"], "due_on": "2027-03-01"}],
    )  # fmt: skip
    item = meeting["action_items"][0]
    mine = f"/api/v1/projects/{project['id']}"
    for path in (
        f"/assignments/{made['id']}",
        f"/stakeholders/{stakeholder['id']}",
        f"/meetings/{meeting['id']}",
        f"/action-items/{item['id']}",
    ):
        assert_problem(await client.get(mine + path, headers=other_org.admin), 404, "not_found")
        r = await client.patch(mine + path, json={}, headers=other_org.admin)
        assert_problem(r, 404, "not_found")
    # An id of this organization under another of its projects is missing there too.
    other = await make_project(client, org)
    elsewhere = f"/api/v1/projects/{other['id']}"
    for path in (f"/assignments/{made['id']}", f"/meetings/{meeting['id']}",
                 f"/action-items/{item['id']}", f"/stakeholders/{stakeholder['id']}"):  # fmt: skip
        assert_problem(await client.get(elsewhere + path, headers=org.viewer), 404, "not_found")
    r = await client.get(f"/api/v1/people/{ada['id']}/action-items", headers=other_org.viewer)
    assert_problem(r, 404, "not_found")
    r = await client.get(f"{mine}/assignments/not-a-uuid", headers=org.viewer)
    assert_problem(r, 422, "validation_failed")


async def test_bad_cursors_are_422s_on_every_team_list(client: httpx.AsyncClient, org: Org) -> None:
    ada, project = await make_person(client, org), await make_project(client, org)
    lists = [
        f"/api/v1/projects/{project['id']}/assignments?",
        f"/api/v1/projects/{project['id']}/stakeholders?",
        f"/api/v1/projects/{project['id']}/meetings?",
        f"/api/v1/projects/{project['id']}/action-items?",
        f"/api/v1/people/{ada['id']}/action-items?",
        "/api/v1/workload?from=2027-01-04&to=2027-02-01&",
        "/api/v1/people/available?from=2027-01-04&to=2027-02-01&",
    ]
    # Not base64; base64 of a non-list; another list's shape; a text where a date belongs.
    for cursor in ("%00", "bm90IGEgbGlzdA", "WzEsMiwzLDQsNSw2XQ", "WyJ4IiwiYSJd"):
        for url in lists:
            r = await client.get(f"{url}cursor={cursor}", headers=org.viewer)
            assert_problem(r, 422, "validation_failed", "query.cursor")
