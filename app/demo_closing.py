"""Demo objectives, deliverables and closure reports, loaded through the same use cases.

Every demo project gets an objective with two key results (one to raise, one to reduce)
and a few check-ins; projects from execution on get deliverables, across every status;
a project about to close has its milestones done, its deliverables decided and its
closure report written before it moves to closed.
"""

from __future__ import annotations

from typing import Any

from app.domain.closure import service as closure
from app.domain.common.principal import Principal, Role
from app.domain.deliverables import service as deliverables
from app.domain.deliverables.model import Decision
from app.domain.milestones import service as milestones
from app.domain.milestones.model import MilestoneStatus
from app.domain.objectives import key_results as krs
from app.domain.objectives import service as objectives
from app.domain.projects.model import Project

# (name, unit, baseline, target, check-ins)
KEY_RESULTS = [
    ("Tickets resolved on first contact", "%", "55", "80", ["61", "68"]),
    ("Median time to restore a service", "hours", "9", "2", ["7.5", "5"]),
]
DELIVERABLES = [
    ("Runbook and on-call guide", "Operations can restore the service from it alone", None),
    ("Architecture decision records", "Reviewed by the architecture board", Decision.ACCEPT),
    ("Load test report", "Sustains twice the expected peak", Decision.REJECT),
    ("Legacy data archive", "Read-only archive reachable for seven years", Decision.WAIVE),
]
NOTES = {
    Decision.REJECT: "Peak load was not reached: rerun with production-like data",
    Decision.WAIVE: "Archive moved to the records-management programme",
}
REPORT: dict[str, Any] = {
    "summary": "Delivered the scope on budget, three weeks after the target date.",
    "went_well": [
        "Weekly demos with the service desk kept the scope honest",
        "Vendor contract with delivery milestones and holdbacks",
    ],
    "to_improve": [
        "Involve security architecture before design sign-off",
        "Book the load-test environment a quarter ahead",
    ],
}


async def add_objectives(project: Project, uow: Any, admin: Principal, clock: Any) -> None:
    """One objective with a raise and a reduce key result, each checked in twice by a member."""
    member = Principal("demo-member", admin.org, frozenset({Role.MEMBER}))
    made = await objectives.create_objective(
        objectives.CreateObjective(project.id, "A service desk customers trust",
                                   "What the sponsor signed the charter for."),
        uow=uow(), principal=admin, clock=clock,
    )  # fmt: skip
    for name, unit, baseline, target, values in KEY_RESULTS:
        kr = await krs.add_key_result(
            krs.AddKeyResult(project.id, made.objective.id, name, unit, baseline, target),
            uow=uow(), principal=admin, clock=clock,
        )  # fmt: skip
        for value in values:
            cmd = krs.CheckInKeyResult(project.id, None, kr.id, value, "Monthly review")
            await krs.check_in(cmd, uow=uow(), principal=member, clock=clock)


async def add_deliverables(
    project: Project, uow: Any, admin: Principal, clock: Any, *, closing: bool = False
) -> None:
    """Deliverables in every status (all accepted or waived for a project about to close)."""
    for name, criteria, decision in DELIVERABLES:
        if closing and decision in (None, Decision.REJECT):
            decision = Decision.ACCEPT
        d = await deliverables.create_deliverable(
            deliverables.CreateDeliverable(project.id, name, acceptance_criteria=criteria),
            uow=uow(), principal=admin, clock=clock,
        )  # fmt: skip
        if decision is not None:
            cmd = deliverables.DecideDeliverable(project.id, d.id, decision, NOTES.get(decision))
            await deliverables.decide_deliverable(cmd, uow=uow(), principal=admin, clock=clock)


async def close_out(project: Project, uow: Any, admin: Principal, clock: Any) -> None:
    """In closing: every milestone done on its due date, then the closure report."""
    async with uow() as u:
        planned = await u.milestones.all_for_projects(admin.org, [project.id])
    for m in planned:
        changes = {"status": MilestoneStatus.DONE, "completed_on": m.due_date}
        cmd = milestones.UpdateMilestone(project.id, m.id, changes)
        await milestones.update_milestone(cmd, uow=uow(), principal=admin, clock=clock)
    report = closure.WriteClosureReport(project.id, **REPORT)
    await closure.write_closure_report(report, uow=uow(), principal=admin, clock=clock)
