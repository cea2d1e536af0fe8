"""Seed the read benchmark: one organization with N projects, inserted with COPY."""

from __future__ import annotations

import random
import uuid
from datetime import UTC, date, datetime, timedelta

import asyncpg

ORG = "bench-org"
AREAS = (
    "software_development",
    "information_security",
    "information_systems",
    "communications_networks",
    "databases",
    "mobile_applications",
    "infrastructure",
    "other",
)
PHASES = ("initiation", "planning", "execution", "closing")
COLUMNS = (
    "id",
    "org_id",
    "key",
    "name",
    "description",
    "business_area",
    "sponsor_id",
    "manager_id",
    "start_date",
    "target_end_date",
    "currency",
    "phase",
    "held_from",
    "no_known_risks",
    "version",
    "created_at",
    "updated_at",
)


def plain_dsn(url: str) -> str:
    """``postgresql+asyncpg://`` (SQLAlchemy) -> ``postgresql://`` (asyncpg)."""
    return "postgresql://" + url.split("://", 1)[1]


async def seed_projects(url: str, count: int, org: str = ORG) -> list[uuid.UUID]:
    """Insert ``count`` projects (keys P00000...) in ``org``; return their ids in key order."""
    rng = random.Random(7)
    now = datetime.now(UTC)
    rows = []
    ids = []
    for i in range(count):
        pid = uuid.UUID(int=rng.getrandbits(128), version=4)
        ids.append(pid)
        start = date(2026, 1, 1) + timedelta(days=rng.randint(0, 300))
        created = now - timedelta(seconds=rng.randint(0, 10_000_000), microseconds=i)
        rows.append(
            (
                pid,
                org,
                f"P{i:05d}",
                f"Project {i:05d} - {rng.choice(('ERP', 'CRM', 'Network', 'Mobile', 'Data'))} rollout",
                "A benchmark project with a description of ordinary length." if i % 3 else None,
                rng.choice(AREAS),
                None,
                None,
                start,
                start + timedelta(days=rng.randint(30, 400)) if i % 4 else None,
                "EUR",
                rng.choice(PHASES),
                None,
                bool(i % 2),
                rng.randint(1, 9),
                created,
                created + timedelta(days=rng.randint(0, 30)),
            )
        )
    conn = await asyncpg.connect(plain_dsn(url))
    try:
        await conn.copy_records_to_table("projects", records=rows, columns=COLUMNS)
        await conn.execute("ANALYZE projects")
    finally:
        await conn.close()
    return ids
