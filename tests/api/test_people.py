"""The people register through REST and GraphQL."""

from __future__ import annotations

import httpx
import pytest

from tests.api.helpers import assert_problem, gql, make_person
from tests.conftest import Org


async def test_admin_registers_and_everyone_reads(client: httpx.AsyncClient, org: Org) -> None:
    r = await client.post(
        "/api/v1/people",
        headers=org.admin,
        json={
            "name": "Linus",
            "email": "linus@example.com",
            "title": "Architect",
            "weekly_capacity_hours": "32.5",
        },
    )
    assert r.status_code == 201, r.text
    person = r.json()
    assert person["weekly_capacity_hours"] == "32.50"
    got = await client.get(f"/api/v1/people/{person['id']}", headers=org.viewer)
    assert got.json() == person
    default = await make_person(client, org)
    assert default["weekly_capacity_hours"] == "40.00"


async def test_email_is_unique_per_organization_ignoring_case(
    client: httpx.AsyncClient, org: Org, other_org: Org
) -> None:
    await make_person(client, org, email="Sam@Example.com")
    again = await client.post(
        "/api/v1/people", headers=org.admin, json={"name": "S", "email": "sam@example.com"}
    )
    assert_problem(again, 409, "email_taken")
    elsewhere = await client.post(
        "/api/v1/people", headers=other_org.admin, json={"name": "S", "email": "sam@example.com"}
    )
    assert elsewhere.status_code == 201


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": "A", "email": "no-at-sign"}, "body.email"),
        ({"name": "", "email": "a@example.com"}, "body.name"),
        (
            {"name": "A", "email": "a@example.com", "weekly_capacity_hours": "200"},
            "body.weekly_capacity_hours",
        ),
        (
            {"name": "A", "email": "a@example.com", "weekly_capacity_hours": "-1"},
            "body.weekly_capacity_hours",
        ),
        (
            {"name": "A", "email": "a@example.com", "weekly_capacity_hours": "1.234"},
            "body.weekly_capacity_hours",
        ),
        ({"name": "A", "email": "a@example.com", "user_sub": "u" * 65}, "body.user_sub"),
        ({"name": "A", "email": "a@example.com", "version": 3}, "body.version"),
    ],
)
async def test_invalid_people_are_422(
    client: httpx.AsyncClient, org: Org, body: dict[str, object], field: str
) -> None:
    assert_problem(
        await client.post("/api/v1/people", headers=org.admin, json=body),
        422,
        "validation_failed",
        field,
    )
    assert (await client.get("/api/v1/people", headers=org.viewer)).json()["items"] == []


async def test_update_person_with_if_match(client: httpx.AsyncClient, org: Org) -> None:
    person = await make_person(client, org)
    url = f"/api/v1/people/{person['id']}"
    r = await client.patch(url, headers={**org.admin, "If-Match": '"1"'}, json={"title": "Lead"})
    assert r.json()["title"] == "Lead"
    assert r.json()["version"] == 2
    assert_problem(
        await client.patch(url, headers={**org.admin, "If-Match": '"1"'}, json={"title": "X"}),
        412,
        "version_conflict",
    )
    assert_problem(
        await client.patch(url, headers=org.manager, json={"title": "X"}), 403, "forbidden"
    )


async def test_a_user_account_links_to_one_person_per_organization(
    client: httpx.AsyncClient, org: Org
) -> None:
    await make_person(client, org, user_sub="sso|42")
    r = await client.post(
        "/api/v1/people",
        headers=org.admin,
        json={"name": "B", "email": "b@x.io", "user_sub": "sso|42"},
    )
    assert_problem(r, 409, "conflict")


async def test_people_list_pages_by_name(client: httpx.AsyncClient, org: Org) -> None:
    for name in ("Carol", "alice", "Bob"):
        await make_person(client, org, name=name)
    first = (await client.get("/api/v1/people", headers=org.viewer, params={"limit": 2})).json()
    second = (
        await client.get(
            "/api/v1/people", headers=org.viewer, params={"cursor": first["next_cursor"]}
        )
    ).json()
    names = [p["name"] for p in first["items"] + second["items"]]
    assert sorted(names) == sorted(["Carol", "alice", "Bob"])
    assert len(set(names)) == 3
    assert second["next_cursor"] is None


async def test_graphql_people_and_money_like_decimals_as_strings(
    client: httpx.AsyncClient, org: Org
) -> None:
    mutation = """mutation($input: CreatePersonInput!) {
        createPerson(input: $input) { person { name weeklyCapacityHours } userErrors { field code } } }"""
    ok = await gql(
        client,
        mutation,
        org.admin,
        input={"name": "Kay", "email": "kay@x.io", "weeklyCapacityHours": "20"},
    )
    assert ok["data"]["createPerson"]["person"] == {"name": "Kay", "weeklyCapacityHours": "20.00"}
    as_number = await gql(
        client,
        mutation,
        org.admin,
        input={"name": "N", "email": "n@x.io", "weeklyCapacityHours": 20.5},
    )
    assert "errors" in as_number
    dup = await gql(client, mutation, org.admin, input={"name": "K2", "email": "KAY@x.io"})
    assert dup["data"]["createPerson"]["userErrors"] == [{"field": None, "code": "EMAIL_TAKEN"}]
    listed = await gql(
        client,
        "{ people(first: 1) { totalCount pageInfo { hasNextPage } edges { node { name } } } }",
        org.viewer,
    )
    assert listed["data"]["people"]["totalCount"] == 1
    assert listed["data"]["people"]["pageInfo"]["hasNextPage"] is False
    bad_id = await gql(client, '{ person(id: "nope") { name } }', org.viewer)
    assert bad_id["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
