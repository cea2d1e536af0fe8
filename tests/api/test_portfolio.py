"""The portfolio through the real stack: rows and filters, REST and GraphQL alike, and a
fixed number of statements whatever the number of projects."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
from sqlalchemy.ext.asyncio import AsyncEngine

from tests.api.helpers import assert_problem, gql, make_person, make_project
from tests.api.test_health import _days, critical_risk_open, high_risk_open, spi_slipping
from tests.api.test_milestones import make_milestone
from tests.api.test_milestones_graphql import counting
from tests.conftest import Org

QUERY = """query($filter: PortfolioFilter) { portfolio(filter: $filter) {
  project { key phase manager { name } }
  health { overall schedule { status } risk { status } }
  budget spi objectivesProgress nextMilestone { name dueDate } topRisks { title score }
} }"""


async def _project(client: httpx.AsyncClient, org: Org, **fields: Any) -> dict[str, Any]:
    project = await make_project(client, org, target_end_date=_days(60), **fields)
    await make_milestone(client, org, project, name="Later", start_date=_days(5),
                         due_date=_days(20))  # fmt: skip
    return project


async def test_rows_filters_and_graphql(client: httpx.AsyncClient, org: Org) -> None:
    manager = await make_person(client, org, name="Grace Hopper")
    red = await _project(client, org, manager_id=manager["id"], business_area="databases")
    await critical_risk_open(client, org, red)
    await high_risk_open(client, org, red)
    amber = await _project(client, org)
    await spi_slipping(client, org, amber)
    green = await _project(client, org)

    r = await client.get("/api/v1/portfolio", headers=org.viewer)
    assert r.status_code == 200, r.text
    rows = {row["key"]: row for row in r.json()["items"]}
    assert set(rows) == {red["key"], amber["key"], green["key"]}
    row = rows[red["key"]]
    assert row["manager"] == {"id": manager["id"], "name": "Grace Hopper"}
    assert row["health"] == {"overall": "red", "schedule": "green", "budget": "green",
                             "risk": "red"}  # fmt: skip
    assert [(x["score"], x["severity"]) for x in row["top_risks"]] == [(20, "critical"),
                                                                      (12, "high")]  # fmt: skip
    assert row["next_milestone"]["name"] == "Later"
    assert row["next_milestone"]["due_date"] == _days(20)
    assert rows[amber["key"]]["health"]["overall"] == "amber"
    assert rows[amber["key"]]["spi"] == "0.9000"
    assert rows[green["key"]]["health"]["overall"] == "green"

    async def keys(**params: str) -> set[str]:
        r = await client.get("/api/v1/portfolio", params=params, headers=org.viewer)
        assert r.status_code == 200, r.text
        return {row["key"] for row in r.json()["items"]}

    assert await keys(health="red") == {red["key"]}
    assert await keys(health="amber") == {amber["key"]}
    assert await keys(business_area="databases") == {red["key"]}
    assert await keys(phase="execution") == set()

    data = await gql(client, QUERY, org.viewer, filter={"health": "RED"})
    (only,) = data["data"]["portfolio"]
    assert only["project"] == {"key": red["key"], "phase": "INITIATION",
                               "manager": {"name": "Grace Hopper"}}  # fmt: skip
    assert only["health"] == {"overall": "RED", "schedule": {"status": "GREEN"},
                              "risk": {"status": "RED"}}  # fmt: skip
    assert [t["score"] for t in only["topRisks"]] == [20, 12]


async def test_bad_filters_are_422_and_other_organizations_are_not_listed(
    client: httpx.AsyncClient, org: Org, other_org: Org
) -> None:
    await _project(client, org)
    for params in ({"health": "purple"}, {"phase": "x\x00"}, {"business_area": "9" * 5000}):
        r = await client.get("/api/v1/portfolio", params=params, headers=org.viewer)
        assert r.status_code == 422, (params, r.text)
    r = await client.get("/api/v1/portfolio", headers=other_org.viewer)
    assert r.json()["items"] == []
    r = await client.get("/api/v1/portfolio")
    assert_problem(r, 401, "unauthenticated")
    data = await gql(client, "{ portfolio(filter: {health: PURPLE}) { budget } }", org.viewer)
    assert "errors" in data


async def test_the_portfolio_costs_the_same_statements_for_20_projects_as_for_2(
    client: httpx.AsyncClient, engine: AsyncEngine, read_engine: AsyncEngine
) -> None:
    small, large = Org(f"org-{uuid.uuid4().hex[:12]}"), Org(f"org-{uuid.uuid4().hex[:12]}")
    for org, size in ((small, 2), (large, 20)):
        for _ in range(size):
            project = await _project(client, org)
            await critical_risk_open(client, org, project)
    costs = []
    for org, size in ((small, 2), (large, 20)):
        with counting(engine) as writes, counting(read_engine) as reads:
            r = await client.get("/api/v1/portfolio", headers=org.viewer)
            data = await gql(client, QUERY, org.viewer)
        assert r.status_code == 200 and len(r.json()["items"]) == size
        assert "errors" not in data and len(data["data"]["portfolio"]) == size
        costs.append(len(writes) + len(reads))
    assert costs[0] == costs[1], costs
