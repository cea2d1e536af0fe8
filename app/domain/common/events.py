"""Domain events: one record of every committed change (API.md "Events").

A use case records events on its unit of work (``uow.record``); the unit of work writes
them with its commit, in the same transaction, so nothing that commits loses its event
and nothing rolled back emits one. The activity history, the
``/activity`` feed, the subscriptions and the webhooks read the same records, in
the order of their per-organization ``seq``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from uuid import UUID

from app.domain.common.ids import new_id
from app.domain.common.principal import Principal


@dataclass(frozen=True)
class Subject:
    """What an event is about: ``type`` like ``milestone``, and its id."""

    type: str
    id: UUID


@dataclass(frozen=True)
class DomainEvent:
    """One committed change: ``type`` like ``project.transitioned``, by ``actor``, at ``occurred_at``."""

    id: UUID
    type: str
    occurred_at: datetime
    org: str
    project_id: UUID
    actor: str
    subject: Subject
    changes: Mapping[str, Any] = field(default_factory=dict)
    # The organization's sequence number, given as the event is written (0 until then).
    seq: int = 0


def event(
    type: str,
    subject: Subject,
    changes: Mapping[str, Any],
    *,
    project_id: UUID,
    principal: Principal,
    at: datetime,
) -> DomainEvent:
    """Describe a change the caller made at ``at`` to something of a project."""
    return DomainEvent(
        new_id(), type, at, principal.org, project_id, principal.sub, subject, changes
    )
