"""What milestones contribute to the lifecycle: a planning gate and the execution baseline."""

from __future__ import annotations

from app.domain.common.clock import Clock
from app.domain.common.principal import Principal
from app.domain.milestones.baselines import capture
from app.domain.milestones.model import MilestoneStatus
from app.domain.milestones.ports import MilestonesUnitOfWork
from app.domain.projects.gates import ConditionResult
from app.domain.projects.model import Phase, Project

EXECUTION_BASELINE = "Execution start"


class MilestoneWithDates:
    """planning -> execution: at least one (not cancelled) milestone with dates."""

    gate = "milestone_with_dates"
    entering = Phase.EXECUTION

    async def evaluate(self, project: Project, uow: MilestonesUnitOfWork) -> ConditionResult:
        milestones = await uow.milestones.all_for_projects(project.org_id, [project.id])
        # Start and due dates are required, so every live milestone is a dated one.
        if any(m.status != MilestoneStatus.CANCELLED for m in milestones):
            return ConditionResult(self.gate, True, "The schedule has a dated milestone")
        return ConditionResult(
            self.gate, False, "Add at least one milestone with a start and due date"
        )


class CaptureBaselineOnExecution:
    """Entering execution takes a baseline of every milestone's dates and planned value."""

    entering = Phase.EXECUTION

    async def on_enter(
        self, project: Project, uow: MilestonesUnitOfWork, principal: Principal, clock: Clock
    ) -> None:
        milestones = await uow.milestones.all_for_projects(project.org_id, [project.id])
        await capture(
            project, EXECUTION_BASELINE, milestones, uow=uow, principal=principal, clock=clock
        )
