"""One name per enum in both contracts: the OpenAPI document takes GraphQL's.

FastAPI names an enum's schema after its Python class (``Category``, ``Status``, ``Level``),
which in a generated client is ambiguous; the GraphQL schema gives the same enums
qualified names (``LedgerCategory``, ``HealthStatus``, ``StakeholderLevel``). The OpenAPI
document is renamed to match, so a frontend that uses both sees one name per enum
(``tests/api/test_adapter_parity.py`` holds every shared enum to one name).
"""

from __future__ import annotations

from typing import Any

# OpenAPI schema name as FastAPI makes it -> the GraphQL enum's name.
ENUM_NAMES = {
    "ActionStatus": "ActionItemStatus",
    "Category": "LedgerCategory",
    "Channel": "StakeholderChannel",
    "Decision": "DeliverableDecisionKind",
    "EntryKind": "LedgerEntryKind",
    "Level": "StakeholderLevel",
    "Quadrant": "StakeholderQuadrant",
    "Status": "HealthStatus",
}
REF = "#/components/schemas/"


def rename_enums(doc: dict[str, Any]) -> None:
    """Rename the enum schemas of ``doc`` (and every reference to them) in place."""
    schemas = doc.get("components", {}).get("schemas", {})
    renames = {old: new for old, new in ENUM_NAMES.items() if old in schemas}
    for old, new in renames.items():
        if new in schemas:
            raise ValueError(f"OpenAPI schema {new} exists already: cannot rename {old}")
        schema = schemas.pop(old)
        if schema.get("title") == old:
            schema["title"] = new
        schemas[new] = schema
    if renames:
        refs = {REF + old: REF + new for old, new in renames.items()}
        _rewrite(doc, refs)
    doc["components"]["schemas"] = dict(sorted(schemas.items()))


def _rewrite(node: Any, refs: dict[str, str]) -> None:
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref in refs:
            node["$ref"] = refs[ref]
        for value in node.values():
            _rewrite(value, refs)
    elif isinstance(node, list):
        for value in node:
            _rewrite(value, refs)
