"""Webhook delivery by `charter serve` processes: signed, every event once, retried, replayed.

Two processes with delivery workers share one database; a local receiver (loopback,
allowed in development) records what arrives. Signatures are checked with the
`standardwebhooks` package, not with the code that signs them.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from standardwebhooks.webhooks import Webhook

from tests.conftest import Org
from tests.integration.live_helpers import serving
from tests.integration.test_live_subscriptions import TYPES, _writes
from tests.integration.webhook_helpers import deliveries, eventually, make_endpoint, receiving

FAST = {"CHARTER_WEBHOOK_RETRY_SCALE": "0.002", "CHARTER_WEBHOOK_POLL_SECONDS": "0.1"}


@pytest.fixture(scope="module")
def servers(server_url: str, engine: Any) -> Iterator[tuple[str, str]]:
    with serving(server_url, **FAST) as first, serving(server_url, **FAST) as second:
        yield first, second


def fresh_org() -> Org:
    return Org(f"org-{uuid.uuid4().hex[:12]}")


async def test_every_event_arrives_once_signed_per_standard_webhooks(
    servers: tuple[str, str],
) -> None:
    writer, _ = servers
    org = fresh_org()
    with receiving() as receiver:
        async with httpx.AsyncClient(base_url=writer) as http:
            endpoint = await make_endpoint(http, org.admin, receiver.url)
            assert endpoint["secret"].startswith("whsec_")
            await _writes(http, org)
            feed = (await http.get("/api/v1/activity", headers=org.viewer)).json()["items"]
            await eventually(lambda: len(receiver.requests) >= 4)
            log = await eventually(lambda: _all_done(http, org, endpoint["id"], 4))
        bodies = []
        for request in receiver.requests:
            verified = Webhook(endpoint["secret"]).verify(request.body, request.headers)
            bodies.append(verified)
            assert request.headers["webhook-id"] == verified["id"]
        assert len(receiver.requests) == 4  # once each, though two processes deliver
        assert sorted(b["seq"] for b in bodies) == [1, 2, 3, 4]
        assert sorted(bodies, key=lambda b: b["seq"]) == feed  # the feed's very objects
        assert sorted(b["type"] for b in bodies) == sorted(TYPES)
        assert all(len(d["attempts"]) == 1 for d in log)
        assert all(d["attempts"][0]["status_code"] == 200 for d in log)


async def _all_done(
    http: httpx.AsyncClient, org: Org, endpoint_id: str, n: int
) -> list[dict[str, Any]] | None:
    log = await deliveries(http, org.admin, endpoint_id)
    return log if len(log) == n and all(d["status"] == "succeeded" for d in log) else None


async def test_two_500s_then_delivered_with_three_attempts_logged_and_a_replay(
    servers: tuple[str, str],
) -> None:
    writer, _ = servers
    org = fresh_org()
    with receiving() as receiver:
        receiver.statuses = [500, 500]
        async with httpx.AsyncClient(base_url=writer) as http:
            endpoint = await make_endpoint(http, org.admin, receiver.url, ["project.created"])
            await _writes(http, org)  # four events, one of the subscribed type
            log = await eventually(lambda: _all_done(http, org, endpoint["id"], 1))
            attempts = log[0]["attempts"]
            assert [a["status_code"] for a in attempts] == [500, 500, 200]
            assert [a["error"] for a in attempts] == ["HTTP 500", "HTTP 500", None]
            assert log[0]["event_type"] == "project.created"
            assert log[0]["next_attempt_at"] is None
            assert len({r.headers["webhook-id"] for r in receiver.requests}) == 1

            r = await http.post(
                f"/api/v1/webhooks/deliveries/{log[0]['id']}/replay", headers=org.admin
            )
            assert r.status_code == 202, r.text
            await eventually(lambda: len(receiver.requests) == 4)
            replayed = receiver.requests[-1]
            assert replayed.headers["webhook-id"] == receiver.requests[0].headers["webhook-id"]
            assert json.loads(replayed.body) == json.loads(receiver.requests[0].body)
            log = await eventually(lambda: _all_done(http, org, endpoint["id"], 1))
            assert len(log[0]["attempts"]) == 4


async def test_failing_endpoint_is_disabled_then_enabled_by_patch(
    servers: tuple[str, str],
) -> None:
    writer, _ = servers
    org = fresh_org()
    with receiving() as receiver:
        receiver.statuses = [500] * 100
        async with httpx.AsyncClient(base_url=writer) as http:
            endpoint = await make_endpoint(http, org.admin, receiver.url)
            url = f"/api/v1/webhooks/endpoints/{endpoint['id']}"
            for _ in range(4):
                await _writes(http, org)  # 16 events, each failing at once
            await eventually(lambda: _disabled(http, org, url), seconds=30)
            receiver.statuses = []
            r = await http.patch(url, json={"disabled": False}, headers=org.admin)
            assert r.status_code == 200 and r.json()["disabled"] is False, r.text
            # Events committed after it was disabled were not queued for it, and the 15
            # failures that disable it are attempts (retries count), so how many of the 16
            # were queued first depends on timing: at least one, at most all.
            queued = len(await deliveries(http, org.admin, endpoint["id"]))
            assert 1 <= queued <= 16
            log = await eventually(lambda: _all_done(http, org, endpoint["id"], queued), seconds=30)
            assert all(d["attempts"][-1]["status_code"] == 200 for d in log)
            assert any(len(d["attempts"]) > 1 for d in log)


async def _disabled(http: httpx.AsyncClient, org: Org, url: str) -> bool:
    return bool((await http.get(url, headers=org.admin)).json()["disabled"])
