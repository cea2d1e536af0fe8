"""Shared pydantic building blocks: strict request models, bounded strings, pages."""

from __future__ import annotations

import re
from datetime import date
from functools import cache
from types import UnionType
from typing import Annotated, Any, Generic, TypeVar, Union, get_args, get_origin

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    JsonValue,
    StringConstraints,
    ValidationInfo,
    WithJsonSchema,
    field_validator,
)
from typing_extensions import TypedDict

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


ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def iso_date(value: object) -> object:
    """Dates travel as YYYY-MM-DD strings: pydantic would read 0 or "0" as 1970-01-01."""
    if isinstance(value, date):
        return value
    if not isinstance(value, str) or not ISO_DATE.fullmatch(value):
        raise ValueError("must be a date, YYYY-MM-DD")
    return value


def _leaf_types(annotation: Any) -> set[Any]:
    if get_origin(annotation) is Annotated:
        return _leaf_types(get_args(annotation)[0])
    if get_origin(annotation) in (Union, UnionType):
        return set().union(*(_leaf_types(a) for a in get_args(annotation)))
    return {annotation}


@cache
def _json_kind(model: type[BaseModel], name: str) -> str | None:
    """The JSON type a field demands exactly: "bool", "int", "date" or None (pydantic's)."""
    field = model.model_fields.get(name)
    types = _leaf_types(field.annotation) - {type(None)} if field else set()
    for kind, python in (("bool", bool), ("int", int), ("date", date)):
        if types == {python}:
            return kind
    return None


# A date in a query string (bodies are checked by Request below).
Day = Annotated[date, BeforeValidator(iso_date), AfterValidator(check_value)]
SearchText = Annotated[str, AfterValidator(check_value)]


class Request(BaseModel):
    """Base for request bodies: unknown (and server-owned) fields are refused."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=False)

    @field_validator("*", mode="before")
    @classmethod
    def _exact_json_types(cls, value: Any, info: ValidationInfo) -> Any:
        """No lax coercion in bodies: 0 is not false, "5" is not 5, 0 is not a date."""
        if value is None or info.field_name is None:
            return value
        kind = _json_kind(cls, info.field_name)
        if kind == "bool" and not isinstance(value, bool):
            raise ValueError("must be true or false")
        if kind == "int" and type(value) is not int:
            raise ValueError("must be an integer")
        if kind == "date":
            return iso_date(value)
        return value

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


# An update's change of one field (``from`` is a keyword, hence the functional form).
FieldChange = TypedDict("FieldChange", {"from": JsonValue, "to": JsonValue})
# An event's ``changes``: per field, {from, to} for an update; on creation, and for the extra
# facts of a transition (reason, forced, unmet), the plain value.
Changes = Annotated[
    dict[str, FieldChange | JsonValue],
    Field(
        description="What changed: per field, {from, to} for an update; on creation and for "
        "extra facts (reason, forced, unmet) the plain value"
    ),
]


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
