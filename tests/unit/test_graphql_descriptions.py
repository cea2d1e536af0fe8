"""Every part of the GraphQL schema is described (so drift is caught without node, before
graphql-schema-linter runs in CI), and the enum of user error codes covers the domain's."""

from __future__ import annotations

from pathlib import Path

import graphql

import app.main  # noqa: F401 - imports every capability, so every DomainError subclass exists
from app.api.graphql.common import USER_ERRORS
from app.api.graphql.description_texts import SPECIFIC
from app.api.graphql.descriptions import describe, missing
from app.api.graphql.enums import UserErrorCode
from app.api.graphql.schema import build_schema
from app.domain.common.errors import DomainError

SDL = Path(__file__).resolve().parents[2] / "openapi" / "schema.graphql"


def test_the_built_schema_has_a_description_everywhere() -> None:
    assert missing(build_schema()._schema) == []


def test_the_published_sdl_has_a_description_everywhere() -> None:
    assert missing(graphql.build_schema(SDL.read_text())) == []


def test_missing_finds_what_lacks_a_description() -> None:
    schema = graphql.build_schema(
        '"""A"""\ntype Query {\n  """B"""\n  a(x: Int): E\n  b: Int\n}\n'
        '"""E"""\nenum E {\n  """V"""\n  V\n  W\n}\n'
        'input I {\n  """F"""\n  f: Int\n  g: Int\n}\n'
    )
    assert missing(schema) == ["Query.a(x)", "Query.b", "E.W", "I", "I.g"]
    describe(schema, {"Query.a(x)": "X", "E.W": "W"})  # the rest by the generic rules
    assert missing(schema) == ["Query.b", "I", "I.g"]


def test_every_written_description_names_a_part_of_the_schema() -> None:
    schema = build_schema()._schema
    parts: set[str] = set()
    for name, type_ in schema.type_map.items():
        parts.add(name)
        for field_name, field in getattr(type_, "fields", {}).items():
            parts.add(f"{name}.{field_name}")
            parts.update(f"{name}.{field_name}({a})" for a in getattr(field, "args", {}))
        parts.update(f"{name}.{v}" for v in getattr(type_, "values", {}))
    assert sorted(k for k in SPECIFIC if k not in parts) == []


def _subclasses(cls: type[DomainError]) -> set[type[DomainError]]:
    found = set(cls.__subclasses__())
    for sub in list(found):
        found |= _subclasses(sub)
    return found


def test_user_error_codes_cover_every_user_error_of_the_domain() -> None:
    codes = {cls.code for base in USER_ERRORS for cls in {base, *_subclasses(base)}}
    assert codes == {code.value for code in UserErrorCode}
