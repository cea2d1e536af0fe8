"""The ledger over GraphQL: the same rules and errors as REST, in GraphQL's idiom."""

from __future__ import annotations

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
    assert again["data"]["reverseLedgerEntry"]["userErrors"][0]["code"] == "already_reversed"

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
    assert errors[0]["code"] == "ledger_negative_total" and errors[0]["field"] == "amount"
    places = await gql(client, POST, org.manager, input=_input(project, amount="1.001"))
    assert places["data"]["postLedgerEntry"]["userErrors"][0]["field"] == "amount"
    mismatch = await gql(client, POST, org.manager, input=_input(project, currency="USD"))
    assert mismatch["data"]["postLedgerEntry"]["userErrors"][0]["code"] == "currency_mismatch"
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
