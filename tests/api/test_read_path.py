"""The read path's shortcuts keep every check: cached GraphQL documents, read-only units of
work, remembered tokens."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from app.api import auth
from app.api.auth import Authenticator, JwtSettings
from app.domain.common.errors import Unauthenticated, Unavailable
from app.infra.postgres.uow import SqlUnitOfWork
from tests.api.helpers import gql, make_project
from tests.conftest import AUDIENCE, ISSUER, SECRET, Org, token

PROJECT = "query P($id: ID!) { project(id: $id) { id key version } }"


async def test_a_cached_graphql_document_answers_like_a_fresh_one(
    app: Any, client: httpx.AsyncClient, org: Org, other_org: Org
) -> None:
    project = await make_project(client, org)
    cache = app.state.graphql_documents
    before = len(cache)
    first = await gql(client, PROJECT, org.viewer, id=project["id"])
    assert len(cache) == before + 1
    again = await gql(client, PROJECT, org.viewer, id=project["id"])
    assert again == first
    assert first["data"]["project"]["key"] == project["key"]
    assert len(cache) == before + 1
    # The cache skips parsing and validation only: auth and tenancy still apply.
    foreign = await gql(client, PROJECT, other_org.viewer, id=project["id"])
    assert foreign == {"data": {"project": None}}
    anonymous = await gql(client, PROJECT, {}, id=project["id"])
    assert anonymous["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


async def test_invalid_graphql_is_never_cached_and_fails_every_time(
    app: Any, client: httpx.AsyncClient, org: Org
) -> None:
    cache = app.state.graphql_documents
    chain = "dependencies { predecessor { " * 4
    deep = (
        "{ projects { edges { node { milestones { edges { node { "
        + chain
        + "name"
        + " } }" * 4
        + " } } } } } } }"
    )
    cases = (("{ projects { nope } }", "nope"), ("{ projects { ", "Syntax"), (deep, "depth"))
    for query, says in cases:
        before = len(cache)
        for _ in range(2):
            body = await gql(client, query, org.viewer)
            assert body.get("data") is None, body
            assert says in body["errors"][0]["message"], body
        assert len(cache) == before


async def test_mutations_still_commit_and_queries_see_them(
    client: httpx.AsyncClient, org: Org
) -> None:
    created = await gql(
        client,
        "mutation C($input: CreateProjectInput!) { createProject(input: $input) "
        "{ project { id key } userErrors { code } } }",
        org.manager,
        input={"key": "RDPATH", "name": "Read path", "businessArea": "OTHER", "currency": "EUR"},
    )
    project = created["data"]["createProject"]["project"]
    read = await gql(client, PROJECT, org.viewer, id=project["id"])
    assert read["data"]["project"]["key"] == "RDPATH"
    rest = await client.get(f"/api/v1/projects/{project['id']}", headers=org.viewer)
    assert rest.status_code == 200 and rest.headers["etag"] == '"1"'


async def test_read_only_units_of_work_refuse_writes(read_engine: AsyncEngine) -> None:
    async with SqlUnitOfWork(read_engine, read_only=True) as uow:
        assert (await uow.connection.execute(text("SELECT 1"))).scalar_one() == 1
        with pytest.raises(RuntimeError):
            await uow.commit()
    with pytest.raises(Exception, match="read-only"):
        async with SqlUnitOfWork(read_engine, read_only=True) as uow:
            await uow.connection.execute(text("CREATE TEMP TABLE nope (x int)"))
    with pytest.raises((Exception, Unavailable), match="read-only"):
        async with SqlUnitOfWork(read_engine, read_only=True) as uow:
            await uow.connection.execute(text("UPDATE projects SET version = version"))


def _authenticator() -> Authenticator:
    return Authenticator(
        JwtSettings(algorithm="HS256", issuer=ISSUER, audience=AUDIENCE, secret=SECRET)
    )


async def test_a_remembered_token_still_expires() -> None:
    authenticator = _authenticator()
    bearer = "Bearer " + token("org-exp", "viewer", ttl=1)
    first = await authenticator.authenticate(bearer)
    assert await authenticator.authenticate(bearer) == first
    await asyncio.sleep(2.1)
    with pytest.raises(Unauthenticated, match="expired"):
        await authenticator.authenticate(bearer)


async def test_remembered_tokens_are_bounded_and_bad_ones_never_remembered(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(auth, "VERIFIED_CACHE_SIZE", 3)
    authenticator = _authenticator()
    for i in range(5):
        await authenticator.authenticate("Bearer " + token(f"org-{i}", "viewer"))
    assert len(authenticator._verified) == 3
    good = token("org-x", "viewer")
    forged = good[:-4] + ("AAAA" if not good.endswith("AAAA") else "BBBB")
    for _ in range(2):
        with pytest.raises(Unauthenticated):
            await authenticator.authenticate("Bearer " + forged)
    assert forged not in authenticator._verified
