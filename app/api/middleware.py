"""Pure ASGI middleware: request ids, body size, type and depth limits, security headers,
Prometheus metrics and the access log line."""

from __future__ import annotations

import json
import logging
import re
import time
import uuid
from typing import Any

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.api.json_depth import MAX_JSON_DEPTH, JsonDepth
from app.logs import ACCESS_LOGGER, start_request
from app.metrics import Metrics

REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")
SECURITY_HEADERS = ((b"x-content-type-options", b"nosniff"),)
PRIVATE_PREFIXES = ("/api/", "/graphql")
BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})
JSON_TYPES = frozenset({b"application/json", b"application/merge-patch+json"})
_OWN_HEADERS = frozenset({b"x-request-id", b"x-content-type-options"})
_PRIVATE_HEADERS = _OWN_HEADERS | {b"cache-control"}


access_log = logging.getLogger(ACCESS_LOGGER)


def _problem(send: Send, request_id: str, status: int, code: str, title: str, detail: str) -> Any:
    body = json.dumps(
        {
            "type": f"https://charter.dev/problems/{code.replace('_', '-')}",
            "title": title,
            "status": status,
            "detail": detail,
            "code": code,
            "request_id": request_id,
        }
    ).encode()

    async def respond() -> None:
        await send(
            {
                "type": "http.response.start",
                "status": status,
                "headers": [
                    (b"content-type", b"application/problem+json"),
                    (b"content-length", str(len(body)).encode()),
                    (b"x-request-id", request_id.encode()),
                    (b"connection", b"close"),
                    *SECURITY_HEADERS,
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})

    return respond()


def _too_large(send: Send, request_id: str, limit: int) -> Any:
    detail = f"The request body exceeds {limit} bytes"
    return _problem(send, request_id, 413, "payload_too_large", "Payload too large", detail)


def _json_body(scope: Scope) -> bool:
    """A body that will be parsed as JSON (declared so, or undeclared on a write)."""
    if scope["method"] not in BODY_METHODS:
        return False
    declared = next((v for k, v in scope["headers"] if k == b"content-type"), None)
    return declared is None or b"json" in declared.lower()


def _not_json(scope: Scope) -> bool:
    """A REST write whose body is declared as something other than JSON, or not at all (415)."""
    if scope["method"] not in BODY_METHODS or not scope["path"].startswith("/api/"):
        return False
    declared = next((v for k, v in scope["headers"] if k == b"content-type"), None)
    if declared is None:  # a body with no type is not read as JSON either: say what to send
        return any(
            (k == b"content-length" and v.strip() not in (b"", b"0")) or k == b"transfer-encoding"
            for k, v in scope["headers"]
        )
    media = declared.split(b";")[0].strip().lower()
    return media not in JSON_TYPES


class _BodyTooLarge(HTTPException):
    """Raised while streaming a body past the limit; an HTTPException so frameworks keep the 413."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, f"The request body exceeds {limit} bytes")


class RequestContextMiddleware:
    """Give every response an ``X-Request-ID``, cap request bodies, record metrics, and log one
    line per request (logger ``charter.access``; its level INFO turns it on)."""

    def __init__(
        self, app: ASGIApp, metrics: Metrics, max_body_bytes: int, *, production: bool = False
    ) -> None:
        self.app = app
        self.metrics = metrics
        self.max_body_bytes = max_body_bytes
        # Server-Timing tells a stranger how long each request took: development only.
        self.timing = not production

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        incoming = next(
            (v.decode("latin-1") for k, v in scope["headers"] if k == b"x-request-id"), None
        )
        request_id = incoming if incoming and REQUEST_ID.match(incoming) else uuid.uuid4().hex
        scope.setdefault("state", {})["request_id"] = request_id
        entry = start_request(request_id)  # every log line of the request carries its id
        limit = self.max_body_bytes
        length = next((v for k, v in scope["headers"] if k == b"content-length"), None)
        if length is not None and (not length.isdigit() or int(length) > limit):
            await _too_large(send, request_id, limit)
            return
        if _not_json(scope):
            detail = "Send the body as application/json (or application/merge-patch+json)"
            await _problem(
                send, request_id, 415, "unsupported_media_type", "Unsupported media type", detail
            )
            return
        private = scope["path"].startswith(PRIVATE_PREFIXES) or any(
            k == b"authorization" for k, _ in scope["headers"]
        )
        received = 0
        started = False
        status = 500

        depth = JsonDepth() if _json_body(scope) else None

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                chunk = message.get("body", b"")
                received += len(chunk)
                if received > limit:
                    raise _BodyTooLarge(limit)
                if depth is not None and depth.feed(chunk):
                    raise HTTPException(
                        400, f"The JSON body is nested deeper than {MAX_JSON_DEPTH} levels"
                    )
            return message

        async def send_with_id(message: Message) -> None:
            nonlocal started, status
            if message["type"] == "http.response.start":
                started = True
                status = message["status"]
                own = _PRIVATE_HEADERS if private else _OWN_HEADERS
                headers = [h for h in message.get("headers", []) if h[0].lower() not in own]
                headers += [(b"x-request-id", request_id.encode()), *SECURITY_HEADERS]
                if private:  # authenticated data: no shared or browser cache keeps it
                    headers.append((b"cache-control", b"no-store"))
                if self.timing:
                    # Server time up to the response head (the whole handler for JSON).
                    timing = f"app;dur={(time.perf_counter() - begin) * 1000:.2f}".encode()
                    headers.append((b"server-timing", timing))
                message = {**message, "headers": headers}
            await send(message)

        begin = time.perf_counter()
        try:
            await self.app(scope, limited_receive, send_with_id)
        except _BodyTooLarge:
            if not started:
                await _too_large(send, request_id, limit)
            status = 413
        finally:
            route = scope.get("route")
            path = getattr(route, "path", None) or "unmatched"
            seconds = time.perf_counter() - begin
            method = scope["method"]
            self.metrics.requests.labels(method, path, str(status)).inc()
            self.metrics.latency.labels(method, path).observe(seconds)
            if access_log.isEnabledFor(logging.INFO):
                ms = round(seconds * 1000, 2)
                access_log.info(
                    "%s %s %s %.2f ms",
                    method,
                    path,
                    status,
                    ms,
                    extra={
                        "method": method,
                        "route": path,
                        "status": status,
                        "duration_ms": ms,
                        "org": entry.org,
                        "sub": entry.sub,
                    },
                )
