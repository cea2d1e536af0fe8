"""The figures of many projects at once, gathered through the capabilities' batch use cases
(a fixed number of statements whatever the number of projects) and turned into health."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from app.domain.common.clock import Clock
from app.domain.common.principal import Principal
from app.domain.ledger.earned_value import EarnedValue
from app.domain.ledger.service import earned_values_of_projects
from app.domain.milestones.items import milestone_facts_of_projects
from app.domain.milestones.model import MilestoneStatus
from app.domain.milestones.schedule import ScheduleItem
from app.domain.projects.model import Project
from app.domain.reporting.health import Health, HealthFigures, RiskFacts, assess
from app.domain.reporting.ports import ReportingUnitOfWork
from app.domain.risks.matrix import RiskMatrix
from app.domain.risks.model import Severity, severity_of
from app.domain.risks.occurrence import risk_matrices_of_projects

FINISHED = frozenset({MilestoneStatus.DONE, MilestoneStatus.CANCELLED})
# The severity of each cell of the 5 x 5 matrix (probability p, impact i: score p x i).
_CELL_SEVERITY = [[severity_of(p * i) for i in range(1, 6)] for p in range(1, 6)]


@dataclass(frozen=True)
class ProjectFacts:
    """What health and reports read of one project, as of one day."""

    project: Project
    as_of: date
    earned_value: EarnedValue
    forecast_finish: date | None
    milestones: list[ScheduleItem]
    matrix: RiskMatrix

    def overdue_milestones(self) -> list[ScheduleItem]:
        """Milestones neither done nor cancelled whose due date has passed."""
        return [m for m in self.milestones if m.status not in FINISHED and m.due_date < self.as_of]

    def next_milestone(self) -> ScheduleItem | None:
        """The unfinished milestone due first (ties by name)."""
        open_ = [m for m in self.milestones if m.status not in FINISHED]
        return min(open_, key=lambda m: (m.due_date, m.name), default=None)

    def risk_facts(self) -> RiskFacts:
        count = {Severity.CRITICAL: 0, Severity.HIGH: 0}
        for row, severities in zip(self.matrix.cells, _CELL_SEVERITY, strict=True):
            for n, severity in zip(row, severities, strict=True):
                if n and severity in count:
                    count[severity] += n
        return RiskFacts(
            count[Severity.CRITICAL], count[Severity.HIGH], len(self.matrix.overdue_reviews)
        )

    def health(self) -> Health:
        ev = self.earned_value
        figures = HealthFigures(
            currency=ev.currency,
            spi=ev.spi,
            cpi=ev.cpi,
            eac=ev.eac,
            budget=ev.bac,
            actual=ev.ac,
            forecast_finish=self.forecast_finish,
            target_end_date=self.project.target_end_date,
        )
        return assess(self.as_of, figures, len(self.overdue_milestones()), self.risk_facts())


async def facts_of_projects(
    projects: list[Project], *, uow: ReportingUnitOfWork, principal: Principal, clock: Clock
) -> list[ProjectFacts]:
    """Gather the facts of the caller's (already loaded) projects as of today."""
    today = clock.today()
    ids = [p.id for p in projects]
    if not ids:
        return []
    async with uow:  # one connection for every batch read below
        evs = await earned_values_of_projects(
            projects, today, uow=uow, principal=principal, clock=clock
        )
        milestones = await milestone_facts_of_projects(ids, uow=uow, principal=principal)
        matrices = await risk_matrices_of_projects(
            projects, uow=uow, principal=principal, clock=clock
        )
    found: list[ProjectFacts] = []
    for p, ev, matrix in zip(projects, evs, matrices, strict=True):
        m = milestones[p.id]
        found.append(ProjectFacts(p, today, ev, m.forecast_finish, m.items, matrix))
    return found
