"""Budget ledger through the real stack: posting, reversal, settlement, totals, currency."""

from __future__ import annotations

import uuid

import httpx
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from tests.api.helpers import assert_problem, make_project
from tests.api.ledger_helpers import entries_url, post, posted, summary
from tests.conftest import Org


async def test_post_get_and_list_entries_newest_first(client: httpx.AsyncClient, org: Org) -> None:
    project = await make_project(client, org)
    budget = await posted(client, org, project, "budget", "1000.5", occurred_on="2026-01-01")
    assert budget["amount"] == "1000.50" and budget["currency"] == "EUR"
    assert budget["reversed_by"] is None and budget["created_by"] == "user-manager"
    actual = await posted(
        client, org, project, "actual", "200", role="member", category="cloud", reference="INV-1"
    )
    r = await client.get(entries_url(project, actual["id"]), headers=org.viewer)
    assert r.status_code == 200 and r.json() == actual
    r = await client.get(entries_url(project), headers=org.viewer)
    assert [e["id"] for e in r.json()["items"]] == [actual["id"], budget["id"]]
    r = await client.get(entries_url(project), params={"kind": "budget"}, headers=org.viewer)
    assert [e["id"] for e in r.json()["items"]] == [budget["id"]]
    r = await client.get(entries_url(project), params={"category": "cloud"}, headers=org.viewer)
    assert [e["id"] for e in r.json()["items"]] == [actual["id"]]
    params = {"from": "2026-01-02", "to": "2026-02-01"}
    r = await client.get(entries_url(project), params=params, headers=org.viewer)
    assert [e["id"] for e in r.json()["items"]] == [actual["id"]]


async def test_entries_page_by_cursor(client: httpx.AsyncClient, org: Org) -> None:
    project = await make_project(client, org)
    ids = [
        (await posted(client, org, project, "budget", "10", occurred_on=f"2026-01-0{d}"))["id"]
        for d in (1, 2, 2, 3)
    ]
    seen: list[str] = []
    cursor = None
    while True:
        params = {"limit": 3, **({"cursor": cursor} if cursor else {})}
        body = (await client.get(entries_url(project), params=params, headers=org.viewer)).json()
        seen += [e["id"] for e in body["items"]]
        cursor = body["next_cursor"]
        if cursor is None:
            break
    assert seen == [ids[3], ids[2], ids[1], ids[0]]
    r = await client.get(entries_url(project), params={"cursor": "nope"}, headers=org.viewer)
    assert_problem(r, 422, "validation_failed", "query.cursor")


async def test_roles_members_post_actuals_only(client: httpx.AsyncClient, org: Org) -> None:
    project = await make_project(client, org)
    assert_problem(await post(client, org, project, "budget", "5", role="member"), 403, "forbidden")
    assert_problem(await post(client, org, project, "actual", "5", role="viewer"), 403, "forbidden")
    await posted(client, org, project, "budget", "5")
    assert (await post(client, org, project, "actual", "5", role="member")).status_code == 201


async def test_bad_input_is_a_422_naming_the_field(client: httpx.AsyncClient, org: Org) -> None:
    project = await make_project(client, org)
    cases = [
        ({"amount": 10}, "body.amount"),
        ({"amount": "1.005"}, "body.amount"),
        ({"amount": "0"}, "body.amount"),
        ({"amount": "abc"}, "body.amount"),
        ({"kind": "loan"}, "body.kind"),
        ({"category": "food"}, "body.category"),
        ({"occurred_on": "2026-13-01"}, "body.occurred_on"),
        ({"surprise": 1}, "body.surprise"),
        ({"milestone_id": str(uuid.uuid4())}, "body.milestone_id"),
        ({"settles": "not-a-uuid"}, "body.settles"),
    ]
    for change, field in cases:
        body = {"kind": "budget", "category": "labour", "amount": "1", "occurred_on": "2026-01-01"}
        r = await client.post(entries_url(project), json={**body, **change}, headers=org.manager)
        assert_problem(r, 422, "validation_failed", field)
    r = await post(client, org, project, "budget", "1", currency="USD")
    assert_problem(r, 422, "currency_mismatch", "body.currency")
    jpy = await make_project(client, org, currency="JPY")
    assert_problem(await post(client, org, jpy, "budget", "1.5"), 422, "validation_failed")
    assert (await post(client, org, jpy, "budget", "150")).json()["amount"] == "150"
    r = await client.get(entries_url(project, "not-a-uuid"), headers=org.viewer)
    assert r.status_code == 422
    assert (await client.get(entries_url(project), headers=org.viewer)).json()["items"] == []


