"""Health through the real stack: one project per reason, built through the API only, and
the same answer from REST and GraphQL."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any

import httpx
import pytest

from tests.api.helpers import assert_problem, gql, make_project
from tests.api.ledger_helpers import posted
from tests.api.test_milestones import make_milestone
from tests.api.test_risks import make_risk
from tests.conftest import Org

Project = dict[str, Any]
Build = Callable[[httpx.AsyncClient, Org, Project], Awaitable[None]]


def _today() -> date:
    return datetime.now(UTC).date()


def _days(n: int) -> str:
    return str(_today() + timedelta(days=n))


async def _worked(
    client: httpx.AsyncClient, org: Org, project: Project, progress: int, planned: str = "1000"
) -> None:
    """A milestone planned over the last ten days (all its value is planned by today)."""
    await make_milestone(
        client, org, project, start_date=_days(-9), due_date=_days(0), planned_value=planned,
        status="in_progress", progress=progress,
    )  # fmt: skip


async def _money(
    client: httpx.AsyncClient, org: Org, project: Project, budget: str, actual: str
) -> None:
    await posted(client, org, project, "budget", budget, occurred_on=_days(-5))
    await posted(client, org, project, "actual", actual, occurred_on=_days(-5))


async def spi_low(client: httpx.AsyncClient, org: Org, project: Project) -> None:
    await _worked(client, org, project, 70)  # SPI 0.7


async def spi_slipping(client: httpx.AsyncClient, org: Org, project: Project) -> None:
    await _worked(client, org, project, 90)  # SPI 0.9


async def forecast_late(client: httpx.AsyncClient, org: Org, project: Project) -> None:
    # No planned value yet (SPI undefined); due 20 days after the target end date.
    await make_milestone(client, org, project, start_date=_days(1), due_date=_days(30))


async def milestone_overdue(client: httpx.AsyncClient, org: Org, project: Project) -> None:
    await make_milestone(client, org, project, start_date=_days(-10), due_date=_days(-1))


async def cpi_low(client: httpx.AsyncClient, org: Org, project: Project) -> None:
    await _worked(client, org, project, 100)
    await _money(client, org, project, "5000", "2000")  # CPI 0.5


async def cpi_slipping(client: httpx.AsyncClient, org: Org, project: Project) -> None:
    await _worked(client, org, project, 100)
    await _money(client, org, project, "5000", "1087")  # CPI 0.92


async def eac_over_budget(client: httpx.AsyncClient, org: Org, project: Project) -> None:
    await _worked(client, org, project, 100)
    await _money(client, org, project, "5000", "1020")  # CPI 0.98, EAC 5102.04


async def over_budget(client: httpx.AsyncClient, org: Org, project: Project) -> None:
    # EV 2000 > AC 1500: CPI 1.33 and EAC 750 are fine, but 1500 is over the 1000 budget.
    await _worked(client, org, project, 100, planned="2000")
    await _money(client, org, project, "1000", "1500")


async def critical_risk_open(client: httpx.AsyncClient, org: Org, project: Project) -> None:
    await make_risk(client, org, project, probability=5, impact=4, review_on=_days(30))


async def high_risk_open(client: httpx.AsyncClient, org: Org, project: Project) -> None:
    await make_risk(client, org, project, probability=3, impact=4, review_on=_days(30))


async def risk_review_overdue(client: httpx.AsyncClient, org: Org, project: Project) -> None:
    await make_risk(client, org, project, probability=1, impact=2, review_on=_days(-1))


CASES: list[tuple[Build, str, str, list[str]]] = [
    (spi_low, "schedule", "red", ["spi_low"]),
    (spi_slipping, "schedule", "amber", ["spi_slipping"]),
    (forecast_late, "schedule", "red", ["forecast_late"]),
    (milestone_overdue, "schedule", "amber", ["milestone_overdue"]),
    (cpi_low, "budget", "red", ["cpi_low", "eac_over_budget"]),
    (cpi_slipping, "budget", "amber", ["cpi_slipping", "eac_over_budget"]),
    (eac_over_budget, "budget", "amber", ["eac_over_budget"]),
    (over_budget, "budget", "red", ["over_budget"]),
    (critical_risk_open, "risk", "red", ["critical_risk_open"]),
    (high_risk_open, "risk", "amber", ["high_risk_open"]),
    (risk_review_overdue, "risk", "amber", ["risk_review_overdue"]),
]


@pytest.mark.parametrize(
    ("build", "dimension", "colour", "codes"), CASES, ids=[c[0].__name__ for c in CASES]
)
async def test_one_project_per_reason(
    client: httpx.AsyncClient, org: Org, build: Build, dimension: str, colour: str,
    codes: list[str],
) -> None:  # fmt: skip
    project = await make_project(client, org, target_end_date=_days(10))
    await build(client, org, project)
    r = await client.get(f"/api/v1/projects/{project['id']}/health", headers=org.viewer)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["as_of"] == str(_today())
    assert body[dimension]["status"] == colour
    assert [reason["code"] for reason in body[dimension]["reasons"]] == codes
    others = {"schedule", "budget", "risk"} - {dimension}
    assert {d: body[d]["status"] for d in others} == {d: "green" for d in others}
    assert body["overall"] == colour  # the worst of the three


async def test_figures_messages_and_graphql_agree(client: httpx.AsyncClient, org: Org) -> None:
    project = await make_project(client, org, target_end_date=_days(10))
    await spi_low(client, org, project)
    await _money(client, org, project, "5000", "700")
    rest = (await client.get(f"/api/v1/projects/{project['id']}/health", headers=org.viewer)).json()
    assert rest["figures"] == {
        "currency": "EUR", "spi": "0.7000", "cpi": "1.0000", "eac": "5000.00",
        "budget": "5000.00", "actual": "700.00", "forecast_finish": _days(0),
        "target_end_date": _days(10),
    }  # fmt: skip
    assert rest["schedule"]["reasons"] == [{"code": "spi_low", "message": "SPI 0.7 is below 0.8"}]
    query = """query($id: ID!) { project(id: $id) { health { overall
        schedule { status reasons { code message } } figures { spi budget } } } }"""
    data = (await gql(client, query, org.viewer, id=project["id"]))["data"]["project"]["health"]
    assert data["overall"] == "RED"
    assert data["schedule"]["reasons"] == rest["schedule"]["reasons"]
    assert data["figures"] == {"spi": "0.7000", "budget": "5000.00"}


async def test_another_organizations_project_is_not_found(
    client: httpx.AsyncClient, org: Org, other_org: Org
) -> None:
    project = await make_project(client, org)
    r = await client.get(f"/api/v1/projects/{project['id']}/health", headers=other_org.viewer)
    assert_problem(r, 404, "not_found")
