"""The progress history earned value reads: one row per creation and progress/status change."""

from __future__ import annotations

import httpx
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from app.infra.postgres.tables import milestone_progress
from tests.api.helpers import make_project
from tests.api.test_milestones import make_milestone, url
from tests.conftest import Org


async def test_progress_rows_follow_creation_and_progress_or_status_changes_only(
    client: httpx.AsyncClient, org: Org, engine: AsyncEngine
) -> None:
    project = await make_project(client, org)
    m = await make_milestone(client, org, project)
    for body in ({"progress": 40}, {"name": "Renamed"}, {"status": "done"}, {"progress": 100}):
        r = await client.patch(url(project, m["id"]), json=body, headers=org.manager)
        assert r.status_code == 200, r.text
    refused = await client.patch(url(project, m["id"]), json={"progress": 50}, headers=org.manager)
    assert refused.status_code == 422  # done needs 100: nothing is recorded
    stmt = (
        select(milestone_progress.c.progress, milestone_progress.c.status, milestone_progress.c.at)
        .where(
            milestone_progress.c.org_id == org.id,
            milestone_progress.c.milestone_id == m["id"],
        )
        .order_by(milestone_progress.c.id)
    )
    async with engine.connect() as conn:
        rows = (await conn.execute(stmt)).all()
    assert [(r.progress, r.status) for r in rows] == [
        (0, "planned"),
        (40, "planned"),
        (100, "done"),
    ]
    assert all(r.at.tzinfo is not None for r in rows)
    assert rows[0].at <= rows[1].at <= rows[2].at