async def test_totals_never_go_negative(client: httpx.AsyncClient, org: Org) -> None:
    project = await make_project(client, org)
    r = await post(client, org, project, "budget", "-1")
    assert_problem(r, 422, "ledger_negative_total", "body.amount")
    await posted(client, org, project, "budget", "100")
    assert_problem(
        await post(client, org, project, "budget", "-100.01"), 422, "ledger_negative_total"
    )
    assert_problem(await post(client, org, project, "actual", "-1"), 422, "ledger_negative_total")
    assert_problem(
        await post(client, org, project, "commitment", "-1"), 422, "ledger_negative_total"
    )
    await posted(client, org, project, "budget", "-100")
    s = await summary(client, org, project)
    assert s["budget"] == "0.00"
    r = await client.get(entries_url(project), headers=org.viewer)
    assert len(r.json()["items"]) == 2  # the refused postings left nothing behind


async def test_reversal_negates_once_and_is_not_reversible(
    client: httpx.AsyncClient, org: Org
) -> None:
    project = await make_project(client, org)
    budget = await posted(client, org, project, "budget", "500", occurred_on="2026-01-03")
    url = entries_url(project, budget["id"]) + "/reversal"
    r = await client.post(url, json={"reason": "typo"}, headers=org.manager)
    assert r.status_code == 201, r.text
    reversal = r.json()
    assert reversal["amount"] == "-500.00" and reversal["reverses"] == budget["id"]
    assert reversal["occurred_on"] == "2026-01-03" and reversal["description"] == "typo"
    assert r.headers["location"].endswith(reversal["id"])
    again = await client.post(url, json={"reason": "again"}, headers=org.manager)
    assert_problem(again, 409, "already_reversed")
    back = entries_url(project, reversal["id"]) + "/reversal"
    assert_problem(
        await client.post(back, json={"reason": "x"}, headers=org.manager), 409, "not_reversible"
    )
    got = (await client.get(entries_url(project, budget["id"]), headers=org.viewer)).json()
    assert got["reversed_by"] == reversal["id"]
    assert (await summary(client, org, project))["budget"] == "0.00"
    r = await client.post(url, json={"reason": ""}, headers=org.manager)
    assert_problem(r, 422, "validation_failed", "body.reason")


async def test_reversal_refused_when_it_would_make_a_total_negative(
    client: httpx.AsyncClient, org: Org
) -> None:
    project = await make_project(client, org)
    budget = await posted(client, org, project, "budget", "100")
    await posted(client, org, project, "budget", "-60")
    url = entries_url(project, budget["id"]) + "/reversal"
    r = await client.post(url, json={"reason": "wrong"}, headers=org.manager)
    assert_problem(r, 422, "ledger_negative_total")


async def test_members_reverse_actuals_but_not_budgets(client: httpx.AsyncClient, org: Org) -> None:
    project = await make_project(client, org)
    budget = await posted(client, org, project, "budget", "100")
    actual = await posted(client, org, project, "actual", "10", role="member")
    for entry, status in ((budget, 403), (actual, 201)):
        url = entries_url(project, entry["id"]) + "/reversal"
        r = await client.post(url, json={"reason": "x"}, headers=org.member)
        assert r.status_code == status, r.text


