"""Occurrence, the issue log, the risk matrix and the risk gate through REST on real PostgreSQL."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.api.closing_helpers import define_objective
from tests.api.helpers import assert_problem, make_person, make_project
from tests.api.test_risks import make_risk, risks_url
from tests.conftest import Org


def issues_url(project: dict[str, Any]) -> str:
    return f"/api/v1/projects/{project['id']}/issues"


async def test_occurrence_marks_the_risk_occurred_and_opens_the_linked_issue(
    client: httpx.AsyncClient, org: Org
) -> None:
    project = await make_project(client, org)
    owner = await make_person(client, org)
    risk = await make_risk(client, org, project, owner_id=owner["id"])
    url = f"{risks_url(project)}/{risk['id']}"
    r = await client.post(
        f"{url}/occurrence",
        headers=org.member,
        json={"severity": "high", "note": "The vendor missed the drop"},
    )
    assert r.status_code == 201, r.text
    issue = r.json()
    assert r.headers["location"] == f"{issues_url(project)}/{issue['id']}"
    assert issue["risk_id"] == risk["id"] and issue["from_occurrence"] is True
    assert (issue["title"], issue["severity"], issue["status"]) == (risk["title"], "high", "open")
    assert issue["description"] == "The vendor missed the drop"
    assert issue["owner_id"] == owner["id"]
    after = (await client.get(url, headers=org.viewer)).json()
    assert after["status"] == "occurred" and after["version"] == 2
    got = await client.get(r.headers["location"], headers=org.viewer)
    assert got.json() == issue
    again = await client.post(f"{url}/occurrence", headers=org.member, json={"severity": "low"})
    assert_problem(again, 409, "risk_not_live")
    assert len((await client.get(issues_url(project), headers=org.viewer)).json()["items"]) == 1
    # An occurred risk keeps its status.
    r = await client.patch(url, headers=org.member, json={"status": "open"})
    assert_problem(r, 422, "validation_failed", "body.status")


async def test_occurrence_of_a_closed_risk_is_a_conflict_and_changes_nothing(
    client: httpx.AsyncClient, org: Org
) -> None:
    project = await make_project(client, org)
    risk = await make_risk(client, org, project)
    url = f"{risks_url(project)}/{risk['id']}"
    await client.patch(url, headers=org.member, json={"status": "closed"})
    r = await client.post(f"{url}/occurrence", headers=org.member, json={"severity": "low"})
    assert_problem(r, 409, "risk_not_live")
    assert (await client.get(url, headers=org.viewer)).json()["status"] == "closed"
    assert (await client.get(issues_url(project), headers=org.viewer)).json()["items"] == []


async def test_occurrence_input_is_validated_and_honours_if_match(
    client: httpx.AsyncClient, org: Org
) -> None:
    project = await make_project(client, org)
    risk = await make_risk(client, org, project)
    url = f"{risks_url(project)}/{risk['id']}/occurrence"
    for body, field in (
        ({}, "body.severity"),
        ({"severity": "apocalyptic"}, "body.severity"),
        ({"severity": "low", "title": ""}, "body.title"),
        ({"severity": "low", "unknown": 1}, "body.unknown"),
    ):
        assert_problem(
            await client.post(url, json=body, headers=org.member), 422, "validation_failed", field
        )
    stale = await client.post(
        url, json={"severity": "low"}, headers={**org.member, "If-Match": '"7"'}
    )
    assert_problem(stale, 412, "version_conflict")
    titled = await client.post(
        url, json={"severity": "critical", "title": "Vendor outage"}, headers=org.member
    )
    assert titled.json()["title"] == "Vendor outage"


async def test_issue_log_create_list_get_update(client: httpx.AsyncClient, org: Org) -> None:
    project = await make_project(client, org)
    risk = await make_risk(client, org, project)
    r = await client.post(
        issues_url(project),
        headers=org.member,
        json={
            "title": "Build server down",
            "severity": "critical",
            "due_on": "2026-02-01",
            "risk_id": risk["id"],
        },
    )
    assert r.status_code == 201, r.text
    issue = r.json()
    assert issue["status"] == "open" and issue["risk_id"] == risk["id"]
    assert issue["from_occurrence"] is False
    minor = await client.post(
        issues_url(project), headers=org.member, json={"title": "Typo", "severity": "low"}
    )
    url = f"{issues_url(project)}/{issue['id']}"
    r = await client.patch(
        url, headers={**org.member, "If-Match": '"1"'}, json={"status": "in_progress"}
    )
    assert r.status_code == 200 and r.headers["etag"] == '"2"'
    stale = await client.patch(
        url, headers={**org.member, "If-Match": '"1"'}, json={"severity": "low"}
    )
    assert_problem(stale, 412, "version_conflict")
    unresolved = await client.patch(url, headers=org.member, json={"status": "resolved"})
    assert_problem(unresolved, 422, "validation_failed", "body.resolution")
    blank = await client.patch(
        url, headers=org.member, json={"status": "resolved", "resolution": "   "}
    )
    assert_problem(blank, 422, "validation_failed", "body.resolution")
    resolved = await client.patch(
        url, headers=org.member, json={"status": "resolved", "resolution": "Rebuilt the runner"}
    )
    assert resolved.status_code == 200, resolved.text
    assert resolved.json()["status"] == "resolved"
    # The resolution cannot be removed while the issue stays resolved.
    dropped = await client.patch(url, headers=org.member, json={"resolution": None})
    assert_problem(dropped, 422, "validation_failed", "body.resolution")

    async def ids(query: str) -> list[str]:
        r = await client.get(f"{issues_url(project)}?{query}", headers=org.viewer)
        assert r.status_code == 200, r.text
        return [i["id"] for i in r.json()["items"]]

    assert await ids("") == [minor.json()["id"], issue["id"]]  # newest first
    assert await ids("status=resolved") == [issue["id"]]
    assert await ids("severity=low") == [minor.json()["id"]]
    assert await ids("status=open&severity=critical") == []
    assert_problem(
        await client.get(f"{issues_url(project)}?status=gone", headers=org.viewer),
        422,
        "validation_failed",
        "query.status",
    )
    history = (
        await client.get(f"/api/v1/projects/{project['id']}/activity", headers=org.viewer)
    ).json()["items"]
    assert [e["action"] for e in history[:4]] == [
        "issue.updated",
        "issue.updated",
        "issue.created",
        "issue.created",
    ]
    assert history[0]["changes"]["status"] == {"from": "in_progress", "to": "resolved"}


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"severity": "apocalyptic"}, "body.severity"),
        ({"status": "done"}, "body.status"),
        ({"status": "resolved"}, "body.resolution"),
        ({"status": "closed", "resolution": ""}, "body.resolution"),
        ({"due_on": "tomorrow"}, "body.due_on"),
        ({"title": ""}, "body.title"),
        ({"risk_id": "00000000-0000-0000-0000-000000000000"}, "body.risk_id"),
        ({"owner_id": "00000000-0000-0000-0000-000000000000"}, "body.owner_id"),
        ({"from_occurrence": True}, "body.from_occurrence"),
    ],
)
async def test_bad_issue_input_is_a_422_naming_the_field(
    client: httpx.AsyncClient, org: Org, fields: dict[str, Any], field: str
) -> None:
    project = await make_project(client, org)
    body = {"title": "Outage", "severity": "high", **fields}
    r = await client.post(issues_url(project), json=body, headers=org.member)
    assert_problem(r, 422, "validation_failed", field)
    assert (await client.get(issues_url(project), headers=org.viewer)).json()["items"] == []


async def test_an_issue_links_only_a_risk_of_its_own_project(
    client: httpx.AsyncClient, org: Org, other_org: Org
) -> None:
    project = await make_project(client, org)
    elsewhere = await make_project(client, org)
    foreign_risk = await make_risk(client, org, elsewhere)
    body = {"title": "Outage", "severity": "high", "risk_id": foreign_risk["id"]}
    r = await client.post(issues_url(project), json=body, headers=org.member)
    assert_problem(r, 422, "validation_failed", "body.risk_id")
    issue = await client.post(
        issues_url(project), json={"title": "Outage", "severity": "high"}, headers=org.member
    )
    url = f"{issues_url(project)}/{issue.json()['id']}"
    r = await client.patch(url, json={"risk_id": foreign_risk["id"]}, headers=org.member)
    assert_problem(r, 422, "validation_failed", "body.risk_id")
    h = other_org.admin
    assert_problem(await client.get(url, headers=h), 404, "not_found")
    assert_problem(await client.patch(url, json={"severity": "low"}, headers=h), 404, "not_found")
    assert_problem(await client.get(issues_url(project), headers=h), 404, "not_found")
    assert_problem(
        await client.post(issues_url(project), json={"title": "x", "severity": "low"}, headers=h),
        404,
        "not_found",
    )


async def test_viewer_may_read_but_not_change_issues(client: httpx.AsyncClient, org: Org) -> None:
    project = await make_project(client, org)
    body = {"title": "Outage", "severity": "high"}
    r = await client.post(issues_url(project), json=body, headers=org.viewer)
    assert_problem(r, 403, "forbidden")
    created = await client.post(issues_url(project), json=body, headers=org.manager)
    assert created.status_code == 201
    url = f"{issues_url(project)}/{created.json()['id']}"
    r = await client.patch(url, json={"severity": "low"}, headers=org.viewer)
    assert_problem(r, 403, "forbidden")
    assert (await client.get(url, headers=org.viewer)).status_code == 200


async def test_risk_matrix_counts_open_and_mitigating_risks_and_sums_their_emv(
    client: httpx.AsyncClient, org: Org
) -> None:
    project = await make_project(client, org, currency="EUR")
    base = risks_url(project)
    await make_risk(client, org, project, probability=5, impact=1, cost_impact="100.00")
    mitigating = await make_risk(
        client, org, project, probability=5, impact=1, cost_impact="10.01", review_on="2020-03-01"
    )
    await client.patch(
        f"{base}/{mitigating['id']}", json={"status": "mitigating"}, headers=org.member
    )
    overdue = await make_risk(client, org, project, probability=2, impact=4, review_on="2020-01-01")
    closed = await make_risk(
        client, org, project, probability=1, impact=5, cost_impact="999.00", review_on="2020-01-01"
    )
    await client.patch(f"{base}/{closed['id']}", json={"status": "closed"}, headers=org.member)
    occurred = await make_risk(client, org, project, probability=3, impact=3, cost_impact="50.00")
    await client.post(
        f"{base}/{occurred['id']}/occurrence", json={"severity": "low"}, headers=org.member
    )
    r = await client.get(f"/api/v1/projects/{project['id']}/risk-matrix", headers=org.viewer)
    assert r.status_code == 200, r.text
    matrix = r.json()
    expected = [[0] * 5 for _ in range(5)]
    expected[4][0] = 2
    expected[1][3] = 1
    assert matrix["cells"] == expected
    # 90% of 100.00 + 90% of 10.01 = 90.00 + 9.01 (9.009 at the minor unit).
    assert matrix["suggested_contingency"] == "99.01"
    assert matrix["currency"] == "EUR"
    assert matrix["overdue_reviews"] == [overdue["id"], mitigating["id"]]


async def test_empty_register_matrix(client: httpx.AsyncClient, org: Org) -> None:
    project = await make_project(client, org, currency="JPY")
    r = await client.get(f"/api/v1/projects/{project['id']}/risk-matrix", headers=org.viewer)
    assert r.json() == {
        "cells": [[0] * 5 for _ in range(5)],
        "suggested_contingency": "0",
        "currency": "JPY",
        "overdue_reviews": [],
    }


async def _to_planning(client: httpx.AsyncClient, org: Org) -> dict[str, Any]:
    sponsor = await make_person(client, org)
    project = await make_project(client, org, sponsor_id=sponsor["id"])
    await define_objective(client, org, project["id"])  # initiation's objective_defined gate
    r = await client.post(
        f"/api/v1/projects/{project['id']}/transitions",
        json={"to": "planning"},
        headers=org.manager,
    )
    assert r.status_code == 200, r.text
    return dict(r.json())


def _risk_condition(gate: dict[str, Any]) -> dict[str, Any]:
    return next(c for c in gate["conditions"] if c["gate"] == "risk_register_reviewed")


async def test_execution_gate_needs_a_reviewed_risk_register(
    client: httpx.AsyncClient, org: Org
) -> None:
    project = await _to_planning(client, org)
    gate_url = f"/api/v1/projects/{project['id']}/gate"
    gate = (await client.get(gate_url, headers=org.viewer)).json()
    assert gate["to"] == "execution"
    assert _risk_condition(gate)["met"] is False
    r = await client.post(
        f"/api/v1/projects/{project['id']}/transitions",
        json={"to": "execution"},
        headers=org.manager,
    )
    body = assert_problem(r, 409, "phase_gate_unmet")
    assert "risk_register_reviewed" in [u["gate"] for u in body["unmet"]]
    await make_risk(client, org, project)
    assert _risk_condition((await client.get(gate_url, headers=org.viewer)).json())["met"] is True


async def test_no_known_risks_meets_the_risk_gate(client: httpx.AsyncClient, org: Org) -> None:
    project = await _to_planning(client, org)
    r = await client.patch(
        f"/api/v1/projects/{project['id']}", json={"no_known_risks": True}, headers=org.manager
    )
    assert r.status_code == 200, r.text
    gate = (await client.get(f"/api/v1/projects/{project['id']}/gate", headers=org.viewer)).json()
    assert _risk_condition(gate) == {
        "gate": "risk_register_reviewed",
        "met": True,
        "message": "The project is marked as having no known risks",
    }


async def test_concurrent_occurrences_raise_exactly_one_issue(
    client: httpx.AsyncClient, org: Org
) -> None:
    import asyncio

    project = await make_project(client, org)
    risk = await make_risk(client, org, project)
    url = f"{risks_url(project)}/{risk['id']}/occurrence"
    results = await asyncio.gather(
        *(client.post(url, json={"severity": "high"}, headers=org.member) for _ in range(4))
    )
    assert sorted(r.status_code for r in results) == [201, 409, 409, 409]
    assert len((await client.get(issues_url(project), headers=org.viewer)).json()["items"]) == 1


async def test_a_replayed_occurrence_returns_the_same_issue(
    client: httpx.AsyncClient, org: Org
) -> None:
    project = await make_project(client, org)
    risk = await make_risk(client, org, project)
    url = f"{risks_url(project)}/{risk['id']}/occurrence"
    headers = {**org.member, "Idempotency-Key": "occurred-once"}
    first = await client.post(url, json={"severity": "high"}, headers=headers)
    again = await client.post(url, json={"severity": "high"}, headers=headers)
    assert first.status_code == again.status_code == 201
    assert again.headers["idempotent-replayed"] == "true"
    assert again.json() == first.json()
    changed = await client.post(url, json={"severity": "low"}, headers=headers)
    assert_problem(changed, 422, "idempotency_key_reused")
