"""Earned value through the real stack: baseline planned values, progress history, gate."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx

from tests.api.closing_helpers import define_objective
from tests.api.helpers import assert_problem, make_person, make_project
from tests.api.ledger_helpers import posted
from tests.api.test_milestones import make_milestone
from tests.api.test_milestones import url as milestone_url
from tests.conftest import Org


async def test_budget_gate_then_earned_value_from_baseline_and_progress_history(
    client: httpx.AsyncClient, org: Org
) -> None:
    today = datetime.now(UTC).date()
    sponsor = await make_person(client, org)
    project = await make_project(client, org, sponsor_id=sponsor["id"], no_known_risks=True)
    pid = project["id"]
    moves = f"/api/v1/projects/{pid}/transitions"
    await define_objective(client, org, pid)
    assert (await client.post(moves, json={"to": "planning"}, headers=org.manager)).is_success
    start = today - timedelta(days=4)  # today is day k = 5
    a = await make_milestone(
        client,
        org,
        project,
        start_date=str(start),
        due_date=str(start + timedelta(days=9)),
        planned_value="1000",
    )
    await make_milestone(
        client,
        org,
        project,
        name="Build",
        start_date=str(start + timedelta(days=10)),
        due_date=str(start + timedelta(days=19)),
        planned_value="1000",
    )
    refused = await client.post(moves, json={"to": "execution"}, headers=org.manager)
    body = assert_problem(refused, 409, "phase_gate_unmet")
    assert [u["gate"] for u in body["unmet"]] == ["budget_positive"]
    await posted(client, org, project, "budget", "2000", occurred_on=str(start))
    gate = (await client.get(f"/api/v1/projects/{pid}/gate", headers=org.viewer)).json()
    assert {"gate": "budget_positive", "met": True, "message": "The ledger holds a budget"} in (
        gate["conditions"]
    )
    r = await client.post(moves, json={"to": "execution"}, headers=org.manager)
    assert r.status_code == 200, r.text  # captures baseline 1 with planned values 1000 + 1000

    # Re-planning after the baseline does not move EV: the baseline's planned value counts.
    r = await client.patch(
        milestone_url(project, a["id"]),
        json={"progress": 40, "planned_value": "5000"},
        headers=org.manager,
    )
    assert r.status_code == 200, r.text
    await posted(client, org, project, "actual", "500", occurred_on=str(today), role="member")

    r = await client.get(f"/api/v1/projects/{pid}/earned-value", headers=org.viewer)
    assert r.status_code == 200, r.text
    ev = r.json()
    assert ev["as_of"] == str(today) and ev["currency"] == "EUR"
    assert (ev["bac"], ev["pv"], ev["ev"], ev["ac"]) == ("2000.00", "500.00", "400.00", "500.00")
    assert (ev["cv"], ev["sv"], ev["cpi"], ev["spi"]) == ("-100.00", "-100.00", "0.8000", "0.8000")
    assert (ev["eac"], ev["etc"], ev["vac"], ev["tcpi"]) == (
        "2500.00",
        "2000.00",
        "-500.00",
        "1.0667",
    )
    assert ev["actual_time_days"] == 5
    assert (ev["earned_schedule_days"], ev["sv_t_days"], ev["spi_t"]) == (
        "4.0000",
        "-1.0000",
        "0.8000",
    )
    # As of yesterday: progress then was 0 and today's actual had not occurred.
    yesterday = str(today - timedelta(days=1))
    r = await client.get(
        f"/api/v1/projects/{pid}/earned-value", params={"as_of": yesterday}, headers=org.viewer
    )
    past = r.json()
    assert (past["pv"], past["ev"], past["ac"], past["cpi"]) == ("400.00", "0.00", "0.00", None)
    assert past["actual_time_days"] == 4
    r = await client.get(
        f"/api/v1/projects/{pid}/earned-value", params={"as_of": "2026-02-30"}, headers=org.viewer
    )
    assert_problem(r, 422, "validation_failed", "query.as_of")


async def test_earned_value_of_an_empty_project_is_all_nulls_and_zeros(
    client: httpx.AsyncClient, org: Org
) -> None:
    project = await make_project(client, org, currency="JPY")
    r = await client.get(f"/api/v1/projects/{project['id']}/earned-value", headers=org.viewer)
    ev = r.json()
    assert (ev["bac"], ev["pv"], ev["ev"], ev["ac"], ev["currency"]) == ("0", "0", "0", "0", "JPY")
    assert ev["cpi"] is ev["spi"] is ev["eac"] is ev["tcpi"] is ev["actual_time_days"] is None
