"""The unit of work of the forecast: it reads milestones, the ledger and the risk register."""

from __future__ import annotations

from typing import Protocol

from app.domain.ledger.ports import LedgerUnitOfWork
from app.domain.risks.ports import RisksUnitOfWork


class ForecastUnitOfWork(LedgerUnitOfWork, RisksUnitOfWork, Protocol):
    """Milestones and dependencies (via the ledger's), the ledger, and the risks."""
