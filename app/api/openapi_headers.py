"""Publish the response headers the API sends, and the merge-patch media type of PATCH.

Which response carries which header follows the code that sends it:
- ``X-Request-ID``: every response (RequestContextMiddleware, and every problem).
- ``ETag``: the 2xx answers that render a versioned resource (``json_response`` with a
  version, ``create`` of a resource with a version, its idempotent replays included).
- ``Location``: every 201 (``create`` and the webhook endpoint's registration).
- ``Idempotent-Replayed``: the 201 of an operation that takes an ``Idempotency-Key``.
- ``Retry-After``: every 503 (the problem handler and /readyz).
- ``WWW-Authenticate``: every 401.
A GET whose 200 carries the ETag, and whose body that version determines (not marked
``not_by_version``), takes ``If-None-Match`` and answers 304 when it names that ETag
(app/api/http_semantics.py); every GET also answers HEAD, which OpenAPI leaves implicit.
No response sends ``Link``: paging is by ``next_cursor`` in the body.
"""

from __future__ import annotations

from typing import Any

HEADERS: dict[str, dict[str, Any]] = {
    "X-Request-ID": {
        "description": "The request's id: the caller's X-Request-ID when it sent a valid one, "
        "otherwise a new one. Quote it when reporting a problem.",
        "schema": {"type": "string"},
    },
    "ETag": {
        "description": 'The resource\'s version as a strong ETag, like "3"; send it back in '
        "If-Match to refuse a stale write (on an idempotent replay: the version the "
        "replayed body shows).",
        "schema": {"type": "string"},
    },
    "Location": {
        "description": "The path of the created resource",
        "schema": {"type": "string"},
    },
    "Idempotent-Replayed": {
        "description": "true when this answers again an earlier request with the same "
        "Idempotency-Key and the same command, over REST or GraphQL (nothing was created "
        "again)",
        "schema": {"type": "string", "enum": ["true"]},
    },
    "Retry-After": {
        "description": "Seconds to wait before trying again",
        "schema": {"type": "string"},
    },
    "WWW-Authenticate": {
        "description": "The authentication scheme: Bearer",
        "schema": {"type": "string"},
    },
}

MERGE_PATCH = "application/merge-patch+json"
# Operations that render a resource with a version but send no ETag (webhook endpoints).
NO_ETAG_PREFIXES = ("/api/v1/webhooks/",)


def _ref(name: str) -> dict[str, Any]:
    """A header sent with every such response: a reference to the shared component."""
    return {"$ref": f"#/components/headers/{name}"}


def _optional(name: str) -> dict[str, Any]:
    """A header some of these responses lack, inline: generators (openapi-typescript) read
    "required" only on an inline header, not through a $ref."""
    return {**HEADERS[name], "required": False}


def _has_version(doc: dict[str, Any], response: dict[str, Any]) -> bool:
    schema = response.get("content", {}).get("application/json", {}).get("schema", {})
    ref = schema.get("$ref", "")
    if not ref.startswith("#/components/schemas/"):
        return False
    target = doc["components"]["schemas"].get(ref.rsplit("/", 1)[1], {})
    return "version" in target.get("properties", {})


IF_NONE_MATCH = {
    "name": "If-None-Match",
    "in": "header",
    "required": False,
    "description": 'The ETag you hold, e.g. "3": a 304 without a body when it is still current',
    "schema": {"type": "string"},
}


def _conditional(operation: dict[str, Any]) -> None:
    """Declare If-None-Match and its 304 on a GET whose 200 sends an ETag."""
    operation.setdefault("parameters", []).append(IF_NONE_MATCH)
    operation["responses"]["304"] = {
        "description": "Not modified: the ETag named in If-None-Match is still current",
        "headers": {"ETag": _ref("ETag"), "X-Request-ID": _ref("X-Request-ID")},
    }


def document_headers(doc: dict[str, Any], conditional: set[str] | None = None) -> None:
    """Add each response's headers (shared components) and merge-patch to PATCH bodies;
    If-None-Match and 304 on the GETs of ``conditional`` paths that send an ETag."""
    doc.setdefault("components", {})["headers"] = {
        name: {**header, "required": True}
        for name, header in HEADERS.items()
        if name != "Idempotent-Replayed"
    }
    for path, methods in doc.get("paths", {}).items():
        for method, operation in methods.items():
            params = {p["name"] for p in operation.get("parameters", []) if p["in"] == "header"}
            for status, response in operation.get("responses", {}).items():
                headers = {"X-Request-ID": _ref("X-Request-ID")}
                versioned = status.startswith("2") and _has_version(doc, response)
                if versioned and not path.startswith(NO_ETAG_PREFIXES):
                    # a replayed 201 has no ETag: optional there
                    headers["ETag"] = _optional("ETag") if status == "201" else _ref("ETag")
                if status == "201":
                    headers["Location"] = _ref("Location")
                    if "Idempotency-Key" in params:
                        headers["Idempotent-Replayed"] = _optional("Idempotent-Replayed")
                if status == "503":
                    headers["Retry-After"] = _ref("Retry-After")
                if status == "401":
                    headers["WWW-Authenticate"] = _ref("WWW-Authenticate")
                response["headers"] = headers
            ok = operation.get("responses", {}).get("200", {})
            if method == "get" and path in (conditional or set()) and "ETag" in ok["headers"]:
                _conditional(operation)
            body = operation.get("requestBody")
            if method == "patch" and body is not None:
                content = body["content"]
                # merge-patch first: it is what PATCH means; plain JSON is accepted too.
                body["content"] = {MERGE_PATCH: content["application/json"], **content}
