"""Tables of milestones, their progress history, dependencies and baselines."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Column,
    Date,
    ForeignKeyConstraint,
    Identity,
    Index,
    Integer,
    Numeric,
    PrimaryKeyConstraint,
    SmallInteger,
    Table,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.dialects.postgresql import UUID

from app.infra.postgres.tables.base import TS, metadata

milestones = Table(
    "milestones",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("org_id", Text, nullable=False),
    Column("project_id", UUID(as_uuid=True), nullable=False),
    Column("name", Text, nullable=False),
    Column("description", Text),
    Column("owner_id", UUID(as_uuid=True)),
    Column("start_date", Date, nullable=False),
    Column("due_date", Date, nullable=False),
    Column("status", Text, nullable=False),
    Column("progress", SmallInteger, nullable=False),
    Column("completed_on", Date),
    Column("planned_value", Numeric(20, 4), nullable=False, server_default=text("0")),
    Column("version", Integer, nullable=False),
    Column("created_at", TS, nullable=False),
    Column("updated_at", TS, nullable=False),
    # The three-point estimate of the forecast (0010): all three or none.
    Column("optimistic_days", Integer),
    Column("most_likely_days", Integer),
    Column("pessimistic_days", Integer),
    UniqueConstraint("org_id", "id"),
    ForeignKeyConstraint(
        ["org_id", "project_id"], ["projects.org_id", "projects.id"], name="fk_milestones_project"
    ),
    ForeignKeyConstraint(
        ["org_id", "owner_id"], ["people.org_id", "people.id"], name="fk_milestones_owner"
    ),
    CheckConstraint("start_date <= due_date", name="dates_ordered"),
    CheckConstraint(
        "(optimistic_days IS NULL AND most_likely_days IS NULL AND pessimistic_days IS NULL) OR "
        "(optimistic_days >= 1 AND optimistic_days <= most_likely_days "
        "AND most_likely_days <= pessimistic_days)",
        name="estimate_ordered",
    ),
    CheckConstraint("progress BETWEEN 0 AND 100", name="progress_range"),
    CheckConstraint(
        "status IN ('planned', 'in_progress', 'done', 'cancelled')", name="status_known"
    ),
    CheckConstraint(
        "(status = 'done') = (completed_on IS NOT NULL) AND (status <> 'done' OR progress = 100)",
        name="done_complete",
    ),
    Index("ix_milestones_org_project_start", "org_id", "project_id", "start_date", "id"),
)

# Appended whenever a milestone is created or its progress or status changes, so earned
# value "as of" a past date can read progress as it stood then.
milestone_progress = Table(
    "milestone_progress",
    metadata,
    Column("id", BigInteger, Identity(always=True), primary_key=True),
    Column("org_id", Text, nullable=False),
    Column("project_id", UUID(as_uuid=True), nullable=False),
    Column("milestone_id", UUID(as_uuid=True), nullable=False),
    Column("at", TS, nullable=False),
    Column("progress", SmallInteger, nullable=False),
    Column("status", Text, nullable=False),
    ForeignKeyConstraint(
        ["org_id", "milestone_id"],
        ["milestones.org_id", "milestones.id"],
        name="fk_milestone_progress_milestone",
        ondelete="CASCADE",
    ),
    Index("ix_milestone_progress_org_project_at", "org_id", "project_id", "milestone_id", "at"),
)

milestone_dependencies = Table(
    "milestone_dependencies",
    metadata,
    Column("org_id", Text, nullable=False),
    Column("project_id", UUID(as_uuid=True), nullable=False),
    Column("predecessor_id", UUID(as_uuid=True), nullable=False),
    Column("successor_id", UUID(as_uuid=True), nullable=False),
    Column("type", Text, nullable=False),
    Column("lag_days", Integer, nullable=False),
    Column("created_at", TS, nullable=False),
    PrimaryKeyConstraint(
        "org_id", "successor_id", "predecessor_id", name="pk_milestone_dependencies"
    ),
    # A milestone others depend on cannot be deleted; its own links go with it.
    ForeignKeyConstraint(
        ["org_id", "predecessor_id"],
        ["milestones.org_id", "milestones.id"],
        name="fk_dependencies_predecessor",
    ),
    ForeignKeyConstraint(
        ["org_id", "successor_id"],
        ["milestones.org_id", "milestones.id"],
        name="fk_dependencies_successor",
        ondelete="CASCADE",
    ),
    CheckConstraint("predecessor_id <> successor_id", name="not_self"),
    Index("ix_dependencies_org_predecessor", "org_id", "predecessor_id"),
    Index("ix_dependencies_org_project", "org_id", "project_id"),
)

baselines = Table(
    "baselines",
    metadata,
    Column("org_id", Text, nullable=False),
    Column("project_id", UUID(as_uuid=True), nullable=False),
    Column("number", Integer, nullable=False),
    Column("name", Text, nullable=False),
    Column("taken_by", Text, nullable=False),
    Column("taken_at", TS, nullable=False),
    PrimaryKeyConstraint("org_id", "project_id", "number", name="pk_baselines"),
    ForeignKeyConstraint(
        ["org_id", "project_id"], ["projects.org_id", "projects.id"], name="fk_baselines_project"
    ),
)

# A snapshot keeps the ids of milestones deleted since: no foreign key to milestones.
baseline_milestones = Table(
    "baseline_milestones",
    metadata,
    Column("org_id", Text, nullable=False),
    Column("project_id", UUID(as_uuid=True), nullable=False),
    Column("number", Integer, nullable=False),
    Column("milestone_id", UUID(as_uuid=True), nullable=False),
    Column("start_date", Date, nullable=False),
    Column("due_date", Date, nullable=False),
    Column("planned_value", Numeric(20, 4), nullable=False),
    PrimaryKeyConstraint(
        "org_id", "project_id", "number", "milestone_id", name="pk_baseline_milestones"
    ),
    ForeignKeyConstraint(
        ["org_id", "project_id", "number"],
        ["baselines.org_id", "baselines.project_id", "baselines.number"],
        name="fk_baseline_milestones_baseline",
    ),
)
