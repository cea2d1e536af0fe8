"""The reference: Starlette + raw asyncpg serving the benchmark's four reads.

Same SQL, same JSON bytes as Charter for these requests, and the same JWT verification
(HS256, iss/aud/exp/sub required, org and viewer role from the claims, a verified token
remembered for up to 60 s as Charter's authenticator does), so the ratio
measures what Charter's layers cost, not a shortcut. Only what the benchmark sends is
handled: GET /api/v1/projects/{id}, GET /api/v1/projects?limit=N and the two GraphQL
queries in ``bench.load`` (recognised by their text).

Run by ``bench.run`` as ``uvicorn bench.reference:app`` with BENCH_DATABASE_URL,
BENCH_JWT_SECRET and BENCH_POOL_SIZE in the environment.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import time
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime
from typing import Any

import asyncpg
import jwt
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from bench.load import GQL_GET, GQL_LIST
from bench.seed import plain_dsn

SECRET = os.environ.get("BENCH_JWT_SECRET", "")
COLUMNS = (
    "id, org_id, key, name, description, business_area, sponsor_id, manager_id, start_date, "
    "target_end_date, currency, phase, held_from, no_known_risks, version, created_at, updated_at"
)
GET_SQL = f"SELECT {COLUMNS} FROM projects WHERE org_id = $1 AND id = $2"
LIST_SQL = (
    f"SELECT {COLUMNS} FROM projects WHERE org_id = $1 "
    "ORDER BY key ASC NULLS LAST, id ASC NULLS LAST LIMIT $2"
)
pool: asyncpg.Pool | None = None


def _problem(status: int, code: str) -> Response:
    body = json.dumps({"status": status, "code": code})
    return Response(body, status, media_type="application/problem+json")


# Verified tokens, as Charter keeps them (app/api/auth.py): a token verified once is trusted
# until its exp or for 60 s, whichever is first, so both sides pay the same for a repeated
# token (the benchmark sends one token throughout).
VERIFIED: dict[str, tuple[str, float]] = {}
VERIFIED_SECONDS = 60.0


def verified_org(request: Request) -> str | None:
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer":
        return None
    hit = VERIFIED.get(token)
    if hit is not None and time.time() < hit[1]:
        return hit[0]
    verified = _verify(token)
    if verified is None:
        return None
    org, exp = verified
    if len(VERIFIED) >= 10_000:
        VERIFIED.clear()
    VERIFIED[token] = (org, min(exp, time.time() + VERIFIED_SECONDS))
    return org


def _verify(token: str) -> tuple[str, float] | None:
    try:
        claims = jwt.decode(
            token.strip(),
            SECRET,
            algorithms=["HS256"],
            audience="charter-api",
            issuer="charter",
            options={"require": ["exp", "iss", "aud", "sub"]},
        )
    except jwt.PyJWTError:
        return None
    roles = claims.get("roles", [])
    if not {"viewer", "member", "manager", "admin"} & set(roles):
        return None
    org = claims.get("org")
    return (org, float(claims["exp"])) if isinstance(org, str) else None


def _ts(value: datetime) -> str:
    return value.isoformat().replace("+00:00", "Z")  # pydantic's rendering of UTC


def _iso(value: Any) -> Any:
    return None if value is None else value.isoformat()


def _uuid(value: Any) -> Any:
    return None if value is None else str(value)


def rest_item(r: asyncpg.Record) -> dict[str, Any]:
    return {
        "id": str(r["id"]),
        "key": r["key"],
        "name": r["name"],
        "description": r["description"],
        "business_area": r["business_area"],
        "sponsor_id": _uuid(r["sponsor_id"]),
        "manager_id": _uuid(r["manager_id"]),
        "start_date": _iso(r["start_date"]),
        "target_end_date": _iso(r["target_end_date"]),
        "currency": r["currency"],
        "phase": r["phase"],
        "held_from": r["held_from"],
        "no_known_risks": r["no_known_risks"],
        "version": r["version"],
        "created_at": _ts(r["created_at"]),
        "updated_at": _ts(r["updated_at"]),
    }


def gql_item(r: asyncpg.Record) -> dict[str, Any]:
    return {
        "id": str(r["id"]),
        "key": r["key"],
        "name": r["name"],
        "description": r["description"],
        "businessArea": r["business_area"].upper(),
        "startDate": _iso(r["start_date"]),
        "targetEndDate": _iso(r["target_end_date"]),
        "currency": r["currency"],
        "phase": r["phase"].upper(),
        "heldFrom": r["held_from"].upper() if r["held_from"] else None,
        "noKnownRisks": r["no_known_risks"],
        "version": r["version"],
        "createdAt": r["created_at"].isoformat(),
        "updatedAt": r["updated_at"].isoformat(),
    }


# A cursor names the list that issued it (Charter's paging.list_tag: its sort columns, hashed).
LIST_TAG = hashlib.sha256(b"projects.key,projects.id").hexdigest()[:12]


def cursor(r: asyncpg.Record) -> str:
    raw = json.dumps([LIST_TAG, r["key"], str(r["id"])], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _dumps(data: Any) -> str:
    return json.dumps(data, separators=(",", ":"))


async def get_project(request: Request) -> Response:
    org = verified_org(request)
    if org is None:
        return _problem(401, "unauthenticated")
    try:
        pid = uuid.UUID(request.path_params["project_id"])
    except ValueError:
        return _problem(422, "validation_failed")
    assert pool is not None
    row = await pool.fetchrow(GET_SQL, org, pid)
    if row is None:
        return _problem(404, "not_found")
    return Response(
        _dumps(rest_item(row)),
        media_type="application/json",
        headers={"ETag": f'"{row["version"]}"'},
    )


async def list_projects(request: Request) -> Response:
    org = verified_org(request)
    if org is None:
        return _problem(401, "unauthenticated")
    limit = int(request.query_params.get("limit", "50"))
    if not 1 <= limit <= 100:
        return _problem(422, "validation_failed")
    assert pool is not None
    rows = await pool.fetch(LIST_SQL, org, limit + 1)
    more = len(rows) > limit
    rows = rows[:limit]
    body = {
        "items": [rest_item(r) for r in rows],
        "next_cursor": cursor(rows[-1]) if more and rows else None,
    }
    return Response(_dumps(body), media_type="application/json")


async def graphql(request: Request) -> Response:
    org = verified_org(request)
    payload = await request.json()
    query, variables = payload.get("query"), payload.get("variables") or {}
    if org is None:
        return _problem(401, "unauthenticated")
    assert pool is not None
    if query == GQL_GET:
        row = await pool.fetchrow(GET_SQL, org, uuid.UUID(variables["id"]))
        data: dict[str, Any] = {"project": gql_item(row) if row else None}
    elif query == GQL_LIST:
        first = int(variables.get("first", 50))
        rows = await pool.fetch(LIST_SQL, org, first + 1)
        more = len(rows) > first
        rows = rows[:first]
        edges = [{"cursor": cursor(r), "node": gql_item(r)} for r in rows]
        data = {
            "projects": {
                "edges": edges,
                "pageInfo": {
                    "hasNextPage": more,
                    "endCursor": edges[-1]["cursor"] if edges else None,
                },
            }
        }
    else:
        return _problem(400, "unsupported_query")
    return Response(_dumps({"data": data}), media_type="application/json")


@asynccontextmanager
async def lifespan(_: Starlette) -> AsyncIterator[None]:
    global pool
    size = int(os.environ.get("BENCH_POOL_SIZE", "16"))
    pool = await asyncpg.create_pool(
        plain_dsn(os.environ["BENCH_DATABASE_URL"]), min_size=size, max_size=size
    )
    yield
    await pool.close()


app = Starlette(
    routes=[
        Route("/api/v1/projects", list_projects),
        Route("/api/v1/projects/{project_id}", get_project),
        Route("/graphql", graphql, methods=["POST"]),
    ],
    lifespan=lifespan,
)
