"""Shared REST plumbing: the caller, services, ETags, JSON responses and idempotent creation."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated, Any, TypeVar

from fastapi import Depends, Header, HTTPException, Request
from pydantic import BaseModel
from starlette.responses import Response

from app.api.container import Services
from app.domain.common.errors import VersionConflict
from app.domain.common.idempotency import MAX_KEY_CHARS, run_once
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
KEY_FIELD = "header.idempotency-key"
IdempotencyKey = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        min_length=1,
        max_length=MAX_KEY_CHARS,
        description=(
            "Replays the first response for the same key and the same command within 24 "
            "hours, whether it was first sent here or as GraphQL's idempotencyKey"
        ),
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


async def create(
    svc: Services,
    caller: Principal,
    key: str | None,
    command: object,
    run: Callable[[Any], Awaitable[T]],
    render: Callable[[T], tuple[BaseModel, str, int | None]],
) -> Response:
    """Run a creating use case once per Idempotency-Key (``common.idempotency.run_once``).

    ``render`` turns the domain result into (body, location, version), the first time
    and for a replay alike (the replay adds ``Idempotent-Replayed: true``), whichever
    adapter ran the command first.
    """
    outcome = await run_once(
        key, command, run, uow=svc.uow(), org=caller.org, clock=svc.clock, field=KEY_FIELD
    )
    model, location, version = render(outcome.result)
    response = json_response(model, 201, version=version, location=location)
    if outcome.replayed:
        response.headers["Idempotent-Replayed"] = "true"
    return response
