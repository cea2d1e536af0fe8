"""What milestones contribute to the lifecycle: the planning and execution gates, and the
baseline taken on the first entry into execution."""

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
    """The first entry into execution takes a baseline of every milestone's dates and planned
    value (entry hooks run on forward moves only: resuming from on_hold takes none)."""

    entering = Phase.EXECUTION

    async def on_enter(
        self, project: Project, uow: MilestonesUnitOfWork, principal: Principal, clock: Clock
    ) -> None:
        milestones = await uow.milestones.all_for_projects(project.org_id, [project.id])
        await capture(
            project, EXECUTION_BASELINE, milestones, uow=uow, principal=principal, clock=clock
        )


class MilestonesFinished:
    """execution -> closing: every milestone done or cancelled, and at least one done."""

    gate = "milestones_finished"
    entering = Phase.CLOSING

    async def evaluate(self, project: Project, uow: MilestonesUnitOfWork) -> ConditionResult:
        milestones = await uow.milestones.all_for_projects(project.org_id, [project.id])
        open_ = [m for m in milestones if m.status not in FINISHED]
        if open_:
            return ConditionResult(
                self.gate,
                False,
                f"Finish or cancel every milestone ({len(open_)} still open)",
            )
        if not any(m.status == MilestoneStatus.DONE for m in milestones):
            return ConditionResult(self.gate, False, "Complete at least one milestone")
        return ConditionResult(self.gate, True, "Every milestone is done or cancelled")


FINISHED = frozenset({MilestoneStatus.DONE, MilestoneStatus.CANCELLED})
