"""A project walked from initiation to closed through REST only: at each gate it first asks
to move and gets exactly the unmet conditions expected, then meets them one by one."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

from tests.api.helpers import assert_problem, make_person, make_project
from tests.conftest import Org


class Walk:
    def __init__(self, client: httpx.AsyncClient, org: Org, project: dict[str, Any]) -> None:
        self.client, self.org, self.pid = client, org, project["id"]
        self.base = f"/api/v1/projects/{self.pid}"

    async def post(self, path: str, body: dict[str, Any], who: str = "manager") -> Any:
        r = await self.client.post(self.base + path, json=body, headers=self.org.headers(who))
        assert r.status_code in (200, 201), r.text
        return r.json()

    async def patch(self, path: str, body: dict[str, Any]) -> Any:
        r = await self.client.patch(self.base + path, json=body, headers=self.org.manager)
        assert r.status_code == 200, r.text
        return r.json()

    async def unmet(self, to: str) -> list[str]:
        """Ask to move; return the gates the 409 lists (and check GET /gate agrees)."""
        gate = (await self.client.get(self.base + "/gate", headers=self.org.viewer)).json()
        assert gate["to"] == to
        r = await self.client.post(
            self.base + "/transitions", json={"to": to}, headers=self.org.manager
        )
        body = assert_problem(r, 409, "phase_gate_unmet")
        unmet = [u["gate"] for u in body["unmet"]]
        assert unmet == [c["gate"] for c in gate["conditions"] if not c["met"]]
        assert all(c["message"] for c in gate["conditions"])
        return unmet

    async def move(self, to: str, **extra: Any) -> dict[str, Any]:
        who = "admin" if extra.get("force") else "manager"
        moved = await self.post("/transitions", {"to": to, **extra}, who)
        assert moved["phase"] == to
        return dict(moved)


async def walk_to_closing(
    client: httpx.AsyncClient, org: Org, *, force_closing: bool = False
) -> tuple[Walk, dict[str, Any], list[str]]:
    """initiation -> closing, gate by gate; returns the walk, the sponsor and milestone ids."""
    sponsor = await make_person(client, org, user_sub="sponsor-sub")
    today = datetime.now(UTC).date()
    project = await make_project(
        client, org, start_date=str(today), target_end_date=str(today + timedelta(days=30))
    )
    w = Walk(client, org, project)
    assert await w.unmet("planning") == ["sponsor_named", "objective_defined"]
    await w.patch("", {"sponsor_id": sponsor["id"]})
    assert await w.unmet("planning") == ["objective_defined"]
    objective = await w.post("/objectives", {"name": "Customers wait less"})
    assert await w.unmet("planning") == ["objective_defined"]  # no key result yet
    await w.post(
        f"/objectives/{objective['id']}/key-results",
        {"name": "Median wait", "unit": "min", "baseline": "30", "target": "5"},
    )
    await w.move("planning")

    assert await w.unmet("execution") == [
        "milestone_with_dates", "budget_positive", "risk_register_reviewed",
    ]  # fmt: skip
    dates = {"start_date": str(today), "due_date": str(today + timedelta(days=9))}
    ms = [
        await w.post("/milestones", {"name": n, **dates, "planned_value": "500.00"})
        for n in ("Build", "Extras")
    ]
    assert await w.unmet("execution") == ["budget_positive", "risk_register_reviewed"]
    budget = {
        "kind": "budget",
        "category": "labour",
        "amount": "1000.00",
        "occurred_on": str(today),
    }
    await w.post("/ledger/entries", budget)
    assert await w.unmet("execution") == ["risk_register_reviewed"]
    await w.post(
        "/risks", {"title": "Vendor late", "category": "vendor", "probability": 2, "impact": 3}
    )
    await w.move("execution")
    # The first entry took a baseline; resuming from on_hold takes none.
    await w.move("on_hold", reason="Budget review")
    await w.move("execution")
    baselines = (await client.get(w.base + "/baselines", headers=org.viewer)).json()["items"]
    assert [b["number"] for b in baselines] == [1]

    assert await w.unmet("closing") == ["milestones_finished"]
    await w.patch(f"/milestones/{ms[0]['id']}", {"status": "done"})
    assert await w.unmet("closing") == ["milestones_finished"]  # "Extras" is still open
    if force_closing:
        await w.move("closing", force=True, reason="Extras move to the next release")
    else:
        await w.patch(f"/milestones/{ms[1]['id']}", {"status": "cancelled"})
        await w.move("closing")
    return w, sponsor, [m["id"] for m in ms]


async def test_a_project_walks_from_initiation_to_closed_over_rest(
    client: httpx.AsyncClient, org: Org
) -> None:
    w, sponsor, _ = await walk_to_closing(client, org)
    assert await w.unmet("closed") == ["deliverables_decided", "closure_report_written"]
    d = await w.post("/deliverables", {"name": "Runbook", "acceptance_criteria": "Ops sign-off"})
    assert await w.unmet("closed") == ["deliverables_decided", "closure_report_written"]
    # The sponsor (a viewer whose sub is the sponsor's user_sub) accepts it.
    sponsor_headers = org.headers("viewer", sub=sponsor["user_sub"])
    r = await client.post(
        f"{w.base}/deliverables/{d['id']}/decisions", json={"decision": "accept"},
        headers=sponsor_headers,
    )  # fmt: skip
    assert r.status_code == 201, r.text
    assert r.json()["deliverable"]["decided_by"] == "sponsor-sub"
    assert await w.unmet("closed") == ["closure_report_written"]
    report = {"summary": "Shipped", "went_well": ["Weekly demos"], "to_improve": ["Vendor SLAs"]}
    r = await client.put(f"{w.base}/closure-report", json=report, headers=org.manager)
    assert r.status_code == 200, r.text
    figures = r.json()["final_figures"]
    assert (figures["budget"], figures["deliverables_accepted"]) == ("1000.00", 1)
    await w.move("closed")

    # Closed: the report is frozen and decisions stay.
    assert_problem(
        await client.put(f"{w.base}/closure-report", json=report, headers=org.manager),
        409, "wrong_phase",
    )  # fmt: skip
    assert_problem(
        await client.post(
            f"{w.base}/deliverables/{d['id']}/decisions", json={"decision": "reopen"},
            headers=org.manager,
        ),
        409, "invalid_decision",
    )  # fmt: skip
    lessons = (await client.get("/api/v1/lessons?q=vendor", headers=org.viewer)).json()
    assert [(x["kind"], x["text"], x["project_id"]) for x in lessons["items"]] == [
        ("to_improve", "Vendor SLAs", w.pid)
    ]
    history = (await client.get(f"{w.base}/activity?limit=100", headers=org.viewer)).json()
    actions = {e["action"] for e in history["items"]}
    assert {
        "objective.created", "key_result.created", "deliverable.created", "deliverable.decided",
        "closure_report.written", "baseline.taken", "project.transitioned",
    } <= actions  # fmt: skip


async def test_an_admin_forces_one_gate_and_the_reason_is_recorded(
    client: httpx.AsyncClient, org: Org
) -> None:
    w, _, ms = await walk_to_closing(client, org, force_closing=True)
    entry = (await client.get(f"{w.base}/activity", headers=org.viewer)).json()["items"][0]
    assert entry["action"] == "project.transitioned"
    assert entry["changes"]["phase"] == {"from": "execution", "to": "closing"}
    assert entry["changes"]["forced"] is True
    assert entry["changes"]["reason"] == "Extras move to the next release"
    assert [u["gate"] for u in entry["changes"]["unmet"]] == ["milestones_finished"]
    assert entry["actor"] == "user-admin"
    # The rest of the walk is unforced.
    d = await w.post("/deliverables", {"name": "Runbook", "milestone_id": ms[0]})
    await w.post(f"/deliverables/{d['id']}/decisions", {"decision": "waive", "note": "Not needed"})
    r = await client.put(f"{w.base}/closure-report", json={"summary": "Done"}, headers=org.manager)
    assert r.status_code == 200, r.text
    await w.move("closed")
