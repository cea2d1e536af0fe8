"""``idempotencyKey`` on GraphQL's create mutations, in REST's idempotency store.

The semantics (README "GraphQL", "Idempotency"):

- One store and one scope with REST: keys are per organization, kept 24 hours, and a key
  belongs to the first request that used it, whichever adapter sent it.
- The same key with the same mutation and the same input replays the first result (the
  object as it was then, with its id) and changes nothing; nothing is counted twice, so
  two ``postLedgerEntry`` calls with one key post one entry.
- The same key with another mutation or another input is the user error
  ``IDEMPOTENCY_KEY_REUSED`` and changes nothing.
- A key first used over REST and then over GraphQL (or the other way round) is
  ``IDEMPOTENCY_KEY_REUSED`` too, never a second record: REST fingerprints its method,
  path and JSON body and stores its JSON response, which a mutation neither sends nor can
  serve (the adapters are independent; see the import contracts), so each adapter
  replays only what it stored itself.
- As over REST, a replay first runs the command again in a transaction that is never
  committed, so it answers only a caller with the first caller's rights.

The first result is stored as a JSON snapshot of the domain objects the use case
returned (dataclasses, named tuples, enums, ids, decimals and dates of ``app.domain``;
``tests/api/test_graphql_idempotency.py`` replays every create mutation), and a replay
rebuilds them, so the payload is the first one's whatever fields the replay selects.
"""

from __future__ import annotations

import dataclasses
import hashlib
import importlib
import json
from collections.abc import Awaitable, Callable
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any, TypeVar
from uuid import UUID

from strawberry.types import Info

from app.api.graphql.common import USER_ERRORS, UserError, attempt, user_errors
from app.api.graphql.context import Context
from app.domain.common.errors import (
    IdempotencyKeyReused,
    PermissionDenied,
    Unauthenticated,
    ValidationFailed,
)
from app.domain.unit_of_work import CharterUnitOfWork

T = TypeVar("T")

KEY_FIELD = "idempotencyKey"
MAX_KEY_CHARS = 255
KEY_DESCRIPTION = (
    "Makes the mutation safe to retry: the same key with the same input within 24 hours "
    "replays the first result and changes nothing; with another input it is the user error "
    "IDEMPOTENCY_KEY_REUSED (1-255 characters, per organization, shared with REST's "
    "Idempotency-Key: a key used there is taken here)"
)
STORED_STATUS = 200  # what the store records for a GraphQL result (REST records 201)
DOMAIN = "app.domain."


def command_fields(input: object) -> dict[str, Any]:
    """An input's fields for its command: all but ``idempotency_key``."""
    return {k: v for k, v in vars(input).items() if k != "idempotency_key"}


