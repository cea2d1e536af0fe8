"""The ledger under concurrent load: totals exact to the cent, refusals leave nothing behind."""

from __future__ import annotations

import asyncio
import random
from collections import defaultdict
from decimal import Decimal
from typing import Any

import httpx
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from tests.api.helpers import make_project
from tests.api.ledger_helpers import entries_url, posted, summary
from tests.conftest import Org

REFUSALS = {(422, "ledger_negative_total"), (409, "already_reversed")}


def _money(rng: random.Random, low: int, high: int) -> str:
    return f"{rng.randint(low, high)}.{rng.randint(0, 99):02d}"


async def test_two_hundred_concurrent_postings_keep_totals_exact(
    client: httpx.AsyncClient, org: Org, engine: AsyncEngine
) -> None:
    rng = random.Random(5)
    project = await make_project(client, org)
    seeded = [await posted(client, org, project, "budget", "2000.00")]
    commitments = [await posted(client, org, project, "commitment", "300.00") for _ in range(6)]
    actuals = [await posted(client, org, project, "actual", "40.00") for _ in range(6)]
    seeded += commitments + actuals
    reversible = [seeded[0], *actuals]  # the budget reversal will mostly be refused

    def body(kind: str, amount: str, **extra: Any) -> dict[str, Any]:
        return {
            "kind": kind,
            "category": rng.choice(["labour", "cloud", "travel"]),
            "amount": amount,
            "occurred_on": f"2026-0{rng.randint(1, 3)}-1{rng.randint(0, 9)}",
            **extra,
        }

    ops: list[tuple[str, dict[str, Any]]] = []
    ops += [(entries_url(project), body("budget", _money(rng, 1, 60))) for _ in range(50)]
    ops += [(entries_url(project), body("budget", "-" + _money(rng, 100, 900))) for _ in range(25)]
    ops += [(entries_url(project), body("commitment", _money(rng, 1, 80))) for _ in range(35)]
    ops += [
        (entries_url(project), body("commitment", "-" + _money(rng, 50, 400))) for _ in range(15)
    ]
    ops += [(entries_url(project), body("actual", _money(rng, 1, 90))) for _ in range(30)]
    ops += [
        (entries_url(project), body("actual", _money(rng, 10, 200), settles=c["id"]))
        for c in commitments
        for _ in range(5)
    ]
    ops += [(entries_url(project), body("actual", "-" + _money(rng, 50, 600))) for _ in range(15)]
    ops += [  # every seeded reversible entry, each attempted three times at once
        (entries_url(project, e["id"]) + "/reversal", {"reason": "load test"})
        for e in reversible
        for _ in range(3)
    ]
    rng.shuffle(ops)
    assert len(ops) >= 200

    observed: list[dict[str, Any]] = []
    storm_over = asyncio.Event()

    async def watch() -> None:
        while not storm_over.is_set():
            observed.append(await summary(client, org, project))
            await asyncio.sleep(0.01)

    async def fire(url: str, payload: dict[str, Any]) -> httpx.Response:
        return await client.post(url, json=payload, headers=org.admin)

    watcher = asyncio.create_task(watch())
    responses = await asyncio.gather(*(fire(u, p) for u, p in ops))
    storm_over.set()
    await watcher

    accepted = [r.json() for r in responses if r.status_code == 201]
    refused = [r for r in responses if r.status_code != 201]
    for r in refused:
        assert (r.status_code, r.json()["code"]) in REFUSALS, r.text
    assert accepted and refused, "the load should mix accepted and refused postings"
    reversal_of = defaultdict(int)
    for e in accepted:
        if e["reverses"]:
            reversal_of[e["reverses"]] += 1
    assert all(n == 1 for n in reversal_of.values())

    everything = seeded + accepted
    expected = defaultdict(Decimal)
    settled: dict[str, Decimal] = defaultdict(Decimal)
    for e in everything:
        expected[e["kind"]] += Decimal(e["amount"])
        if e["settles"]:
            settled[e["settles"]] += Decimal(e["amount"])
    open_ = Decimal(0)  # per commitment never below zero; releases count as they are
    for e in everything:
        if e["kind"] == "commitment":
            amount = Decimal(e["amount"])
            open_ += max(Decimal(0), amount - settled[e["id"]]) if amount > 0 else amount
    final = await summary(client, org, project, "2026-12-31")
    assert Decimal(final["budget"]) == expected["budget"]
    assert Decimal(final["actual"]) == expected["actual"]
    assert Decimal(final["open_commitments"]) == open_
    for s in [*observed, final]:
        for name in ("budget", "actual", "open_commitments"):
            assert Decimal(s[name]) >= 0, s

    # Refused postings left nothing behind: exactly the accepted entries and history lines.
    async with engine.connect() as conn:
        ids = {
            str(r[0])
            for r in await conn.execute(
                text("SELECT id FROM ledger_entries WHERE org_id = :o"), {"o": org.id}
            )
        }
        history = (
            await conn.execute(
                text(
                    "SELECT count(*) FROM project_activity WHERE org_id = :o "
                    "AND action LIKE 'ledger_entry.%'"
                ),
                {"o": org.id},
            )
        ).scalar_one()
        totals = (
            await conn.execute(
                text(
                    "SELECT sum(budget) AS budget, sum(commitments) AS commitments, "
                    "sum(actual) AS actual FROM ledger_totals WHERE org_id = :o"
                ),
                {"o": org.id},
            )
        ).one()
        buckets = (
            await conn.execute(
                text(
                    "SELECT sum(budget), sum(commitments), sum(actual), sum(open_commitments) "
                    "FROM ledger_daily_totals WHERE org_id = :o"
                ),
                {"o": org.id},
            )
        ).one()
    assert tuple(buckets) == (
        expected["budget"],
        expected["commitment"],
        expected["actual"],
        open_,
    )
    assert ids == {e["id"] for e in everything}
    assert history == len(everything)
    assert totals.commitments == expected["commitment"]
    assert (totals.budget, totals.actual) == (expected["budget"], expected["actual"])


async def test_one_idempotency_key_sent_concurrently_creates_one_entry(
    client: httpx.AsyncClient, org: Org
) -> None:
    project = await make_project(client, org)
    body = {"kind": "budget", "category": "labour", "amount": "9.99", "occurred_on": "2026-01-01"}
    headers = {**org.manager, "Idempotency-Key": "same-key"}
    responses = await asyncio.gather(
        *(client.post(entries_url(project), json=body, headers=headers) for _ in range(20))
    )
    assert {r.status_code for r in responses} == {201}
    assert len({r.json()["id"] for r in responses}) == 1
    assert sum(r.headers.get("idempotent-replayed") == "true" for r in responses) == 19
    listed = await client.get(entries_url(project), headers=org.viewer)
    assert len(listed.json()["items"]) == 1
    assert (await summary(client, org, project))["budget"] == "9.99"
