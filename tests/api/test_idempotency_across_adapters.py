"""One idempotency key, one command, whichever adapter sends it (real stack, real PostgreSQL).

A key is bound to the domain command, not to REST's path and body or GraphQL's mutation
and input: the same command sent over REST and then over GraphQL (or the other way
round) with one key runs once, and the second call answers with the first result, in
its own adapter's shape. Another command with the key is refused on both adapters.
"""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import httpx
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from tests.api.helpers import assert_problem, gql, make_project, unique_key
from tests.conftest import Org

CREATE_PROJECT = """mutation($i: CreateProjectInput!) {
  createProject(input: $i) { project { id key name version } userErrors { field code message } }
}"""
POST_ENTRY = """mutation($i: PostLedgerEntryInput!) {
  postLedgerEntry(input: $i) { entry { id amount kind } userErrors { field code message } }
}"""
REVERSE_ENTRY = """mutation($i: ReverseLedgerEntryInput!) {
  reverseLedgerEntry(input: $i) { entry { id amount reverses } userErrors { field code } }
}"""
CREATE_RISK = """mutation($i: CreateRiskInput!) {
  createRisk(input: $i) { risk { id title score version } userErrors { field code message } }
}"""
CREATE_OBJECTIVE = """mutation($i: CreateObjectiveInput!) {
  createObjective(input: $i) { objective { id } userErrors { field code } }
}"""
ENTRIES = """query($id: ID!) { project(id: $id) { ledgerEntries { totalCount } } }"""
REUSED = {"field": "idempotencyKey", "code": "IDEMPOTENCY_KEY_REUSED"}


def _key() -> str:
    return f"K-{uuid.uuid4().hex}"


def _keyed(headers: dict[str, str], key: str) -> dict[str, str]:
    return {**headers, "Idempotency-Key": key}


def _errors(payload: dict[str, Any]) -> list[dict[str, str]]:
    return [{"field": e["field"], "code": e["code"]} for e in payload["userErrors"]]


async def _projects_named(client: httpx.AsyncClient, org: Org, key: str) -> list[dict[str, Any]]:
    r = await client.get("/api/v1/projects", params={"q": key}, headers=org.viewer)
    assert r.status_code == 200, r.text
    return [p for p in r.json()["items"] if p["key"] == key]


async def _entries(client: httpx.AsyncClient, org: Org, project_id: str) -> int:
    data = await gql(client, ENTRIES, org.viewer, id=project_id)
    return int(data["data"]["project"]["ledgerEntries"]["totalCount"])


async def _risks(client: httpx.AsyncClient, org: Org, project_id: str) -> list[str]:
    r = await client.get(f"/api/v1/projects/{project_id}/risks", headers=org.viewer)
    assert r.status_code == 200, r.text
    return [risk["id"] for risk in r.json()["items"]]


def _assert_rest_replay(replay: httpx.Response, first_id: str, version: int) -> None:
    assert replay.status_code == 201, replay.text
    assert replay.headers["idempotent-replayed"] == "true"
    assert replay.json()["id"] == first_id
    assert replay.headers["etag"] == f'"{version}"'


# --- projects ------------------------------------------------------------------------------


def _project_body(key: str, name: str = "Shared key") -> dict[str, Any]:
    return {"key": key, "name": name, "business_area": "other", "currency": "EUR"}


def _project_input(key: str, idem: str, name: str = "Shared key") -> dict[str, Any]:
    return {
        "key": key, "name": name, "businessArea": "OTHER", "currency": "EUR",
        "idempotencyKey": idem,
    }  # fmt: skip


async def test_a_project_created_over_rest_is_replayed_over_graphql(
    client: httpx.AsyncClient, org: Org
) -> None:
    project_key, idem = unique_key(), _key()
    r = await client.post(
        "/api/v1/projects", json=_project_body(project_key), headers=_keyed(org.manager, idem)
    )
    assert r.status_code == 201, r.text
    assert "idempotent-replayed" not in r.headers
    again = await gql(client, CREATE_PROJECT, org.manager, i=_project_input(project_key, idem))
    payload = again["data"]["createProject"]
    assert payload["userErrors"] == []
    assert payload["project"] == {
        "id": r.json()["id"], "key": project_key, "name": "Shared key", "version": 1,
    }  # fmt: skip
    assert len(await _projects_named(client, org, project_key)) == 1
    # And REST again: the same answer, headers included.
    replay = await client.post(
        "/api/v1/projects", json=_project_body(project_key), headers=_keyed(org.manager, idem)
    )
    _assert_rest_replay(replay, r.json()["id"], 1)
    assert replay.json() == r.json()
    assert replay.headers["location"] == r.headers["location"]


