"""The ledger over GraphQL: the same rules and errors as REST, in GraphQL's idiom."""

from __future__ import annotations

from datetime import UTC, datetime

import httpx

from tests.api.helpers import gql, make_project
from tests.api.ledger_helpers import posted
from tests.conftest import Org

POST = """mutation($input: PostLedgerEntryInput!) {
  postLedgerEntry(input: $input) {
    entry { id kind category amount currency occurredOn settles reversedBy }
    userErrors { field code message }
  }
}"""
REVERSE = """mutation($input: ReverseLedgerEntryInput!) {
  reverseLedgerEntry(input: $input) {
    entry { id amount reverses }
    userErrors { field code message }
  }
}"""
READ = """query($id: ID!, $asOf: Date) {
  project(id: $id) {
    all: ledgerEntries { totalCount }
    ledgerEntries(first: 10, filter: {kind: BUDGET}) {
      totalCount
      edges { node { id amount reversedBy } }
      pageInfo { hasNextPage }
    }
    ledgerSummary(asOf: $asOf) {
      asOf currency budget openCommitments actual remaining burnRate
      byCategory { category budget openCommitments actual }
      byMonth { month budget commitments actual }
    }
    earnedValue(asOf: $asOf) { bac pv ev ac cpi spi tcpi actualTimeDays earnedScheduleDays }
  }
}"""


def _input(project: dict[str, str], **fields: object) -> dict[str, object]:
    return {
        "projectId": project["id"],
        "kind": "BUDGET",
        "category": "LABOUR",
        "amount": "100.00",
        "occurredOn": "2026-01-10",
        **fields,
    }


async def test_post_reverse_and_read_the_ledger(client: httpx.AsyncClient, org: Org) -> None:
    project = await make_project(client, org, currency="GBP")
    posted_ = await gql(client, POST, org.manager, input=_input(project, amount="1250.5"))
    payload = posted_["data"]["postLedgerEntry"]
    assert payload["userErrors"] == []
    entry = payload["entry"]
    assert (entry["kind"], entry["category"], entry["amount"], entry["currency"]) == (
        "BUDGET",
        "LABOUR",
        "1250.50",
        "GBP",
    )
    po = (await posted(client, org, project, "commitment", "100", occurred_on="2026-01-11"))["id"]
    settle = _input(project, kind="ACTUAL", amount="40", settles=po, category="CLOUD")
    settled = (await gql(client, POST, org.member, input=settle))["data"]["postLedgerEntry"]
    assert settled["entry"]["settles"] == po
    reversed_ = await gql(client, REVERSE, org.manager, input={"id": entry["id"], "reason": "x"})
    reversal = reversed_["data"]["reverseLedgerEntry"]["entry"]
    assert (reversal["amount"], reversal["reverses"]) == ("-1250.50", entry["id"])
    again = await gql(client, REVERSE, org.manager, input={"id": entry["id"], "reason": "x"})
    assert again["data"]["reverseLedgerEntry"]["userErrors"][0]["code"] == "ALREADY_REVERSED"

    read = await gql(client, READ, org.viewer, id=project["id"], asOf="2026-01-31")
    p = read["data"]["project"]
    assert p["ledgerEntries"]["totalCount"] == 2
    assert {e["node"]["id"] for e in p["ledgerEntries"]["edges"]} == {entry["id"], reversal["id"]}
    assert p["all"]["totalCount"] == 4
    s = p["ledgerSummary"]
    assert (s["budget"], s["openCommitments"], s["actual"], s["remaining"]) == (
        "0.00",
        "60.00",
        "40.00",
        "-100.00",
    )
    assert s["burnRate"] == "40.00" and s["byMonth"][0]["month"] == "2026-01"
    ev = p["earnedValue"]
    assert (ev["bac"], ev["ac"], ev["cpi"], ev["actualTimeDays"]) == (
        "0.00",
        "40.00",
        "0.0000",
        None,
    )


