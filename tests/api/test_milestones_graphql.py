"""Milestones, dependencies, schedule and baselines through GraphQL on real PostgreSQL."""

from __future__ import annotations

import httpx
from sqlalchemy.ext.asyncio import AsyncEngine

from app.infra.postgres.raw import counted as counting
from tests.api.helpers import gql, make_person, make_project
from tests.api.test_milestones import make_milestone
from tests.api.test_schedule import depend, worked_example
from tests.conftest import Org

CREATE = """
mutation($input: CreateMilestoneInput!) {
  createMilestone(input: $input) {
    milestone { id name status progress plannedValue currency version }
    userErrors { field code message }
  }
}"""

ADD = """
mutation($input: AddMilestoneDependencyInput!) {
  addMilestoneDependency(input: $input) {
    dependency { type lagDays predecessor { name } successor { name } }
    userErrors { field code message }
  }
}"""


async def test_create_update_and_delete_a_milestone(client: httpx.AsyncClient, org: Org) -> None:
    project = await make_project(client, org, currency="JPY")
    owner = await make_person(client, org)
    data = await gql(
        client,
        CREATE,
        org.manager,
        input={
            "projectId": project["id"],
            "name": "Launch",
            "startDate": "2026-04-01",
            "dueDate": "2026-04-03",
            "plannedValue": "5000",
            "ownerId": owner["id"],
        },
    )
    created = data["data"]["createMilestone"]
    assert created["userErrors"] == []
    m = created["milestone"]
    assert (m["status"], m["plannedValue"], m["currency"]) == ("PLANNED", "5000", "JPY")
    bad = await gql(
        client,
        CREATE,
        org.manager,
        input={
            "projectId": project["id"],
            "name": "Launch",
            "startDate": "2026-04-01",
            "dueDate": "2026-04-03",
            "plannedValue": "5000.5",
        },
    )
    errors = bad["data"]["createMilestone"]["userErrors"]
    assert [(e["field"], e["code"]) for e in errors] == [("plannedValue", "VALIDATION_FAILED")]
    update = """
    mutation($input: UpdateMilestoneInput!) {
      updateMilestone(input: $input) {
        milestone { status progress completedOn version owner { id } }
        userErrors { field code }
      }
    }"""
    done = await gql(
        client, update, org.member, input={"id": m["id"], "status": "DONE", "expectedVersion": 1}
    )
    got = done["data"]["updateMilestone"]["milestone"]
    assert (got["status"], got["progress"], got["version"]) == ("DONE", 100, 2)
    assert got["completedOn"] is not None
    assert got["owner"] == {"id": owner["id"]}
    stale = await gql(
        client, update, org.member, input={"id": m["id"], "progress": 5, "expectedVersion": 1}
    )
    assert stale["data"]["updateMilestone"]["userErrors"][0]["code"] == "VERSION_CONFLICT"
    delete = """
    mutation($input: DeleteMilestoneInput!) {
      deleteMilestone(input: $input) { deletedId userErrors { code } }
    }"""
    gone = await gql(client, delete, org.manager, input={"id": m["id"]})
    assert gone["data"]["deleteMilestone"] == {"deletedId": m["id"], "userErrors": []}
    missing = await gql(client, delete, org.manager, input={"id": m["id"]})
    assert missing["errors"][0]["extensions"]["code"] == "NOT_FOUND"


async def test_dependencies_cycles_and_removal(client: httpx.AsyncClient, org: Org) -> None:
    project = await make_project(client, org)
    a = await make_milestone(client, org, project, name="A")
    b = await make_milestone(client, org, project, name="B")
    added = await gql(
        client,
        ADD,
        org.manager,
        input={
            "milestoneId": b["id"],
            "predecessorId": a["id"],
            "type": "FINISH_TO_FINISH",
            "lagDays": 2,
        },
    )
    assert added["data"]["addMilestoneDependency"] == {
        "dependency": {
            "type": "FINISH_TO_FINISH",
            "lagDays": 2,
            "predecessor": {"name": "A"},
            "successor": {"name": "B"},
        },
        "userErrors": [],
    }
    cycle = await gql(
        client, ADD, org.manager, input={"milestoneId": a["id"], "predecessorId": b["id"]}
    )
    errors = cycle["data"]["addMilestoneDependency"]["userErrors"]
    assert [(e["field"], e["code"]) for e in errors] == [("predecessorId", "DEPENDENCY_CYCLE")]
    assert a["id"] in errors[0]["message"] and b["id"] in errors[0]["message"]
    remove = """
    mutation($input: RemoveMilestoneDependencyInput!) {
      removeMilestoneDependency(input: $input) {
        milestone { name dependencies { type } }
        userErrors { code }
      }
    }"""
    removed = await gql(
        client, remove, org.manager, input={"milestoneId": b["id"], "predecessorId": a["id"]}
    )
    assert removed["data"]["removeMilestoneDependency"] == {
        "milestone": {"name": "B", "dependencies": []},
        "userErrors": [],
    }
    denied = await gql(
        client, ADD, org.viewer, input={"milestoneId": a["id"], "predecessorId": b["id"]}
    )
    assert denied["errors"][0]["extensions"]["code"] == "FORBIDDEN"


