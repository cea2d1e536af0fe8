"""The Monte Carlo forecast through REST and GraphQL on real PostgreSQL (issue 18)."""

from __future__ import annotations

import asyncio
import threading
from typing import Any

import httpx
import pytest

from app.domain.forecast.service import ForecastInputs
from app.domain.forecast.simulation import Forecast
from tests.api.helpers import assert_problem, gql, make_project
from tests.api.test_milestones import make_milestone
from tests.api.test_milestones import url as milestone_url
from tests.api.test_schedule import depend
from tests.conftest import Org


def forecast_url(project: dict[str, Any], **params: Any) -> str:
    query = "&".join(f"{k}={v}" for k, v in params.items())
    return f"/api/v1/projects/{project['id']}/forecast" + (f"?{query}" if query else "")


async def make_risk(
    client: httpx.AsyncClient, org: Org, project: dict[str, Any], **fields: Any
) -> httpx.Response:
    body = {"title": "Vendor late", "category": "vendor", "probability": 5, "impact": 3, **fields}
    return await client.post(
        f"/api/v1/projects/{project['id']}/risks", json=body, headers=org.member
    )


async def estimated_project(client: httpx.AsyncClient, org: Org) -> dict[str, Any]:
    """Two milestones in a chain: A 5 days (3, 5, 10), then B 5 days with no estimate, and a
    90 % risk that would add 4 days to B and cost 1,000."""
    project = await make_project(client, org, target_end_date="2026-01-14")
    a = await make_milestone(
        client, org, project, name="A", start_date="2026-01-01", due_date="2026-01-05",
        optimistic_days=3, most_likely_days=5, pessimistic_days=10, planned_value="500.00",
    )  # fmt: skip
    b = await make_milestone(
        client, org, project, name="B", start_date="2026-01-06", due_date="2026-01-10",
        planned_value="500.00",
    )  # fmt: skip
    assert (await depend(client, org, project, b, a)).status_code == 201
    r = await make_risk(
        client, org, project, schedule_impact_days=4, milestone_id=b["id"], cost_impact="1000.00"
    )
    assert r.status_code == 201, r.text
    project["milestones"] = {"A": a, "B": b}
    return project


async def test_forecast_answers_the_documented_shape_and_repeats_for_a_seed(
    client: httpx.AsyncClient, org: Org
) -> None:
    project = await estimated_project(client, org)
    r = await client.get(forecast_url(project, iterations=5000, seed=42), headers=org.viewer)
    assert r.status_code == 200, r.text
    body = r.json()
    assert set(body) == {
        "iterations", "seed", "finish", "probability_on_time", "cost", "currency",
        "milestones", "histogram",
    }  # fmt: skip
    assert (body["iterations"], body["seed"], body["currency"]) == (5000, 42, "EUR")
    finish = body["finish"]
    # A takes 3..10 days, B 5 days (+4 in 90 % of iterations): 2026-01-08 .. 2026-01-19.
    assert "2026-01-08" <= finish["p10"] <= finish["p50"] <= finish["p80"] <= finish["p90"]
    assert finish["p90"] <= "2026-01-19"
    # On time: the risk does not occur (10 %), or it does and A takes at most 5 days so B
    # starts on its date (P(d <= 5) for (3, 5, 10) = 2^2 / (7 x 2) = 2/7): 0.1 + 0.9 x 2/7.
    assert body["probability_on_time"] == pytest.approx(0.1 + 0.9 * 2 / 7, abs=0.03)
    assert body["cost"]["p50"] == body["cost"]["p90"] or body["cost"]["p50"] < body["cost"]["p90"]
    assert body["cost"]["p50"].count(".") == 1 and len(body["cost"]["p50"].split(".")[1]) == 2
    ids = {m["milestone_id"]: m for m in body["milestones"]}
    a, b = project["milestones"]["A"], project["milestones"]["B"]
    # B is last: always critical. A only when it holds B back past B's own start date
    # (a "start no earlier than" bound): when it takes 5 days or more, 1 - 2/7.
    assert ids[b["id"]]["criticality"] == 1.0
    assert ids[a["id"]]["criticality"] == pytest.approx(1 - 2 / 7, abs=0.03)
    assert ids[a["id"]]["sensitivity"] > 0 and ids[b["id"]]["sensitivity"] > 0
    assert len(body["histogram"]) == 20
    assert sum(h["count"] for h in body["histogram"]) == 5000
    assert set(body["histogram"][0]) == {"from", "to", "count"}
    again = await client.get(forecast_url(project, iterations=5000, seed=42), headers=org.viewer)
    assert again.json() == body
    other = await client.get(forecast_url(project, iterations=5000, seed=43), headers=org.viewer)
    assert other.json() != body


