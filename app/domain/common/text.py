"""Shared limits and checks for user-supplied text, so both adapters apply the same rules."""

from __future__ import annotations

import re
from datetime import date

from app.domain.common.errors import FieldError, ValidationFailed

UNSAFE = re.compile("[\x00\ud800-\udfff]")
NAME_MAX = 200
TEXT_MAX = 10_000
# PostgreSQL refuses NUL in text, and a lone surrogate cannot be encoded as UTF-8.
_UNSAFE = re.compile("[\x00\ud800-\udfff]")


def check_text(
    errors: list[FieldError], field: str, value: str | None, *, limit: int, required: bool = False
) -> None:
    """Append an error when ``value`` is missing (if required), blank or longer than ``limit``."""
    if value is None:
        if required:
            errors.append(FieldError(field, "is required"))
        return
    if _UNSAFE.search(value):
        errors.append(FieldError(field, "must not contain NUL characters or lone surrogates"))
    elif required and not value.strip():
        errors.append(FieldError(field, "must not be blank"))
    elif len(value) > limit:
        errors.append(FieldError(field, f"must be at most {limit} characters"))
    elif UNSAFE.search(value):  # PostgreSQL text cannot hold them: a 422, never a 500
        errors.append(FieldError(field, "must not contain NUL characters or lone surrogates"))


def check_order(
    errors: list[FieldError], first: date | None, second: date | None, field: str, message: str
) -> None:
    if first is not None and second is not None and second < first:
        errors.append(FieldError(field, message))


def raise_if(errors: list[FieldError]) -> None:
    if errors:
        raise ValidationFailed(errors)
