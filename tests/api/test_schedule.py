"""Dependencies, the schedule and baselines through REST on real PostgreSQL."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest

from tests.api.closing_helpers import define_objective
from tests.api.helpers import assert_problem, make_person, make_project
from tests.api.test_milestones import make_milestone, url
from tests.conftest import Org


async def depend(
    client: httpx.AsyncClient,
    org: Org,
    project: dict[str, Any],
    successor: dict[str, Any],
    predecessor: dict[str, Any],
    **fields: Any,
) -> httpx.Response:
    return await client.post(
        url(project, successor["id"], "dependencies"),
        json={"predecessor_id": predecessor["id"], **fields},
        headers=org.manager,
    )


async def worked_example(
    client: httpx.AsyncClient, org: Org, project: dict[str, Any]
) -> dict[str, dict[str, Any]]:
    """PRODUCT.md's example: A 3 days; B 2 and C 4 after A; D 1 day after B and C."""
    days = {"A": "03", "B": "02", "C": "04", "D": "01"}
    ms = {
        n: await make_milestone(
            client, org, project, name=n, start_date="2026-01-01", due_date=f"2026-01-{d}"
        )
        for n, d in days.items()
    }
    for succ, pred in (("B", "A"), ("C", "A"), ("D", "B"), ("D", "C")):
        assert (await depend(client, org, project, ms[succ], ms[pred])).status_code == 201
    return ms


def schedule_url(project: dict[str, Any]) -> str:
    return f"/api/v1/projects/{project['id']}/schedule"


async def test_schedule_follows_the_worked_example(client: httpx.AsyncClient, org: Org) -> None:
    project = await make_project(client, org)
    ms = await worked_example(client, org, project)
    r = await client.get(schedule_url(project), headers=org.viewer)
    assert r.status_code == 200, r.text
    body = r.json()
    names = {m["id"]: n for n, m in ms.items()}
    rows = {names[row["milestone_id"]]: row for row in body["milestones"]}
    # ES/EF: A 1/3, B 4/5, C 4/7, D 8/8; LS of B = 8 - 2 = 6; floats A 0, B 2, C 0, D 0.
    assert {n: (r["es"][-2:], r["ef"][-2:]) for n, r in rows.items()} == {
        "A": ("01", "03"),
        "B": ("04", "05"),
        "C": ("04", "07"),
        "D": ("08", "08"),
    }
    assert (rows["B"]["ls"], rows["B"]["lf"]) == ("2026-01-06", "2026-01-07")
    assert {n: r["total_float_days"] for n, r in rows.items()} == {"A": 0, "B": 2, "C": 0, "D": 0}
    assert [names[i] for i in body["critical_path"]] == ["A", "C", "D"]
    assert [names[r["milestone_id"]] for r in body["milestones"]] == ["A", "B", "C", "D"]
    assert body["forecast_finish"] == "2026-01-08"
    assert rows["D"]["forecast_finish"] == "2026-01-08"
    assert body["baseline"] is None
    assert all(r["slippage_days"] is None for r in rows.values())


async def test_empty_project_has_an_empty_schedule(client: httpx.AsyncClient, org: Org) -> None:
    project = await make_project(client, org)
    r = await client.get(schedule_url(project), headers=org.viewer)
    assert r.json() == {
        "milestones": [],
        "critical_path": [],
        "forecast_finish": None,
        "baseline": None,
    }


async def test_slippage_is_against_the_latest_baseline_unless_one_is_named(
    client: httpx.AsyncClient, org: Org
) -> None:
    project = await make_project(client, org)
    ms = await worked_example(client, org, project)
    base = f"/api/v1/projects/{project['id']}/baselines"
    first = await client.post(base, json={"name": "Plan"}, headers=org.manager)
    assert first.status_code == 201, first.text
    assert first.json()["number"] == 1
    assert first.headers["location"] == f"{base}/1"
    # C takes 5 days instead of 4: C finishes on day 8, D on day 9.
    r = await client.patch(
        url(project, ms["C"]["id"]), json={"due_date": "2026-01-05"}, headers=org.manager
    )
    assert r.status_code == 200, r.text
    rows = {
        x["milestone_id"]: x
        for x in (await client.get(schedule_url(project), headers=org.viewer)).json()["milestones"]
    }
    # Baseline due dates: C 01-04, D 01-01; forecasts C 01-08, D 01-09; A unchanged.
    assert rows[ms["C"]["id"]]["slippage_days"] == 4
    assert rows[ms["D"]["id"]]["slippage_days"] == 8
    assert rows[ms["A"]["id"]]["slippage_days"] == 0
    second = await client.post(base, json={"name": "Replan"}, headers=org.manager)
    assert second.json()["number"] == 2
    latest = (await client.get(schedule_url(project), headers=org.viewer)).json()
    assert latest["baseline"] == 2
    by_id = {x["milestone_id"]: x for x in latest["milestones"]}
    assert by_id[ms["C"]["id"]]["slippage_days"] == 3  # 01-08 - 01-05
    older = (await client.get(schedule_url(project) + "?baseline=1", headers=org.viewer)).json()
    assert older["baseline"] == 1
    assert {x["milestone_id"]: x for x in older["milestones"]}[ms["C"]["id"]]["slippage_days"] == 4
    assert_problem(
        await client.get(schedule_url(project) + "?baseline=9", headers=org.viewer),
        404,
        "not_found",
    )
    assert_problem(
        await client.get(schedule_url(project) + "?baseline=0", headers=org.viewer),
        422,
        "validation_failed",
    )


