"""Concurrent clients for the fault tests: readers, posters that retry each posting with its
Idempotency-Key until it is created, a /readyz watcher, and the checks on what they saw."""

from __future__ import annotations

import asyncio
import random
import time
import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import asyncpg
import httpx

KINDS = ("budget", "commitment", "actual")
SUMMARY_QUERY = "query($id: ID!) { project(id: $id) { name ledgerSummary { budget actual } } }"


@dataclass
class Answer:
    started: float
    ended: float
    what: str
    status: int | str  # an HTTP status, "gql:<code>" for a GraphQL error, or "transport:<error>"


@dataclass
class Posting:
    key: str
    project: str
    body: dict[str, Any]
    entry: str | None = None  # the id in the 201 answer


@dataclass
class Load:
    base: str
    headers: dict[str, str]
    projects: list[str]
    answers: list[Answer] = field(default_factory=list)
    postings: list[Posting] = field(default_factory=list)
    readiness: list[tuple[float, int | str]] = field(default_factory=list)
    done: asyncio.Event = field(default_factory=asyncio.Event)
    rng: random.Random = field(default_factory=lambda: random.Random(17))

    def client(self) -> httpx.AsyncClient:
        return httpx.AsyncClient(base_url=self.base, headers=self.headers, timeout=30)

    async def _call(
        self, client: httpx.AsyncClient, what: str, method: str, url: str, **kw: Any
    ) -> httpx.Response | None:
        began = time.monotonic()
        try:
            r = await client.request(method, url, **kw)
        except httpx.TransportError as exc:
            self.answers.append(
                Answer(began, time.monotonic(), what, f"transport:{type(exc).__name__}")
            )
            await asyncio.sleep(0.05)
            return None
        status: int | str = r.status_code
        if what == "graphql" and r.status_code == 200 and r.json().get("errors"):
            code = str(r.json()["errors"][0].get("extensions", {}).get("code"))
            # GraphQL's 503: the same outage, reported in the body.
            status = 503 if code == "SERVICE_UNAVAILABLE" else f"gql:{code}"
        self.answers.append(Answer(began, time.monotonic(), what, status))
        if status == 503:
            await asyncio.sleep(0.02)  # a client would honour Retry-After; keep the test short
        return r

    async def reader(self) -> None:
        async with self.client() as client:
            while not self.done.is_set():
                project = self.rng.choice(self.projects)
                await self._call(
                    client, "summary", "GET", f"/api/v1/projects/{project}/ledger/summary"
                )
                await self._call(client, "project", "GET", f"/api/v1/projects/{project}")
                await self._call(
                    client, "graphql", "POST", "/graphql",
                    json={"query": SUMMARY_QUERY, "variables": {"id": project}},
                )  # fmt: skip

    async def poster(self, projects: list[str] | None = None, give_up_after: float = 60) -> None:
        """Post until told to stop; finish the posting in hand (retrying its key) first."""
        async with self.client() as client:
            while not self.done.is_set():
                project = self.rng.choice(projects or self.projects)
                posting = Posting(
                    key=uuid.uuid4().hex,
                    project=project,
                    body={
                        "kind": self.rng.choice(KINDS),
                        "category": "labour",
                        "amount": f"{self.rng.randint(1, 500)}.{self.rng.randint(0, 99):02d}",
                        "occurred_on": "2026-01-15",
                    },
                )
                posting.body["description"] = posting.key
                self.postings.append(posting)
                deadline = time.monotonic() + give_up_after
                while posting.entry is None:
                    r = await self._call(
                        client, "posting", "POST", f"/api/v1/projects/{project}/ledger/entries",
                        json=posting.body, headers={"Idempotency-Key": posting.key},
                    )  # fmt: skip
                    if r is not None and r.status_code == 201:
                        posting.entry = r.json()["id"]
                    elif time.monotonic() >= deadline:
                        break

    async def watch_readiness(self) -> None:
        async with httpx.AsyncClient(base_url=self.base, timeout=5) as client:
            while not self.done.is_set():
                try:
                    status: int | str = (await client.get("/readyz")).status_code
                except httpx.TransportError as exc:
                    status = f"transport:{type(exc).__name__}"
                self.readiness.append((time.monotonic(), status))
                await asyncio.sleep(0.05)

    # -- what the clients saw -------------------------------------------------------------

    def statuses(self) -> Counter[int | str]:
        return Counter(a.status for a in self.answers)

    def unexpected(self, allowed: set[int | str]) -> list[Answer]:
        return [a for a in self.answers if a.status not in allowed]

    def between(self, begin: float, end: float) -> list[Answer]:
        """Answers to requests sent at or after ``begin`` and answered by ``end``."""
        return [a for a in self.answers if a.started >= begin and a.ended <= end]

    def last_failure_end(self) -> float:
        failed = [a.ended for a in self.answers if a.status not in (200, 201)]
        return max(failed, default=0.0)

    def readiness_change(self, after: float, to: int) -> float | None:
        """When /readyz first answered ``to`` at or after ``after``."""
        return next((t for t, s in self.readiness if t >= after and s == to), None)