async def test_a_project_created_over_graphql_is_replayed_over_rest(
    client: httpx.AsyncClient, org: Org
) -> None:
    project_key, idem = unique_key(), _key()
    first = await gql(client, CREATE_PROJECT, org.manager, i=_project_input(project_key, idem))
    created = first["data"]["createProject"]["project"]
    replay = await client.post(
        "/api/v1/projects", json=_project_body(project_key), headers=_keyed(org.manager, idem)
    )
    _assert_rest_replay(replay, created["id"], created["version"])
    assert replay.headers["location"] == f"/api/v1/projects/{created['id']}"
    # The replayed body is the one a first REST call would have answered.
    fresh = await client.get(f"/api/v1/projects/{created['id']}", headers=org.viewer)
    assert replay.json() == fresh.json()
    assert len(await _projects_named(client, org, project_key)) == 1


async def test_another_project_command_with_the_key_is_refused_on_both_adapters(
    client: httpx.AsyncClient, org: Org
) -> None:
    project_key, idem = unique_key(), _key()
    r = await client.post(
        "/api/v1/projects", json=_project_body(project_key), headers=_keyed(org.manager, idem)
    )
    assert r.status_code == 201, r.text
    other_name = await gql(
        client, CREATE_PROJECT, org.manager, i=_project_input(project_key, idem, "Renamed")
    )
    assert other_name["data"]["createProject"]["project"] is None
    assert _errors(other_name["data"]["createProject"]) == [REUSED]
    other_operation = await gql(
        client, CREATE_OBJECTIVE, org.manager, i={"projectId": r.json()["id"], "name": "O",
                                                  "idempotencyKey": idem},
    )  # fmt: skip
    assert _errors(other_operation["data"]["createObjective"]) == [REUSED]
    over_rest = await client.post(
        "/api/v1/projects",
        json=_project_body(project_key, "Renamed"),
        headers=_keyed(org.manager, idem),
    )
    assert_problem(over_rest, 422, "idempotency_key_reused", "header.idempotency-key")
    # The reverse: a key first used over GraphQL.
    second_key, idem2 = unique_key(), _key()
    first = await gql(client, CREATE_PROJECT, org.manager, i=_project_input(second_key, idem2))
    assert first["data"]["createProject"]["userErrors"] == []
    refused = await client.post(
        "/api/v1/projects",
        json=_project_body(second_key, "Renamed"),
        headers=_keyed(org.manager, idem2),
    )
    assert_problem(refused, 422, "idempotency_key_reused", "header.idempotency-key")
    again = await gql(
        client, CREATE_PROJECT, org.manager, i=_project_input(second_key, idem2, "Renamed")
    )
    assert _errors(again["data"]["createProject"]) == [REUSED]
    assert len(await _projects_named(client, org, project_key)) == 1
    assert len(await _projects_named(client, org, second_key)) == 1


# --- ledger postings -----------------------------------------------------------------------


def _entry_body(amount: str = "1000.00") -> dict[str, Any]:
    return {"kind": "budget", "category": "labour", "amount": amount, "occurred_on": "2027-01-04"}


def _entry_input(project_id: str, idem: str, amount: str = "1000.00") -> dict[str, Any]:
    return {
        "projectId": project_id, "kind": "BUDGET", "category": "LABOUR", "amount": amount,
        "occurredOn": "2027-01-04", "idempotencyKey": idem,
    }  # fmt: skip


async def test_a_posting_made_over_rest_is_replayed_over_graphql_and_back(
    client: httpx.AsyncClient, org: Org
) -> None:
    project = await make_project(client, org)
    url = f"/api/v1/projects/{project['id']}/ledger/entries"
    idem = _key()
    r = await client.post(url, json=_entry_body(), headers=_keyed(org.manager, idem))
    assert r.status_code == 201, r.text
    # The same amount spelt "1000.0" is the same command (a decimal is its value).
    again = await gql(
        client, POST_ENTRY, org.manager, i=_entry_input(project["id"], idem, "1000.0")
    )
    payload = again["data"]["postLedgerEntry"]
    assert payload["userErrors"] == []
    assert payload["entry"]["id"] == r.json()["id"]
    assert await _entries(client, org, project["id"]) == 1
    # GraphQL first, then REST.
    idem2 = _key()
    first = await gql(client, POST_ENTRY, org.manager, i=_entry_input(project["id"], idem2, "7.5"))
    entry = first["data"]["postLedgerEntry"]["entry"]
    replay = await client.post(url, json=_entry_body("7.50"), headers=_keyed(org.manager, idem2))
    assert replay.status_code == 201, replay.text
    assert replay.headers["idempotent-replayed"] == "true"
    assert replay.json()["id"] == entry["id"]
    assert replay.headers["location"] == f"{url}/{entry['id']}"
    fresh = await client.get(f"{url}/{entry['id']}", headers=org.viewer)
    assert replay.json() == fresh.json()
    assert await _entries(client, org, project["id"]) == 2