async def test_baselines_are_numbered_immutable_snapshots(
    client: httpx.AsyncClient, org: Org
) -> None:
    project = await make_project(client, org)
    m = await make_milestone(client, org, project, planned_value="500.00")
    base = f"/api/v1/projects/{project['id']}/baselines"
    assert_problem(
        await client.post(base, json={"name": "x"}, headers=org.member), 403, "forbidden"
    )
    assert_problem(
        await client.post(base, json={"name": ""}, headers=org.manager),
        422,
        "validation_failed",
        "body.name",
    )
    await client.post(base, json={"name": "Plan"}, headers=org.manager)
    await client.patch(
        url(project, m["id"]),
        json={"due_date": "2026-02-01", "planned_value": "700"},
        headers=org.manager,
    )
    snap = (await client.get(f"{base}/1", headers=org.viewer)).json()
    assert snap["name"] == "Plan"
    assert snap["taken_by"] == "user-manager"
    assert snap["currency"] == "EUR"
    assert snap["milestones"] == [
        {
            "milestone_id": m["id"],
            "start_date": "2026-01-05",
            "due_date": "2026-01-09",
            "planned_value": "500.00",
        }
    ]
    listed = (await client.get(base, headers=org.viewer)).json()
    assert [(b["number"], b["milestone_count"]) for b in listed["items"]] == [(1, 1)]
    assert_problem(await client.get(f"{base}/2", headers=org.viewer), 404, "not_found")
    assert (await client.put(f"{base}/1", json={}, headers=org.admin)).status_code == 405


async def test_entering_execution_needs_a_dated_milestone_and_captures_a_baseline(
    client: httpx.AsyncClient, org: Org
) -> None:
    sponsor = await make_person(client, org)
    project = await make_project(client, org, sponsor_id=sponsor["id"], no_known_risks=True)
    moves = f"/api/v1/projects/{project['id']}/transitions"
    await define_objective(client, org, project["id"])
    r = await client.post(moves, json={"to": "planning"}, headers=org.manager)
    assert r.status_code == 200, r.text
    gate = (await client.get(f"/api/v1/projects/{project['id']}/gate", headers=org.viewer)).json()
    ours = [c for c in gate["conditions"] if c["gate"] == "milestone_with_dates"]
    assert [c["met"] for c in ours] == [False]
    refused = await client.post(moves, json={"to": "execution"}, headers=org.manager)
    body = assert_problem(refused, 409, "phase_gate_unmet")
    assert "milestone_with_dates" in [u["gate"] for u in body["unmet"]]
    await make_milestone(client, org, project, planned_value="10.00")
    gate = (await client.get(f"/api/v1/projects/{project['id']}/gate", headers=org.viewer)).json()
    assert [c["met"] for c in gate["conditions"] if c["gate"] == "milestone_with_dates"] == [True]
    # Other capabilities add their own conditions; an admin forces past them here.
    r = await client.post(
        moves, json={"to": "execution", "force": True, "reason": "test"}, headers=org.admin
    )
    assert r.status_code == 200, r.text
    listed = (
        await client.get(f"/api/v1/projects/{project['id']}/baselines", headers=org.viewer)
    ).json()
    assert [(b["number"], b["name"], b["milestone_count"]) for b in listed["items"]] == [
        (1, "Execution start", 1)
    ]


