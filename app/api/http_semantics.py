"""HTTP semantics every GET shares (RFC 9110): HEAD, and 304 on a matching If-None-Match.

A pure ASGI middleware, so no route repeats them: HEAD runs the GET (same status and
headers, Content-Length included) and sends no body; a GET or HEAD whose ``If-None-Match``
names the ETag of a 200 answer gets a 304 with that answer's headers, less the body and
its Content-Type/Content-Length. The GET still runs (the read is one round trip; what is
saved is the body on the wire), so a 304 is exactly as fresh as a 200.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from starlette.types import ASGIApp, Message, Receive, Scope, Send

F = TypeVar("F", bound=Callable[..., Any])

# Headers that describe a body, dropped from a 304 (RFC 9110 15.4.5 keeps the others).
_BODY_HEADERS = frozenset({b"content-type", b"content-length", b"content-encoding"})


# GET endpoints whose body is not a function of the ETag (the version) alone: values computed
# as of today (overdue flags) or children with versions of their own. They always answer 200.
_NOT_BY_VERSION: set[Callable[..., Any]] = set()


def not_by_version(endpoint: F) -> F:
    """Mark a GET endpoint whose ETag (its version) does not determine its body: no 304."""
    _NOT_BY_VERSION.add(endpoint)
    return endpoint


def by_version(endpoint: Callable[..., Any]) -> bool:
    """Whether a GET endpoint's ETag determines its body (so it may answer 304)."""
    return endpoint not in _NOT_BY_VERSION


def _by_version(scope: Scope) -> bool:
    return getattr(scope.get("route"), "endpoint", None) not in _NOT_BY_VERSION


def _opaque(tag: str) -> str:
    """The tag without its weakness mark (If-None-Match compares weakly)."""
    return tag.strip().removeprefix("W/")


def none_match(if_none_match: str, etag: str) -> bool:
    """Whether an ``If-None-Match`` value names ``etag`` (``*`` names any)."""
    value = if_none_match.strip()
    if value == "*":
        return True
    wanted = _opaque(etag)
    return any(_opaque(tag) == wanted for tag in value.split(","))


class HttpSemantics:
    """HEAD on every GET route, and conditional GETs (``If-None-Match`` -> 304)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in ("GET", "HEAD"):
            await self.app(scope, receive, send)
            return
        head = scope["method"] == "HEAD"
        condition = next(
            (v.decode("latin-1") for k, v in scope["headers"] if k == b"if-none-match"), None
        )
        if not head and condition is None:
            await self.app(scope, receive, send)
            return
        silent = head  # no body goes out: HEAD, or a 304
        # The server keeps its own scope (a HEAD it answers without a body); the app sees a GET.
        inner = {**scope, "method": "GET"} if head else scope

        async def conditional_send(message: Message) -> None:
            nonlocal silent
            if message["type"] == "http.response.start":
                headers = message.get("headers", [])
                etag = next((v.decode("latin-1") for k, v in headers if k.lower() == b"etag"), None)
                if (
                    condition is not None
                    and message["status"] == 200
                    and etag is not None
                    and none_match(condition, etag)
                    and _by_version(inner)
                ):
                    silent = True
                    kept = [(k, v) for k, v in headers if k.lower() not in _BODY_HEADERS]
                    message = {**message, "status": 304, "headers": kept}
            elif message["type"] == "http.response.body" and silent:
                message = {**message, "body": b""}
            await send(message)

        try:
            await self.app(inner, receive, conditional_send)
        finally:
            if head and "route" in inner:  # metrics label the HEAD by its route
                scope["route"] = inner["route"]
