"""Bad input through the real stack: a clear 422/409/412 problem naming the field, never a 500,
and never a change to stored data."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest

from tests.api.helpers import assert_problem, make_project, unique_key
from tests.conftest import Org

VALID = {"name": "Payroll", "business_area": "information_systems", "currency": "EUR"}


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"key": "lower"}, "body.key"),
        ({"key": "ABCDEFGHIJK"}, "body.key"),
        ({"key": "1ABC"}, "body.key"),
        ({"key": "A"}, "body.key"),
        ({"key": "OK", "currency": "XYZ"}, "body.currency"),
        ({"key": "OK", "currency": "eur"}, "body.currency"),
        ({"key": "OK", "business_area": "gardening"}, "body.business_area"),
        ({"key": "OK", "name": "n" * 201}, "body.name"),
        ({"key": "OK", "name": ""}, "body.name"),
        ({"key": "OK", "description": "d" * 10_001}, "body.description"),
        (
            {"key": "OK", "start_date": "2026-05-01", "target_end_date": "2026-04-30"},
            "body.target_end_date",
        ),
        ({"key": "OK", "start_date": "2026-02-30"}, "body.start_date"),
        ({"key": "OK", "sponsor_id": "not-a-uuid"}, "body.sponsor_id"),
        ({"key": "OK", "id": "00000000-0000-4000-8000-000000000000"}, "body.id"),
        ({"key": "OK", "version": 7}, "body.version"),
        ({"key": "OK", "phase": "execution"}, "body.phase"),
        ({"key": "OK", "colour": "blue"}, "body.colour"),
        ({"key": 42}, "body.key"),
    ],
)
async def test_invalid_project_creation_is_a_422_naming_the_field(
    client: httpx.AsyncClient, org: Org, body: dict[str, Any], field: str
) -> None:
    payload = {**VALID, **body}
    r = await client.post("/api/v1/projects", headers=org.manager, json=payload)
    assert_problem(r, 422, "validation_failed", field)
    assert (await client.get("/api/v1/projects", headers=org.viewer)).json()["items"] == []


@pytest.mark.parametrize(
    ("patch", "field"),
    [
        ({"version": 9}, "body.version"),
        ({"phase": "closed"}, "body.phase"),
        ({"id": "00000000-0000-4000-8000-000000000000"}, "body.id"),
        ({"key": "bad key"}, "body.key"),
        ({"name": None}, "body.name"),
        ({"currency": "ZZZ"}, "body.currency"),
        ({"target_end_date": "2020-01-01"}, "body.target_end_date"),
        ({"business_area": "SOFTWARE"}, "body.business_area"),
    ],
)
async def test_invalid_updates_change_nothing(
    client: httpx.AsyncClient, org: Org, patch: dict[str, Any], field: str
) -> None:
    project = await make_project(client, org, start_date="2026-01-01")
    url = f"/api/v1/projects/{project['id']}"
    r = await client.patch(url, headers=org.manager, json=patch)
    assert_problem(r, 422, "validation_failed", field)
    assert (await client.get(url, headers=org.viewer)).json() == project


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/projects/not-a-uuid",
        "/api/v1/projects/123/gate",
        "/api/v1/people/%20",
        "/api/v1/projects/x/activity",
    ],
)
async def test_malformed_ids_in_paths_are_422(
    client: httpx.AsyncClient, org: Org, path: str
) -> None:
    r = await client.get(path, headers=org.viewer)
    assert_problem(r, 422, "validation_failed")
    assert r.json()["errors"][0]["field"].startswith("path.")


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"limit": 0}, "query.limit"),
        ({"limit": 101}, "query.limit"),
        ({"limit": "ten"}, "query.limit"),
        ({"cursor": "%%%"}, "query.cursor"),
        ({"cursor": "WyJhIl0"}, "query.cursor"),  # a valid base64 JSON list of the wrong shape
        ({"sort": "password"}, "query.sort"),
        ({"phase": "limbo"}, "query.phase"),
    ],
)
async def test_bad_list_parameters_are_422(
    client: httpx.AsyncClient, org: Org, params: dict[str, Any], field: str
) -> None:
    r = await client.get("/api/v1/projects", headers=org.viewer, params=params)
    assert_problem(r, 422, "validation_failed", field)


async def test_malformed_json_is_400_and_non_object_bodies_are_422(
    client: httpx.AsyncClient, org: Org
) -> None:
    headers = {**org.manager, "Content-Type": "application/json"}
    assert_problem(
        await client.post("/api/v1/projects", headers=headers, content=b"{"),
        400,
        "malformed_json",
    )
    assert_problem(
        await client.post("/api/v1/projects", headers=headers, content=b"[]"),
        422,
        "validation_failed",
    )
    assert_problem(
        await client.post("/api/v1/projects", headers=headers, content=b""),
        422,
        "validation_failed",
    )


async def test_oversized_bodies_are_refused_before_parsing(
    client: httpx.AsyncClient, org: Org
) -> None:
    huge = {**VALID, "key": "BIG", "description": "x" * 2_000_000}
    r = await client.post("/api/v1/projects", headers=org.manager, json=huge)
    assert_problem(r, 413, "payload_too_large")
    assert (await client.get("/api/v1/projects", headers=org.viewer)).json()["items"] == []

    async def chunks() -> Any:  # no Content-Length: the limit is enforced while streaming
        for _ in range(40):
            yield b" " * 50_000
        yield b"{}"

    streamed = await client.post(
        "/api/v1/projects",
        headers={**org.manager, "Content-Type": "application/json"},
        content=chunks(),
    )
    assert_problem(streamed, 413, "payload_too_large")


async def test_a_stale_or_malformed_if_match_is_412_and_changes_nothing(
    client: httpx.AsyncClient, org: Org
) -> None:
    project = await make_project(client, org)
    url = f"/api/v1/projects/{project['id']}"
    for tag in ('"0"', '"2"', "garbage", 'W/"5"'):
        r = await client.patch(
            url, headers={**org.manager, "If-Match": tag}, json={"name": "Changed"}
        )
        assert_problem(r, 412, "version_conflict")
    weak_current = await client.patch(
        url, headers={**org.manager, "If-Match": 'W/"1"'}, json={"name": "Changed"}
    )
    assert weak_current.status_code == 200
    assert weak_current.headers["etag"] == '"2"'


async def test_invalid_transitions_are_409_and_leave_the_phase_alone(
    client: httpx.AsyncClient, org: Org
) -> None:
    project = await make_project(client, org)
    url = f"/api/v1/projects/{project['id']}/transitions"
    for to in ("execution", "closed", "on_hold", "initiation"):
        assert_problem(
            await client.post(url, headers=org.manager, json={"to": to}), 409, "invalid_transition"
        )
    assert_problem(
        await client.post(url, headers=org.manager, json={"to": "limbo"}), 422, "validation_failed"
    )
    current = await client.get(f"/api/v1/projects/{project['id']}", headers=org.viewer)
    assert current.json()["phase"] == "initiation"
    assert current.json()["version"] == 1


class TestIdempotency:
    async def test_the_same_key_and_body_replays_the_first_response(
        self, client: httpx.AsyncClient, org: Org
    ) -> None:
        body = {**VALID, "key": unique_key()}
        headers = {**org.manager, "Idempotency-Key": "create-payroll-1"}
        first = await client.post("/api/v1/projects", headers=headers, json=body)
        second = await client.post("/api/v1/projects", headers=headers, json=body)
        assert first.status_code == second.status_code == 201
        assert second.json() == first.json()
        assert second.headers["idempotent-replayed"] == "true"
        assert "idempotent-replayed" not in first.headers
        assert second.headers["location"] == first.headers["location"]
        listed = (await client.get("/api/v1/projects", headers=org.viewer)).json()["items"]
        assert len(listed) == 1

    async def test_reusing_a_key_with_another_body_is_422(
        self, client: httpx.AsyncClient, org: Org
    ) -> None:
        headers = {**org.manager, "Idempotency-Key": "k-1"}
        await client.post("/api/v1/projects", headers=headers, json={**VALID, "key": unique_key()})
        r = await client.post(
            "/api/v1/projects", headers=headers, json={**VALID, "key": unique_key()}
        )
        assert_problem(r, 422, "idempotency_key_reused", "header.idempotency-key")
        assert len((await client.get("/api/v1/projects", headers=org.viewer)).json()["items"]) == 1

    async def test_keys_are_scoped_per_organization(
        self, client: httpx.AsyncClient, org: Org, other_org: Org
    ) -> None:
        body = {**VALID, "key": unique_key()}
        a = await client.post(
            "/api/v1/projects", headers={**org.manager, "Idempotency-Key": "shared"}, json=body
        )
        b = await client.post(
            "/api/v1/projects",
            headers={**other_org.manager, "Idempotency-Key": "shared"},
            json=body,
        )
        assert a.status_code == b.status_code == 201
        assert a.json()["id"] != b.json()["id"]

    async def test_a_failed_request_does_not_burn_its_key(
        self, client: httpx.AsyncClient, org: Org
    ) -> None:
        headers = {**org.manager, "Idempotency-Key": "retry-me"}
        bad = await client.post(
            "/api/v1/projects", headers=headers, json={**VALID, "key": "OK", "currency": "XYZ"}
        )
        assert bad.status_code == 422
        good = await client.post(
            "/api/v1/projects", headers=headers, json={**VALID, "key": unique_key()}
        )
        assert good.status_code == 201

    async def test_a_key_longer_than_255_characters_is_422(
        self, client: httpx.AsyncClient, org: Org
    ) -> None:
        r = await client.post(
            "/api/v1/projects",
            headers={**org.manager, "Idempotency-Key": "k" * 256},
            json={**VALID, "key": "LONG"},
        )
        assert_problem(r, 422, "validation_failed")

    async def test_concurrent_requests_with_one_key_create_exactly_one_record(
        self, client: httpx.AsyncClient, org: Org
    ) -> None:
        body = {**VALID, "key": unique_key()}
        headers = {**org.manager, "Idempotency-Key": "burst"}
        responses = await asyncio.gather(
            *(client.post("/api/v1/projects", headers=headers, json=body) for _ in range(12))
        )
        assert {r.status_code for r in responses} == {201}
        assert len({r.json()["id"] for r in responses}) == 1
        assert sum(r.headers.get("idempotent-replayed") == "true" for r in responses) == 11
        assert len((await client.get("/api/v1/projects", headers=org.viewer)).json()["items"]) == 1


async def test_concurrent_creates_with_one_project_key_give_one_201_and_409s(
    client: httpx.AsyncClient, org: Org
) -> None:
    body = {**VALID, "key": unique_key()}
    responses = await asyncio.gather(
        *(client.post("/api/v1/projects", headers=org.manager, json=body) for _ in range(8))
    )
    assert sorted(r.status_code for r in responses) == [201] + [409] * 7
    assert {r.json()["code"] for r in responses if r.status_code == 409} == {"key_taken"}


async def test_every_response_carries_a_request_id(client: httpx.AsyncClient, org: Org) -> None:
    generated = await client.get("/api/v1/projects", headers=org.viewer)
    assert len(generated.headers["x-request-id"]) >= 16
    propagated = await client.get(
        "/api/v1/projects/nope", headers={**org.viewer, "X-Request-ID": "abc-123"}
    )
    assert propagated.headers["x-request-id"] == "abc-123"
    assert propagated.json()["request_id"] == "abc-123"
    hostile = await client.get("/healthz", headers={"X-Request-ID": "x" * 500})
    assert hostile.headers["x-request-id"] != "x" * 500