async def test_rule_violations_are_user_errors_and_auth_failures_are_errors(
    client: httpx.AsyncClient, org: Org, other_org: Org
) -> None:
    project = await make_project(client, org)
    negative = await gql(client, POST, org.manager, input=_input(project, amount="-1"))
    errors = negative["data"]["postLedgerEntry"]["userErrors"]
    assert errors[0]["code"] == "LEDGER_NEGATIVE_TOTAL" and errors[0]["field"] == "amount"
    places = await gql(client, POST, org.manager, input=_input(project, amount="1.001"))
    assert places["data"]["postLedgerEntry"]["userErrors"][0]["field"] == "amount"
    mismatch = await gql(client, POST, org.manager, input=_input(project, currency="USD"))
    assert mismatch["data"]["postLedgerEntry"]["userErrors"][0]["code"] == "CURRENCY_MISMATCH"
    number = await client.post(
        "/graphql",
        json={"query": POST, "variables": {"input": _input(project, amount=12.5)}},
        headers=org.manager,
    )
    assert number.json()["errors"] and not number.json().get("data")
    member = await gql(client, POST, org.member, input=_input(project))
    assert member["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    foreign = await gql(client, POST, other_org.admin, input=_input(project))
    assert foreign["errors"][0]["extensions"]["code"] == "NOT_FOUND"


PORTFOLIO = """query($asOf: Date) { projects(first: 50) { edges { node { id
  ledgerEntries(first: 2) { totalCount edges { node { amount } } pageInfo { hasNextPage } }
  ledgerSummary(asOf: $asOf) { budget actual openCommitments byMonth { month actual } }
  earnedValue(asOf: $asOf) { bac pv ev ac cpi spi earnedScheduleDays }
} } } }"""


async def _ledger_portfolio(client: httpx.AsyncClient, org: Org, projects: int) -> None:
    from tests.api.test_milestones import make_milestone
    from tests.api.test_milestones import url as milestone_url

    for i in range(projects):
        project = await make_project(client, org)
        milestone = await make_milestone(
            client, org, project, start_date="2026-01-05", due_date="2026-01-14",
            planned_value=str(1000 * (i + 1)),
        )  # fmt: skip
        r = await client.patch(
            milestone_url(project, milestone["id"]),
            json={"progress": 10 * (i + 1)},
            headers=org.manager,
        )
        assert r.status_code == 200, r.text
        if i % 2:  # every other project measures against a baseline of a larger plan
            r = await client.post(
                f"/api/v1/projects/{project['id']}/baselines",
                json={"name": "Plan"},
                headers=org.manager,
            )
            assert r.status_code == 201, r.text
        await posted(client, org, project, "budget", str(2000 * (i + 1)), occurred_on="2026-01-05")
        await posted(client, org, project, "commitment", "70", occurred_on="2026-01-06")
        await posted(
            client, org, project, "actual", str(100 + i), occurred_on="2026-01-07", role="member"
        )


async def test_a_portfolio_of_ledgers_costs_a_fixed_number_of_statements_and_adds_up(
    client: httpx.AsyncClient, read_engine: object
) -> None:
    import uuid

    from tests.api.test_risks_graphql import counting

    small, large = Org(f"org-{uuid.uuid4().hex[:12]}"), Org(f"org-{uuid.uuid4().hex[:12]}")
    await _ledger_portfolio(client, small, 2)
    await _ledger_portfolio(client, large, 5)
    # As of today: progress is kept with its time, and was reported today.
    today = str(datetime.now(UTC).date())
    costs = []
    for org in (small, large):
        with counting(read_engine) as statements:  # type: ignore[arg-type]
            data = await gql(client, PORTFOLIO, org.viewer, asOf=today)
        assert "errors" not in data, data
        costs.append(len(statements))
        edges = data["data"]["projects"]["edges"]
        for edge in edges:
            node = edge["node"]
            pid = node["id"]
            # Each project's figures through GraphQL's batch equal REST's for that project.
            summary = (
                await client.get(
                    f"/api/v1/projects/{pid}/ledger/summary?as_of={today}",
                    headers=org.viewer,
                )
            ).json()
            ev = (
                await client.get(
                    f"/api/v1/projects/{pid}/earned-value?as_of={today}", headers=org.viewer
                )
            ).json()
            got = node["ledgerSummary"]
            assert (got["budget"], got["actual"], got["openCommitments"]) == (
                summary["budget"],
                summary["actual"],
                summary["open_commitments"],
            )
            assert got["byMonth"] == [{"month": "2026-01", "actual": summary["actual"]}]
            got_ev = node["earnedValue"]
            assert (got_ev["bac"], got_ev["pv"], got_ev["ev"], got_ev["ac"]) == (
                ev["bac"],
                ev["pv"],
                ev["ev"],
                ev["ac"],
            )
            assert (got_ev["cpi"], got_ev["spi"]) == (ev["cpi"], ev["spi"])
            assert got_ev["earnedScheduleDays"] == ev["earned_schedule_days"]
            entries = node["ledgerEntries"]
            assert entries["totalCount"] == 3 and entries["pageInfo"]["hasNextPage"] is True
            assert next(e["node"]["amount"] for e in entries["edges"]) == got["actual"]
        # the projects differ, so a mix-up between them would show
        assert len({e["node"]["earnedValue"]["ev"] for e in edges}) == len(edges)
    assert costs[0] == costs[1] > 0, costs