async def test_dependencies_are_listed_read_and_removed(
    client: httpx.AsyncClient, org: Org
) -> None:
    project = await make_project(client, org)
    a = await make_milestone(client, org, project, name="A")
    b = await make_milestone(client, org, project, name="B")
    r = await depend(client, org, project, b, a, type="start_to_start", lag_days=-2)
    assert r.status_code == 201, r.text
    assert r.json()["type"] == "start_to_start"
    assert r.json()["lag_days"] == -2
    got = await client.get(r.headers["location"], headers=org.viewer)
    assert got.json() == r.json()
    listed = await client.get(url(project, b["id"], "dependencies"), headers=org.viewer)
    assert [d["predecessor_id"] for d in listed.json()["items"]] == [a["id"]]
    assert (await client.delete(r.headers["location"], headers=org.manager)).status_code == 204
    assert_problem(
        await client.delete(r.headers["location"], headers=org.manager), 404, "not_found"
    )
    assert (await client.get(url(project, b["id"], "dependencies"), headers=org.viewer)).json()[
        "items"
    ] == []


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"type": "finish_to_whenever"}, "body.type"),
        ({"lag_days": 1.5}, "body.lag_days"),
        ({"lag_days": 100_000}, "body.lag_days"),
        ({"predecessor_id": "nope"}, "body.predecessor_id"),
        ({"weight": 2}, "body.weight"),
    ],
)
async def test_bad_dependencies_are_422(
    client: httpx.AsyncClient, org: Org, body: dict[str, Any], field: str
) -> None:
    project = await make_project(client, org)
    a = await make_milestone(client, org, project, name="A")
    b = await make_milestone(client, org, project, name="B")
    r = await client.post(
        url(project, b["id"], "dependencies"),
        json={"predecessor_id": a["id"], **body},
        headers=org.manager,
    )
    assert_problem(r, 422, "validation_failed", field)


async def test_self_duplicate_and_cyclic_dependencies_are_refused(
    client: httpx.AsyncClient, org: Org
) -> None:
    project = await make_project(client, org)
    a, b, c = [await make_milestone(client, org, project, name=n) for n in "ABC"]
    assert_problem(await depend(client, org, project, a, a), 422, "validation_failed")
    assert (await depend(client, org, project, b, a)).status_code == 201
    assert (await depend(client, org, project, c, b)).status_code == 201
    dup = await depend(client, org, project, b, a, type="start_to_start")
    assert_problem(dup, 422, "validation_failed", "body.predecessor_id")
    cycle = assert_problem(await depend(client, org, project, a, c), 422, "dependency_cycle")
    # The new edge C -> A, then the existing path A -> B -> C back to C.
    assert cycle["cycle"] == [c["id"], a["id"], b["id"]]
    listed = await client.get(url(project, a["id"], "dependencies"), headers=org.viewer)
    assert listed.json()["items"] == []


async def test_predecessors_of_other_projects_or_organizations_look_missing(
    client: httpx.AsyncClient, org: Org, other_org: Org
) -> None:
    project = await make_project(client, org)
    other_project = await make_project(client, org)
    foreign_project = await make_project(client, other_org)
    mine = await make_milestone(client, org, project)
    theirs = await make_milestone(client, org, other_project)
    foreign = await make_milestone(client, other_org, foreign_project)
    for predecessor in (theirs, foreign, {"id": "00000000-0000-0000-0000-000000000000"}):
        r = await depend(client, org, project, mine, predecessor)
        assert_problem(r, 404, "not_found")
    r = await client.post(
        url(project, mine["id"], "dependencies"),
        json={"predecessor_id": theirs["id"]},
        headers=other_org.admin,
    )
    assert_problem(r, 404, "not_found")
    assert_problem(
        await client.get(schedule_url(project), headers=other_org.admin), 404, "not_found"
    )


async def test_concurrent_dependencies_that_would_close_a_cycle_do_not_both_succeed(
    client: httpx.AsyncClient, org: Org
) -> None:
    project = await make_project(client, org)
    for _ in range(4):
        a, b, c = [await make_milestone(client, org, project, name=n) for n in "ABC"]
        assert (await depend(client, org, project, b, a)).status_code == 201
        # B -> C and C -> A each look fine alone; together they close A -> B -> C -> A.
        results = await asyncio.gather(
            depend(client, org, project, c, b), depend(client, org, project, a, c)
        )
        statuses = sorted(r.status_code for r in results)
        assert statuses == [201, 422], [r.text for r in results]
        refused = next(r for r in results if r.status_code == 422)
        assert refused.json()["code"] == "dependency_cycle"
    r = await client.get(schedule_url(project), headers=org.viewer)
    assert r.status_code == 200, r.text
