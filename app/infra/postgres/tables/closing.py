"""Tables of objectives and key results, deliverables, the closure report and lessons."""

from __future__ import annotations

from sqlalchemy import (
    CheckConstraint,
    Column,
    ForeignKeyConstraint,
    Index,
    Integer,
    Numeric,
    PrimaryKeyConstraint,
    SmallInteger,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.dialects.postgresql import JSONB, UUID

from app.infra.postgres.tables.base import TS, metadata

# Objectives and key results (issue 11): deleted rows are kept, so check-ins keep their subject.
objectives = Table(
    "objectives",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("org_id", Text, nullable=False),
    Column("project_id", UUID(as_uuid=True), nullable=False),
    Column("name", Text, nullable=False),
    Column("description", Text),
    Column("version", Integer, nullable=False),
    Column("created_at", TS, nullable=False),
    Column("updated_at", TS, nullable=False),
    Column("deleted_at", TS),
    UniqueConstraint("org_id", "id"),
    ForeignKeyConstraint(
        ["org_id", "project_id"], ["projects.org_id", "projects.id"], name="fk_objectives_project"
    ),
    Index("ix_objectives_org_project_created", "org_id", "project_id", "created_at", "id"),
)

key_results = Table(
    "key_results",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("org_id", Text, nullable=False),
    Column("project_id", UUID(as_uuid=True), nullable=False),
    Column("objective_id", UUID(as_uuid=True), nullable=False),
    Column("name", Text, nullable=False),
    Column("unit", Text, nullable=False),
    Column("baseline", Numeric(20, 4), nullable=False),
    Column("target", Numeric(20, 4), nullable=False),
    Column("current", Numeric(20, 4), nullable=False),
    Column("version", Integer, nullable=False),
    Column("created_at", TS, nullable=False),
    Column("updated_at", TS, nullable=False),
    Column("deleted_at", TS),
    UniqueConstraint("org_id", "id"),
    ForeignKeyConstraint(
        ["org_id", "objective_id"],
        ["objectives.org_id", "objectives.id"],
        name="fk_key_results_objective",
    ),
    CheckConstraint("target <> baseline", name="target_differs"),
    Index("ix_key_results_org_objective_created", "org_id", "objective_id", "created_at", "id"),
)

key_result_check_ins = Table(
    "key_result_check_ins",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("org_id", Text, nullable=False),
    Column("project_id", UUID(as_uuid=True), nullable=False),
    Column("key_result_id", UUID(as_uuid=True), nullable=False),
    Column("from_value", Numeric(20, 4), nullable=False),
    Column("to_value", Numeric(20, 4), nullable=False),
    Column("note", Text),
    Column("by", Text, nullable=False),
    Column("at", TS, nullable=False),
    ForeignKeyConstraint(
        ["org_id", "key_result_id"],
        ["key_results.org_id", "key_results.id"],
        name="fk_check_ins_key_result",
    ),
    Index("ix_check_ins_org_key_result_at", "org_id", "key_result_id", "at", "id"),
)

deliverables = Table(
    "deliverables",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("org_id", Text, nullable=False),
    Column("project_id", UUID(as_uuid=True), nullable=False),
    Column("name", Text, nullable=False),
    Column("description", Text),
    Column("acceptance_criteria", Text),
    Column("milestone_id", UUID(as_uuid=True)),
    Column("status", Text, nullable=False),
    Column("decided_by", Text),
    Column("decided_at", TS),
    Column("version", Integer, nullable=False),
    Column("created_at", TS, nullable=False),
    Column("updated_at", TS, nullable=False),
    UniqueConstraint("org_id", "id"),
    ForeignKeyConstraint(
        ["org_id", "project_id"],
        ["projects.org_id", "projects.id"],
        name="fk_deliverables_project",
    ),
    # A milestone a deliverable names cannot be deleted from under it (409).
    ForeignKeyConstraint(
        ["org_id", "milestone_id"],
        ["milestones.org_id", "milestones.id"],
        name="fk_deliverables_milestone",
    ),
    CheckConstraint("status IN ('pending', 'accepted', 'rejected', 'waived')", name="status_known"),
    Index("ix_deliverables_org_project_created", "org_id", "project_id", "created_at", "id"),
    Index("ix_deliverables_org_milestone", "org_id", "milestone_id"),
)

deliverable_decisions = Table(
    "deliverable_decisions",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("org_id", Text, nullable=False),
    Column("project_id", UUID(as_uuid=True), nullable=False),
    Column("deliverable_id", UUID(as_uuid=True), nullable=False),
    Column("decision", Text, nullable=False),
    Column("from_status", Text, nullable=False),
    Column("to_status", Text, nullable=False),
    Column("note", Text),
    Column("by", Text, nullable=False),
    Column("at", TS, nullable=False),
    ForeignKeyConstraint(
        ["org_id", "deliverable_id"],
        ["deliverables.org_id", "deliverables.id"],
        name="fk_decisions_deliverable",
    ),
    Index("ix_decisions_org_deliverable_at", "org_id", "deliverable_id", "at", "id"),
)

closure_reports = Table(
    "closure_reports",
    metadata,
    Column("org_id", Text, nullable=False),
    Column("project_id", UUID(as_uuid=True), nullable=False),
    Column("summary", Text, nullable=False),
    Column("went_well", JSONB, nullable=False),
    Column("to_improve", JSONB, nullable=False),
    Column("final_figures", JSONB, nullable=False),
    Column("written_by", Text, nullable=False),
    Column("written_at", TS, nullable=False),
    Column("version", Integer, nullable=False),
    Column("created_at", TS, nullable=False),
    PrimaryKeyConstraint("org_id", "project_id", name="pk_closure_reports"),
    ForeignKeyConstraint(
        ["org_id", "project_id"],
        ["projects.org_id", "projects.id"],
        name="fk_closure_reports_project",
    ),
)

# One row per went-well / to-improve item, so /lessons searches and pages them in SQL.
closure_lessons = Table(
    "closure_lessons",
    metadata,
    Column("org_id", Text, nullable=False),
    Column("project_id", UUID(as_uuid=True), nullable=False),
    Column("kind", Text, nullable=False),
    Column("position", SmallInteger, nullable=False),
    Column("text", Text, nullable=False),
    PrimaryKeyConstraint("org_id", "project_id", "kind", "position", name="pk_closure_lessons"),
    ForeignKeyConstraint(
        ["org_id", "project_id"],
        ["closure_reports.org_id", "closure_reports.project_id"],
        name="fk_closure_lessons_report",
    ),
    CheckConstraint("kind IN ('went_well', 'to_improve')", name="kind_known"),
)