async def seed_projects(base: str, headers: dict[str, str], count: int) -> list[str]:
    """Projects with a first posting each (so their ledger totals rows exist)."""
    ids = []
    async with httpx.AsyncClient(base_url=base, headers=headers, timeout=30) as client:
        for _ in range(count):
            key = "F" + uuid.uuid4().hex[:6].upper()
            body = {
                "key": key,
                "name": "Fault drill",
                "business_area": "software_development",
                "currency": "EUR",
            }
            r = await client.post("/api/v1/projects", json=body)
            assert r.status_code == 201, r.text
            ids.append(r.json()["id"])
            first = {
                "kind": "budget",
                "category": "labour",
                "amount": "1000.00",
                "occurred_on": "2026-01-01",
            }
            r = await client.post(f"/api/v1/projects/{ids[-1]}/ledger/entries", json=first)
            assert r.status_code == 201, r.text
    return ids


async def check_ledgers(load: Load, database_url: str, org: str) -> dict[str, int]:
    """Exactly one entry per Idempotency-Key, and every total equal to the sum of its entries."""
    assert all(p.entry for p in load.postings), "a posting was never created"
    conn = await asyncpg.connect(database_url)
    try:
        rows = await conn.fetch(
            "SELECT id::text, project_id::text, kind, amount, description FROM ledger_entries "
            "WHERE org_id = $1",
            org,
        )
        totals = await conn.fetch(
            "SELECT project_id::text, sum(budget) AS budget, sum(commitments) AS commitment, "
            "sum(actual) AS actual, sum(entries) AS entries FROM ledger_totals "
            "WHERE org_id = $1 GROUP BY project_id",
            org,
        )
    finally:
        await conn.close()
    per_key = Counter(r["description"] for r in rows if r["description"])
    keys = {p.key for p in load.postings}
    assert set(per_key) == keys, "entries without a posting, or postings without an entry"
    assert set(per_key.values()) == {1}, "a key made more than one entry"
    by_key = {r["description"]: r["id"] for r in rows if r["description"]}
    assert all(by_key[p.key] == p.entry for p in load.postings), "a 201 named another entry"
    sums: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    count: Counter[str] = Counter()
    for r in rows:
        sums[(r["project_id"], r["kind"])] += r["amount"]
        count[r["project_id"]] += 1
    for t in totals:
        for kind in KINDS:
            assert t[kind] == sums[(t["project_id"], kind)], (t, kind)
        assert t["entries"] == count[t["project_id"]]
    async with load.client() as client:
        for project in load.projects:
            r = await client.get(
                f"/api/v1/projects/{project}/ledger/summary", params={"as_of": "2026-12-31"}
            )
            assert r.status_code == 200, r.text
            assert Decimal(r.json()["budget"]) == sums[(project, "budget")]
            assert Decimal(r.json()["actual"]) == sums[(project, "actual")]
            assert Decimal(r.json()["open_commitments"]) == sums[(project, "commitment")]
    return {"keys": len(keys), "entries": len(rows)}
