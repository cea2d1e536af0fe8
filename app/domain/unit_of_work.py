"""The composite unit of work: every capability's ports, as the composition root wires them.

Each capability's use cases name only the unit of work they need (``ProjectsUnitOfWork``,
``LedgerUnitOfWork``...); this protocol is what the adapters hold, and mypy checks that
the Postgres unit of work and the fakes satisfy it (``app/infra/postgres/uow.py``,
``tests/fakes_conformance.py``). A new capability adds its protocol to the bases here.
"""

from __future__ import annotations

from typing import Protocol

from app.domain.closure.ports import ClosureUnitOfWork
from app.domain.common.ports import KeyedUnitOfWork
from app.domain.forecast.ports import ForecastUnitOfWork
from app.domain.ledger.ports import LedgerUnitOfWork
from app.domain.reporting.ports import ReportingUnitOfWork
from app.domain.risks.ports import RisksUnitOfWork
from app.domain.team.ports import TeamUnitOfWork


class CharterUnitOfWork(
    ReportingUnitOfWork,
    ForecastUnitOfWork,
    ClosureUnitOfWork,
    LedgerUnitOfWork,
    RisksUnitOfWork,
    TeamUnitOfWork,
    KeyedUnitOfWork,
    Protocol,
):
    """Every capability's ports, and the idempotency store (``common.idempotency``)."""
