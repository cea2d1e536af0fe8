"""GraphQL subscriptions across instances: two `charter serve` processes on one database.

Writes go through the first process; a subscriber on the second receives them, in
seq order, through PostgreSQL's NOTIFY doorbell (no shared memory between them).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from websockets.exceptions import ConnectionClosed

from tests.conftest import Org, token
from tests.integration.live_helpers import ORG_QUERY, PROJECT_QUERY, Subscriber, serving


@pytest.fixture(scope="module")
def servers(server_url: str, engine: Any) -> Iterator[tuple[str, str]]:
    """(writer, reader): the reader closes idle connections after 2 s, allows 2 subscriptions."""
    with (
        serving(server_url) as writer,
        serving(
            server_url, CHARTER_WS_IDLE_SECONDS="2", CHARTER_WS_MAX_SUBSCRIPTIONS="2"
        ) as reader,
    ):
        yield writer, reader


def fresh_org() -> Org:
    return Org(f"org-{uuid.uuid4().hex[:12]}")


async def _writes(http: httpx.AsyncClient, org: Org) -> dict[str, Any]:
    """Four kinds of change through the writer: REST, GraphQL, a posting, a transition."""
    r = await http.post(
        "/api/v1/projects",
        json={"key": "LV" + uuid.uuid4().hex[:6].upper(), "name": "Live",
              "business_area": "software_development", "currency": "EUR"},
        headers=org.manager,
    )  # fmt: skip
    assert r.status_code == 201, r.text
    project = r.json()
    mutation = """mutation($input: UpdateProjectInput!) {
        updateProject(input: $input) { userErrors { code } } }"""
    g = await http.post(
        "/graphql",
        json={"query": mutation, "variables": {"input": {"id": project["id"], "name": "Live 2"}}},
        headers=org.manager,
    )
    assert g.status_code == 200 and not g.json()["data"]["updateProject"]["userErrors"], g.text
    p = await http.post(
        f"/api/v1/projects/{project['id']}/ledger/entries",
        json={"kind": "budget", "category": "labour", "amount": "100.00",
              "occurred_on": "2026-01-15"},
        headers=org.manager,
    )  # fmt: skip
    assert p.status_code == 201, p.text
    t = await http.post(
        f"/api/v1/projects/{project['id']}/transitions",
        json={"to": "planning", "force": True, "reason": "live test"},
        headers=org.admin,
    )
    assert t.status_code == 200, t.text
    return dict(project)


TYPES = ["project.created", "project.updated", "ledger_entry.posted", "project.transitioned"]


async def test_a_subscriber_on_another_instance_gets_each_change_in_order(
    servers: tuple[str, str],
) -> None:
    writer, reader = servers
    org, other = fresh_org(), fresh_org()
    sub = await Subscriber.open(reader, token(org.id, "viewer"))
    await sub.acked()
    await sub.subscribe("1", ORG_QUERY, after=0)
    async with httpx.AsyncClient(base_url=writer) as http:
        await _writes(http, other)  # another organization's changes never reach this one
        project = await _writes(http, org)
    got = await sub.events(4)
    assert [e["type"] for e in got] == TYPES
    assert [e["seq"] for e in got] == [1, 2, 3, 4]
    assert {e["org"] for e in got} == {org.id}
    assert {e["projectId"] for e in got} == {project["id"]}
    assert got[0]["subject"] == {"type": "project", "id": project["id"]}
    await sub.close()


async def test_a_reconnecting_subscriber_gets_what_it_missed_from_after_seq(
    servers: tuple[str, str],
) -> None:
    writer, reader = servers
    org = fresh_org()
    async with httpx.AsyncClient(base_url=writer) as http:
        first = await Subscriber.open(reader, token(org.id, "viewer"))
        await first.acked()
        await first.subscribe("1", ORG_QUERY, after=0)
        await _writes(http, org)
        seen = await first.events(2)
        await first.close()  # gone after seq 2; the rest and more commit meanwhile
        await _writes(http, org)
    again = await Subscriber.open(reader, token(org.id, "viewer"))
    await again.acked()
    await again.subscribe("1", ORG_QUERY, after=seen[-1]["seq"])
    missed = await again.events(6)
    assert [e["seq"] for e in missed] == [3, 4, 5, 6, 7, 8]
    assert [e["type"] for e in missed] == TYPES[2:] + TYPES
    await again.close()


async def test_a_project_subscription_gets_that_project_only_and_a_foreign_one_is_missing(
    servers: tuple[str, str],
) -> None:
    writer, reader = servers
    org, other = fresh_org(), fresh_org()
    async with httpx.AsyncClient(base_url=writer) as http:
        mine = await _writes(http, org)
        foreign = await _writes(http, other)
        await _writes(http, org)  # another project of the same organization
    sub = await Subscriber.open(reader, token(org.id, "viewer"))
    await sub.acked()
    await sub.subscribe("1", PROJECT_QUERY, project=mine["id"], after=0)
    got = await sub.events(4)
    assert {e["projectId"] for e in got} == {mine["id"]}
    assert [e["seq"] for e in got] == [1, 2, 3, 4]
    answers = []
    for i, project_id in (("2", foreign["id"]), ("3", str(uuid.uuid4()))):
        await sub.subscribe(i, PROJECT_QUERY, project=project_id, after=0)
        message = await sub.receive()
        assert message["id"] == i and message["type"] == "next", message
        answers.append(message["payload"])
        assert (await sub.receive()) == {"id": i, "type": "complete"}
    assert answers[0] == answers[1]  # a foreign project looks exactly like a missing one
    assert answers[0]["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    # Errors over WebSocket carry the connection's request id, as over HTTP their request's.
    request_id = answers[0]["errors"][0]["extensions"]["requestId"]
    assert request_id
    await sub.subscribe("4", "subscription { noSuchField }")
    invalid = await sub.receive()
    assert invalid["type"] == "error" and invalid["id"] == "4", invalid
    assert invalid["payload"][0]["extensions"] == {
        "code": "GRAPHQL_VALIDATION_FAILED",
        "requestId": request_id,
    }
    await sub.close()


async def test_bad_or_expired_tokens_are_closed_with_4401(servers: tuple[str, str]) -> None:
    _, reader = servers
    org = fresh_org()
    for bad in (None, "not-a-jwt", token(org.id, "viewer", ttl=-60)):
        sub = await Subscriber.open(reader, bad)
        with pytest.raises(ConnectionClosed) as closed:
            await sub.receive()
        assert closed.value.rcvd is not None and closed.value.rcvd.code == 4401


async def test_a_subscription_ends_with_4401_when_its_token_expires(
    servers: tuple[str, str],
) -> None:
    _, reader = servers  # rechecks every 0.5 s (idle 2 s / 4)
    org = fresh_org()
    sub = await Subscriber.open(reader, token(org.id, "viewer", ttl=3))
    await sub.acked()
    await sub.subscribe("1", ORG_QUERY, after=0)
    with pytest.raises(ConnectionClosed) as closed:
        while True:  # no events in a fresh organization: the next thing is the close
            await sub.receive(within=15)
    assert closed.value.rcvd is not None and closed.value.rcvd.code == 4401


async def test_a_token_without_a_reading_role_is_closed_with_4403(
    servers: tuple[str, str],
) -> None:
    _, reader = servers
    sub = await Subscriber.open(reader, token(fresh_org().id, "auditor"))  # no role we know
    with pytest.raises(ConnectionClosed) as closed:
        await sub.receive()
    assert closed.value.rcvd is not None and closed.value.rcvd.code == 4403


async def test_limits_subscriptions_per_connection_and_idle_connections(
    servers: tuple[str, str],
) -> None:
    _, reader = servers
    org = fresh_org()
    sub = await Subscriber.open(reader, token(org.id, "viewer"))
    await sub.acked()
    for i in ("1", "2", "3"):
        await sub.subscribe(i, ORG_QUERY, after=0)
    message = await sub.receive()
    assert message["type"] == "error" and message["id"] == "3", message
    assert message["payload"][0]["extensions"]["code"] == "TOO_MANY_SUBSCRIPTIONS"
    await sub.close()

    idle = await Subscriber.open(reader, token(org.id, "viewer"))
    await idle.acked()  # and never subscribes
    with pytest.raises(ConnectionClosed) as closed:
        await idle.receive(within=15)
    assert closed.value.rcvd is not None and closed.value.rcvd.code == 4408
