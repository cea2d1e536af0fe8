"""What the adapters are given by the composition root: ports, clock, gates, auth."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from functools import cached_property

from app.api.auth import Authenticator
from app.domain.common.clock import Clock
from app.domain.events.ports import Doorbell
from app.domain.projects.gates import Gates
from app.domain.unit_of_work import CharterUnitOfWork
from app.domain.webhooks.ports import WebhooksUnitOfWork


@dataclass
class Services:
    uow: Callable[[], CharterUnitOfWork]  # a fresh unit of work per command or loader batch
    clock: Clock
    gates: Gates[CharterUnitOfWork]
    authenticator: Authenticator
    readiness: Callable[[], Awaitable[bool]]
    production: bool = False
    max_body_bytes: int = 1_048_576
    # Units of work for queries: no transaction (one round trip a read) and no writes.
    read_uow: Callable[[], CharterUnitOfWork] | None = None
    # Rings when an organization has new events (GraphQL subscriptions); None: poll only.
    doorbell: Doorbell | None = None
    # Webhook endpoints and their deliveries (admin); private URLs allowed (development)?
    webhooks_uow: Callable[[], WebhooksUnitOfWork] | None = None
    webhooks_may_be_private: bool = False
    # REST versioned writes without If-Match are a 428 (CHARTER_REQUIRE_IF_MATCH).
    require_if_match: bool = False

    @cached_property
    def reading(self) -> Services:
        """These services with ``uow`` opening read-only units of work (GET and GraphQL queries)."""
        if self.read_uow is None:
            return self
        return replace(self, uow=self.read_uow, read_uow=None)
