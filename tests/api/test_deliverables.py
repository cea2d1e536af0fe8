"""Deliverables and their decisions through REST on real PostgreSQL."""

from __future__ import annotations

import httpx

from tests.api.helpers import assert_problem, make_person, make_project
from tests.api.test_milestones import make_milestone
from tests.conftest import Org


def _base(project: dict[str, str]) -> str:
    return f"/api/v1/projects/{project['id']}/deliverables"


async def _deliverable(
    client: httpx.AsyncClient, org: Org, project: dict[str, str], **fields: object
) -> dict[str, object]:
    r = await client.post(_base(project), json={"name": "Runbook", **fields}, headers=org.manager)
    assert r.status_code == 201, r.text
    return dict(r.json())


async def test_decisions_move_the_status_and_are_kept_with_who_when_and_why(
    client: httpx.AsyncClient, org: Org
) -> None:
    project = await make_project(client, org)
    d = await _deliverable(client, org, project, acceptance_criteria="Ops can restore in 1h")
    assert (d["status"], d["decided_by"], d["version"]) == ("pending", None, 1)
    url = f"{_base(project)}/{d['id']}/decisions"
    no_note = await client.post(url, json={"decision": "reject"}, headers=org.manager)
    assert_problem(no_note, 422, "validation_failed", "body.note")
    rejected = await client.post(url, json={"decision": "reject", "note": "No restore drill"},
                                 headers=org.manager)  # fmt: skip
    assert rejected.status_code == 201, rejected.text
    assert rejected.json()["deliverable"]["status"] == "rejected"
    again = await client.post(url, json={"decision": "accept"}, headers=org.manager)
    assert_problem(again, 409, "invalid_decision")
    await client.post(url, json={"decision": "reopen"}, headers=org.manager)
    accepted = await client.post(url, json={"decision": "accept"}, headers=org.manager)
    assert accepted.json()["deliverable"]["decided_by"] == "user-manager"
    history = (await client.get(url, headers=org.viewer)).json()["items"]
    assert [(h["decision"], h["from_status"], h["to_status"]) for h in history] == [
        ("accept", "pending", "accepted"),
        ("reopen", "rejected", "pending"),
        ("reject", "pending", "rejected"),
    ]
    assert history[2]["note"] == "No restore drill"
    listed = (await client.get(f"{_base(project)}?status=accepted", headers=org.viewer)).json()
    assert [x["id"] for x in listed["items"]] == [d["id"]]
    assert (await client.get(f"{_base(project)}?status=pending", headers=org.viewer)).json()[
        "items"
    ] == []
    bad = await client.post(url, json={"decision": "approve"}, headers=org.manager)
    assert_problem(bad, 422, "validation_failed", "body.decision")


async def test_only_a_manager_or_the_sponsor_decides(client: httpx.AsyncClient, org: Org) -> None:
    sponsor = await make_person(client, org, user_sub="the-sponsor")
    project = await make_project(client, org, sponsor_id=sponsor["id"])
    d = await _deliverable(client, org, project)
    url = f"{_base(project)}/{d['id']}/decisions"
    body = {"decision": "waive", "note": "Replaced by the vendor's"}
    assert_problem(await client.post(url, json=body, headers=org.member), 403, "forbidden")
    r = await client.post(url, json=body, headers=org.headers("member", sub="the-sponsor"))
    assert r.status_code == 201, r.text
    assert_problem(
        await client.post(_base(project), json={"name": "X"}, headers=org.member), 403, "forbidden"
    )


async def test_a_deliverable_names_a_milestone_of_its_project_which_then_cannot_be_deleted(
    client: httpx.AsyncClient, org: Org
) -> None:
    project, other = await make_project(client, org), await make_project(client, org)
    theirs = await make_milestone(client, org, other)
    r = await client.post(_base(project), json={"name": "D", "milestone_id": theirs["id"]},
                          headers=org.manager)  # fmt: skip
    assert_problem(r, 422, "validation_failed", "body.milestone_id")
    mine = await make_milestone(client, org, project)
    d = await _deliverable(client, org, project, milestone_id=mine["id"])
    deleted = await client.delete(
        f"/api/v1/projects/{project['id']}/milestones/{mine['id']}", headers=org.manager
    )
    assert_problem(deleted, 409, "milestone_has_dependents")
    url = f"{_base(project)}/{d['id']}"
    stale = await client.patch(
        url, json={"milestone_id": None}, headers={**org.manager, "If-Match": '"5"'}
    )
    assert_problem(stale, 412, "version_conflict")
    r = await client.patch(url, json={"milestone_id": None, "name": "Guide"}, headers=org.manager)
    assert (r.status_code, r.json()["milestone_id"], r.json()["version"]) == (200, None, 2)
    assert_problem(await client.patch(url, json={"status": "accepted"}, headers=org.manager), 422,
                   "validation_failed", "body.status")  # fmt: skip


async def test_deliverables_of_another_organization_are_not_found(
    client: httpx.AsyncClient, org: Org, other_org: Org
) -> None:
    project = await make_project(client, org)
    d = await _deliverable(client, org, project)
    url = f"{_base(project)}/{d['id']}"
    for r in (
        await client.get(url, headers=other_org.admin),
        await client.patch(url, json={"name": "X"}, headers=other_org.admin),
        await client.post(f"{url}/decisions", json={"decision": "accept"}, headers=other_org.admin),
        await client.get(f"{url}/decisions", headers=other_org.admin),
        await client.get(_base(project), headers=other_org.admin),
    ):
        assert_problem(r, 404, "not_found")


async def test_a_decision_with_an_idempotency_key_is_taken_once(
    client: httpx.AsyncClient, org: Org
) -> None:
    project = await make_project(client, org)
    d = await _deliverable(client, org, project)
    url = f"{_base(project)}/{d['id']}/decisions"
    headers = {**org.manager, "Idempotency-Key": "accept-runbook"}
    first = await client.post(url, json={"decision": "accept"}, headers=headers)
    replay = await client.post(url, json={"decision": "accept"}, headers=headers)
    assert (first.status_code, replay.status_code) == (201, 201)
    assert replay.headers["idempotent-replayed"] == "true"
    assert replay.json() == first.json()
    assert len((await client.get(url, headers=org.viewer)).json()["items"]) == 1
