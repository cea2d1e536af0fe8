"""Per operation, exactly the statuses it can answer, in the published OpenAPI document.

The rules follow the code paths every operation shares: the bearer check (401), roles
(403), path ids (404), state conflicts on writes (409), If-Match (412, and 428 when it is
required and missing), JSON bodies (400 malformed, 413 too large, 415 not JSON),
validation (422, only where there is a parameter or body to be invalid), request heads
(431, from the HTTP server) and the database (503). Of the operational endpoints only
/readyz answers 503.
"""

from __future__ import annotations

from typing import Any

PROBLEM_SCHEMA = {"$ref": "#/components/schemas/Problem"}
DESCRIPTIONS = {
    "400": "Malformed JSON, or JSON nested deeper than 64 levels",
    "401": "No or bad bearer token",
    "403": "Role too low",
    "404": "Not found (or another organization's)",
    "409": "Conflicts with the current state",
    "412": "Stale If-Match",
    "413": "Request body over the limit",
    "415": "The body is not JSON",
    "422": "Invalid request",
    "428": "If-Match missing (with CHARTER_REQUIRE_IF_MATCH=true)",
    "431": "Request headers over 16 KiB",
    "503": "Database unavailable",
}
# Operations answered without the database or the caller's role (the token is checked).
NO_DATABASE = {("get", "/api/v1/webhooks/event-types")}
# Outside /api: only readiness looks at the database.
OPERATIONAL = {"/readyz": {"503"}}


def _statuses(method: str, path: str, operation: dict[str, Any]) -> set[str]:
    if not path.startswith("/api/"):
        return OPERATIONAL.get(path, set())
    if (method, path) in NO_DATABASE:
        return {"401", "431"}
    statuses = {"401", "403", "431", "503"}
    if "{" in path:  # only a path id can be missing: references in bodies are 422s
        statuses.add("404")
    if operation.get("parameters") or "requestBody" in operation:
        statuses.add("422")
    if method != "get":
        statuses.add("409")
    headers = {p["name"] for p in operation.get("parameters", []) if p["in"] == "header"}
    if "If-Match" in headers:
        statuses |= {"412", "428"}
    if method in ("post", "put", "patch"):  # the middleware reads any body these send
        statuses |= {"400", "413", "415"}
    return statuses


def document_statuses(doc: dict[str, Any]) -> None:
    """Replace each operation's error responses by the ones it can answer."""
    for path, methods in doc.get("paths", {}).items():
        for method, operation in methods.items():
            responses = operation.setdefault("responses", {})
            for status in [s for s in responses if s[0] in "45"]:
                del responses[status]
            for status in sorted(_statuses(method, path, operation)):
                responses[status] = {
                    "description": DESCRIPTIONS[status],
                    "content": {"application/problem+json": {"schema": PROBLEM_SCHEMA}},
                }
    metrics = doc.get("paths", {}).get("/metrics", {}).get("get")
    if metrics is not None:
        metrics["responses"]["200"] = {
            "description": "Prometheus text exposition format",
            "content": {"text/plain": {"schema": {"type": "string"}}},
        }
