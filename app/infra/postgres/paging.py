"""Keyset pagination over (sort value, id), shared by every repository."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any, TypeVar, overload
from uuid import UUID

from sqlalchemy import Column, Select, and_, func, or_, select, tuple_
from sqlalchemy.engine import Row
from sqlalchemy.ext.asyncio import AsyncConnection

from app.domain.common.errors import ValidationFailed
from app.domain.common.input_rules import parse_decimal, unsafe_text
from app.domain.common.paging import Page, PageRequest, encode_cursor

T = TypeVar("T")


INT64 = 2**63


def list_tag(columns: Sequence[Column[Any]]) -> str:
    """The list a cursor belongs to: its table and sort columns, hashed short."""
    names = ",".join(f"{c.table.name}.{c.name}" for c in columns)
    return hashlib.sha256(names.encode()).hexdigest()[:12]


def _coerce(value: Any, column: Column[Any]) -> Any:
    """Turn a cursor's JSON value back into the column's Python type, refusing any other."""
    if value is None:
        if not column.nullable:
            raise ValueError("null for a non-null column")
        return None
    py = column.type.python_type
    if py is int:
        if type(value) is not int or not -INT64 <= value < INT64:
            raise ValueError("not a 64-bit integer")
        return value
    if py is Decimal:
        if type(value) is int:
            return Decimal(value)
        return parse_decimal(value)
    if not isinstance(value, str) or unsafe_text(value):
        raise ValueError("not a string")
    if py is UUID:
        return UUID(value)
    if py is datetime:
        return datetime.fromisoformat(value)
    if py is date:
        return date.fromisoformat(value)
    if py is str:
        return value
    raise ValueError("a column type cursors do not carry")


def keyset(
    stmt: Select[Any],
    columns: Sequence[Column[Any]],
    descending: bool,
    page: PageRequest,
) -> Select[Any]:
    """Order by ``columns`` (the last one unique) and continue after the cursor's values.

    A backward page walks the mirrored order (descending with nulls first is ascending with
    nulls last read backwards) from the cursor; ``to_page`` turns its rows around again.
    """
    descending = descending != page.backward
    if page.after is not None:
        tag, *after = page.after
        if tag != list_tag(columns) or len(after) != len(columns):
            raise ValidationFailed.on("query.cursor", "is not a valid cursor for this list")
        try:
            values = [_coerce(v, c) for v, c in zip(after, columns, strict=True)]
        except (ValueError, TypeError, NotImplementedError, ArithmeticError):
            raise ValidationFailed.on(
                "query.cursor", "is not a valid cursor for this list"
            ) from None
        if values[0] is None and len(columns) > 1:
            # Nulls sort last ascending / first descending: continue within the null group.
            rest = tuple_(*columns[1:])
            if descending:  # the null group comes first, then every non-null row
                stmt = stmt.where(
                    or_(
                        and_(columns[0].is_(None), rest < tuple_(*values[1:])),
                        columns[0].is_not(None),
                    )
                )
            else:
                stmt = stmt.where(and_(columns[0].is_(None), rest > tuple_(*values[1:])))
        else:
            key = tuple_(*columns)
            cond = key < tuple_(*values) if descending else key > tuple_(*values)
            if len(columns) > 1 and columns[0].nullable:
                cond = or_(cond, columns[0].is_(None)) if not descending else cond
            stmt = stmt.where(cond)
    order = [c.desc().nulls_first() if descending else c.asc().nulls_last() for c in columns]
    return stmt.order_by(*order).limit(page.limit + 1)


def to_page(
    rows: Sequence[Row[Any]],
    page: PageRequest,
    columns: Sequence[Column[Any]],
    convert: Callable[[Row[Any]], T],
) -> Page[T]:
    """Cut the look-ahead row and build the next cursor from the last item's sort values."""
    more = len(rows) > page.limit
    rows = rows[: page.limit]
    if page.backward:  # fetched in the mirrored order: back to the list's own
        rows = rows[::-1]
        cursors = RowCursors(rows, columns)
        return Page(
            [convert(r) for r in rows],
            None,
            cursors,
            has_previous=more,
            has_next=page.after is not None,
        )
    cursors = RowCursors(rows, columns)
    return Page(
        [convert(r) for r in rows],
        cursors[-1] if more and rows else None,
        cursors,
        has_previous=page.after is not None,
    )


async def pages_per_group(
    conn: AsyncConnection,
    stmt: Select[Any],
    group: Column[Any],
    groups: Sequence[UUID],
    columns: Sequence[Column[Any]],
    descending: bool,
    page: PageRequest,
    convert: Callable[[Row[Any]], T],
) -> dict[UUID, Page[T]]:
    """The same page of a list for each of several groups (say, projects) in one statement.

    ``stmt`` selects the rows of every group; keyset() gives the cursor condition and one
    window numbers each group's rows in the list's order, so the limit applies per group.
    Every id of ``groups`` is a key of the result (an empty page where nothing matched).
    """
    if not groups:
        return {}
    after = keyset(stmt, columns, descending, page).order_by(None).limit(None)
    walk = descending != page.backward  # the order keyset() walked in
    order = [c.desc().nulls_first() if walk else c.asc().nulls_last() for c in columns]
    rank = func.row_number().over(partition_by=group, order_by=order)
    ranked = after.add_columns(rank.label("rank")).subquery()
    key = ranked.c[group.name]
    numbered = select(ranked).where(ranked.c.rank <= page.limit + 1).order_by(key, ranked.c.rank)
    grouped: dict[UUID, list[Row[Any]]] = {g: [] for g in groups}
    for row in (await conn.execute(numbered)).all():
        grouped[row._mapping[group.name]].append(row)
    return {g: to_page(rows, page, columns, convert) for g, rows in grouped.items()}


class RowCursors(Sequence[str]):
    """Each row's cursor, encoded when first read: a REST page only needs the last one."""

    def __init__(self, rows: Sequence[Row[Any]], columns: Sequence[Column[Any]]) -> None:
        self._rows = rows
        self._names = [c.name for c in columns]
        self._tag = list_tag(columns)
        self._done: dict[int, str] = {}

    def __len__(self) -> int:
        return len(self._rows)

    @overload
    def __getitem__(self, index: int) -> str: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[str]: ...

    def __getitem__(self, index: int | slice) -> str | Sequence[str]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self._rows)))]
        if index < 0:
            index += len(self._rows)
        if not 0 <= index < len(self._rows):
            raise IndexError(index)
        found = self._done.get(index)
        if found is None:
            m = self._rows[index]._mapping
            found = self._done[index] = encode_cursor(
                [self._tag, *(_jsonable(m[n]) for n in self._names)]
            )
        return found


def _jsonable(value: Any) -> Any:
    if isinstance(value, UUID | date | datetime):
        return value.isoformat() if not isinstance(value, UUID) else str(value)
    return value
