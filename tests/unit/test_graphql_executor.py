"""The plain-leaf fast path answers exactly like graphql-core's standard execution."""

from __future__ import annotations

import enum
from datetime import UTC, date, datetime
from typing import Any
from uuid import UUID

import pytest
import strawberry

from app.api.graphql import executor
from app.api.graphql.executor import ExecutionContext


@strawberry.enum
class Colour(enum.Enum):
    RED = "red"
    DARK_BLUE = "dark_blue"


@strawberry.type
class Item:
    id: strawberry.ID
    name: str
    note: str | None
    colour: Colour
    when: datetime
    day: date | None
    count: int
    ok: bool
    strict: str  # set to None on purpose in one item: a non-null violation

    @strawberry.field
    def shout(self, times: int = 1) -> str:
        return self.name.upper() * times


ITEMS = [
    Item(
        id=strawberry.ID(str(UUID(int=i))),
        name=f"n{i}",
        note=None if i % 2 else "é",
        colour=Colour.DARK_BLUE if i % 2 else Colour.RED,
        when=datetime(2026, 1, 1, 12, i, tzinfo=UTC),
        day=date(2026, 1, i + 1) if i % 3 else None,
        count=i,
        ok=bool(i % 2),
        strict="s",
    )
    for i in range(5)
]


@strawberry.type
class Query:
    @strawberry.field
    def items(self) -> list[Item]:
        return ITEMS

    @strawberry.field
    def broken(self) -> list[Item]:
        bad = Item(**{**vars(ITEMS[0]), "strict": None})
        return [ITEMS[1], bad]


FAST = strawberry.Schema(query=Query, execution_context_class=ExecutionContext)
STANDARD = strawberry.Schema(query=Query)


@pytest.mark.parametrize(
    "query",
    [
        "{ items { id name note colour when day count ok strict } }",
        "{ items { a: name b: name __typename colour } }",
        "{ items { name shout(times: 2) } }",
        "query($x: Boolean!) { items { name note @include(if: $x) day @skip(if: $x) } }",
        "{ items { ...F } } fragment F on Item { id count }",
        "{ broken { name strict } }",
        "{ items { name } broken { strict } }",
    ],
)
def test_results_and_errors_match_the_standard_executor(query: str) -> None:
    def run(schema: strawberry.Schema) -> Any:
        result = schema.execute_sync(query, variable_values={"x": True})
        errors = [(e.message, e.path) for e in result.errors or []]
        return result.data, errors

    assert run(FAST) == run(STANDARD)


def test_the_fast_path_keeps_field_order_and_coerces_like_graphql() -> None:
    result = FAST.execute_sync("{ items { count colour when name } }")
    assert result.errors is None and result.data is not None
    first = result.data["items"][1]
    assert list(first) == ["count", "colour", "when", "name"]
    assert first == {
        "count": 1,
        "colour": "DARK_BLUE",
        "when": "2026-01-01T12:01:00+00:00",
        "name": "n1",
    }
    # ...and it did take the fast path for Item's plain fields (not for the resolver one).
    leaves = {name: leaf for (t, name), leaf in executor._leaves.items() if t.name == "Item"}
    assert leaves["count"] is not None and leaves["colour"] is not None
    FAST.execute_sync("{ items { shout } }")
    assert executor._leaves[(_item_type(), "shout")] is None


def _item_type() -> Any:
    return FAST._schema.get_type("Item")
