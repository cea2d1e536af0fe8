"""RFC 9457 problem+json for every error: one table from domain error class to HTTP status."""

from __future__ import annotations

import json
import logging
import re
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response

from app.api import retry
from app.domain.common.errors import (
    Conflict,
    DomainError,
    NotFound,
    PermissionDenied,
    Unauthenticated,
    Unavailable,
    ValidationFailed,
    VersionConflict,
)

log = logging.getLogger("charter.errors")

PROBLEM = "application/problem+json"

# Looked up along the error's MRO, so subclasses inherit their parent's status.
STATUS: dict[type[DomainError], int] = {
    ValidationFailed: 422,
    Unauthenticated: 401,
    PermissionDenied: 403,
    NotFound: 404,
    Conflict: 409,
    VersionConflict: 412,
    Unavailable: 503,
    DomainError: 400,
}

HTTP_CODES = {
    400: "bad_request",
    401: "unauthenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    409: "conflict",
    412: "version_conflict",
    413: "payload_too_large",
    415: "unsupported_media_type",
    422: "validation_failed",
    428: "precondition_required",
    429: "too_many_requests",
    500: "internal_error",
    503: "service_unavailable",
}

TITLES = {404: "Not found", 405: "Method not allowed", 428: "Precondition required"}

LOCATIONS = ("body", "query", "path", "header", "cookie")
SAFE = frozenset({"GET", "HEAD", "OPTIONS"})
# Seconds: outages the service rides out (a database restart) take about one.
RETRY_AFTER = "1"


def status_for(exc: DomainError) -> int:
    for cls in type(exc).__mro__:
        if cls in STATUS and issubclass(cls, DomainError):
            return STATUS[cls]
    return 400


def problem(
    request: Request | None,
    status: int,
    code: str,
    title: str,
    detail: str | None = None,
    extra: dict[str, Any] | None = None,
    headers: dict[str, str] | None = None,
) -> Response:
    body: dict[str, Any] = {
        "type": f"https://charter.dev/problems/{code.replace('_', '-')}",
        "title": title,
        "status": status,
        "detail": detail or title,
        "code": code,
    }
    if request is not None:
        body["instance"] = request.url.path
        rid = getattr(request.state, "request_id", None)
        if rid:
            body["request_id"] = rid
    body.update(extra or {})
    response = Response(json.dumps(body), status_code=status, media_type=PROBLEM, headers=headers)
    if request is not None and getattr(request.state, "request_id", None):
        response.headers["X-Request-ID"] = request.state.request_id
    return response


def _qualify(field: str) -> str:
    """Domain errors name bare fields; REST callers see where the field was (``body.key``)."""
    return field if field.split(".")[0] in LOCATIONS else f"body.{field}"


async def domain_error_handler(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, DomainError)
    status = status_for(exc)
    extra = exc.extra()
    if "errors" in extra:
        extra["errors"] = [{**e, "field": _qualify(e["field"])} for e in extra["errors"]]
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    if status == 503:
        headers = {"Retry-After": RETRY_AFTER}
    if isinstance(exc, Unavailable):
        # One REST request is one use case: one command, or reads only.
        retry.note(request.state, exc, read_only=request.method in SAFE, one_command=True)
    return problem(request, status, exc.code, exc.title, exc.message, extra, headers)


def _loc(loc: tuple[Any, ...] | list[Any]) -> str:
    parts = [str(p) for p in loc]
    return ".".join(parts) if parts else "body"


def _message(err: dict[str, Any]) -> str:
    kind = err.get("type", "")
    if kind == "extra_forbidden":
        return "is not a field of this resource, or is set by the server"
    if kind == "missing":
        return "is required"
    if kind == "json_invalid":
        return "is not valid JSON"
    return str(err.get("msg", "is not valid")).removeprefix("Value error, ")


async def request_validation_handler(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    broken = next((e for e in exc.errors() if e.get("type") == "json_invalid"), None)
    if broken is not None:  # not a JSON document at all: nothing to validate field by field
        loc = broken.get("loc", ())
        at = f" at character {loc[-1]}" if loc and isinstance(loc[-1], int) else ""
        reason = (broken.get("ctx") or {}).get("error")
        return problem(
            request,
            400,
            "malformed_json",
            "The body is not valid JSON",
            f"The body is not valid JSON{at}" + (f": {reason}" if reason else ""),
        )
    errors = [{"field": _loc(e.get("loc", ())), "message": _message(e)} for e in exc.errors()]
    first = errors[0] if errors else {"field": "body", "message": "is not valid"}
    return problem(
        request,
        422,
        "validation_failed",
        "The request is not valid",
        f"{first['field']}: {first['message']}",
        {"errors": errors},
    )


_METHOD_ORDER = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE")


def _path_methods(app: Any) -> list[tuple[re.Pattern[str], frozenset[str]]]:
    """Each published path as a pattern, with its methods (built once per app)."""
    table: list[tuple[re.Pattern[str], frozenset[str]]] | None = getattr(
        app.state, "path_methods", None
    )
    if table is None:
        table = []
        for path, operations in app.openapi().get("paths", {}).items():
            pattern = re.sub(r"\\\{[^/]+?\\\}", "[^/]+", re.escape(path))
            table.append((re.compile(pattern + "$"), frozenset(m.upper() for m in operations)))
        app.state.path_methods = table
    return table


def allowed_methods(request: Request, fallback: str | None) -> str:
    """Every method some route answers on this path, from the published contract (the router
    reports only the first route whose path matched); HEAD wherever GET is."""
    methods: set[str] = set()
    for pattern, names in _path_methods(request.app):
        if pattern.match(request.url.path):
            methods |= names
    if not methods:
        return fallback or ""
    if "GET" in methods:
        methods.add("HEAD")  # HttpSemantics answers HEAD wherever GET is
    rank = {m: i for i, m in enumerate(_METHOD_ORDER)}
    return ", ".join(sorted(methods, key=lambda m: (rank.get(m, len(rank)), m)))


async def http_error_handler(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    code = HTTP_CODES.get(exc.status_code, "http_error")
    title = TITLES.get(exc.status_code, str(exc.detail))
    headers = dict(exc.headers or {})
    detail = str(exc.detail)
    if exc.status_code == 405:
        headers["Allow"] = allowed_methods(request, headers.get("Allow"))
        detail = f"{request.method} is not allowed here; this path answers {headers['Allow']}"
    return problem(request, exc.status_code, code, title, detail, headers=headers)


async def unexpected_error_handler(request: Request, exc: Exception) -> Response:
    log.exception("unexpected error")  # the log filter adds the request id
    return problem(
        request,
        500,
        "internal_error",
        "Internal error",
        "Something went wrong on our side; quote the request id when reporting it",
    )


def install(app: FastAPI) -> None:
    app.add_exception_handler(DomainError, domain_error_handler)
    app.add_exception_handler(RequestValidationError, request_validation_handler)
    app.add_exception_handler(StarletteHTTPException, http_error_handler)
    app.add_exception_handler(Exception, unexpected_error_handler)
