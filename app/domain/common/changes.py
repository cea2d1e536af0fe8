"""One way to change an aggregate: merge-patch, the from/to diff, the version check.

Every aggregate (project, person, milestone, risk, issue...) is a frozen dataclass with
``version`` and ``updated_at``. A client's change arrives as a JSON merge-patch (a dict
of field -> new value); these functions apply it the same way for all of them, so each
model only adds the rules that are its own.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import replace
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any, Protocol, Self, TypeVar
from uuid import UUID

from app.domain.common.clock import Clock
from app.domain.common.errors import FieldError, VersionConflict
from app.domain.common.events import Subject, event
from app.domain.common.ports import UnitOfWork
from app.domain.common.principal import Principal
from app.domain.common.text import raise_if


class Versioned(Protocol):
    @property
    def version(self) -> int: ...


class Changeable(Protocol):
    """An aggregate of a project that takes merge-patches (see ``apply_change``)."""

    @property
    def id(self) -> UUID: ...

    @property
    def version(self) -> int: ...

    @property
    def project_id(self) -> UUID: ...

    def changed(self, changes: dict[str, Any], now: datetime) -> tuple[Self, dict[str, Any]]:
        """Apply a merge-patch and the model's rules; return the result and its diff."""
        ...


A = TypeVar("A")
V = TypeVar("V", bound=Versioned)
C = TypeVar("C", bound=Changeable)


def plain(value: object) -> object:
    """Render a value for an event's ``changes`` as JSON-safe data (money as its amount)."""
    amount = getattr(value, "amount", None)
    if isinstance(amount, Decimal) and hasattr(value, "currency"):  # Money, without importing it
        return str(amount)
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, tuple | list | frozenset):
        return [plain(v) for v in value]
    if isinstance(value, UUID | date | datetime | Decimal):
        return value.isoformat() if isinstance(value, date | datetime) else str(value)
    return value


def refuse_unknown(changes: Iterable[str], editable: frozenset[str]) -> None:
    """Refuse fields a client may not change, naming each."""
    unknown = sorted(set(changes) - editable)
    raise_if([FieldError(k, "cannot be changed by a client") for k in unknown])


def refuse_nulls(changes: Mapping[str, Any], required: frozenset[str]) -> None:
    """Refuse a null for a field the aggregate cannot be without, naming each."""
    raise_if(
        [
            FieldError(k, "must not be null")
            for k, v in changes.items()
            if v is None and k in required
        ]
    )


def diff(before: object, after: object, fields: Iterable[str]) -> dict[str, Any]:
    """The ``{"field": {"from", "to"}}`` of every field that differs (sorted by name)."""
    return {
        k: {"from": plain(getattr(before, k)), "to": plain(getattr(after, k))}
        for k in sorted(fields)
        if getattr(before, k) != getattr(after, k)
    }


def merge_patch(
    aggregate: A, changes: Mapping[str, Any], required: frozenset[str], now: datetime
) -> tuple[A, dict[str, Any]]:
    """Apply a merge-patch (nulls refused where required); return the result and its diff.

    The result is not validated: the model does that after its own rules.
    """
    refuse_nulls(changes, required)
    updated = replace(aggregate, **changes, updated_at=now)  # type: ignore[type-var]
    return updated, diff(aggregate, updated, changes)


def check_version(aggregate: Versioned, expected: int | None, what: str) -> None:
    """Raise VersionConflict unless ``expected`` is None or the aggregate's version."""
    if expected is not None and expected != aggregate.version:
        raise VersionConflict(f"The {what} is at version {aggregate.version}")


def next_version(aggregate: V) -> V:
    """The aggregate as stored after a change: its version one higher."""
    return replace(aggregate, version=aggregate.version + 1)  # type: ignore[type-var]


async def apply_change(
    uow: UnitOfWork,
    found: C,
    changes: dict[str, Any],
    expected_version: int | None,
    *,
    type: str,
    store: Callable[[C], Awaitable[None]],
    principal: Principal,
    clock: Clock,
    before_store: Callable[[C, dict[str, Any]], Awaitable[None]] | None = None,
) -> C:
    """Change an aggregate the one way: check the version the caller read, apply the
    merge-patch with the model's rules, and when anything changed run ``before_store``
    (checks that need the unit of work), store it one version up and record ``type``
    (``<subject>.<verb>``) with the diff. Return the aggregate as it now stands.
    """
    subject = type.partition(".")[0]
    check_version(found, expected_version, subject.replace("_", " "))
    updated, diff = found.changed(changes, clock.now())
    if not diff:
        return found
    if before_store is not None:
        await before_store(updated, diff)
    updated = next_version(updated)
    await store(updated)
    at = clock.now()
    subject_of = Subject(subject, updated.id)
    uow.record(
        event(type, subject_of, diff, project_id=updated.project_id, principal=principal, at=at)
    )
    return updated
