"""The demo status report: SIEM (in execution) with work done, actuals over three months
and a report written today, so its page shows both charts with data."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from app.domain.common.clock import Clock
from app.domain.common.paging import PageRequest
from app.domain.common.principal import Principal
from app.domain.ledger import service as ledger
from app.domain.ledger.model import Category, EntryKind
from app.domain.milestones import service as milestones
from app.domain.milestones.model import MilestoneStatus
from app.domain.reporting import report_service as reports

DEMO_PROJECT = "SIEM"
ACTUALS = [(75, "15000"), (45, "22000"), (10, "26000")]  # (days ago, amount)


async def add_status_report(
    projects: dict[str, Any], uow: Callable[[], Any], admin: Principal, clock: Clock
) -> None:
    """Record progress and actuals on the demo project, then write its status report."""
    project = projects.get(DEMO_PROJECT)
    if project is None:
        return
    today = clock.today()
    plan = await milestones.list_milestones(
        project.id, None, PageRequest(limit=10), uow=uow(), principal=admin
    )
    for m in plan.items:
        if m.due_date < today:  # finished on time
            changes: dict[str, Any] = {"status": MilestoneStatus.DONE, "completed_on": m.due_date}
        elif m.start_date <= today:
            changes = {"status": MilestoneStatus.IN_PROGRESS, "progress": 60}
        else:
            continue
        cmd = milestones.UpdateMilestone(project.id, m.id, changes)
        await milestones.update_milestone(cmd, uow=uow(), principal=admin, clock=clock)
    for days, amount in ACTUALS:
        post = ledger.PostEntry(project.id, EntryKind.ACTUAL, Category.LABOUR, amount,
                                today - timedelta(days=days), description="Demo data")  # fmt: skip
        await ledger.post_entry(post, uow=uow(), principal=admin, clock=clock)
    report = reports.WriteStatusReport(
        project.id,
        summary="Monitoring is live for the first two sites; design of the rest is on track.",
        achievements="Log collection from the data centre and the cloud estate.",
        next_steps="Finish the detection rules and onboard the remaining sites.",
        escalations="Labour costs run ahead of earned value: extra analyst hours are needed.",
    )
    await reports.write_status_report(report, uow=uow(), principal=admin, clock=clock)
