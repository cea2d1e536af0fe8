"""The unit of work webhook use cases need."""

from __future__ import annotations

from typing import Protocol

from app.domain.common.ports import UnitOfWork
from app.domain.webhooks.model import WebhookRepository


class WebhooksUnitOfWork(UnitOfWork, Protocol):
    @property
    def webhooks(self) -> WebhookRepository: ...
