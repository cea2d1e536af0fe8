"""HTTP semantics of the REST API (issue 15): conditional GETs (304), HEAD, the Allow header
of a 405, 400 for a body that is not JSON, 415 for one declared as something else, and
CHARTER_REQUIRE_IF_MATCH (428). Through the whole app on the test database."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from app.config import Settings
from app.main import create_app
from tests.api.helpers import assert_problem, make_person, make_project
from tests.conftest import Org


async def test_if_none_match_with_the_current_etag_is_a_304_without_body(
    client: httpx.AsyncClient, org: Org
) -> None:
    person = await make_person(client, org)
    url = f"/api/v1/people/{person['id']}"
    first = await client.get(url, headers=org.viewer)
    etag = first.headers["etag"]
    assert etag == '"1"'

    for condition in (etag, f"W/{etag}", f'"7", {etag}', "*"):
        r = await client.get(url, headers={**org.viewer, "If-None-Match": condition})
        assert r.status_code == 304, (condition, r.text)
        assert r.content == b""
        assert r.headers["etag"] == etag
        assert "content-type" not in r.headers and "content-length" not in r.headers
        assert r.headers["x-request-id"]

    # Another version, or the resource changed since: the full answer.
    stale = await client.get(url, headers={**org.viewer, "If-None-Match": '"2"'})
    assert stale.status_code == 200 and stale.json() == first.json()
    changed = await client.patch(
        url, json={"title": "Engineer"}, headers={**org.admin, "If-Match": etag}
    )
    assert changed.status_code == 200, changed.text
    again = await client.get(url, headers={**org.viewer, "If-None-Match": etag})
    assert again.status_code == 200
    assert again.headers["etag"] == '"2"' and again.json()["title"] == "Engineer"


async def test_if_none_match_does_not_turn_errors_or_tagless_answers_into_304(
    client: httpx.AsyncClient, org: Org, other_org: Org
) -> None:
    person = await make_person(client, org)
    url = f"/api/v1/people/{person['id']}"
    foreign = await client.get(url, headers={**other_org.viewer, "If-None-Match": "*"})
    assert_problem(foreign, 404, "not_found")
    listed = await client.get("/api/v1/people", headers={**org.viewer, "If-None-Match": "*"})
    assert listed.status_code == 200 and "etag" not in listed.headers
    assert listed.json()["items"]


async def test_a_body_computed_as_of_today_is_never_a_304(
    client: httpx.AsyncClient, org: Org
) -> None:
    """A risk's review_overdue moves with the date, not its version: always a 200."""
    project = await make_project(client, org)
    made = await client.post(
        f"/api/v1/projects/{project['id']}/risks",
        json={"title": "Vendor", "category": "technical", "probability": 2, "impact": 2},
        headers=org.manager,
    )
    assert made.status_code == 201, made.text
    url = f"/api/v1/projects/{project['id']}/risks/{made.json()['id']}"
    etag = (await client.get(url, headers=org.viewer)).headers["etag"]
    r = await client.get(url, headers={**org.viewer, "If-None-Match": etag})
    assert r.status_code == 200 and r.json()["id"] == made.json()["id"]


async def test_head_answers_every_get_route_with_its_headers_and_no_body(
    client: httpx.AsyncClient, org: Org
) -> None:
    project = await make_project(client, org)
    for url in (
        f"/api/v1/projects/{project['id']}",
        "/api/v1/projects?limit=5",
        f"/api/v1/projects/{project['id']}/schedule",
        "/healthz",
    ):
        get = await client.get(url, headers=org.viewer)
        head = await client.head(url, headers=org.viewer)
        assert head.status_code == get.status_code == 200, (url, head.text)
        assert head.content == b""
        for name in ("content-type", "content-length", "etag", "cache-control"):
            assert head.headers.get(name) == get.headers.get(name), (url, name)
    # HEAD checks the token and the organization as GET does.
    assert (await client.head(f"/api/v1/projects/{project['id']}")).status_code == 401
    missing = await client.head(f"/api/v1/projects/{uuid.uuid4()}", headers=org.viewer)
    assert missing.status_code == 404 and missing.content == b""
    etag = (await client.get(f"/api/v1/projects/{project['id']}", headers=org.viewer)).headers[
        "etag"
    ]
    conditional = await client.head(
        f"/api/v1/projects/{project['id']}", headers={**org.viewer, "If-None-Match": etag}
    )
    assert conditional.status_code == 304


