"""The published OpenAPI is worth generating clients from (issue 15).

Walks the document the app serves (the same one `make openapi` writes): verb + noun
operationIds, descriptions on every operation, parameter, schema and property, a valid
example for every request body, documented response headers and only plausible statuses.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import jsonschema_rs
import pytest

from app.api.openapi_operations import OPERATIONS
from app.config import Settings
from app.main import create_app

OPERATION_ID = re.compile(
    r"^(list|get|create|update|delete|transition|assess|record|reverse|decide|write|replay)"
    r"[A-Z][A-Za-z]*$"
)


@pytest.fixture(scope="module")
def doc() -> dict[str, Any]:
    app = create_app(Settings(database_url="postgresql://contract-only/none", jwt_secret="x" * 32))
    return app.openapi()


def operations(doc: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    for path, methods in doc["paths"].items():
        for method, operation in methods.items():
            yield method, path, operation


def properties(node: Any, where: str) -> Iterator[tuple[str, dict[str, Any]]]:
    """Every property of a schema, however nested (items, anyOf, inline objects)."""
    if isinstance(node, dict):
        for name, prop in node.get("properties", {}).items():
            yield f"{where}.{name}", prop
            yield from properties(prop, f"{where}.{name}")
        for key in ("items", "additionalProperties"):
            yield from properties(node.get(key), where)
        for key in ("anyOf", "oneOf", "allOf"):
            for option in node.get(key, []):
                yield from properties(option, where)


def test_operation_ids_are_verb_noun_camel_case_and_unique(doc: dict[str, Any]) -> None:
    ids = [op["operationId"] for _, _, op in operations(doc)]
    assert len(ids) == len(set(ids))
    assert [i for i in ids if not OPERATION_ID.match(i)] == []
    assert max(len(i) for i in ids) <= 30
    served = {(m, p) for m, p, _ in operations(doc)}
    assert served == set(OPERATIONS), "the table lists exactly the served operations"
    by_route = {(m, p): op["operationId"] for m, p, op in operations(doc)}
    assert by_route[("get", "/api/v1/projects")] == "listProjects"
    assert by_route[("post", "/api/v1/projects/{project_id}/ledger/entries")] == (
        "createLedgerEntry"
    )


def test_every_operation_parameter_schema_and_property_is_described(
    doc: dict[str, Any],
) -> None:
    missing = []
    for method, path, op in operations(doc):
        if not op.get("description"):
            missing.append(f"{method} {path}")
        if not op.get("tags"):
            missing.append(f"{method} {path} tags")
        missing += [
            f"{method} {path} parameter {p['name']}"
            for p in op.get("parameters", [])
            if not p.get("description")
        ]
    for name, schema in doc["components"]["schemas"].items():
        if not schema.get("description"):
            missing.append(f"schema {name}")
        missing += [
            f"property {where}" for where, p in properties(schema, name) if not p.get("description")
        ]
    tags = {t["name"] for t in doc["tags"] if t.get("description")}
    missing += sorted({t for _, _, op in operations(doc) for t in op["tags"]} - tags)
    assert missing == []


def _resolved(doc: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    return {**schema, "components": doc["components"]}


def test_every_request_body_has_a_valid_example(doc: dict[str, Any]) -> None:
    bodies = 0
    for method, path, op in operations(doc):
        for media, content in op.get("requestBody", {}).get("content", {}).items():
            bodies += 1
            assert "example" in content, f"{method} {path} {media}"
            jsonschema_rs.validate(_resolved(doc, content["schema"]), content["example"])
    assert bodies > 40


def test_a_bad_example_fails_the_check(doc: dict[str, Any]) -> None:
    body = doc["paths"]["/api/v1/projects"]["post"]["requestBody"]["content"]["application/json"]
    with pytest.raises(jsonschema_rs.ValidationError):
        jsonschema_rs.validate(_resolved(doc, body["schema"]), {"key": "x"})


def test_patch_bodies_are_merge_patch_and_json(doc: dict[str, Any]) -> None:
    patches = [op for m, _, op in operations(doc) if m == "patch"]
    assert len(patches) > 10
    for op in patches:
        assert set(op["requestBody"]["content"]) == {
            "application/merge-patch+json",
            "application/json",
        }


def test_response_headers_are_documented_where_sent(doc: dict[str, Any]) -> None:
    def headers(method: str, path: str, status: str) -> set[str]:
        return set(doc["paths"][path][method]["responses"][status].get("headers", {}))

    project = "/api/v1/projects/{project_id}"
    assert {"ETag", "X-Request-ID"} <= headers("get", project, "200")
    assert {"ETag", "Location", "Idempotent-Replayed"} <= headers("post", "/api/v1/projects", "201")
    assert "Retry-After" in headers("get", project, "503")
    assert "ETag" not in headers("get", "/api/v1/projects", "200")
    entries = project + "/ledger/entries"
    assert {"Location", "Idempotent-Replayed"} <= headers("post", entries, "201")
    assert "ETag" not in headers("post", entries, "201")  # entries have no version
    for method, path, op in operations(doc):
        for status, response in op["responses"].items():
            request_id = response["headers"]["X-Request-ID"]["$ref"]
            assert request_id == "#/components/headers/X-Request-ID", f"{method} {path} {status}"
            assert all(h.get("$ref") or h["description"] for h in response["headers"].values())
    shared = doc["components"]["headers"]
    assert all(h["description"] and h["required"] for h in shared.values())
    created = doc["paths"]["/api/v1/projects"]["post"]["responses"]["201"]["headers"]
    assert not created["ETag"]["required"]  # a replay sends none
    assert not created["Idempotent-Replayed"]["required"]


def test_conditional_gets_declare_if_none_match_and_304(doc: dict[str, Any]) -> None:
    project = doc["paths"]["/api/v1/projects/{project_id}"]["get"]
    assert "If-None-Match" in {p["name"] for p in project["parameters"]}
    assert set(project["responses"]["304"]["headers"]) == {"ETag", "X-Request-ID"}
    # A risk's body changes with the day (review_overdue): never a 304.
    risk = doc["paths"]["/api/v1/projects/{project_id}/risks/{risk_id}"]["get"]
    assert "304" not in risk["responses"]
    assert "If-None-Match" not in {p["name"] for p in risk["parameters"]}


def test_statuses_fit_each_operation(doc: dict[str, Any]) -> None:
    lists = doc["paths"]["/api/v1/projects"]["get"]["responses"]
    assert not {"404", "409", "412", "400", "413", "415"} & set(lists)
    assert "412" in doc["paths"]["/api/v1/projects/{project_id}"]["patch"]["responses"]
    assert set(doc["paths"]["/healthz"]["get"]["responses"]) == {"200"}
    assert "503" in doc["paths"]["/readyz"]["get"]["responses"]
    for method, path, op in operations(doc):
        statuses = set(op["responses"])
        if "{" not in path:
            assert "404" not in statuses, f"{method} {path}"
        if method == "get":
            assert not {"409", "412"} & statuses, f"{method} {path}"


def test_metrics_are_text_and_sort_is_an_enum_and_changes_typed(doc: dict[str, Any]) -> None:
    metrics = doc["paths"]["/metrics"]["get"]["responses"]["200"]["content"]
    assert list(metrics) == ["text/plain"]
    schemas = doc["components"]["schemas"]
    for path, enum in (
        ("/api/v1/projects", "ProjectSort"),
        ("/api/v1/projects/{project_id}/risks", "RiskSort"),
    ):
        sort = next(p for p in doc["paths"][path]["get"]["parameters"] if p["name"] == "sort")
        assert sort["schema"]["$ref"] == f"#/components/schemas/{enum}"
        assert "-" + schemas[enum]["enum"][0] in schemas[enum]["enum"]
    changes = schemas["ActivityRead"]["properties"]["changes"]["additionalProperties"]
    assert {"$ref": "#/components/schemas/FieldChange"} in changes["anyOf"]
    assert set(schemas["FieldChange"]["required"]) == {"from", "to"}
