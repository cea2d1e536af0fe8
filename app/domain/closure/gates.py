"""What the closure review contributes to the lifecycle: the last gate."""

from __future__ import annotations

from app.domain.closure.ports import ClosureUnitOfWork
from app.domain.projects.gates import ConditionResult
from app.domain.projects.model import Phase, Project


class ClosureReportWritten:
    """closing -> closed: the closure report is written."""

    gate = "closure_report_written"
    entering = Phase.CLOSED

    async def evaluate(self, project: Project, uow: ClosureUnitOfWork) -> ConditionResult:
        if await uow.closure_reports.get(project.org_id, project.id) is not None:
            return ConditionResult(self.gate, True, "The closure report is written")
        return ConditionResult(
            self.gate,
            False,
            "Write the closure report: a summary, what went well and what to improve",
        )