async def test_without_estimates_or_risks_the_forecast_is_the_schedules_finish(
    client: httpx.AsyncClient, org: Org
) -> None:
    project = await make_project(client, org)
    await make_milestone(client, org, project, start_date="2026-02-02", due_date="2026-02-06")
    body = (await client.get(forecast_url(project), headers=org.viewer)).json()
    schedule = (
        await client.get(f"/api/v1/projects/{project['id']}/schedule", headers=org.viewer)
    ).json()
    assert body["iterations"] == 10_000 and isinstance(body["seed"], int)
    assert set(body["finish"].values()) == {schedule["forecast_finish"]} == {"2026-02-06"}
    assert body["probability_on_time"] is None  # no target end date
    assert body["milestones"][0]["sensitivity"] is None


async def test_estimates_and_schedule_impact_are_kept_and_in_the_history(
    client: httpx.AsyncClient, org: Org
) -> None:
    project = await estimated_project(client, org)
    a = project["milestones"]["A"]
    assert (a["optimistic_days"], a["most_likely_days"], a["pessimistic_days"]) == (3, 5, 10)
    r = await client.patch(
        milestone_url(project, a["id"]), json={"pessimistic_days": 12}, headers=org.manager
    )
    assert r.status_code == 200, r.text
    assert r.json()["pessimistic_days"] == 12
    risks = (
        await client.get(f"/api/v1/projects/{project['id']}/risks", headers=org.viewer)
    ).json()["items"]
    risk = risks[0]
    assert (risk["schedule_impact_days"], risk["milestone_id"]) == (
        4,
        project["milestones"]["B"]["id"],
    )
    r = await client.patch(
        f"/api/v1/projects/{project['id']}/risks/{risk['id']}",
        json={"schedule_impact_days": 6, "milestone_id": a["id"]},
        headers=org.member,
    )
    assert r.status_code == 200, r.text
    activity = (
        await client.get(f"/api/v1/projects/{project['id']}/activity", headers=org.viewer)
    ).json()["items"]
    assert activity[0]["action"] == "risk.updated"
    assert activity[0]["changes"] == {
        "milestone_id": {"from": project["milestones"]["B"]["id"], "to": a["id"]},
        "schedule_impact_days": {"from": 4, "to": 6},
    }
    milestone_change = next(e for e in activity if e["action"] == "milestone.updated")
    assert milestone_change["changes"] == {"pessimistic_days": {"from": 10, "to": 12}}
    # A milestone a risk names cannot be deleted from under it.
    r = await client.delete(milestone_url(project, a["id"]), headers=org.manager)
    assert_problem(r, 409, "milestone_has_dependents")


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"iterations": 999}, "iterations"),
        ({"iterations": 100_001}, "iterations"),
        ({"iterations": 10**30}, "iterations"),
        ({"iterations": "many"}, "iterations"),
        ({"seed": -1}, "seed"),
        ({"seed": 2**31}, "seed"),
    ],
)
async def test_bad_forecast_arguments_are_422_naming_the_field(
    client: httpx.AsyncClient, org: Org, params: dict[str, Any], field: str
) -> None:
    project = await make_project(client, org)
    r = await client.get(forecast_url(project, **params), headers=org.viewer)
    assert r.status_code == 422, r.text
    assert field in r.text


