"""SQLAlchemy Core tables, one module per capability, all in one ``metadata`` (which Alembic's
comparison in tests/integration checks against the migrations). Every table carries
``org_id`` and every query filters on it.
"""

from __future__ import annotations

from app.infra.postgres.tables.base import MONEY, TS, metadata
from app.infra.postgres.tables.closing import (
    closure_lessons,
    closure_reports,
    deliverable_decisions,
    deliverables,
    key_result_check_ins,
    key_results,
    objectives,
)
from app.infra.postgres.tables.core import (
    event_counters,
    idempotency_keys,
    people,
    project_activity,
    projects,
)
from app.infra.postgres.tables.ledger import (
    ledger_commitments,
    ledger_daily_totals,
    ledger_entries,
    ledger_totals,
)
from app.infra.postgres.tables.milestones import (
    baseline_milestones,
    baselines,
    milestone_dependencies,
    milestone_progress,
    milestones,
)
from app.infra.postgres.tables.reporting import status_reports
from app.infra.postgres.tables.risks import (
    issues,
    risk_assessments,
    risks,
)
from app.infra.postgres.tables.team import (
    action_items,
    assignments,
    meetings,
    stakeholders,
)
from app.infra.postgres.tables.webhooks import webhook_deliveries, webhook_endpoints

__all__ = [
    "MONEY",
    "TS",
    "action_items",
    "assignments",
    "baseline_milestones",
    "baselines",
    "closure_lessons",
    "closure_reports",
    "deliverable_decisions",
    "deliverables",
    "event_counters",
    "idempotency_keys",
    "issues",
    "key_result_check_ins",
    "key_results",
    "ledger_commitments",
    "ledger_daily_totals",
    "ledger_entries",
    "ledger_totals",
    "meetings",
    "metadata",
    "milestone_dependencies",
    "milestone_progress",
    "milestones",
    "objectives",
    "people",
    "project_activity",
    "projects",
    "risk_assessments",
    "risks",
    "stakeholders",
    "status_reports",
    "webhook_deliveries",
    "webhook_endpoints",
]