async def test_another_posting_with_the_key_is_refused_on_both_adapters(
    client: httpx.AsyncClient, org: Org
) -> None:
    project = await make_project(client, org)
    url = f"/api/v1/projects/{project['id']}/ledger/entries"
    idem = _key()
    r = await client.post(url, json=_entry_body(), headers=_keyed(org.manager, idem))
    assert r.status_code == 201, r.text
    other = await gql(
        client, POST_ENTRY, org.manager, i=_entry_input(project["id"], idem, "1000.01")
    )
    assert other["data"]["postLedgerEntry"]["entry"] is None
    assert _errors(other["data"]["postLedgerEntry"]) == [REUSED]
    refused = await client.post(url, json=_entry_body("999.00"), headers=_keyed(org.manager, idem))
    assert_problem(refused, 422, "idempotency_key_reused", "header.idempotency-key")
    # The same posting into another project is another command.
    elsewhere = await make_project(client, org)
    moved = await gql(client, POST_ENTRY, org.manager, i=_entry_input(elsewhere["id"], idem))
    assert _errors(moved["data"]["postLedgerEntry"]) == [REUSED]
    # The reverse: GraphQL first.
    idem2 = _key()
    await gql(client, POST_ENTRY, org.manager, i=_entry_input(project["id"], idem2))
    refused = await client.post(url, json=_entry_body("2.00"), headers=_keyed(org.manager, idem2))
    assert_problem(refused, 422, "idempotency_key_reused", "header.idempotency-key")
    assert await _entries(client, org, project["id"]) == 2
    assert await _entries(client, org, elsewhere["id"]) == 0


async def test_a_reversal_is_keyed_by_its_entry_whichever_way_the_adapter_names_it(
    client: httpx.AsyncClient, org: Org
) -> None:
    """REST names the entry under its project, GraphQL by its id alone: one command."""
    project = await make_project(client, org)
    url = f"/api/v1/projects/{project['id']}/ledger/entries"
    posted = await client.post(url, json=_entry_body(), headers=org.manager)
    entry_id = posted.json()["id"]
    idem = _key()
    reversal = await client.post(
        f"{url}/{entry_id}/reversal", json={"reason": "typo"}, headers=_keyed(org.manager, idem)
    )
    assert reversal.status_code == 201, reversal.text
    again = await gql(
        client,
        REVERSE_ENTRY,
        org.manager,
        i={"id": entry_id, "reason": "typo", "idempotencyKey": idem},
    )
    assert again["data"]["reverseLedgerEntry"]["userErrors"] == []
    assert again["data"]["reverseLedgerEntry"]["entry"]["id"] == reversal.json()["id"]
    # Named under another project, the entry is not found there: 404, not a replay.
    other = await make_project(client, org)
    wrong = await client.post(
        f"/api/v1/projects/{other['id']}/ledger/entries/{entry_id}/reversal",
        json={"reason": "typo"},
        headers=_keyed(org.manager, idem),
    )
    assert_problem(wrong, 404, "not_found")
    assert await _entries(client, org, project["id"]) == 2


# --- risks ---------------------------------------------------------------------------------


def _risk_body(title: str = "Vendor slips") -> dict[str, Any]:
    return {
        "title": title, "category": "technical", "probability": 3, "impact": 4,
        "response": "mitigate", "review_on": "2027-03-01", "cost_impact": "5000",
    }  # fmt: skip


def _risk_input(project_id: str, idem: str, title: str = "Vendor slips") -> dict[str, Any]:
    return {
        "projectId": project_id, "title": title, "category": "TECHNICAL", "probability": 3,
        "impact": 4, "response": "MITIGATE", "reviewOn": "2027-03-01", "costImpact": "5000.00",
        "idempotencyKey": idem,
    }  # fmt: skip


