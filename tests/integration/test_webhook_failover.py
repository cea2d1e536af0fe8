"""A process stopped while it holds a delivery: another process sends it once the lease ends."""

from __future__ import annotations

import threading
import uuid
from typing import Any

import httpx

from tests.conftest import Org
from tests.integration.live_helpers import serving
from tests.integration.webhook_helpers import deliveries, eventually, make_endpoint, receiving

ENV = {
    "CHARTER_WEBHOOK_RETRY_SCALE": "0.002",
    "CHARTER_WEBHOOK_POLL_SECONDS": "0.1",
    "CHARTER_WEBHOOK_LEASE_SECONDS": "2",
}


async def test_a_stopped_process_pending_delivery_is_sent_by_another(
    server_url: str, engine: Any
) -> None:
    org = Org(f"org-{uuid.uuid4().hex[:12]}")
    body = {"key": "FO" + uuid.uuid4().hex[:6].upper(), "name": "Failover",
            "business_area": "software_development", "currency": "EUR"}  # fmt: skip
    with receiving() as receiver:
        receiver.hold = threading.Event()  # the first process's request never gets an answer
        with serving(server_url, **ENV) as first:
            async with httpx.AsyncClient(base_url=first) as http:
                endpoint = await make_endpoint(http, org.admin, receiver.url)
                made = await http.post("/api/v1/projects", json=body, headers=org.manager)
                assert made.status_code == 201, made.text
                await eventually(lambda: len(receiver.requests) == 1)
        # stopped mid-request: nothing recorded, the delivery still pending under its lease
        receiver.hold.set()
        receiver.hold = None
        with serving(server_url, **ENV) as second:
            async with httpx.AsyncClient(base_url=second) as http:

                async def done() -> list[dict[str, Any]] | None:
                    log = await deliveries(http, org.admin, endpoint["id"])
                    return log if log and log[0]["status"] == "succeeded" else None

                log = await eventually(done)
    assert len(log) == 1 and [a["status_code"] for a in log[0]["attempts"]] == [200]
    assert len(receiver.requests) == 2
    ids = {r.headers["webhook-id"] for r in receiver.requests}
    assert ids == {log[0]["event_id"]}  # the same webhook-id: the receiver can dedupe
