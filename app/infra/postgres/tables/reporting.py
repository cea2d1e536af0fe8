"""Tables of reporting: status reports, immutable snapshots of a project's health."""

from __future__ import annotations

from sqlalchemy import (
    CheckConstraint,
    Column,
    ForeignKeyConstraint,
    Index,
    Table,
    Text,
)
from sqlalchemy.dialects.postgresql import JSONB, UUID

from app.infra.postgres.tables.base import TS, metadata

# Status reports: immutable snapshots (no UPDATE or DELETE is ever issued on this table).
status_reports = Table(
    "status_reports",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("org_id", Text, nullable=False),
    Column("project_id", UUID(as_uuid=True), nullable=False),
    Column("summary", Text, nullable=False),
    Column("achievements", Text),
    Column("next_steps", Text),
    Column("escalations", Text),
    Column("computed_overall", Text, nullable=False),
    Column("overall", Text, nullable=False),
    Column("override_reason", Text),
    Column("trend", Text),
    Column("snapshot", JSONB, nullable=False),
    Column("written_by", Text, nullable=False),
    Column("written_at", TS, nullable=False),
    ForeignKeyConstraint(
        ["org_id", "project_id"],
        ["projects.org_id", "projects.id"],
        name="fk_status_reports_project",
    ),
    CheckConstraint(
        "computed_overall IN ('green', 'amber', 'red') AND overall IN ('green', 'amber', 'red')",
        name="colours",
    ),
    CheckConstraint("trend IN ('improving', 'steady', 'worsening')", name="trend"),
    CheckConstraint(
        "(overall = computed_overall AND override_reason IS NULL) OR override_reason IS NOT NULL",
        name="override_has_reason",
    ),
    Index("ix_status_reports_org_project_written", "org_id", "project_id", "written_at", "id"),
)