async def test_settlement_reduces_open_commitments_never_below_zero(
    client: httpx.AsyncClient, org: Org
) -> None:
    project = await make_project(client, org)
    await posted(client, org, project, "budget", "1000")
    po = await posted(client, org, project, "commitment", "300", category="hardware")
    other = await posted(client, org, project, "commitment", "50", category="travel")
    s = await summary(client, org, project)
    assert (s["open_commitments"], s["remaining"]) == ("350.00", "650.00")
    inv = await posted(
        client, org, project, "actual", "120", role="member", category="labour", settles=po["id"]
    )
    s = await summary(client, org, project)
    assert (s["open_commitments"], s["actual"], s["remaining"]) == ("230.00", "120.00", "650.00")
    hw = {c["category"]: c for c in s["by_category"]}
    assert hw["hardware"]["open_commitments"] == "180.00" and hw["labour"]["actual"] == "120.00"
    await posted(client, org, project, "actual", "400", role="member", settles=po["id"])
    s = await summary(client, org, project)
    assert (s["open_commitments"], s["actual"]) == ("50.00", "520.00")  # capped at zero
    # A settled commitment cannot be reversed; reversing its actuals un-settles it.
    url = entries_url(project, po["id"]) + "/reversal"
    assert_problem(
        await client.post(url, json={"reason": "x"}, headers=org.manager), 409, "commitment_settled"
    )
    r = await client.post(
        entries_url(project, inv["id"]) + "/reversal", json={"reason": "x"}, headers=org.member
    )
    assert r.status_code == 201 and r.json()["settles"] == po["id"]
    s = await summary(client, org, project)
    assert s["open_commitments"] == "50.00"  # 300 - 400 settled is still below zero
    # Settling needs a live commitment of this project.
    r = await post(client, org, project, "actual", "1", settles=str(uuid.uuid4()))
    assert_problem(r, 422, "validation_failed", "body.settles")
    r = await post(client, org, project, "actual", "-1", settles=po["id"])
    assert_problem(r, 422, "validation_failed", "body.settles")
    r = await post(client, org, project, "budget", "1", settles=po["id"])
    assert_problem(r, 422, "validation_failed", "body.settles")
    r = await client.post(
        entries_url(project, other["id"]) + "/reversal", json={"reason": "x"}, headers=org.manager
    )
    assert r.status_code == 201
    r = await post(client, org, project, "actual", "1", settles=other["id"])
    assert_problem(r, 422, "validation_failed", "body.settles")
    elsewhere = await make_project(client, org)
    r = await post(client, org, elsewhere, "actual", "1", settles=po["id"])
    assert_problem(r, 422, "validation_failed", "body.settles")


async def test_releasing_more_commitment_than_is_open_is_refused(
    client: httpx.AsyncClient, org: Org
) -> None:
    project = await make_project(client, org)
    po = await posted(client, org, project, "commitment", "100")
    await posted(client, org, project, "actual", "100", settles=po["id"])
    r = await post(client, org, project, "commitment", "-50")
    assert_problem(r, 422, "ledger_negative_total")


async def test_summary_by_month_burn_rate_and_as_of(client: httpx.AsyncClient, org: Org) -> None:
    project = await make_project(client, org)
    await posted(client, org, project, "budget", "1200", occurred_on="2025-10-01")
    for day, amount in (
        ("2025-10-10", "100"),
        ("2025-11-10", "200"),
        ("2025-12-10", "300"),
        ("2026-02-10", "400"),
    ):
        await posted(client, org, project, "actual", amount, occurred_on=day)
    await posted(client, org, project, "commitment", "50", occurred_on="2026-02-11")
    s = await summary(client, org, project, "2026-02-28")
    assert s["as_of"] == "2026-02-28" and s["currency"] == "EUR"
    assert (s["budget"], s["actual"], s["open_commitments"]) == ("1200.00", "1000.00", "50.00")
    assert s["remaining"] == "150.00"
    assert s["burn_rate"] == "300.00"  # (200 + 300 + 400) / 3: January had none
    assert [m["month"] for m in s["by_month"]] == ["2025-10", "2025-11", "2025-12", "2026-02"]
    assert s["by_month"][-1] == {
        "month": "2026-02",
        "budget": "0.00",
        "commitments": "50.00",
        "actual": "400.00",
    }
    s = await summary(client, org, project, "2025-11-30")
    assert (s["actual"], s["burn_rate"], s["remaining"]) == ("300.00", "150.00", "900.00")
    s = await summary(client, org, project, "2025-09-30")
    assert (s["budget"], s["burn_rate"], s["by_month"]) == ("0.00", None, [])


