"""Shared pydantic building blocks: strict request models, bounded strings, pages."""

from __future__ import annotations

import re
from typing import Annotated, Generic, TypeVar

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    WithJsonSchema,
)

T = TypeVar("T")

Name = Annotated[str, StringConstraints(min_length=1, max_length=200)]
Text = Annotated[str, StringConstraints(max_length=10_000)]


class Request(BaseModel):
    """Base for request bodies: unknown (and server-owned) fields are refused."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=False)


class Read(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class Page(BaseModel, Generic[T]):
    items: list[T]
    next_cursor: str | None = Field(
        description="Pass as ?cursor= for the next page; null on the last"
    )


def _money_string(value: object) -> object:
    """Money travels as a decimal string; a JSON number is refused (floats never touch money)."""
    if not isinstance(value, str):
        raise ValueError('must be a decimal string such as "1250.00", not a number')
    if not re.fullmatch(r"-?\d{1,16}(\.\d{1,4})?", value):
        raise ValueError('must be a decimal string such as "1250.00"')
    return value


# The exact string is handed to the domain (Money.parse), which checks the currency's minor unit.
MoneyString = Annotated[
    str,
    BeforeValidator(_money_string),
    WithJsonSchema(
        {"type": "string", "pattern": r"^-?\d{1,16}(\.\d{1,4})?$", "examples": ["1250.00"]}
    ),
]