async def test_bad_estimates_and_impacts_are_422_and_change_nothing(
    client: httpx.AsyncClient, org: Org, other_org: Org
) -> None:
    project = await make_project(client, org)
    cases = [
        ({"optimistic_days": 5, "most_likely_days": 4, "pessimistic_days": 9}, "most_likely_days"),
        ({"optimistic_days": 2, "most_likely_days": 4, "pessimistic_days": 3}, "pessimistic_days"),
        ({"optimistic_days": 0, "most_likely_days": 4, "pessimistic_days": 9}, "optimistic_days"),
        ({"optimistic_days": 2, "most_likely_days": 4}, "pessimistic_days"),
        ({"optimistic_days": 2.5, "most_likely_days": 4, "pessimistic_days": 9}, "optimistic_days"),
        ({"optimistic_days": 1, "most_likely_days": 4, "pessimistic_days": 10**12}, "pessimistic_days"),
    ]  # fmt: skip
    for fields, field in cases:
        body = {"name": "X", "start_date": "2026-01-05", "due_date": "2026-01-09", **fields}
        r = await client.post(milestone_url(project), json=body, headers=org.manager)
        assert r.status_code == 422, (fields, r.text)
        assert field in r.text, (fields, r.text)
    m = await make_milestone(client, org, project)
    r = await client.patch(
        milestone_url(project, m["id"]),
        json={"optimistic_days": 3, "most_likely_days": 2, "pessimistic_days": 4},
        headers=org.manager,
    )
    assert_problem(r, 422, "validation_failed", "body.most_likely_days")
    assert (await client.get(milestone_url(project, m["id"]), headers=org.viewer)).json()[
        "optimistic_days"
    ] is None

    r = await make_risk(client, org, project, schedule_impact_days=-1)
    assert r.status_code == 422 and "schedule_impact_days" in r.text
    # A milestone of another project, or of another organization, is not this risk's.
    elsewhere = await make_project(client, org)
    theirs = await make_milestone(client, org, elsewhere)
    r = await make_risk(client, org, project, milestone_id=theirs["id"])
    assert_problem(r, 422, "validation_failed", "body.milestone_id")
    foreign_project = await make_project(client, other_org)
    foreign = await make_milestone(client, other_org, foreign_project)
    r = await make_risk(client, org, project, milestone_id=foreign["id"])
    assert_problem(r, 422, "validation_failed", "body.milestone_id")
    risk = (await make_risk(client, org, project)).json()
    r = await client.patch(
        f"/api/v1/projects/{project['id']}/risks/{risk['id']}",
        json={"milestone_id": theirs["id"]},
        headers=org.member,
    )
    assert_problem(r, 422, "validation_failed", "body.milestone_id")
    listed = (
        await client.get(f"/api/v1/projects/{project['id']}/risks", headers=org.viewer)
    ).json()["items"]
    assert [x["milestone_id"] for x in listed] == [None]  # nothing half written


async def test_another_organizations_forecast_is_404(
    client: httpx.AsyncClient, org: Org, other_org: Org
) -> None:
    project = await make_project(client, org)
    r = await client.get(forecast_url(project), headers=other_org.viewer)
    assert_problem(r, 404, "not_found")
    assert (await client.get(forecast_url(project))).status_code == 401