async def test_a_risk_raised_over_rest_is_replayed_over_graphql_and_back(
    client: httpx.AsyncClient, org: Org
) -> None:
    project = await make_project(client, org)
    url = f"/api/v1/projects/{project['id']}/risks"
    idem = _key()
    r = await client.post(url, json=_risk_body(), headers=_keyed(org.member, idem))
    assert r.status_code == 201, r.text
    again = await gql(client, CREATE_RISK, org.member, i=_risk_input(project["id"], idem))
    payload = again["data"]["createRisk"]
    assert payload["userErrors"] == []
    assert payload["risk"] == {
        "id": r.json()["id"], "title": "Vendor slips", "score": 12, "version": r.json()["version"],
    }  # fmt: skip
    assert await _risks(client, org, project["id"]) == [r.json()["id"]]
    # GraphQL first, then REST.
    idem2 = _key()
    first = await gql(client, CREATE_RISK, org.member, i=_risk_input(project["id"], idem2, "B"))
    risk = first["data"]["createRisk"]["risk"]
    replay = await client.post(url, json=_risk_body("B"), headers=_keyed(org.member, idem2))
    _assert_rest_replay(replay, risk["id"], risk["version"])
    assert replay.headers["location"] == f"{url}/{risk['id']}"
    fresh = await client.get(f"{url}/{risk['id']}", headers=org.viewer)
    assert replay.json() == fresh.json()
    assert sorted(await _risks(client, org, project["id"])) == sorted([r.json()["id"], risk["id"]])


async def test_another_risk_with_the_key_is_refused_on_both_adapters(
    client: httpx.AsyncClient, org: Org
) -> None:
    project = await make_project(client, org)
    url = f"/api/v1/projects/{project['id']}/risks"
    idem = _key()
    r = await client.post(url, json=_risk_body(), headers=_keyed(org.member, idem))
    assert r.status_code == 201, r.text
    other = await gql(client, CREATE_RISK, org.member, i=_risk_input(project["id"], idem, "Other"))
    assert _errors(other["data"]["createRisk"]) == [REUSED]
    refused = await client.post(url, json=_risk_body("Other"), headers=_keyed(org.member, idem))
    assert_problem(refused, 422, "idempotency_key_reused", "header.idempotency-key")
    idem2 = _key()
    await gql(client, CREATE_RISK, org.member, i=_risk_input(project["id"], idem2))
    refused = await client.post(url, json=_risk_body("Other"), headers=_keyed(org.member, idem2))
    assert_problem(refused, 422, "idempotency_key_reused", "header.idempotency-key")
    assert len(await _risks(client, org, project["id"])) == 2


