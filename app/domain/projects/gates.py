"""Phase gates: conditions and entry hooks that each capability registers for itself.

The lifecycle code never names a condition. A capability (milestones, budget, risks,
deliverables...) contributes ``GateCondition`` objects for the phase it guards and,
where entering a phase must do something (capture a baseline), a ``PhaseEntryHook``.
A capability may also refuse a change to the project (``ProjectUpdateGuard``: the
ledger fixes the currency once it has entries). The composition root collects them into one ``Gates`` registry.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, Protocol, TypeVar

from app.domain.common.clock import Clock
from app.domain.common.principal import Principal
from app.domain.projects.model import Phase, Project
from app.domain.projects.ports import ProjectsUnitOfWork

# A gate names the unit of work it needs (e.g. the milestones' one); the registry is
# typed by the composite unit of work, which every gate's accepts (contravariance).
U_contra = TypeVar("U_contra", bound=ProjectsUnitOfWork, contravariant=True)
U = TypeVar("U", bound=ProjectsUnitOfWork)


@dataclass(frozen=True)
class ConditionResult:
    gate: str
    met: bool
    message: str


class GateCondition(Protocol[U_contra]):
    gate: str  # stable name, e.g. "sponsor_named"
    entering: Phase  # the phase whose forward gate this condition guards

    async def evaluate(self, project: Project, uow: U_contra) -> ConditionResult:
        """Check the condition inside the transition's unit of work."""
        ...


class PhaseEntryHook(Protocol[U_contra]):
    entering: Phase

    async def on_enter(
        self, project: Project, uow: U_contra, principal: Principal, clock: Clock
    ) -> None:
        """Act, in the transition's transaction, when a project enters ``entering`` through
        its gate (its first entry; resuming from on_hold runs no hook)."""
        ...


class ProjectUpdateGuard(Protocol[U_contra]):
    async def check(self, project: Project, changes: dict[str, Any], uow: U_contra) -> None:
        """Raise a domain error when a capability forbids this change to the project."""
        ...


@dataclass(frozen=True)
class Gates(Generic[U]):
    conditions: Sequence[GateCondition[U]] = field(default_factory=tuple)
    hooks: Sequence[PhaseEntryHook[U]] = field(default_factory=tuple)
    update_guards: Sequence[ProjectUpdateGuard[U]] = field(default_factory=tuple)

    async def check_update(self, project: Project, changes: dict[str, Any], uow: U) -> None:
        """Let every capability refuse a change to the project (e.g. a locked currency)."""
        for guard in self.update_guards:
            await guard.check(project, changes, uow)

    async def evaluate(self, project: Project, entering: Phase, uow: U) -> list[ConditionResult]:
        """Evaluate, in registration order, every condition guarding entry to ``entering``."""
        return [await c.evaluate(project, uow) for c in self.conditions if c.entering == entering]

    async def entered(self, project: Project, uow: U, principal: Principal, clock: Clock) -> None:
        for hook in self.hooks:
            if hook.entering == project.phase:
                await hook.on_enter(project, uow, principal, clock)


class SponsorNamed:
    """initiation -> planning: the project names a sponsor."""

    gate = "sponsor_named"
    entering = Phase.PLANNING

    async def evaluate(self, project: Project, uow: ProjectsUnitOfWork) -> ConditionResult:
        if project.sponsor_id is not None:
            return ConditionResult(self.gate, True, "A sponsor is named")
        return ConditionResult(self.gate, False, "Name a sponsor for the project")
