"""What objectives contribute to the lifecycle: the initiation gate."""

from __future__ import annotations

from app.domain.objectives.ports import ObjectivesUnitOfWork
from app.domain.projects.gates import ConditionResult
from app.domain.projects.model import Phase, Project


class ObjectiveDefined:
    """initiation -> planning: at least one objective with at least one key result."""

    gate = "objective_defined"
    entering = Phase.PLANNING

    async def evaluate(self, project: Project, uow: ObjectivesUnitOfWork) -> ConditionResult:
        objectives = (await uow.objectives.all_for_projects(project.org_id, [project.id])).get(
            project.id, []
        )
        results = await uow.key_results.for_objectives(project.org_id, [o.id for o in objectives])
        if any(results[o.id] for o in objectives):
            return ConditionResult(self.gate, True, "An objective has a measurable key result")
        if objectives:
            return ConditionResult(
                self.gate, False, "Add a key result to one of the project's objectives"
            )
        return ConditionResult(self.gate, False, "Define an objective with at least one key result")
