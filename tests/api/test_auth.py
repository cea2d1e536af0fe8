"""Authentication and authorisation through the real stack: every bad token is a 401, roles gate."""

from __future__ import annotations

import base64
import json
import time
from typing import Any

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from app.config import Settings
from app.main import create_app
from tests.api.helpers import assert_problem, gql, make_project
from tests.conftest import AUDIENCE, ISSUER, SECRET, Org, token


def _claims(org_id: str, **overrides: Any) -> dict[str, Any]:
    now = int(time.time())
    return {
        "sub": "u1",
        "org": org_id,
        "roles": ["admin"],
        "iss": ISSUER,
        "aud": AUDIENCE,
        "exp": now + 600,
        **overrides,
    }


def _bearer(raw: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {raw}"}


def _b64(data: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")


async def test_no_token_is_401_with_a_bearer_challenge(client: httpx.AsyncClient) -> None:
    r = await client.get("/api/v1/projects")
    assert_problem(r, 401, "unauthenticated")
    assert r.headers["www-authenticate"] == "Bearer"


@pytest.mark.parametrize(
    "mutate",
    [
        pytest.param(
            lambda org: jwt.encode(_claims(org, exp=int(time.time()) - 5), SECRET), id="expired"
        ),
        pytest.param(
            lambda org: jwt.encode(_claims(org, iss="someone-else"), SECRET), id="wrong-issuer"
        ),
        pytest.param(
            lambda org: jwt.encode(_claims(org, aud="another-api"), SECRET), id="wrong-audience"
        ),
        pytest.param(
            lambda org: jwt.encode(_claims(org), "not-the-secret-" + "y" * 32), id="wrong-secret"
        ),
        pytest.param(
            lambda org: _b64({"alg": "none", "typ": "JWT"}) + "." + _b64(_claims(org)) + ".",
            id="alg-none",
        ),
        pytest.param(lambda org: jwt.encode(_claims(org, org=""), SECRET), id="empty-org"),
        pytest.param(lambda org: jwt.encode(_claims(org, org="o" * 65), SECRET), id="org-too-long"),
        pytest.param(
            lambda org: jwt.encode({k: v for k, v in _claims(org).items() if k != "exp"}, SECRET),
            id="no-exp",
        ),
        pytest.param(lambda org: "not.a.jwt", id="garbage"),
    ],
)
async def test_bad_tokens_are_refused_without_touching_data(
    client: httpx.AsyncClient, org: Org, mutate: Any
) -> None:
    r = await client.post(
        "/api/v1/projects",
        headers=_bearer(mutate(org.id)),
        json={"key": "AUTH", "name": "x", "business_area": "other", "currency": "EUR"},
    )
    assert_problem(r, 401, "unauthenticated")
    listed = await client.get("/api/v1/projects", headers=org.viewer)
    assert listed.json()["items"] == []


async def test_a_non_bearer_scheme_is_refused(client: httpx.AsyncClient, org: Org) -> None:
    r = await client.get("/api/v1/projects", headers={"Authorization": f"Basic {token(org.id)}"})
    assert_problem(r, 401, "unauthenticated")


@pytest.mark.parametrize(
    ("role", "allowed"), [("viewer", False), ("member", False), ("manager", True), ("admin", True)]
)
async def test_creating_a_project_needs_the_manager_role(
    client: httpx.AsyncClient, org: Org, role: str, allowed: bool
) -> None:
    r = await client.post(
        "/api/v1/projects",
        headers=org.headers(role),
        json={"key": "ROLE", "name": "x", "business_area": "other", "currency": "EUR"},
    )
    if allowed:
        assert r.status_code == 201, r.text
    else:
        assert_problem(r, 403, "forbidden")
        assert (await client.get("/api/v1/projects", headers=org.viewer)).json()["items"] == []


@pytest.mark.parametrize("role", ["viewer", "member", "manager"])
async def test_only_admins_manage_people(client: httpx.AsyncClient, org: Org, role: str) -> None:
    r = await client.post(
        "/api/v1/people", headers=org.headers(role), json={"name": "A", "email": "a@example.com"}
    )
    assert_problem(r, 403, "forbidden")


async def test_a_token_without_known_roles_can_read_nothing(
    client: httpx.AsyncClient, org: Org
) -> None:
    raw = jwt.encode(_claims(org.id, roles=["superuser"]), SECRET)
    assert_problem(await client.get("/api/v1/projects", headers=_bearer(raw)), 403, "forbidden")


async def test_another_organizations_project_is_indistinguishable_from_a_missing_one(
    client: httpx.AsyncClient, org: Org, other_org: Org
) -> None:
    project = await make_project(client, org)
    missing = "00000000-0000-4000-8000-000000000000"
    for pid in (project["id"], missing):
        r = await client.get(f"/api/v1/projects/{pid}", headers=other_org.admin)
        body = assert_problem(r, 404, "not_found")
        assert body["detail"] == "Project not found"
        patched = await client.patch(
            f"/api/v1/projects/{pid}", headers=other_org.admin, json={"name": "stolen"}
        )
        assert_problem(patched, 404, "not_found")
    assert (await client.get(f"/api/v1/projects/{project['id']}", headers=org.viewer)).json()[
        "name"
    ] != "stolen"
    data = await gql(
        client, "query($id: ID!) { project(id: $id) { name } }", other_org.admin, id=project["id"]
    )
    assert data == {"data": {"project": None}}  # a single lookup: null, exactly as if missing


async def test_graphql_reports_auth_failures_with_extension_codes(
    client: httpx.AsyncClient, org: Org
) -> None:
    anonymous = await gql(client, "{ projects { totalCount } }")
    assert anonymous["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    viewer = await gql(
        client,
        'mutation { createProject(input: {key: "GQLX", name: "x", businessArea: OTHER, currency: "EUR"}) '
        "{ project { id } } }",
        org.viewer,
    )
    assert viewer["errors"][0]["extensions"]["code"] == "FORBIDDEN"


async def test_viewer_returns_the_caller_and_their_linked_person(
    client: httpx.AsyncClient, org: Org
) -> None:
    await client.post(
        "/api/v1/people",
        headers=org.admin,
        json={"name": "Grace", "email": "grace@example.com", "user_sub": "grace"},
    )
    data = await gql(
        client, "{ viewer { sub org roles person { name } } }", org.headers("member", sub="grace")
    )
    assert data["data"]["viewer"] == {
        "sub": "grace",
        "org": org.id,
        "roles": ["member"],
        "person": {"name": "Grace"},
    }
    nobody = await gql(
        client, "{ viewer { sub person { name } } }", org.headers("viewer", sub="ghost")
    )
    assert nobody["data"]["viewer"] == {"sub": "ghost", "person": None}


def _rsa_keys() -> tuple[Any, str]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    public = key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return key, public.decode()


async def test_rs256_accepts_the_configured_key_and_refuses_hs_rs_confusion(
    settings: Settings, engine: Any
) -> None:
    private, public = _rsa_keys()
    rs_settings = settings.model_copy(update={"jwt_secret": None, "jwt_public_key": public})
    app = create_app(rs_settings, engine=engine)
    org = "org-rs256"
    good = jwt.encode(_claims(org), private, algorithm="RS256")
    # The classic confusion attack: sign HS256 using the public key as the HMAC secret.
    forged = _hs256_with_key(public, _claims(org))
    hs_secret_token = jwt.encode(_claims(org), SECRET)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as c:
        assert (await c.get("/api/v1/projects", headers=_bearer(good))).status_code == 200
        assert_problem(
            await c.get("/api/v1/projects", headers=_bearer(forged)), 401, "unauthenticated"
        )
        assert_problem(
            await c.get("/api/v1/projects", headers=_bearer(hs_secret_token)),
            401,
            "unauthenticated",
        )
        other_private, _ = _rsa_keys()
        wrong_key = jwt.encode(_claims(org), other_private, algorithm="RS256")
        assert_problem(
            await c.get("/api/v1/projects", headers=_bearer(wrong_key)), 401, "unauthenticated"
        )


def _hs256_with_key(key: str, claims: dict[str, Any]) -> str:
    """Build an HS256 token keyed with a PEM string by hand (PyJWT itself refuses to)."""
    import hashlib
    import hmac

    signing_input = _b64({"alg": "HS256", "typ": "JWT"}) + "." + _b64(claims)
    signature = hmac.new(key.encode(), signing_input.encode(), hashlib.sha256).digest()
    return signing_input + "." + base64.urlsafe_b64encode(signature).decode().rstrip("=")


async def test_an_hs256_service_refuses_rs256_tokens(client: httpx.AsyncClient, org: Org) -> None:
    private, _ = _rsa_keys()
    rs = jwt.encode(_claims(org.id), private, algorithm="RS256")
    assert_problem(
        await client.get("/api/v1/projects", headers=_bearer(rs)), 401, "unauthenticated"
    )


async def test_single_lookups_by_id_alone_answer_null_for_missing_or_foreign_ids(
    client: httpx.AsyncClient, org: Org, other_org: Org
) -> None:
    from tests.api.ledger_helpers import posted

    project = await make_project(client, org)
    base = f"/api/v1/projects/{project['id']}"
    milestone = (await client.post(f"{base}/milestones", headers=org.admin, json={
        "name": "M", "start_date": "2027-01-04", "due_date": "2027-02-01"})).json()  # fmt: skip
    risk = (await client.post(f"{base}/risks", headers=org.admin, json={
        "title": "R", "category": "technical", "probability": 2, "impact": 2})).json()  # fmt: skip
    issue = (await client.post(f"{base}/issues", headers=org.admin, json={
        "title": "I", "severity": "low"})).json()  # fmt: skip
    entry = await posted(client, org, project, kind="budget", amount="100.00")
    person = (await client.post("/api/v1/people", headers=org.admin, json={
        "name": "Ada", "email": f"ada-{org.id}@example.org"})).json()  # fmt: skip
    lookups = {
        "project": (project["id"], "key"), "person": (person["id"], "name"),
        "milestone": (milestone["id"], "name"), "risk": (risk["id"], "title"),
        "issue": (issue["id"], "title"), "ledgerEntry": (entry["id"], "kind"),
    }  # fmt: skip
    missing = "00000000-0000-4000-8000-000000000000"
    for field, (some_id, leaf) in lookups.items():
        query = f"query($id: ID!) {{ {field}(id: $id) {{ id {leaf} }} }}"
        mine = await gql(client, query, org.viewer, id=some_id)
        assert mine.get("data") and mine["data"][field]["id"] == some_id, (field, mine)
        for caller, wanted in ((other_org.viewer, some_id), (org.viewer, missing)):
            assert await gql(client, query, caller, id=wanted) == {"data": {field: None}}, field
    both = await gql(
        client, "query($a: ID!, $b: ID!) { a: project(id: $a) { key } b: project(id: $b) { key } }",
        org.viewer, a=project["id"], b=missing,
    )  # fmt: skip
    assert both == {"data": {"a": {"key": project["key"]}, "b": None}}  # one miss spoils nothing