async def test_project_schedule_milestone_figures_and_baselines(
    client: httpx.AsyncClient, org: Org
) -> None:
    project = await make_project(client, org)
    ms = await worked_example(client, org, project)
    take = """
    mutation($input: TakeBaselineInput!) {
      takeBaseline(input: $input) { baseline { number name milestoneCount } userErrors { code } }
    }"""
    taken = await gql(client, take, org.manager, input={"projectId": project["id"], "name": "P"})
    assert taken["data"]["takeBaseline"]["baseline"] == {
        "number": 1,
        "name": "P",
        "milestoneCount": 4,
    }
    query = """
    query($id: ID!) {
      project(id: $id) {
        schedule {
          criticalPath forecastFinish baseline
          milestones { milestone { name } es ef totalFloatDays }
        }
        milestones(status: PLANNED, first: 10) {
          totalCount
          edges { node { name es ef ls lf totalFloatDays forecastFinish slippageDays
                         dependents { successor { name } } } }
        }
        baselines { edges { node { number } } }
        baseline(number: 1) { milestones { dueDate } }
      }
    }"""
    data = (await gql(client, query, org.viewer, id=project["id"]))["data"]["project"]
    sched = data["schedule"]
    assert sched["criticalPath"] == [ms["A"]["id"], ms["C"]["id"], ms["D"]["id"]]
    assert sched["forecastFinish"] == "2026-01-08"
    assert sched["baseline"] == 1
    assert [(r["milestone"]["name"], r["totalFloatDays"]) for r in sched["milestones"]] == [
        ("A", 0),
        ("B", 2),
        ("C", 0),
        ("D", 0),
    ]
    nodes = {e["node"]["name"]: e["node"] for e in data["milestones"]["edges"]}
    assert data["milestones"]["totalCount"] == 4
    assert (nodes["B"]["es"], nodes["B"]["ls"], nodes["B"]["lf"]) == (
        "2026-01-04",
        "2026-01-06",
        "2026-01-07",
    )
    assert nodes["D"]["forecastFinish"] == "2026-01-08"
    assert nodes["D"]["slippageDays"] == 7  # baseline due 01-01, forecast 01-08
    assert sorted(d["successor"]["name"] for d in nodes["A"]["dependents"]) == ["B", "C"]
    assert data["baselines"]["edges"] == [{"node": {"number": 1}}]
    assert len(data["baseline"]["milestones"]) == 4


NESTED = """
{
  projects(first: 50) {
    totalCount
    edges { node {
      key
      milestones(first: 5) {
        totalCount
        edges { node {
          name owner { name } totalFloatDays slippageDays
          dependencies(first: 5) { type lagDays predecessor { name owner { name } } }
          dependents(first: 5) { successor { name } }
        } }
      }
    } }
  }
}"""


async def _portfolio(client: httpx.AsyncClient, org: Org, projects: int) -> None:
    owner = await make_person(client, org)
    for _ in range(projects):
        project = await make_project(client, org)
        a = await make_milestone(client, org, project, name="A", owner_id=owner["id"])
        b = await make_milestone(client, org, project, name="B")
        c = await make_milestone(client, org, project, name="C")
        await depend(client, org, project, b, a)
        await depend(client, org, project, c, b, type="start_to_start", lag_days=1)


async def test_a_nested_query_costs_the_same_statements_for_50_projects_as_for_2(
    client: httpx.AsyncClient, org: Org, other_org: Org, read_engine: AsyncEngine
) -> None:
    await _portfolio(client, org, 2)
    await _portfolio(client, other_org, 50)
    with counting(read_engine) as small:  # queries run on the read-only engine
        few = await gql(client, NESTED, org.viewer)
    with counting(read_engine) as large:
        many = await gql(client, NESTED, other_org.viewer)
    assert "errors" not in few and "errors" not in many, many
    edges = many["data"]["projects"]["edges"]
    assert len(edges) == 50
    assert all(e["node"]["milestones"]["totalCount"] == 3 for e in edges)
    nodes = {e["node"]["name"]: e["node"] for e in edges[0]["node"]["milestones"]["edges"]}
    deps = nodes["C"]["dependencies"]
    assert deps == [
        {"type": "START_TO_START", "lagDays": 1, "predecessor": {"name": "B", "owner": None}}
    ]
    assert len(large) == len(small), (len(small), len(large))
    assert 5 <= len(large) <= 12, large


async def test_the_dashboard_query_costs_the_same_statements_for_8_projects_as_for_2(
    client: httpx.AsyncClient, org: Org, other_org: Org, read_engine: AsyncEngine
) -> None:
    """bench.dashboard's query (issue 16): milestones with their schedule figures and
    predecessors, top risks and the matrix of every project, in a fixed number of statements."""
    from bench.dashboard import dashboard_query
    from tests.api.test_risks import make_risk

    for who, size in ((org, 2), (other_org, 8)):
        await _portfolio(client, who, size)
        projects = await client.get("/api/v1/projects?limit=50", headers=who.viewer)
        for project in projects.json()["items"]:
            await make_risk(client, who, project, cost_impact="1000.00")
    query = dashboard_query(20, 25)
    with counting(read_engine) as small:
        few = await gql(client, query, org.viewer)
    with counting(read_engine) as large:
        many = await gql(client, query, other_org.viewer)
    assert "errors" not in few and "errors" not in many, many
    edges = many["data"]["projects"]["edges"]
    assert len(edges) == 8 and all(len(e["node"]["risks"]["edges"]) == 1 for e in edges)
    first = edges[0]["node"]
    assert sorted(m["node"]["name"] for m in first["milestones"]["edges"]) == ["A", "B", "C"]
    assert sum(map(sum, first["riskMatrix"]["cells"])) == 1
    assert len(large) == len(small), (len(small), len(large))
