"""Webhook endpoints over REST: admin only, validated, the secret shown once, event types."""

from __future__ import annotations

import httpx

from tests.api.helpers import assert_problem
from tests.conftest import Org

URL = "/api/v1/webhooks/endpoints"


async def test_endpoint_lifecycle_secret_once(client: httpx.AsyncClient, org: Org) -> None:
    r = await client.post(
        URL, json={"url": "https://example.com/hook", "event_types": ["project.updated"]},
        headers=org.admin,
    )  # fmt: skip
    assert r.status_code == 201, r.text
    made = r.json()
    assert made["secret"].startswith("whsec_") and len(made["secret"]) > 30
    assert r.headers["location"] == f"{URL}/{made['id']}"
    got = (await client.get(f"{URL}/{made['id']}", headers=org.admin)).json()
    assert "secret" not in got and got["event_types"] == ["project.updated"]
    listed = (await client.get(URL, headers=org.admin)).json()["items"]
    assert [e["id"] for e in listed] == [made["id"]] and "secret" not in listed[0]

    r = await client.patch(
        f"{URL}/{made['id']}", json={"event_types": [], "disabled": True}, headers=org.admin
    )
    assert r.status_code == 200 and r.json()["disabled"] is True and r.json()["version"] == 2
    assert (await client.get(f"{URL}/{made['id']}/deliveries", headers=org.admin)).json() == {
        "items": []
    }
    assert (await client.delete(f"{URL}/{made['id']}", headers=org.admin)).status_code == 204
    missing = await client.get(f"{URL}/{made['id']}", headers=org.admin)
    assert_problem(missing, 404, "not_found")


async def test_only_admins_and_only_their_organization(
    client: httpx.AsyncClient, org: Org, other_org: Org
) -> None:
    body = {"url": "https://example.com/hook"}
    assert_problem(await client.post(URL, json=body, headers=org.manager), 403, "forbidden")
    assert_problem(await client.get(URL, headers=org.manager), 403, "forbidden")
    made = (await client.post(URL, json=body, headers=org.admin)).json()
    foreign = await client.get(f"{URL}/{made['id']}", headers=other_org.admin)
    assert_problem(foreign, 404, "not_found")
    assert (await client.get(URL, headers=other_org.admin)).json() == {"items": []}


async def test_bad_urls_and_unknown_types_are_422(client: httpx.AsyncClient, org: Org) -> None:
    for url in ("ftp://example.com/x", "example.com/hook", "https://u:p@example.com/x"):
        r = await client.post(URL, json={"url": url}, headers=org.admin)
        assert_problem(r, 422, "validation_failed", "body.url")
    r = await client.post(
        URL, json={"url": "https://example.com/h", "event_types": ["project.exploded"]},
        headers=org.admin,
    )  # fmt: skip
    assert_problem(r, 422, "validation_failed", "body.event_types")


async def test_event_types_are_published(client: httpx.AsyncClient, org: Org) -> None:
    r = await client.get("/api/v1/webhooks/event-types", headers=org.viewer)
    types = r.json()["items"]
    assert {"project.created", "project.transitioned", "ledger_entry.posted"} <= set(types)
    assert all(t.count(".") == 1 for t in types)


async def test_patch_refuses_nulls(client: httpx.AsyncClient, org: Org) -> None:
    made = (await client.post(URL, json={"url": "https://example.com/h"}, headers=org.admin)).json()
    for field in ("url", "event_types", "disabled"):
        r = await client.patch(f"{URL}/{made['id']}", json={field: None}, headers=org.admin)
        assert_problem(r, 422, "validation_failed", f"body.{field}")