def fingerprint(operation: str, input: object) -> str:
    """The request a key is bound to: the mutation and its input, key left out."""
    canonical = json.dumps(_plain(command_fields(input)), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(f"graphql {operation}\n{canonical}".encode()).hexdigest()


def _plain(value: Any) -> Any:
    """An input's values as JSON: enums by value, numbers and dates as text."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, Decimal | UUID | date):
        return str(value)
    if hasattr(value, "__dict__"):  # a nested input object
        return _plain(vars(value))
    return str(value)


async def idempotent(
    info: Info[Context, None],
    operation: str,
    input: Any,
    run: Callable[[CharterUnitOfWork], Awaitable[T]],
) -> tuple[T | None, list[UserError]]:
    """Run a creating command like ``attempt``; with ``input.idempotency_key``, claim the
    key in the command's own transaction and replay the first result for a repeat."""
    ctx = info.context
    key: str | None = getattr(input, "idempotency_key", None)
    if key is None:
        return await attempt(run(ctx.uow()))
    try:
        if not key.strip() or len(key) > MAX_KEY_CHARS:
            raise ValidationFailed.on(KEY_FIELD, f"must be 1 to {MAX_KEY_CHARS} characters")
        principal = await ctx.principal()
        digest = fingerprint(operation, input)
        uow = ctx.uow()
        async with uow:
            stored = await uow.idempotency.claim(
                principal.org, key, digest, ctx.services.clock.now()
            )
            if stored is not None:
                if stored.request_hash != digest:
                    raise IdempotencyKeyReused.on(
                        KEY_FIELD, "was already used with a different request"
                    )
                await _authorize_replay(run, uow)
                replayed: T = decode(json.loads(stored.body))
                return replayed, []
            result = await run(uow)
            body = json.dumps(encode(result), separators=(",", ":"))
            await uow.idempotency.complete(principal.org, key, STORED_STATUS, body, None)
            await uow.commit()
            return result, []
    except USER_ERRORS as exc:
        return None, user_errors(exc)


async def _authorize_replay(
    run: Callable[[CharterUnitOfWork], Awaitable[Any]], uow: CharterUnitOfWork
) -> None:
    """Run the command again inside the (never committed) transaction: a replay answers
    only a caller whom the command itself would let through (as REST's does)."""
    try:
        await run(uow)
    except (Unauthenticated, PermissionDenied):
        raise
    except Exception:  # noqa: S110 - the rerun only checks access; the stored result stands
        pass


def encode(value: Any) -> Any:
    """A use case's result as JSON, with its types tagged (see ``decode``)."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, Enum):
        return {"$enum": _name(type(value)), "value": encode(value.value)}
    if isinstance(value, UUID):
        return {"$uuid": str(value)}
    if isinstance(value, Decimal):
        return {"$decimal": str(value)}
    if isinstance(value, datetime):
        return {"$datetime": value.isoformat()}
    if isinstance(value, date):
        return {"$date": value.isoformat()}
    if isinstance(value, list):
        return [encode(v) for v in value]
    if isinstance(value, tuple) and hasattr(type(value), "_fields"):  # a NamedTuple
        names: tuple[str, ...] = getattr(type(value), "_fields")  # noqa: B009
        fields = {name: encode(getattr(value, name)) for name in names}
        return {"$nt": _name(type(value)), "fields": fields}
    if isinstance(value, tuple):
        return {"$tuple": [encode(v) for v in value]}
    if isinstance(value, frozenset | set):
        return {"$set": [encode(v) for v in value]}
    if isinstance(value, dict):
        return {"$dict": [[encode(k), encode(v)] for k, v in value.items()]}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields = {
            f.name: encode(getattr(value, f.name)) for f in dataclasses.fields(value) if f.init
        }
        return {"$dc": _name(type(value)), "fields": fields}
    raise TypeError(f"cannot store a {type(value).__name__} as an idempotent result")


def decode(value: Any) -> Any:
    """The inverse of ``encode``; classes only of ``app.domain`` (dataclasses and enums)."""
    if isinstance(value, list):
        return [decode(v) for v in value]
    if not isinstance(value, dict):
        return value
    if "$dc" in value:
        cls = _class(value["$dc"])
        if not dataclasses.is_dataclass(cls):
            raise TypeError(f"{value['$dc']} is not a dataclass")
        return cls(**{k: decode(v) for k, v in value["fields"].items()})
    if "$nt" in value:
        named = _class(value["$nt"])
        if not (issubclass(named, tuple) and hasattr(named, "_fields")):
            raise TypeError(f"{value['$nt']} is not a named tuple")
        return named(**{k: decode(v) for k, v in value["fields"].items()})
    if "$enum" in value:
        enum = _class(value["$enum"])
        if not issubclass(enum, Enum):
            raise TypeError(f"{value['$enum']} is not an enum")
        return enum(decode(value["value"]))
    if "$uuid" in value:
        return UUID(value["$uuid"])
    if "$decimal" in value:
        return Decimal(value["$decimal"])
    if "$datetime" in value:
        return datetime.fromisoformat(value["$datetime"])
    if "$date" in value:
        return date.fromisoformat(value["$date"])
    if "$tuple" in value:
        return tuple(decode(v) for v in value["$tuple"])
    if "$set" in value:
        return frozenset(decode(v) for v in value["$set"])
    if "$dict" in value:
        return {decode(k): decode(v) for k, v in value["$dict"]}
    raise TypeError("an untagged object in a stored result")


def _name(cls: type) -> str:
    if not cls.__module__.startswith(DOMAIN):
        raise TypeError(f"{cls.__module__}.{cls.__qualname__} is not a domain type")
    return f"{cls.__module__}:{cls.__qualname__}"


def _class(name: str) -> type:
    module, _, qualname = name.partition(":")
    if not module.startswith(DOMAIN):
        raise TypeError(f"{module} is not a domain module")
    found: Any = importlib.import_module(module)
    for part in qualname.split("."):
        found = getattr(found, part)
    if not isinstance(found, type):
        raise TypeError(f"{name} is not a class")
    return found