async def test_healthz_answers_while_a_forecast_computes(
    client: httpx.AsyncClient, org: Org, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The simulation is held inside its run until /healthz has answered: on the event loop
    that could never happen (the loop would be blocked until the wait gave up)."""
    project = await make_project(client, org)
    await make_milestone(client, org, project)
    started, release = threading.Event(), threading.Event()
    waited: list[bool] = []
    real = ForecastInputs.run

    def held(self: ForecastInputs, iterations: int, seed: int) -> Forecast:
        started.set()
        waited.append(release.wait(timeout=30))
        return real(self, iterations, seed)

    monkeypatch.setattr(ForecastInputs, "run", held)
    pending = asyncio.create_task(client.get(forecast_url(project), headers=org.viewer))
    for _ in range(3000):
        if started.is_set():
            break
        await asyncio.sleep(0.01)
    assert started.is_set()
    health = await client.get("/healthz")
    assert health.status_code == 200
    assert not pending.done()  # the forecast is still computing
    release.set()
    r = await pending
    assert r.status_code == 200, r.text
    assert waited == [True]


QUERY = """
query ($id: ID!, $iterations: Int, $seed: Int) {
  project(id: $id) {
    forecast(iterations: $iterations, seed: $seed) {
      iterations seed probabilityOnTime currency
      finish { p10 p50 p80 p90 }
      cost { p50 p80 p90 }
      milestones { milestoneId criticality sensitivity }
      histogram { from to count }
    }
  }
}
"""


async def test_graphql_forecast_matches_rest_for_the_same_seed(
    client: httpx.AsyncClient, org: Org
) -> None:
    project = await estimated_project(client, org)
    rest = (
        await client.get(forecast_url(project, iterations=2000, seed=7), headers=org.viewer)
    ).json()
    found = await gql(client, QUERY, org.viewer, id=project["id"], iterations=2000, seed=7)
    assert "errors" not in found, found
    f = found["data"]["project"]["forecast"]
    assert (f["iterations"], f["seed"]) == (2000, 7)
    assert f["finish"] == rest["finish"]
    assert f["probabilityOnTime"] == rest["probability_on_time"]
    assert f["cost"] == rest["cost"]
    assert [m["criticality"] for m in f["milestones"]] == [
        m["criticality"] for m in rest["milestones"]
    ]
    assert f["histogram"] == rest["histogram"]


async def test_graphql_forecast_refuses_bad_iterations_and_is_priced(
    client: httpx.AsyncClient, org: Org
) -> None:
    project = await make_project(client, org)
    bad = await gql(client, QUERY, org.viewer, id=project["id"], iterations=10)
    assert bad["data"] is None or bad["data"]["project"] is None
    assert "iterations" in str(bad["errors"])
    # Priced by iterations: 100,000 costs 10,000 points, a page of 50 projects' forecasts
    # is over the default limit of 25,000.
    many = """{ projects(first: 50) { edges { node { forecast { seed } } } } }"""
    refused = await gql(client, many, org.viewer)
    assert refused["errors"][0]["extensions"]["code"] == "QUERY_TOO_COMPLEX"
    one = await gql(client, QUERY, org.viewer, id=project["id"])
    assert "errors" not in one, one


async def test_graphql_mutations_take_estimates_and_schedule_impact(
    client: httpx.AsyncClient, org: Org
) -> None:
    project = await make_project(client, org)
    made = await gql(
        client,
        """mutation ($p: ID!) { createMilestone(input: {projectId: $p, name: "M",
            startDate: "2026-01-05", dueDate: "2026-01-09", optimisticDays: 2,
            mostLikelyDays: 5, pessimisticDays: 9}) {
          milestone { id optimisticDays mostLikelyDays pessimisticDays }
          userErrors { field code } } }""",
        org.manager,
        p=project["id"],
    )
    m = made["data"]["createMilestone"]["milestone"]
    assert (m["optimisticDays"], m["mostLikelyDays"], m["pessimisticDays"]) == (2, 5, 9)
    wrong = await gql(
        client,
        """mutation ($id: ID!) { updateMilestone(input: {id: $id, mostLikelyDays: 1}) {
          milestone { id } userErrors { field code } } }""",
        org.manager,
        id=m["id"],
    )
    errors = wrong["data"]["updateMilestone"]["userErrors"]
    assert [e["field"] for e in errors] == ["mostLikelyDays"]
    risk = await gql(
        client,
        """mutation ($p: ID!, $m: ID!) { createRisk(input: {projectId: $p, title: "R",
            category: VENDOR, probability: 3, impact: 3, scheduleImpactDays: 5, milestoneId: $m}) {
          risk { id scheduleImpactDays milestoneId } userErrors { field code } } }""",
        org.member,
        p=project["id"],
        m=m["id"],
    )
    assert risk["data"]["createRisk"]["risk"]["scheduleImpactDays"] == 5
    assert risk["data"]["createRisk"]["risk"]["milestoneId"] == m["id"]
    negative = await gql(
        client,
        """mutation ($id: ID!) { updateRisk(input: {id: $id, scheduleImpactDays: -2}) {
          risk { id } userErrors { field code } } }""",
        org.member,
        id=risk["data"]["createRisk"]["risk"]["id"],
    )
    fields = [e["field"] for e in negative["data"]["updateRisk"]["userErrors"]]
    assert fields == ["scheduleImpactDays"]
