"""Tables of the risk register and the issue log."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    Computed,
    Date,
    ForeignKeyConstraint,
    Identity,
    Index,
    Integer,
    Numeric,
    SmallInteger,
    Table,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.dialects.postgresql import UUID

from app.infra.postgres.tables.base import TS, metadata

risks = Table(
    "risks",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("org_id", Text, nullable=False),
    Column("project_id", UUID(as_uuid=True), nullable=False),
    Column("title", Text, nullable=False),
    Column("description", Text),
    Column("category", Text, nullable=False),
    Column("probability", SmallInteger, nullable=False),
    Column("impact", SmallInteger, nullable=False),
    # Stored so the register can be sorted and filtered by score and severity in SQL.
    Column("score", SmallInteger, Computed("probability * impact", persisted=True)),
    Column("owner_id", UUID(as_uuid=True)),
    Column("response", Text, nullable=False),
    Column("mitigation", Text),
    Column("contingency", Text),
    Column("trigger", Text),
    Column("review_on", Date, nullable=False),
    Column("status", Text, nullable=False),
    Column("cost_impact", Numeric(20, 4)),
    Column("version", Integer, nullable=False),
    Column("created_at", TS, nullable=False),
    Column("updated_at", TS, nullable=False),
    # The forecast's schedule impact (0010): the days it would add to its milestone.
    Column("schedule_impact_days", Integer),
    Column("milestone_id", UUID(as_uuid=True)),
    UniqueConstraint("org_id", "id"),
    UniqueConstraint("org_id", "project_id", "id"),
    ForeignKeyConstraint(
        ["org_id", "milestone_id"],
        ["milestones.org_id", "milestones.id"],
        name="fk_risks_milestone",
    ),
    CheckConstraint("schedule_impact_days >= 0", name="schedule_impact_days"),
    Index("ix_risks_org_milestone", "org_id", "milestone_id"),
    ForeignKeyConstraint(
        ["org_id", "project_id"], ["projects.org_id", "projects.id"], name="fk_risks_project"
    ),
    ForeignKeyConstraint(
        ["org_id", "owner_id"], ["people.org_id", "people.id"], name="fk_risks_owner"
    ),
    CheckConstraint("probability BETWEEN 1 AND 5", name="probability"),
    CheckConstraint("impact BETWEEN 1 AND 5", name="impact"),
    CheckConstraint("cost_impact >= 0", name="cost_impact"),
    CheckConstraint(
        "category IN ('technical', 'schedule', 'budget', 'security', 'resource', 'vendor', "
        "'compliance', 'other')",
        name="category",
    ),
    CheckConstraint(
        "response IN ('avoid', 'mitigate', 'transfer', 'accept', 'escalate')", name="response"
    ),
    CheckConstraint("status IN ('open', 'mitigating', 'closed', 'occurred')", name="status"),
    Index("ix_risks_org_project_score", "org_id", "project_id", "score", "id"),
    Index("ix_risks_org_project_review", "org_id", "project_id", "review_on", "id"),
)

risk_assessments = Table(
    "risk_assessments",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("org_id", Text, nullable=False),
    Column("project_id", UUID(as_uuid=True), nullable=False),
    Column("risk_id", UUID(as_uuid=True), nullable=False),
    Column("seq", BigInteger, Identity(always=True), nullable=False, unique=True),
    Column("assessed_by", Text, nullable=False),
    Column("assessed_at", TS, nullable=False),
    Column("from_probability", SmallInteger),
    Column("from_impact", SmallInteger),
    Column("to_probability", SmallInteger, nullable=False),
    Column("to_impact", SmallInteger, nullable=False),
    Column("note", Text),
    ForeignKeyConstraint(
        ["org_id", "project_id"],
        ["projects.org_id", "projects.id"],
        name="fk_risk_assessments_project",
    ),
    ForeignKeyConstraint(
        ["org_id", "project_id", "risk_id"],
        ["risks.org_id", "risks.project_id", "risks.id"],
        name="fk_risk_assessments_risk",
    ),
    CheckConstraint("to_probability BETWEEN 1 AND 5 AND to_impact BETWEEN 1 AND 5", name="levels"),
    Index("ix_risk_assessments_org_risk_seq", "org_id", "risk_id", "seq"),
)

issues = Table(
    "issues",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("org_id", Text, nullable=False),
    Column("project_id", UUID(as_uuid=True), nullable=False),
    Column("title", Text, nullable=False),
    Column("description", Text),
    Column("severity", Text, nullable=False),
    Column("status", Text, nullable=False),
    Column("owner_id", UUID(as_uuid=True)),
    Column("due_on", Date),
    Column("resolution", Text),
    Column("risk_id", UUID(as_uuid=True)),
    Column("from_occurrence", Boolean, nullable=False, server_default=text("false")),
    Column("version", Integer, nullable=False),
    Column("created_at", TS, nullable=False),
    Column("updated_at", TS, nullable=False),
    UniqueConstraint("org_id", "id"),
    ForeignKeyConstraint(
        ["org_id", "project_id"], ["projects.org_id", "projects.id"], name="fk_issues_project"
    ),
    ForeignKeyConstraint(
        ["org_id", "owner_id"], ["people.org_id", "people.id"], name="fk_issues_owner"
    ),
    # The linked risk must belong to the same project (and so the same organization).
    ForeignKeyConstraint(
        ["org_id", "project_id", "risk_id"],
        ["risks.org_id", "risks.project_id", "risks.id"],
        name="fk_issues_risk",
    ),
    CheckConstraint("severity IN ('low', 'medium', 'high', 'critical')", name="severity"),
    CheckConstraint("status IN ('open', 'in_progress', 'resolved', 'closed')", name="status"),
    CheckConstraint(
        "status NOT IN ('resolved', 'closed') OR btrim(coalesce(resolution, '')) <> ''",
        name="resolution",
    ),
    CheckConstraint("NOT from_occurrence OR risk_id IS NOT NULL", name="occurrence_risk"),
    # A risk occurs once: at most one issue raised by its occurrence.
    Index(
        "uq_issues_risk_occurrence",
        "org_id",
        "risk_id",
        unique=True,
        postgresql_where=text("from_occurrence"),
    ),
    Index("ix_issues_org_project_created", "org_id", "project_id", "created_at", "id"),
)
