"""The dashboard benchmark's tenant: projects in execution, each with a chain of milestones
(finish-to-start, some with lags), baseline 1 taken from them, and risks with cost impacts."""

from __future__ import annotations

import random
import uuid
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import asyncpg

ORG = "bench-dash"


async def seed_dashboard(dsn: str, projects: int, milestones: int, risks: int = 5) -> None:
    """Seed ``projects`` projects with ``milestones`` chained milestones and ``risks`` risks."""
    rng = random.Random(16)
    conn = await asyncpg.connect(dsn)
    now = datetime.now(UTC)
    today = now.date()
    start = today - timedelta(days=120)
    try:
        pids = [uuid.uuid4() for _ in range(projects)]
        await conn.executemany(
            "INSERT INTO projects (id, org_id, key, name, business_area, currency, phase, "
            "start_date, target_end_date, no_known_risks, version, created_at, updated_at) "
            "VALUES ($1, $2, $3, $4, 'other', 'EUR', 'execution', $5, $6, false, 1, $7, $7)",
            [(p, ORG, f"D{n:04d}", f"Project {n}", start, start + timedelta(days=400), now)
             for n, p in enumerate(pids)],
        )  # fmt: skip
        rows, deps, snaps, risk_rows = [], [], [], []
        for p in pids:
            day = start
            previous = None
            for m in range(milestones):
                mid = uuid.uuid4()
                length = rng.randint(3, 12)
                due = day + timedelta(days=length - 1)
                done = due < today - timedelta(days=5)
                status = "done" if done else ("in_progress" if day <= today else "planned")
                progress = 100 if done else (rng.randint(0, 90) if day <= today else 0)
                value = Decimal(rng.randint(1, 40) * 500)
                rows.append((mid, ORG, p, f"Milestone {m:02d}", day, due, status, progress,
                             due + timedelta(days=rng.randint(0, 3)) if done else None, value,
                             now))  # fmt: skip
                snaps.append((ORG, p, mid, day, due, value))
                if previous is not None:
                    lag = rng.choice((0, 0, 0, 1, 2))
                    deps.append((ORG, p, previous, mid, "finish_to_start", lag, now))
                previous = mid
                day = due + timedelta(days=1 + rng.randint(0, 2))
            for r in range(risks):
                cost = Decimal(rng.randint(1, 200) * 250) if r % 4 else None
                risk_rows.append((uuid.uuid4(), ORG, p, f"Risk {r}", rng.randint(1, 5),
                                  rng.randint(1, 5), today + timedelta(days=rng.randint(-10, 60)),
                                  cost, now))  # fmt: skip
        await conn.executemany(
            "INSERT INTO milestones (id, org_id, project_id, name, start_date, due_date, status, "
            "progress, completed_on, planned_value, version, created_at, updated_at) VALUES "
            "($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 1, $11, $11)",
            rows,
        )
        await conn.executemany(
            "INSERT INTO milestone_dependencies (org_id, project_id, predecessor_id, "
            "successor_id, type, lag_days, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
            deps,
        )
        await conn.executemany(
            "INSERT INTO baselines (org_id, project_id, number, name, taken_by, taken_at) "
            "VALUES ($1, $2, 1, 'Entering execution', 'bench', $3)",
            [(ORG, p, now) for p in pids],
        )
        await conn.executemany(
            "INSERT INTO baseline_milestones (org_id, project_id, number, milestone_id, "
            "start_date, due_date, planned_value) VALUES ($1, $2, 1, $3, $4, $5, $6)",
            snaps,
        )
        await conn.executemany(
            "INSERT INTO risks (id, org_id, project_id, title, category, probability, impact, "
            "response, review_on, status, cost_impact, version, created_at, updated_at) VALUES "
            "($1, $2, $3, $4, 'technical', $5, $6, 'mitigate', $7, 'open', $8, 1, $9, $9)",
            risk_rows,
        )
        await conn.execute("ANALYZE")
    finally:
        await conn.close()