@pytest.mark.parametrize(
    ("method", "path", "allowed"),
    [
        ("DELETE", "/api/v1/projects/{pid}", "GET, HEAD, PATCH"),
        ("PUT", "/api/v1/projects", "GET, HEAD, POST"),
        ("POST", "/api/v1/projects/{pid}/milestones/{pid}", "GET, HEAD, PATCH, DELETE"),
        ("PATCH", "/api/v1/projects/{pid}/transitions", "POST"),
        ("HEAD", "/api/v1/projects/{pid}/ledger/entries/{pid}/reversal", "POST"),
    ],
)
async def test_405_lists_every_method_of_the_path(
    client: httpx.AsyncClient, org: Org, method: str, path: str, allowed: str
) -> None:
    project = await make_project(client, org)
    url = path.format(pid=project["id"])
    r = await client.request(method, url, headers=org.admin)
    assert r.status_code == 405, r.text
    assert r.headers["allow"] == allowed
    if method != "HEAD":
        body = assert_problem(r, 405, "method_not_allowed")
        assert allowed in body["detail"]
    # Every method the header names is answered (never a 405).
    for listed in allowed.split(", "):
        answer = await client.request(listed, url, headers=org.admin)
        assert answer.status_code != 405, (listed, url)


async def test_malformed_json_is_a_400_naming_where(client: httpx.AsyncClient, org: Org) -> None:
    for content_type in ("application/json", "application/merge-patch+json"):
        headers = {**org.admin, "content-type": content_type}
        r = await client.post("/api/v1/people", content=b'{"name": ', headers=headers)
        body = assert_problem(r, 400, "malformed_json")
        assert "character 9" in body["detail"]
    # The people list has nobody from these requests.
    listed = await client.get("/api/v1/people", headers=org.viewer)
    assert listed.json()["items"] == []
    # Valid JSON of the wrong shape is still a 422 naming the field.
    wrong = await client.post("/api/v1/people", json={"name": 5}, headers=org.admin)
    assert_problem(wrong, 422, "validation_failed", "body.name")


async def test_a_body_declared_as_something_else_is_a_415(
    client: httpx.AsyncClient, org: Org
) -> None:
    for content_type in (
        "text/plain",
        "application/x-www-form-urlencoded",
        "application/xml",
        None,
    ):
        r = await client.post(
            "/api/v1/people",
            content=b'{"name": "A", "email": "a@example.com"}',
            headers={**org.admin, **({"content-type": content_type} if content_type else {})},
        )
        assert_problem(r, 415, "unsupported_media_type")
    assert (await client.get("/api/v1/people", headers=org.viewer)).json()["items"] == []
    merge = await client.post(
        "/api/v1/people",
        content=b'{"name": "A", "email": "a@example.com"}',
        headers={**org.admin, "content-type": "application/json; charset=utf-8"},
    )
    assert merge.status_code == 201, merge.text


@pytest.fixture
async def strict_client(
    settings: Settings, engine: AsyncEngine, read_engine: AsyncEngine
) -> AsyncIterator[httpx.AsyncClient]:
    """The app as served with CHARTER_REQUIRE_IF_MATCH=true."""
    strict = settings.model_copy(update={"require_if_match": True})
    app = create_app(strict, engine=engine, read_engine=read_engine)
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as c:
        yield c


async def test_require_if_match_makes_versioned_writes_without_it_a_428(
    strict_client: httpx.AsyncClient, org: Org
) -> None:
    client = strict_client
    sponsor = await make_person(client, org)
    project = await make_project(client, org, sponsor_id=sponsor["id"])  # creates need none
    url = f"/api/v1/projects/{project['id']}"
    milestone = await client.post(
        url + "/milestones",
        json={"name": "M", "start_date": "2027-01-04", "due_date": "2027-02-01"},
        headers=org.manager,
    )
    assert milestone.status_code == 201, milestone.text
    writes: list[tuple[str, str, dict[str, Any] | None]] = [
        ("PATCH", url, {"description": "x"}),
        ("POST", url + "/transitions", {"to": "planning"}),
        ("PATCH", f"/api/v1/people/{sponsor['id']}", {"title": "CTO"}),
        ("DELETE", f"{url}/milestones/{milestone.json()['id']}", None),
    ]
    for method, target, body in writes:
        r = await client.request(method, target, json=body, headers=org.admin)
        problem = assert_problem(r, 428, "precondition_required")
        assert "If-Match" in problem["detail"]
    after = await client.get(url, headers=org.viewer)
    assert after.json()["version"] == project["version"] and after.json()["description"] is None

    # With the ETag it goes through; a stale one is still a 412; * opts out of the check.
    ok = await client.patch(
        url, json={"description": "x"}, headers={**org.admin, "If-Match": after.headers["etag"]}
    )
    assert ok.status_code == 200, ok.text
    stale = await client.patch(
        url, json={"description": "y"}, headers={**org.admin, "If-Match": after.headers["etag"]}
    )
    assert_problem(stale, 412, "version_conflict")
    anyway = await client.patch(
        url, json={"description": "z"}, headers={**org.admin, "If-Match": "*"}
    )
    assert anyway.status_code == 200 and anyway.json()["description"] == "z"


async def test_if_match_stays_optional_by_default(client: httpx.AsyncClient, org: Org) -> None:
    project = await make_project(client, org)
    r = await client.patch(
        f"/api/v1/projects/{project['id']}", json={"description": "x"}, headers=org.admin
    )
    assert r.status_code == 200, r.text
