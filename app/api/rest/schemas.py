"""Shared pydantic building blocks: strict request models, bounded strings, pages."""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Any, Generic, TypeVar

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    WithJsonSchema,
    field_validator,
)

from app.domain.common.input_rules import (
    DATE_MESSAGE,
    MAX_DATE,
    MIN_DATE,
    TEXT_MESSAGE,
    date_in_range,
    parse_decimal,
    unsafe_text,
)

T = TypeVar("T")

Name = Annotated[str, StringConstraints(min_length=1, max_length=200)]
Text = Annotated[str, StringConstraints(max_length=10_000)]
# The published range of every date a client sends (API.md "Hostile input").
DATE_RANGE = {"minimum": MIN_DATE.isoformat(), "maximum": MAX_DATE.isoformat()}


def check_value(value: Any) -> Any:
    """Refuse NUL or lone surrogates in any string and dates out of range, however nested."""
    if isinstance(value, str):
        if unsafe_text(value):
            raise ValueError(TEXT_MESSAGE)
    elif isinstance(value, date):
        if not date_in_range(value):
            raise ValueError(DATE_MESSAGE)
    elif isinstance(value, list | tuple | set | frozenset):
        for item in value:
            check_value(item)
    elif isinstance(value, dict):
        for key, item in value.items():
            check_value(key)
            check_value(item)
    return value


def ascii_decimal(value: object) -> object:
    """A decimal sent as a string follows the one ASCII grammar (numbers go to pydantic)."""
    if isinstance(value, str):
        parse_decimal(value)
    return value


# A date in a query string (bodies are checked by Request below).
Day = Annotated[date, AfterValidator(check_value)]
SearchText = Annotated[str, AfterValidator(check_value)]


class Request(BaseModel):
    """Base for request bodies: unknown (and server-owned) fields are refused."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=False)

    @field_validator("*", mode="after")
    @classmethod
    def _no_hostile_values(cls, value: Any) -> Any:
        """Every field of every request body, in one place (nested models check their own)."""
        return check_value(value)


class Read(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class Page(BaseModel, Generic[T]):
    items: list[T]
    next_cursor: str | None = Field(
        description="Pass as ?cursor= for the next page; null on the last"
    )


MONEY = re.compile(r"^-?[0-9]{1,16}(\.[0-9]{1,4})?$")


def _money_string(value: object) -> object:
    """Money travels as a decimal string; a JSON number is refused (floats never touch money)."""
    if not isinstance(value, str):
        raise ValueError('must be a decimal string such as "1250.00", not a number')
    parse_decimal(value)  # ASCII digits only, the grammar both adapters share
    if not MONEY.fullmatch(value):
        raise ValueError("must have at most 16 integer digits and 4 decimal places")
    return value


# The exact string is handed to the domain (Money.parse), which checks the currency's minor unit.
MoneyString = Annotated[
    str,
    BeforeValidator(_money_string),
    WithJsonSchema({"type": "string", "pattern": MONEY.pattern, "examples": ["1250.00"]}),
]
