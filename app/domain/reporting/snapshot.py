"""What a status report freezes: health with reasons and the key figures PRODUCT.md lists,
as JSON values (decimals and dates as strings), read through the capabilities' use cases."""

from __future__ import annotations

import asyncio
from dataclasses import asdict
from datetime import date, timedelta
from typing import Any

from app.domain.common.changes import plain
from app.domain.common.clock import Clock
from app.domain.common.paging import PageRequest
from app.domain.common.principal import Principal
from app.domain.forecast.service import check_run, forecast_inputs
from app.domain.forecast.simulation import Forecast
from app.domain.ledger.service import earned_values, ledger_summaries
from app.domain.reporting.facts import ProjectFacts
from app.domain.reporting.health import Health
from app.domain.reporting.ports import ReportingUnitOfWork
from app.domain.risks.model import RiskFilter, RiskStatus
from app.domain.risks.service import risks_of_projects
from app.domain.team.action_item_service import action_items_of_projects
from app.domain.team.meetings import ActionItemFilter

DUE_WITHIN_DAYS = 30
TOP_RISKS = 5
OVERDUE_ITEMS = 50
CURVE_POINTS = 12  # S-curve samples from the first planned day to the report date
REPORT_ITERATIONS = 10_000  # the forecast a report freezes (its seed is kept with it)


def _json(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _json(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_json(v) for v in value]
    return plain(value)


def health_json(h: Health) -> dict[str, Any]:
    return {
        "overall": h.overall.value,
        **{
            name: {"status": d.status.value, "reasons": [asdict(r) for r in d.reasons]}
            for name, d in (("schedule", h.schedule), ("budget", h.budget), ("risk", h.risk))
        },
        "figures": _json(asdict(h.figures)),
    }


def forecast_json(f: Forecast) -> dict[str, Any]:
    """The forecast as a report keeps it: finish percentiles against the target, the chance
    of finishing on time, cost percentiles and the histogram (for the page's chart)."""
    return {
        "iterations": f.iterations,
        "seed": f.seed,
        "finish": asdict(f.finish),
        "target_end_date": f.target_end_date,
        "probability_on_time": f.probability_on_time,
        "cost": {k: getattr(f.cost, k).amount for k in ("p50", "p80", "p90")},
        "histogram": [{"from": b.start, "to": b.end, "count": b.count} for b in f.histogram],
    }


def curve_days(first: date | None, today: date) -> list[date]:
    """Up to CURVE_POINTS days evenly spread from ``first`` to ``today`` (today only without)."""
    if first is None or first >= today:
        return [today]
    span = (today - first).days
    steps = min(CURVE_POINTS - 1, span)
    return sorted({first + timedelta(days=round(span * i / steps)) for i in range(steps + 1)})


async def snapshot(
    facts: ProjectFacts, since: date | None, *, uow: ReportingUnitOfWork, principal: Principal,
    clock: Clock,
) -> dict[str, Any]:  # fmt: skip
    """Freeze the project's health and key figures as of today."""
    today, pid, ev = facts.as_of, facts.project.id, facts.earned_value
    health = facts.health()
    summary = (await ledger_summaries([pid], today, uow=uow, principal=principal, clock=clock))[0]
    risks = await risks_of_projects(
        [pid], RiskFilter(status=RiskStatus.OPEN), "-score", PageRequest(limit=TOP_RISKS),
        uow=uow, principal=principal, clock=clock,
    )  # fmt: skip
    items = await action_items_of_projects(
        [pid], ActionItemFilter(overdue=True), PageRequest(limit=OVERDUE_ITEMS),
        uow=uow, principal=principal, clock=clock,
    )  # fmt: skip
    first = None if ev.actual_time_days is None else today - timedelta(ev.actual_time_days - 1)
    curve = []
    for day in curve_days(first, today):
        point = (await earned_values([pid], day, uow=uow, principal=principal, clock=clock))[0]
        assert point is not None
        curve.append({"date": day, "pv": point.pv, "ev": point.ev, "ac": point.ac})
    done = [
        {"id": m.id, "name": m.name, "completed_on": m.completed_on}
        for m in facts.milestones
        if m.completed_on is not None and (since is None or m.completed_on > since)
    ]
    horizon = today + timedelta(days=DUE_WITHIN_DAYS)
    due = [
        {"id": m.id, "name": m.name, "due_date": m.due_date}
        for m in sorted(facts.milestones, key=lambda m: (m.due_date, m.name))
        if m.completed_on is None
        and m.status.value != "cancelled"
        and today <= m.due_date <= horizon
    ]
    assert summary is not None
    inputs = await forecast_inputs(pid, uow=uow, principal=principal, clock=clock)
    forecast = await asyncio.to_thread(inputs.run, *check_run(REPORT_ITERATIONS, None))
    frozen: dict[str, Any] = _json(
        {
            "as_of": today,
            "currency": facts.project.currency,
            "health": health_json(health),
            "earned_value": asdict(ev),
            "ledger": {
                k: getattr(summary, k)
                for k in ("budget", "open_commitments", "actual", "remaining", "burn_rate")
            },
            "forecast_finish": facts.forecast_finish,
            "target_end_date": facts.project.target_end_date,
            "milestones_done_since_previous": done,
            "milestones_due_next_30_days": due,
            "top_risks": [
                {
                    "id": r.id,
                    "title": r.title,
                    "probability": r.probability,
                    "impact": r.impact,
                    "score": r.score,
                    "severity": r.severity,
                }
                for r in risks[pid].items
            ],
            "overdue_action_items": [
                {"id": a.id, "title": a.title, "owner_id": a.owner_id, "due_on": a.due_on}
                for a in items[pid].items
            ],
            "risk_matrix": facts.matrix.cells,
            "s_curve": curve,
            "forecast": forecast_json(forecast),
        }
    )
    return frozen
