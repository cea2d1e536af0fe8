"""Shared REST plumbing: the caller, services, ETags, JSON responses and idempotent creation."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Awaitable, Callable
from typing import Annotated, Any, TypeVar

from fastapi import Depends, Header, HTTPException, Request
from pydantic import BaseModel
from starlette.responses import Response

from app.api.container import Services
from app.domain.common.errors import (
    IdempotencyKeyReused,
    PermissionDenied,
    Unauthenticated,
    ValidationFailed,
    VersionConflict,
)
from app.domain.common.principal import Principal

T = TypeVar("T")


# Safe methods only read: their use cases get read-only units of work (see Services.reading).
SAFE_METHODS = frozenset({"GET", "HEAD"})


async def services(request: Request) -> Services:
    """Async, so FastAPI calls it inline instead of in its thread pool."""
    svc: Services = request.app.state.services
    return svc.reading if request.method in SAFE_METHODS else svc


async def principal(request: Request) -> Principal:
    svc: Services = request.app.state.services
    return await svc.authenticator.authenticate(request.headers.get("authorization"))


Caller = Annotated[Principal, Depends(principal)]
Svc = Annotated[Services, Depends(services)]


async def if_match(
    request: Request,
    value: Annotated[
        str | None, Header(alias="If-Match", description='The ETag you last read, e.g. "3"')
    ] = None,
) -> str | None:
    """The ``If-Match`` of a versioned write; required (428) under CHARTER_REQUIRE_IF_MATCH."""
    svc: Services = request.app.state.services
    if value is None and svc.require_if_match:
        raise HTTPException(
            428,
            'This write needs If-Match: the ETag you last read (e.g. "3"), or * to '
            "write whatever the current version",
        )
    return value


IfMatch = Annotated[str | None, Depends(if_match)]
IdempotencyKey = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        min_length=1,
        max_length=255,
        description="Replays the first response for the same key and body within 24 hours",
    ),
]


def expected_version(if_match: str | None) -> int | None:
    """Parse ``If-Match`` (``"3"``, ``W/"3"`` or ``*``); a value that cannot match is a 412."""
    if if_match is None or if_match.strip() == "*":
        return None
    raw = if_match.strip().removeprefix("W/").strip('"')
    if not raw.isdigit() or len(raw) > 9:
        raise VersionConflict("If-Match does not name a current version")
    return int(raw)


def json_response(
    model: BaseModel, status: int = 200, *, version: int | None = None, location: str | None = None
) -> Response:
    headers = {}
    if version is not None:
        headers["ETag"] = f'"{version}"'
    if location is not None:
        headers["Location"] = location
    return Response(
        model.model_dump_json(), status_code=status, media_type="application/json", headers=headers
    )


def _fingerprint(request: Request, body: BaseModel) -> str:
    canonical = json.dumps(body.model_dump(mode="json", exclude_unset=True), sort_keys=True)
    return hashlib.sha256(f"{request.method} {request.url.path}\n{canonical}".encode()).hexdigest()


async def _authorize_replay(run: Callable[[Any], Awaitable[Any]], uow: Any) -> None:
    """Run the command again inside the (never committed) transaction before a replay.

    A replay answers only a caller who passes the same authorization as the original
    (a viewer sending an admin's key and body gets the viewer's 403, not the admin's
    201). Any other outcome of the rerun (say, the key the original took is now taken)
    is dropped with the transaction, and the stored response is replayed.
    """
    try:
        await run(uow)
    except (Unauthenticated, PermissionDenied):
        raise
    except Exception:  # noqa: S110 - the rerun only checks access; the stored answer stands
        pass


async def create(
    request: Request,
    svc: Services,
    caller: Principal,
    key: str | None,
    body: BaseModel,
    run: Callable[[Any], Awaitable[T]],
    render: Callable[[T], tuple[BaseModel, str, int | None]],
) -> Response:
    """Run a creating use case; with an Idempotency-Key, claim it in the same transaction.

    ``render`` turns the result into (body, location, version). A replay returns the
    stored status and body with ``Idempotent-Replayed: true``.
    """
    if key is None:
        model, location, version = render(await run(svc.uow()))
        return json_response(model, 201, version=version, location=location)
    if not key.strip():
        raise ValidationFailed.on("header.idempotency-key", "must not be blank")
    fingerprint = _fingerprint(request, body)
    uow = svc.uow()
    async with uow:
        stored = await uow.idempotency.claim(caller.org, key, fingerprint, svc.clock.now())
        if stored is not None:
            if stored.request_hash != fingerprint:
                raise IdempotencyKeyReused.on(
                    "header.idempotency-key", "was already used with a different request"
                )
            await _authorize_replay(run, uow)
            headers = {"Idempotent-Replayed": "true"}
            if stored.location:
                headers["Location"] = stored.location
            return Response(
                stored.body,
                status_code=stored.status_code,
                media_type="application/json",
                headers=headers,
            )
        model, location, version = render(await run(uow))
        payload = model.model_dump_json()
        await uow.idempotency.complete(caller.org, key, 201, payload, location)
        await uow.commit()
    headers = {"Location": location}
    if version is not None:
        headers["ETag"] = f'"{version}"'
    return Response(payload, status_code=201, media_type="application/json", headers=headers)
