"""Hostile input on the objectives, deliverables and closure endpoints: each a 4xx problem
naming the field, never a 500."""

from __future__ import annotations

import base64
import json

import httpx
import pytest

from tests.api.closing_helpers import define_objective
from tests.api.helpers import assert_problem, gql, make_project
from tests.api.test_walk_rest import walk_to_closing
from tests.conftest import Org


def _cursor(values: object) -> str:
    return base64.urlsafe_b64encode(json.dumps(values).encode()).decode().rstrip("=")


BAD_CURSORS = ["%%%", "bm90IGpzb24", _cursor({"a": 1}), _cursor([]), _cursor(["x"]),
               _cursor(["not a time", "not a uuid"]), _cursor([1, 2, 3, 4])]  # fmt: skip


async def test_nul_and_surrogates_in_any_text_are_422(client: httpx.AsyncClient, org: Org) -> None:
    project = await make_project(client, org)
    base = f"/api/v1/projects/{project['id']}"
    objective = await define_objective(client, org, project["id"])
    kr_url = f"{base}/objectives/{objective['id']}/key-results/{objective['key_results'][0]['id']}"
    for url, body, field in (
        (f"{base}/objectives", {"name": "a\x00b"}, "body.name"),
        (f"{base}/objectives/{objective['id']}/key-results",
         {"name": "K", "unit": "\x00", "baseline": "0", "target": "1"}, "body.unit"),
        (f"{kr_url}/check-ins", {"value": "1", "note": "\x00"}, "body.note"),
        (f"{base}/deliverables", {"name": "D", "acceptance_criteria": "x\x00"}, "body.acceptance_criteria"),
    ):  # fmt: skip
        assert_problem(await client.post(url, json=body, headers=org.manager), 422,
                       "validation_failed", field)  # fmt: skip
    # A lone surrogate cannot be sent as UTF-8 JSON, only escaped.
    raw = '{"name": "bad \\ud800 text"}'
    r = await client.post(f"{base}/objectives", content=raw,
                          headers={**org.manager, "content-type": "application/json"})  # fmt: skip
    assert_problem(r, 422, "validation_failed", "body.name")
    r = await client.get("/api/v1/lessons", params={"q": "a\x00"}, headers=org.viewer)
    assert_problem(r, 422, "validation_failed", "query.q")


async def test_closure_report_text_is_checked_item_by_item(
    client: httpx.AsyncClient, org: Org
) -> None:
    w, _, _ = await walk_to_closing(client, org)
    url = f"{w.base}/closure-report"
    for body, field in (
        ({"summary": "ok", "went_well": ["fine", "bad\x00"]}, "body.went_well"),
        ({"summary": "\x00"}, "body.summary"),
        ({"summary": "ok", "to_improve": ["x"] * 51}, "body.to_improve"),
        ({"summary": "ok", "to_improve": ["x" * 2001]}, "body.to_improve.0"),
        ({"summary": "x" * 10_001}, "body.summary"),
        ({"summary": "ok", "went_well": "not a list"}, "body.went_well"),
    ):
        assert_problem(await client.put(url, json=body, headers=org.manager), 422,
                       "validation_failed", field)  # fmt: skip


@pytest.mark.parametrize(
    ("value", "field"),
    [
        (12, "body.baseline"),  # a JSON number where a decimal is expected
        ("1" * 17, "body.baseline"),
        ("1e5", "body.baseline"),
        ("0.00001", "body.baseline"),
        ("NaN", "body.baseline"),
        (" 1", "body.baseline"),
    ],
)
async def test_key_result_values_are_bounded_decimal_strings(
    client: httpx.AsyncClient, org: Org, value: object, field: str
) -> None:
    project = await make_project(client, org)
    objective = await define_objective(client, org, project["id"])
    url = f"/api/v1/projects/{project['id']}/objectives/{objective['id']}/key-results"
    body = {"name": "K", "unit": "u", "baseline": value, "target": "5"}
    assert_problem(
        await client.post(url, json=body, headers=org.manager), 422, "validation_failed", field
    )


async def test_bad_cursors_limits_and_ids_are_4xx(client: httpx.AsyncClient, org: Org) -> None:
    project = await make_project(client, org)
    objective = await define_objective(client, org, project["id"])
    base = f"/api/v1/projects/{project['id']}"
    kr = objective["key_results"][0]
    lists = [
        f"{base}/objectives",
        f"{base}/deliverables",
        f"{base}/objectives/{objective['id']}/key-results/{kr['id']}/check-ins",
        "/api/v1/lessons",
    ]
    for url in lists:
        for cursor in BAD_CURSORS:
            r = await client.get(url, params={"cursor": cursor}, headers=org.viewer)
            assert_problem(r, 422, "validation_failed", "query.cursor")
        for limit in ("0", "101", "99999999999999999999", "x"):
            r = await client.get(url, params={"limit": limit}, headers=org.viewer)
            assert_problem(r, 422, "validation_failed", "query.limit")
    for url in (f"{base}/objectives/not-a-uuid", f"{base}/deliverables/123",
                f"{base}/objectives/{objective['id']}/key-results/zzz"):  # fmt: skip
        assert (await client.get(url, headers=org.viewer)).status_code == 422
    other = await make_project(client, org)
    # Another project's objective under this project's path is missing here.
    wrong = f"/api/v1/projects/{other['id']}/objectives/{objective['id']}"
    assert_problem(await client.get(wrong, headers=org.viewer), 404, "not_found")
    assert_problem(
        await client.get(f"{wrong}/key-results/{kr['id']}", headers=org.viewer), 404, "not_found"
    )
    r = await client.get(f"{base}/deliverables", params={"status": "done"}, headers=org.viewer)
    assert_problem(r, 422, "validation_failed", "query.status")
    r = await client.get("/api/v1/lessons", params={"q": "x" * 201}, headers=org.viewer)
    assert_problem(r, 422, "validation_failed", "query.q")


async def test_graphql_hostile_input_is_refused(client: httpx.AsyncClient, org: Org) -> None:
    project = await make_project(client, org)
    data = await gql(
        client,
        """mutation($i: CreateDeliverableInput!) { createDeliverable(input: $i) {
            deliverable { id } userErrors { field code } } }""",
        org.manager, i={"projectId": project["id"], "name": "bad\x00"},
    )  # fmt: skip
    # NUL in any GraphQL input is refused before the mutation runs (one rule, API.md).
    assert data["data"] is None
    assert data["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    data = await gql(
        client, "query($id: ID!) { project(id: $id) { objectives(first: 500) { totalCount } } }",
        org.viewer, id=project["id"],
    )  # fmt: skip
    assert data["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    data = await gql(client, '{ deliverable(id: "nope") { id } }', org.viewer)
    assert data["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
