"""Date with the hostile-input rules (API.md), for literals and variables alike."""

from __future__ import annotations

from datetime import date

import strawberry
from graphql import StringValueNode, ValueNode

from app.domain.common.input_rules import DATE_MESSAGE, date_in_range


def _parse_date(value: object) -> date:
    if not isinstance(value, str):
        raise ValueError("Dates are strings such as 2026-05-01")
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"'{value}' is not a date (YYYY-MM-DD)") from None
    if len(value) != 10 or not date_in_range(day):
        raise ValueError(DATE_MESSAGE if len(value) == 10 else "Dates are YYYY-MM-DD")
    return day


def _date_literal(node: ValueNode, _variables: object = None) -> date:
    if not isinstance(node, StringValueNode):
        raise ValueError("Dates are strings such as 2026-05-01")
    return _parse_date(node.value)


SafeDate = strawberry.scalar(
    name="Date",
    description="A calendar date, YYYY-MM-DD, between 1900-01-01 and 9999-12-30",
    serialize=date.isoformat,
    parse_value=_parse_date,
    parse_literal=_date_literal,
)
