"""Cursor pagination shared by every list: opaque cursors over a sort key and the id."""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from app.domain.common.errors import ValidationFailed

T = TypeVar("T")

MAX_LIMIT = 100
DEFAULT_LIMIT = 50
# A cursor is a list's tag and a few sort values; anything longer was not issued here.
MAX_CURSOR_CHARS = 512


@dataclass(frozen=True)
class PageRequest:
    limit: int = DEFAULT_LIMIT
    after: list[Any] | None = None  # decoded cursor: the list's tag, then the last sort values
    # Backward (GraphQL ``last``/``before``): the ``limit`` items just before the cursor in
    # ``after`` (or the list's last ones without one), still served in the list's order.
    backward: bool = False


@dataclass(frozen=True)
class Page(Generic[T]):
    items: list[T]
    next_cursor: str | None
    # One per item, for Relay edges; may be computed on access (REST needs none of them).
    cursors: Sequence[str] = field(default_factory=list)
    # Whether items come before the first one (a backward page knows; a forward page says
    # so when it continues from a cursor), and, for a backward page (whose ``next_cursor``
    # is None), whether items follow its last one: None means "``next_cursor`` tells".
    has_previous: bool = False
    has_next: bool | None = None


# json.dumps with options builds an encoder per call; a list page encodes one cursor per item.
_CURSOR_JSON = json.JSONEncoder(separators=(",", ":"), default=str)


def encode_cursor(values: list[Any]) -> str:
    raw = _CURSOR_JSON.encode(values).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str | None, field: str = "query.cursor") -> list[Any] | None:
    """Decode an opaque cursor, or raise ValidationFailed naming ``field``."""
    if cursor is None:
        return None
    if len(cursor) > MAX_CURSOR_CHARS:
        raise ValidationFailed.on(field, "is not a valid cursor")
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        values = json.loads(base64.urlsafe_b64decode(padded.encode()))
    except (binascii.Error, ValueError, UnicodeDecodeError, RecursionError):
        raise ValidationFailed.on(field, "is not a valid cursor") from None
    # A list's tag then its sort values: scalars only (the repository checks their types).
    if (
        not isinstance(values, list)
        or len(values) < 2
        or not all(v is None or isinstance(v, str | int | float | bool) for v in values)
    ):
        raise ValidationFailed.on(field, "is not a valid cursor")
    return values


def page_request(
    limit: int | None,
    cursor: str | None,
    *,
    limit_field: str = "query.limit",
    cursor_field: str = "query.cursor",
) -> PageRequest:
    """Validate a limit and cursor into a PageRequest (field names as the caller sent them)."""
    if limit is None:
        limit = DEFAULT_LIMIT
    if not 1 <= limit <= MAX_LIMIT:
        raise ValidationFailed.on(limit_field, f"must be between 1 and {MAX_LIMIT}")
    return PageRequest(limit=limit, after=decode_cursor(cursor, cursor_field))
