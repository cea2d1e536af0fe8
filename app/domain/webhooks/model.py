"""Webhook endpoints and deliveries, their rules, and their repository port."""

from __future__ import annotations

import base64
import ipaddress
import random
import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Protocol
from urllib.parse import urlsplit
from uuid import UUID

from app.domain.common.errors import ValidationFailed

# The types an endpoint may subscribe to: the `type` of every event a use case records.
EVENT_TYPES = (
    "action_item.created", "action_item.updated",
    "assignment.created", "assignment.deleted", "assignment.updated",
    "closure_report.written",
    "deliverable.created", "deliverable.decided", "deliverable.updated",
    "issue.created", "issue.updated",
    "key_result.checked_in", "key_result.created", "key_result.deleted", "key_result.updated",
    "ledger_entry.posted", "ledger_entry.reversed",
    "meeting.recorded", "meeting.updated",
    "milestone.created", "milestone.deleted", "milestone.dependency_added",
    "milestone.dependency_removed", "milestone.updated",
    "objective.created", "objective.deleted", "objective.updated",
    "project.created", "project.transitioned", "project.updated",
    "risk.assessed", "risk.created", "risk.occurred", "risk.updated",
    "stakeholder.created", "stakeholder.deleted", "stakeholder.updated",
)  # fmt: skip
# Standard Webhooks' retry schedule: the delay before attempt n+1 after n failed attempts
# (immediately, 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h): about 28 hours in all.
RETRY_DELAYS = (0, 5, 300, 1800, 7200, 18000, 36000, 36000)
DISABLE_AFTER_FAILURES = 15  # consecutive failed attempts (no success between) disable it
MAX_URL_LENGTH = 2000


def new_secret() -> str:
    """A Standard Webhooks signing secret: ``whsec_`` and 24 random bytes in base64."""
    return "whsec_" + base64.b64encode(secrets.token_bytes(24)).decode()


def is_private_address(host: str) -> bool:
    """Loopback, private, link-local or otherwise non-public: a literal IP or localhost."""
    if host.lower() in ("localhost", "localhost.") or host.lower().endswith(".localhost"):
        return True
    try:
        ip = ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False  # a name: its addresses are checked again at delivery time
    return not ip.is_global or ip.is_multicast


def check_url(url: str, *, allow_private: bool) -> str:
    """Return ``url`` if it is an absolute HTTP(S) URL an endpoint may have; else ValidationFailed."""
    if len(url) > MAX_URL_LENGTH:
        raise ValidationFailed.on("url", f"must be at most {MAX_URL_LENGTH} characters")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValidationFailed.on("url", "must be an absolute http or https URL")
    if parts.username or parts.password:
        raise ValidationFailed.on("url", "must not carry credentials")
    if not allow_private and is_private_address(parts.hostname):
        raise ValidationFailed.on("url", "must not point at a private or loopback address")
    return url


def check_event_types(types: Sequence[str]) -> list[str]:
    """Return the distinct known types (empty: every type); else ValidationFailed."""
    unknown = sorted(set(types) - set(EVENT_TYPES))
    if unknown:
        raise ValidationFailed.on("event_types", f"unknown event types: {', '.join(unknown)}")
    return sorted(set(types))


def next_attempt(attempts_made: int, now: datetime, *, scale: float = 1.0) -> datetime | None:
    """When to try again after ``attempts_made`` failed attempts (None: give up), with jitter."""
    if attempts_made >= len(RETRY_DELAYS):
        return None
    delay = RETRY_DELAYS[attempts_made] * scale * random.uniform(0.8, 1.2)  # noqa: S311
    return now + timedelta(seconds=delay)


@dataclass(frozen=True)
class Endpoint:
    id: UUID
    org_id: str
    url: str
    event_types: list[str]
    disabled: bool
    failures: int
    version: int
    created_at: datetime
    updated_at: datetime
    secret: str = field(repr=False, default="")


@dataclass(frozen=True)
class Attempt:
    at: datetime
    status_code: int | None
    latency_ms: int
    error: str | None


@dataclass(frozen=True)
class Delivery:
    id: UUID
    endpoint_id: UUID
    event_id: UUID
    event_type: str
    status: str  # pending | succeeded | failed
    attempts: list[Attempt]
    next_attempt_at: datetime | None
    created_at: datetime


class WebhookRepository(Protocol):
    async def add(self, endpoint: Endpoint) -> None:
        """Store a new endpoint."""
        ...

    async def get(self, org_id: str, endpoint_id: UUID) -> Endpoint | None:
        """Return the organization's endpoint, or None."""
        ...

    async def list_all(self, org_id: str) -> list[Endpoint]:
        """List the organization's endpoints, oldest first."""
        ...

    async def update(self, endpoint: Endpoint, changes: dict[str, Any]) -> None:
        """Store changed fields (``url``, ``event_types``, ``disabled``, ``version``...)."""
        ...

    async def delete(self, org_id: str, endpoint_id: UUID) -> bool:
        """Delete an endpoint and its deliveries; False when there was none."""
        ...

    async def deliveries(self, org_id: str, endpoint_id: UUID, limit: int) -> list[Delivery]:
        """List an endpoint's deliveries, newest first."""
        ...

    async def replay(self, org_id: str, delivery_id: UUID, now: datetime) -> Delivery | None:
        """Make a delivery due again now (pending); None when there is none."""
        ...
