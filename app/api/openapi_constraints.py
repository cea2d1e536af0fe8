"""Publish in OpenAPI the input rules pydantic's schemas do not show (API.md "Hostile input").

Only request-side schemas (bodies and parameters) are touched: text without NUL, dates as
YYYY-MM-DD from 1900, currencies as three capitals, cursors short and URL-safe.
"""

from __future__ import annotations

from typing import Any

from app.domain.common.paging import MAX_CURSOR_CHARS

NO_NUL = "^[^\\u0000]*$"
DATE = "^(19[0-9]{2}|[2-9][0-9]{3})-[0-9]{2}-[0-9]{2}$"
CURRENCY = "^[A-Z]{3}$"
CURSOR = {"maxLength": MAX_CURSOR_CHARS, "pattern": "^[A-Za-z0-9_-]*$"}


def _constrain(node: Any, name: str | None = None) -> None:
    if isinstance(node, list):
        for item in node:
            _constrain(item, name)
        return
    if not isinstance(node, dict):
        return
    if node.get("type") == "string" and "pattern" not in node and "enum" not in node:
        if node.get("format") == "date":
            node["pattern"] = DATE
        elif name == "currency":
            node["pattern"] = CURRENCY
        elif "format" not in node:
            node["pattern"] = NO_NUL
    for key, value in node.items():
        if key == "properties" and isinstance(value, dict):
            for prop, schema in value.items():
                _constrain(schema, prop)
        elif key in ("anyOf", "oneOf", "allOf", "items"):
            _constrain(value, name)


def _refs(node: Any, found: set[str]) -> None:
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/components/schemas/"):
            found.add(ref.rsplit("/", 1)[1])
        for value in node.values():
            _refs(value, found)
    elif isinstance(node, list):
        for item in node:
            _refs(item, found)


def publish_constraints(doc: dict[str, Any]) -> None:
    schemas = doc.get("components", {}).get("schemas", {})
    requested: set[str] = set()
    for methods in doc.get("paths", {}).values():
        for operation in methods.values():
            _refs(operation.get("requestBody"), requested)
            for parameter in operation.get("parameters", []):
                schema = parameter.get("schema", {})
                if parameter["name"] == "cursor":
                    for option in schema.get("anyOf", [schema]):
                        if option.get("type") == "string":
                            option.update(CURSOR)
                else:
                    _constrain(schema, parameter["name"])
    pending = set(requested)
    while pending:  # schemas referenced from request schemas are request schemas too
        name = pending.pop()
        found: set[str] = set()
        _refs(schemas.get(name), found)
        pending |= found - requested
        requested |= found
    for name in requested:
        _constrain(schemas.get(name))
