"""People of an organization: every owner, manager or assignee is one of them."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from decimal import Decimal
from typing import Any, Protocol
from uuid import UUID

from app.domain.common.changes import merge_patch
from app.domain.common.errors import FieldError
from app.domain.common.paging import Page, PageRequest
from app.domain.common.text import NAME_MAX, check_text, raise_if

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
EMAIL_MAX = 254
SUB_MAX = 64
MAX_WEEKLY_HOURS = Decimal(168)


@dataclass(frozen=True)
class Person:
    id: UUID
    org_id: str
    name: str
    email: str
    title: str | None
    weekly_capacity_hours: Decimal
    user_sub: str | None
    version: int
    created_at: datetime
    updated_at: datetime

    EDITABLE = frozenset({"name", "email", "title", "weekly_capacity_hours", "user_sub"})

    def validate(self) -> Person:
        """Check every rule of a person; raise ValidationFailed listing each broken one."""
        errors: list[FieldError] = []
        check_text(errors, "name", self.name, limit=NAME_MAX, required=True)
        check_text(errors, "title", self.title, limit=NAME_MAX)
        if len(self.email) > EMAIL_MAX or not EMAIL.match(self.email):
            errors.append(FieldError("email", "is not a valid email address"))
        hours = self.weekly_capacity_hours
        if not hours.is_finite() or hours < 0 or hours > MAX_WEEKLY_HOURS:
            errors.append(FieldError("weekly_capacity_hours", "must be between 0 and 168"))
        elif hours != hours.quantize(Decimal("0.01")):
            errors.append(FieldError("weekly_capacity_hours", "allows at most 2 decimal places"))
        if self.user_sub is not None and not 1 <= len(self.user_sub) <= SUB_MAX:
            errors.append(FieldError("user_sub", f"must be 1 to {SUB_MAX} characters"))
        raise_if(errors)
        # Stored as numeric(5, 2): answer with the same scale the database will give back.
        return replace(self, weekly_capacity_hours=hours.quantize(Decimal("0.01")))

    REQUIRED = frozenset({"name", "email", "weekly_capacity_hours"})

    def changed(self, changes: dict[str, Any], now: datetime) -> tuple[Person, dict[str, Any]]:
        """Apply a merge-patch; return the new person and a from/to diff of what changed."""
        updated, diff = merge_patch(self, changes, self.REQUIRED, now)
        return updated.validate(), diff


class PersonRepository(Protocol):
    async def add(self, person: Person) -> None:
        """Insert a person; raise EmailTaken when the email is in use in the organization."""
        ...

    async def get(self, org_id: str, person_id: UUID, *, for_update: bool = False) -> Person | None:
        """Return the person of this organization, or None."""
        ...

    async def get_many(self, org_id: str, ids: list[UUID]) -> list[Person | None]:
        """Return people in the order of ``ids`` (None where missing)."""
        ...

    async def get_by_sub(self, org_id: str, sub: str) -> Person | None:
        """Return the person linked to a user account, or None."""
        ...

    async def list(self, org_id: str, page: PageRequest, q: str | None = None) -> Page[Person]:
        """List people by name."""
        ...

    async def count(self, org_id: str, q: str | None = None) -> int:
        """Count the people a search matches."""
        ...

    async def update(self, person: Person) -> None:
        """Store a changed person with its version incremented by the caller."""
        ...


async def check_people(
    people: PersonRepository, org_id: str, refs: Mapping[str, UUID | None]
) -> None:
    """Refuse references (field -> person id) to anyone not a person of the organization."""
    fields = [(f, i) for f, i in refs.items() if i is not None]
    if not fields:
        return
    found = await people.get_many(org_id, [i for _, i in fields])
    raise_if(
        [
            FieldError(f, "is not a person of this organization")
            for (f, _), p in zip(fields, found, strict=True)
            if p is None
        ]
    )
