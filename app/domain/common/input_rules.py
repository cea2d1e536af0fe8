"""Rules every adapter applies to untrusted input: clean text, ASCII decimals, a date range.

One definition each, so REST, GraphQL, query strings and token claims cannot drift apart.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

# PostgreSQL refuses NUL in text, and a lone surrogate cannot be encoded as UTF-8.
_UNSAFE = re.compile("[\x00\ud800-\udfff]")
# Digits are ASCII only: Python's \d and Decimal() also take Arabic-Indic or full-width
# digits, exponents, signs, spaces and underscores.
DECIMAL_PATTERN = r"^-?[0-9]+(\.[0-9]+)?$"
_DECIMAL = re.compile(DECIMAL_PATTERN)
# Dates at the far ends overflow as soon as a day is added (9999-12-31 + 1).
MIN_DATE = date(1900, 1, 1)
MAX_DATE = date(9999, 12, 30)
TEXT_MESSAGE = "must not contain NUL characters or lone surrogates"
DECIMAL_MESSAGE = 'must be a decimal string of ASCII digits such as "1250.00"'
DATE_MESSAGE = f"must be between {MIN_DATE.isoformat()} and {MAX_DATE.isoformat()}"


def unsafe_text(value: str) -> bool:
    """Tell whether ``value`` holds a NUL character or a lone surrogate."""
    return _UNSAFE.search(value) is not None


def parse_decimal(raw: object) -> Decimal:
    """Parse an exact decimal string of ASCII digits, or raise ValueError."""
    if not isinstance(raw, str):
        raise ValueError('must be a decimal string such as "1250.00", not a number')
    if len(raw) > 40 or not _DECIMAL.fullmatch(raw):
        raise ValueError(DECIMAL_MESSAGE)
    return Decimal(raw)


def date_in_range(day: date) -> bool:
    return MIN_DATE <= day <= MAX_DATE
