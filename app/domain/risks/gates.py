"""The risk register's contribution to the phase gates."""

from __future__ import annotations

from app.domain.projects.gates import ConditionResult
from app.domain.projects.model import Phase, Project
from app.domain.risks.model import RiskFilter
from app.domain.risks.ports import RisksUnitOfWork


class RiskRegisterReviewed:
    """planning -> execution: the register holds a risk, or the project has no known risks."""

    gate = "risk_register_reviewed"
    entering = Phase.EXECUTION

    async def evaluate(self, project: Project, uow: RisksUnitOfWork) -> ConditionResult:
        if project.no_known_risks:
            return ConditionResult(
                self.gate, True, "The project is marked as having no known risks"
            )
        counts = await uow.risks.count_for_projects(project.org_id, [project.id], RiskFilter())
        if counts.get(project.id, 0) > 0:
            return ConditionResult(self.gate, True, "The risk register has been reviewed")
        return ConditionResult(
            self.gate,
            False,
            "Review the risk register: record at least one risk, or mark the project "
            "no_known_risks",
        )
