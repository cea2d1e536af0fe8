"""What the ledger contributes to the lifecycle: a planning gate and the currency lock."""

from __future__ import annotations

from typing import Any

from app.domain.common.errors import CurrencyLocked
from app.domain.ledger.ports import LedgerUnitOfWork
from app.domain.projects.gates import ConditionResult
from app.domain.projects.model import Phase, Project


class BudgetPositive:
    """planning -> execution: the ledger holds a budget greater than zero."""

    gate = "budget_positive"
    entering = Phase.EXECUTION

    async def evaluate(self, project: Project, uow: LedgerUnitOfWork) -> ConditionResult:
        totals = await uow.ledger.totals(project.org_id, project.id)
        if totals.budget > 0:
            return ConditionResult(self.gate, True, "The ledger holds a budget")
        return ConditionResult(self.gate, False, "Post a budget greater than zero to the ledger")


class CurrencyFixedOnceLedgerUsed:
    """A project's currency cannot change once its ledger has an entry."""

    async def check(self, project: Project, changes: dict[str, Any], uow: LedgerUnitOfWork) -> None:
        if "currency" not in changes or changes["currency"] == project.currency:
            return
        if await uow.ledger.has_entries(project.org_id, project.id):
            raise CurrencyLocked("The project's ledger has entries: its currency is fixed")
