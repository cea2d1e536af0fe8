"""``idempotencyKey`` on GraphQL's create mutations, in the store REST's Idempotency-Key uses.

A key is bound to the domain command and stores the domain result
(``app.domain.common.idempotency``), so the semantics are REST's, across both adapters:

- Keys are per organization and kept 24 hours; a key belongs to the first command that
  used it, whichever adapter sent it.
- The same key with the same command replays the first result (the object as it was
  then, with its id) and changes nothing, also when the first call came over REST: two
  ``postLedgerEntry`` calls with one key, or a REST posting and then the mutation, post
  one entry. The replayed result is rendered as this mutation's payload, so whatever
  fields the replay selects are the first result's.
- The same key with another command (another mutation or another input) is the user
  error ``IDEMPOTENCY_KEY_REUSED`` and changes nothing.
- A replay first runs the command again in a transaction that is never committed, so it
  answers only a caller with the first caller's rights (and ``NOT_FOUND`` once the
  target is gone).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from strawberry.types import Info

from app.api.graphql.common import USER_ERRORS, UserError, user_errors
from app.api.graphql.context import Context
from app.domain.common.idempotency import MAX_KEY_CHARS, run_once
from app.domain.unit_of_work import CharterUnitOfWork

T = TypeVar("T")

KEY_FIELD = "idempotencyKey"
KEY_DESCRIPTION = (
    f"Makes the mutation safe to retry: the same key with the same input within 24 hours "
    f"replays the first result and changes nothing; with another input it is the user error "
    f"IDEMPOTENCY_KEY_REUSED (1-{MAX_KEY_CHARS} characters, per organization, shared with "
    f"REST's Idempotency-Key: the same command sent there with this key is replayed here, "
    f"and the other way round)"
)


def command_fields(input: object) -> dict[str, Any]:
    """An input's fields for its command: all but ``idempotency_key``."""
    return {k: v for k, v in vars(input).items() if k != "idempotency_key"}


async def idempotent(
    info: Info[Context, None],
    input: Any,
    command: object,
    run: Callable[[CharterUnitOfWork], Awaitable[T]],
) -> tuple[T | None, list[UserError]]:
    """Run a creating command like ``attempt``; with ``input.idempotency_key``, once per key
    (``run_once``), replaying the first result, from either adapter, for a repeat."""
    ctx = info.context
    key: str | None = getattr(input, "idempotency_key", None)
    try:
        org = (await ctx.principal()).org if key is not None else ""
        outcome = await run_once(
            key, command, run, uow=ctx.uow(), org=org, clock=ctx.services.clock, field=KEY_FIELD
        )
    except USER_ERRORS as exc:
        return None, user_errors(exc)
    return outcome.result, []