async def test_currency_is_locked_once_the_ledger_has_entries(
    client: httpx.AsyncClient, org: Org
) -> None:
    project = await make_project(client, org)
    url = f"/api/v1/projects/{project['id']}"
    r = await client.patch(url, json={"currency": "USD"}, headers=org.manager)
    assert r.status_code == 200 and r.json()["currency"] == "USD"
    await posted(client, org, project, "budget", "10")
    r = await client.patch(url, json={"currency": "GBP"}, headers=org.manager)
    assert_problem(r, 409, "currency_locked")
    r = await client.patch(url, json={"currency": "USD", "name": "Same"}, headers=org.manager)
    assert r.status_code == 200


async def test_foreign_tenant_sees_nothing(
    client: httpx.AsyncClient, org: Org, other_org: Org
) -> None:
    project = await make_project(client, org)
    entry = await posted(client, org, project, "budget", "10")
    for url in (
        entries_url(project),
        entries_url(project, entry["id"]),
        f"/api/v1/projects/{project['id']}/ledger/summary",
        f"/api/v1/projects/{project['id']}/earned-value",
    ):
        assert_problem(await client.get(url, headers=other_org.admin), 404, "not_found")
    r = await client.post(
        entries_url(project, entry["id"]) + "/reversal",
        json={"reason": "x"},
        headers=other_org.admin,
    )
    assert_problem(r, 404, "not_found")
    assert_problem(await post(client, other_org, project, "budget", "1"), 404, "not_found")
    elsewhere = await make_project(client, org)
    r = await client.get(entries_url(elsewhere, entry["id"]), headers=org.viewer)
    assert_problem(r, 404, "not_found")


async def test_postings_and_reversals_land_in_the_activity_history(
    client: httpx.AsyncClient, org: Org
) -> None:
    project = await make_project(client, org)
    entry = await posted(client, org, project, "budget", "10")
    url = entries_url(project, entry["id"]) + "/reversal"
    assert (await client.post(url, json={"reason": "x"}, headers=org.manager)).status_code == 201
    r = await client.get(f"/api/v1/projects/{project['id']}/activity", headers=org.viewer)
    items = r.json()["items"]
    assert [i["action"] for i in items[:2]] == ["ledger_entry.reversed", "ledger_entry.posted"]
    assert items[1]["entity_id"] == entry["id"] and items[1]["changes"]["amount"] == "10.00"


async def test_entries_cannot_be_updated_or_deleted_in_the_database(
    client: httpx.AsyncClient, org: Org, engine: AsyncEngine
) -> None:
    project = await make_project(client, org)
    entry = await posted(client, org, project, "budget", "10")
    for sql in (
        "UPDATE ledger_entries SET amount = 1 WHERE id = :id",
        "DELETE FROM ledger_entries WHERE id = :id",
        "TRUNCATE ledger_entries CASCADE",
    ):
        async with engine.connect() as conn:
            try:
                await conn.execute(text(sql), {"id": entry["id"]})
            except Exception as exc:  # any refusal will do; the message says why
                assert "append-only" in str(exc)
            else:
                raise AssertionError(f"{sql} was allowed")
            await conn.rollback()
    got = await client.get(entries_url(project, entry["id"]), headers=org.viewer)
    assert got.json()["amount"] == "10.00"


async def test_idempotent_posting_replays(client: httpx.AsyncClient, org: Org) -> None:
    project = await make_project(client, org)
    body = {"kind": "budget", "category": "labour", "amount": "7", "occurred_on": "2026-01-01"}
    headers = {**org.manager, "Idempotency-Key": "ledger-1"}
    first = await client.post(entries_url(project), json=body, headers=headers)
    again = await client.post(entries_url(project), json=body, headers=headers)
    assert first.status_code == again.status_code == 201
    assert again.headers["idempotent-replayed"] == "true" and again.json() == first.json()
    r = await client.post(entries_url(project), json={**body, "amount": "8"}, headers=headers)
    assert_problem(r, 422, "idempotency_key_reused")
    assert (await summary(client, org, project))["budget"] == "7.00"