async def test_a_replay_across_adapters_needs_the_same_rights_and_the_same_organization(
    client: httpx.AsyncClient, org: Org, other_org: Org
) -> None:
    project = await make_project(client, org)
    url = f"/api/v1/projects/{project['id']}/ledger/entries"
    idem = _key()
    r = await client.post(url, json=_entry_body(), headers=_keyed(org.manager, idem))
    assert r.status_code == 201, r.text
    # A viewer sending the manager's key and command gets the viewer's answer.
    viewer = await gql(client, POST_ENTRY, org.viewer, i=_entry_input(project["id"], idem))
    assert viewer["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    # Another organization's key space is its own: the key is free there.
    theirs = await make_project(client, other_org)
    posted = await gql(client, POST_ENTRY, other_org.manager, i=_entry_input(theirs["id"], idem))
    assert posted["data"]["postLedgerEntry"]["userErrors"] == []
    assert posted["data"]["postLedgerEntry"]["entry"]["id"] != r.json()["id"]
    assert await _entries(client, org, project["id"]) == 1


async def test_one_key_sent_over_both_adapters_at_once_posts_one_entry(
    client: httpx.AsyncClient, org: Org
) -> None:
    project = await make_project(client, org)
    url = f"/api/v1/projects/{project['id']}/ledger/entries"
    idem = _key()
    over_rest = [
        client.post(url, json=_entry_body(), headers=_keyed(org.manager, idem)) for _ in range(5)
    ]
    over_graphql = [
        client.post(
            "/graphql",
            json={"query": POST_ENTRY, "variables": {"i": _entry_input(project["id"], idem)}},
            headers=org.manager,
        )
        for _ in range(5)
    ]
    answers = await asyncio.gather(*(a for pair in zip(over_rest, over_graphql) for a in pair))
    ids = set()
    for answer in answers:
        assert answer.status_code in (200, 201), answer.text
        body = answer.json()
        if answer.status_code == 201:
            ids.add(body["id"])
        else:
            assert body["data"]["postLedgerEntry"]["userErrors"] == [], body
            ids.add(body["data"]["postLedgerEntry"]["entry"]["id"])
    assert len(ids) == 1
    assert await _entries(client, org, project["id"]) == 1


async def test_a_key_stored_before_the_command_scheme_is_refused_until_it_expires(
    client: httpx.AsyncClient, org: Org, engine: AsyncEngine
) -> None:
    """Rows from before keys were bound to commands (REST's method/path/body hash and its
    JSON answer) are neither replayed nor overwritten: a retry within their 24 hours is
    refused, never run twice; an expired one is free again."""
    project = await make_project(client, org)
    url = f"/api/v1/projects/{project['id']}/ledger/entries"
    async with engine.begin() as conn:
        for key, hours in (("old-fresh", 1), ("old-expired", 25)):
            await conn.execute(
                text(
                    "INSERT INTO idempotency_keys (org_id, key, request_hash, status_code,"
                    " response_body, location, created_at) VALUES (:org, :key, :hash, 201,"
                    " '{}', '/api/v1/x', now() - make_interval(hours => :hours))"
                ),
                {"org": org.id, "key": key, "hash": "0" * 64, "hours": hours},
            )
    refused = await client.post(url, json=_entry_body(), headers=_keyed(org.manager, "old-fresh"))
    body = assert_problem(refused, 422, "idempotency_key_reused", "header.idempotency-key")
    assert "before an upgrade" in body["errors"][0]["message"]
    over_graphql = await gql(
        client, POST_ENTRY, org.manager, i=_entry_input(project["id"], "old-fresh")
    )
    assert _errors(over_graphql["data"]["postLedgerEntry"]) == [REUSED]
    assert await _entries(client, org, project["id"]) == 0
    posted = await client.post(url, json=_entry_body(), headers=_keyed(org.manager, "old-expired"))
    assert posted.status_code == 201, posted.text
    again = await gql(client, POST_ENTRY, org.manager, i=_entry_input(project["id"], "old-expired"))
    assert again["data"]["postLedgerEntry"]["entry"]["id"] == posted.json()["id"]
    assert await _entries(client, org, project["id"]) == 1


async def test_a_key_with_a_nul_or_control_character_is_a_422_on_both_adapters(
    app: Any, client: httpx.AsyncClient, org: Org
) -> None:
    project = await make_project(client, org)
    body = (
        b'{"kind": "budget", "category": "labour", "amount": "5.00", "occurred_on": "2026-01-01"}'
    )
    path = f"/api/v1/projects/{project['id']}/ledger/entries"
    auth = org.admin["Authorization"].encode()
    for key in (b"a\x00b", b"a\tb", b"\x1b[31m"):
        # Raw ASGI: an HTTP client refuses to send such a header, a proxy might not.
        sent: list[dict[str, Any]] = []
        scope = {
            "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1",
            "method": "POST", "scheme": "http", "path": path, "raw_path": path.encode(),
            "query_string": b"", "root_path": "", "client": ("127.0.0.1", 1),
            "server": ("test", 80),
            "headers": [(b"host", b"test"), (b"authorization", auth),
                        (b"content-type", b"application/json"),
                        (b"content-length", str(len(body)).encode()),
                        (b"idempotency-key", key)],
        }  # fmt: skip

        async def receive() -> dict[str, Any]:
            return {"type": "http.request", "body": body, "more_body": False}

        async def send(message: dict[str, Any], sent: list[dict[str, Any]] = sent) -> None:
            sent.append(message)

        await app(scope, receive, send)
        assert sent[0]["status"] == 422, (key, sent)
        assert b"header.idempotency-key" in b"".join(m.get("body", b"") for m in sent[1:])
    g = await gql(
        client, POST_ENTRY, org.admin,
        i={"projectId": project["id"], "kind": "BUDGET", "category": "LABOUR",
           "amount": "5.00", "occurredOn": "2026-01-01", "idempotencyKey": "a\tb"},
    )  # fmt: skip
    assert g["data"]["postLedgerEntry"]["userErrors"][0]["field"] == "idempotencyKey", g
    entries = await client.get(path, headers=org.viewer)
    assert entries.json()["items"] == []
