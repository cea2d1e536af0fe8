"""The same walk from initiation to closed through GraphQL only: at each gate the
transition's userErrors name exactly the unmet conditions, which are then met one by one."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

from tests.api.helpers import gql, unique_key
from tests.conftest import Org

MUTATIONS = {
    "createPerson": "person { id }",
    "createProject": "project { id }",
    "updateProject": "project { version }",
    "transitionProject": "project { phase }",
    "createObjective": "objective { id }",
    "addKeyResult": "keyResult { id progress }",
    "checkInKeyResult": "keyResult { current progress }",
    "createMilestone": "milestone { id }",
    "updateMilestone": "milestone { status }",
    "postLedgerEntry": "entry { id }",
    "createRisk": "risk { id }",
    "createDeliverable": "deliverable { id status }",
    "decideDeliverable": "deliverable { status decidedBy } decision { fromStatus toStatus }",
    "writeClosureReport": "closureReport { version finalFigures { budget deliverablesAccepted } }",
}


class GqlWalk:
    def __init__(self, client: httpx.AsyncClient, org: Org) -> None:
        self.client, self.org = client, org
        self.pid = ""

    async def run(self, mutation: str, who: str = "manager", /, **values: Any) -> dict[str, Any]:
        """Run a mutation; return its payload (userErrors included)."""
        kind = mutation[0].upper() + mutation[1:]
        query = (
            f"mutation($input: {kind}Input!) {{ {mutation}(input: $input) "
            f"{{ {MUTATIONS[mutation]} userErrors {{ field code message }} }} }}"
        )
        data = await gql(self.client, query, self.org.headers(who), input=values)
        assert "errors" not in data, data
        return dict(data["data"][mutation])

    async def ok(self, mutation: str, who: str = "manager", /, **values: Any) -> dict[str, Any]:
        payload = await self.run(mutation, who, **values)
        assert payload["userErrors"] == [], payload
        return payload

    async def unmet(self, to: str) -> list[str]:
        read = await gql(
            self.client, "query($id: ID!) { project(id: $id) { gate { to conditions { gate met } } } }",
            self.org.viewer, id=self.pid,
        )  # fmt: skip
        gate = read["data"]["project"]["gate"]
        assert gate["to"] == to.upper()
        refused = await self.run("transitionProject", id=self.pid, to=to.upper())
        assert refused["project"] is None
        assert {e["code"] for e in refused["userErrors"]} == {"PHASE_GATE_UNMET"}
        unmet = [e["field"] for e in refused["userErrors"]]
        assert unmet == [c["gate"] for c in gate["conditions"] if not c["met"]]
        return unmet

    async def move(self, to: str) -> None:
        moved = await self.ok("transitionProject", id=self.pid, to=to.upper())
        assert moved["project"]["phase"] == to.upper()


async def test_a_project_walks_from_initiation_to_closed_over_graphql(
    client: httpx.AsyncClient, org: Org
) -> None:
    w = GqlWalk(client, org)
    today = datetime.now(UTC).date()
    sponsor = await w.ok("createPerson", "admin", name="Sam Sponsor", email="sam@x.example",
                         userSub="sam")  # fmt: skip
    project = await w.ok(
        "createProject", key=unique_key("G"), name="GraphQL walk", businessArea="OTHER",
        currency="EUR", startDate=str(today), targetEndDate=str(today + timedelta(days=20)),
    )  # fmt: skip
    w.pid = project["project"]["id"]
    assert await w.unmet("planning") == ["sponsor_named", "objective_defined"]
    await w.ok("updateProject", id=w.pid, sponsorId=sponsor["person"]["id"])
    assert await w.unmet("planning") == ["objective_defined"]
    objective = await w.ok("createObjective", projectId=w.pid, name="Fewer incidents")
    oid = objective["objective"]["id"]
    refused = await w.run("addKeyResult", objectiveId=oid, name="P1s", unit="per month",
                          baseline="12", target="12")  # fmt: skip
    assert refused["userErrors"] == [
        {"field": "target", "code": "VALIDATION_FAILED", "message": "must differ from baseline"}
    ]
    kr = await w.ok("addKeyResult", objectiveId=oid, name="P1s", unit="per month",
                    baseline="12", target="2")  # fmt: skip
    checked = await w.ok("checkInKeyResult", "member", keyResultId=kr["keyResult"]["id"],
                         value="7", note="after the on-call rota")  # fmt: skip
    assert checked["keyResult"] == {"current": "7", "progress": "0.5000"}
    await w.move("planning")

    assert await w.unmet("execution") == [
        "milestone_with_dates", "budget_positive", "risk_register_reviewed",
    ]  # fmt: skip
    m = await w.ok("createMilestone", projectId=w.pid, name="Rollout", startDate=str(today),
                   dueDate=str(today + timedelta(days=5)), plannedValue="100")  # fmt: skip
    assert await w.unmet("execution") == ["budget_positive", "risk_register_reviewed"]
    await w.ok("postLedgerEntry", projectId=w.pid, kind="BUDGET", category="LABOUR",
               amount="900.00", occurredOn=str(today))  # fmt: skip
    assert await w.unmet("execution") == ["risk_register_reviewed"]
    await w.ok("createRisk", projectId=w.pid, title="Change freeze", category="SCHEDULE",
               probability=2, impact=2)  # fmt: skip
    await w.move("execution")

    assert await w.unmet("closing") == ["milestones_finished"]
    await w.ok("updateMilestone", id=m["milestone"]["id"], status="DONE")
    await w.move("closing")

    assert await w.unmet("closed") == ["deliverables_decided", "closure_report_written"]
    d = await w.ok("createDeliverable", projectId=w.pid, name="Runbook",
                   milestoneId=m["milestone"]["id"])  # fmt: skip
    did = d["deliverable"]["id"]
    forbidden = await gql(
        client, "mutation($i: DecideDeliverableInput!) { decideDeliverable(input: $i) { userErrors { code } } }",
        org.member, i={"id": did, "decision": "ACCEPT"},
    )  # fmt: skip
    assert forbidden["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    rejected = await w.run("decideDeliverable", id=did, decision="REJECT")
    assert rejected["userErrors"][0]["field"] == "note"
    accepted = await _as_sponsor(w, did)
    assert accepted["deliverable"] == {"status": "ACCEPTED", "decidedBy": "sam"}
    assert await w.unmet("closed") == ["closure_report_written"]
    written = await w.ok("writeClosureReport", projectId=w.pid, summary="Calmer nights",
                         wentWell=["On-call rota"], toImprove=["Alert noise"])  # fmt: skip
    assert written["closureReport"]["finalFigures"] == {
        "budget": "900.00",
        "deliverablesAccepted": 1,
    }
    await w.move("closed")
    again = await w.run("writeClosureReport", projectId=w.pid, summary="Later")
    assert again["userErrors"][0]["code"] == "WRONG_PHASE"
    found = await gql(
        client, '{ lessons(q: "noise") { edges { node { kind text projectKey } } } }', org.viewer
    )
    assert [e["node"]["kind"] for e in found["data"]["lessons"]["edges"]] == ["TO_IMPROVE"]


async def _as_sponsor(w: GqlWalk, did: str) -> dict[str, Any]:
    query = """mutation($input: DecideDeliverableInput!) { decideDeliverable(input: $input) {
        deliverable { status decidedBy } userErrors { field code message } } }"""
    data = await gql(w.client, query, w.org.headers("viewer", sub="sam"),
                     input={"id": did, "decision": "ACCEPT"})  # fmt: skip
    payload = dict(data["data"]["decideDeliverable"])
    assert payload["userErrors"] == [], payload
    return payload
