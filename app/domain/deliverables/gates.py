"""What deliverables contribute to the lifecycle: the closing gate."""

from __future__ import annotations

from app.domain.deliverables.model import SETTLED, DeliverableStatus
from app.domain.deliverables.ports import DeliverablesUnitOfWork
from app.domain.projects.gates import ConditionResult
from app.domain.projects.model import Phase, Project


class DeliverablesDecided:
    """closing -> closed: at least one deliverable, and every one accepted or waived."""

    gate = "deliverables_decided"
    entering = Phase.CLOSED

    async def evaluate(self, project: Project, uow: DeliverablesUnitOfWork) -> ConditionResult:
        counts = (await uow.deliverables.status_counts(project.org_id, [project.id]))[project.id]
        total = sum(counts.values())
        open_ = sum(n for s, n in counts.items() if s not in SETTLED)
        if total == 0:
            return ConditionResult(
                self.gate, False, "Record the project's deliverables and decide each one"
            )
        if open_:
            pending = counts.get(DeliverableStatus.PENDING, 0)
            rejected = counts.get(DeliverableStatus.REJECTED, 0)
            return ConditionResult(
                self.gate,
                False,
                f"Accept or waive every deliverable ({pending} pending, {rejected} rejected)",
            )
        return ConditionResult(self.gate, True, "Every deliverable is accepted or waived")
