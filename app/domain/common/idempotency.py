"""Idempotent commands: one idempotency key, one command, one result, for REST and GraphQL.

Both adapters turn a request into the same domain command and call ``run_once`` with it:

- A key is bound to the *command* (its type and its fields, see ``fingerprint``), not to
  the request that carried it, so the same command sent over REST and then over GraphQL
  (or the other way round) with one key runs once. Keys are per organization and kept
  24 hours by the store.
- The first *result* (the use case's domain objects) is stored as JSON
  (``result_codec``); a repeat rebuilds it and the adapter renders it as it would have
  rendered the first answer: REST the same 201, body, ``Location`` and ``ETag`` (plus
  ``Idempotent-Replayed: true``), GraphQL the same payload.
- The same key with another command (other fields, another operation) is
  ``IdempotencyKeyReused`` and changes nothing.
- A repeat first runs the command again in a transaction that is never committed, so
  it answers only a caller the command would let through (the first caller's rights)
  and only while its target can still be found.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from enum import Enum
from functools import cache
from typing import Any, Generic, TypeVar
from uuid import UUID

from app.domain.common import result_codec
from app.domain.common.clock import Clock
from app.domain.common.errors import (
    IdempotencyKeyReused,
    NotFound,
    PermissionDenied,
    Unauthenticated,
    ValidationFailed,
)
from app.domain.common.ports import KeyedUnitOfWork

T = TypeVar("T")
U = TypeVar("U", bound=KeyedUnitOfWork)

MAX_KEY_CHARS = 255
# Fingerprints carry their scheme, so a key stored under an earlier scheme (REST's
# method/path/body, GraphQL's operation/input, before both keyed the command) is told
# apart from one used with another command.
SCHEME = "command-v1:"
DECIMAL = re.compile(r"^-?[0-9]+(\.[0-9]+)?$")
# A command names the fields that only say where to look its target up (REST's path
# names the project, GraphQL names the target by its own id) in LOCATORS: they are no
# part of what the command does, so they stay out of its fingerprint.
LOCATORS = "LOCATORS"


@dataclass(frozen=True)
class Outcome(Generic[T]):
    """A command's result, and whether it is the stored result of an earlier request."""

    result: T
    replayed: bool


def fingerprint(command: object) -> str:
    """The identity of a command: its type and its fields as canonical JSON, hashed.

    Field order, tuples versus lists and the spelling of numbers do not matter: a
    decimal field holds a number, so ``"10.0"``, ``"10.00"`` and ``Decimal("10")``
    are one amount. Text is compared as sent; ids, dates and enums by their values.
    """
    cls = type(command)
    canonical = json.dumps(
        {"command": f"{cls.__module__}:{cls.__qualname__}", "fields": _fields(command)},
        sort_keys=True,
        separators=(",", ":"),
    )
    return SCHEME + hashlib.sha256(canonical.encode()).hexdigest()


def _fields(command: object) -> dict[str, Any]:
    if not dataclasses.is_dataclass(command) or isinstance(command, type):
        raise TypeError(f"a {type(command).__name__} is not a command")
    skipped: frozenset[str] = frozenset(getattr(type(command), LOCATORS, ()))
    decimals = _decimal_fields(type(command))
    return {
        f.name: _canonical(getattr(command, f.name), f.name in decimals)
        for f in dataclasses.fields(command)
        if f.name not in skipped
    }


@cache
def _decimal_fields(cls: type) -> frozenset[str]:
    """The fields declared to hold a decimal (``Decimal``, ``str | Decimal``, ...)."""
    return frozenset(
        f.name
        for f in dataclasses.fields(cls)
        if "Decimal" in (f.type if isinstance(f.type, str) else repr(f.type))
    )


def _canonical(value: Any, decimal: bool = False) -> Any:
    if value is None or isinstance(value, bool | int):
        return value
    if isinstance(value, Enum):
        return _canonical(value.value)
    if isinstance(value, Decimal):
        return _number(value)
    if isinstance(value, str):
        return _number(Decimal(value)) if decimal and DECIMAL.fullmatch(value) else value
    if isinstance(value, UUID):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [_canonical(v, decimal) for v in value]
    if isinstance(value, frozenset | set):
        return sorted((_canonical(v, decimal) for v in value), key=json.dumps)
    if isinstance(value, dict):
        return {str(_canonical(k)): _canonical(v, decimal) for k, v in value.items()}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return _fields(value)
    raise TypeError(f"a {type(value).__name__} in a command has no canonical form")


def _number(value: Decimal) -> str:
    """A decimal's value without its spelling: ``10.00`` and ``1E+1`` are ``"10"``."""
    try:
        if not value.is_finite():
            return str(value)
        return "0" if value.is_zero() else format(value.normalize(), "f")
    except InvalidOperation:  # more digits than the context holds: keep them all
        return str(value)


async def run_once(
    key: str | None,
    command: object,
    run: Callable[[U], Awaitable[T]],
    *,
    uow: U,
    org: str,
    clock: Clock,
    field: str,
) -> Outcome[T]:
    """Run ``run(uow)`` (the use case of ``command``) once per idempotency key.

    Without a key, run it. With one, claim the key in the command's own transaction:
    a new key runs the command and stores its result; a key already bound to the same
    command replays its stored result; one bound to another command is refused
    (``field`` names the key in the error: a header over REST, an input field over
    GraphQL).
    """
    if key is None:
        return Outcome(await run(uow), replayed=False)
    # Printable only: no NUL (PostgreSQL refuses it in text), no control characters, no
    # lone surrogates (not UTF-8): str.isprintable() refuses all three.
    if not key.strip() or len(key) > MAX_KEY_CHARS or not key.isprintable():
        raise ValidationFailed.on(
            field, f"must be 1 to {MAX_KEY_CHARS} printable characters, not all blank"
        )
    digest = fingerprint(command)
    async with uow:
        stored = await uow.idempotency.claim(org, key, digest, clock.now())
        if stored is not None:
            if not stored.fingerprint.startswith(SCHEME):
                raise IdempotencyKeyReused.on(
                    field,
                    "was used before an upgrade and cannot be replayed "
                    "(it is free again 24 hours after its first use)",
                )
            if stored.fingerprint != digest:
                raise IdempotencyKeyReused.on(field, "was already used with a different request")
            await _authorize_replay(run, uow)
            replayed: T = result_codec.loads(stored.result)
            return Outcome(replayed, replayed=True)
        result = await run(uow)
        await uow.idempotency.complete(org, key, result_codec.dumps(result))
        await uow.commit()
    return Outcome(result, replayed=False)


async def _authorize_replay(run: Callable[[U], Awaitable[Any]], uow: U) -> None:
    """Run the command again inside the (never committed) transaction before a replay.

    A replay answers only a caller whom the command itself would let through (a viewer
    sending an admin's key and command gets the viewer's 403, not the admin's 201), and
    only while its target is there to find (a target named under another project, or
    deleted since, is a 404). Any other outcome of the rerun (the entry is reversed
    already, the key the original took is taken) is dropped with the transaction, and
    the stored result is replayed.
    """
    try:
        await run(uow)
    except (Unauthenticated, PermissionDenied, NotFound):
        raise
    except Exception:  # noqa: S110 - the rerun only checks access; the stored result stands
        pass
