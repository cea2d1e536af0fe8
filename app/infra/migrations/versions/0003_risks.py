"""risks: the risk register, re-assessment history and the issue log

Revision ID: 0003
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0003"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "risks",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("org_id", sa.Text(), nullable=False),
        sa.Column("project_id", sa.UUID(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("category", sa.Text(), nullable=False),
        sa.Column("probability", sa.SmallInteger(), nullable=False),
        sa.Column("impact", sa.SmallInteger(), nullable=False),
        sa.Column(
            "score",
            sa.SmallInteger(),
            sa.Computed("probability * impact", persisted=True),
            nullable=True,
        ),
        sa.Column("owner_id", sa.UUID(), nullable=True),
        sa.Column("response", sa.Text(), nullable=False),
        sa.Column("mitigation", sa.Text(), nullable=True),
        sa.Column("contingency", sa.Text(), nullable=True),
        sa.Column("trigger", sa.Text(), nullable=True),
        sa.Column("review_on", sa.Date(), nullable=False),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("cost_impact", sa.Numeric(precision=20, scale=4), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", postgresql.TIMESTAMP(timezone=True), nullable=False),
        sa.Column("updated_at", postgresql.TIMESTAMP(timezone=True), nullable=False),
        sa.CheckConstraint(
            "category IN ('technical', 'schedule', 'budget', 'security', 'resource', 'vendor', 'compliance', 'other')",
            name=op.f("ck_risks_category"),
        ),
        sa.CheckConstraint(
            "response IN ('avoid', 'mitigate', 'transfer', 'accept', 'escalate')",
            name=op.f("ck_risks_response"),
        ),
        sa.CheckConstraint(
            "status IN ('open', 'mitigating', 'closed', 'occurred')", name=op.f("ck_risks_status")
        ),
        sa.CheckConstraint("cost_impact >= 0", name=op.f("ck_risks_cost_impact")),
        sa.CheckConstraint("impact BETWEEN 1 AND 5", name=op.f("ck_risks_impact")),
        sa.CheckConstraint("probability BETWEEN 1 AND 5", name=op.f("ck_risks_probability")),
        sa.ForeignKeyConstraint(
            ["org_id", "owner_id"], ["people.org_id", "people.id"], name="fk_risks_owner"
        ),
        sa.ForeignKeyConstraint(
            ["org_id", "project_id"], ["projects.org_id", "projects.id"], name="fk_risks_project"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_risks")),
        sa.UniqueConstraint("org_id", "id", name=op.f("uq_risks_org_id_id")),
        sa.UniqueConstraint(
            "org_id", "project_id", "id", name=op.f("uq_risks_org_id_project_id_id")
        ),
    )
    op.create_index(
        "ix_risks_org_project_review",
        "risks",
        ["org_id", "project_id", "review_on", "id"],
        unique=False,
    )
    op.create_index(
        "ix_risks_org_project_score", "risks", ["org_id", "project_id", "score", "id"], unique=False
    )
    op.create_table(
        "issues",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("org_id", sa.Text(), nullable=False),
        sa.Column("project_id", sa.UUID(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("severity", sa.Text(), nullable=False),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("owner_id", sa.UUID(), nullable=True),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("resolution", sa.Text(), nullable=True),
        sa.Column("risk_id", sa.UUID(), nullable=True),
        sa.Column("from_occurrence", sa.Boolean(), server_default=sa.text("false"), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", postgresql.TIMESTAMP(timezone=True), nullable=False),
        sa.Column("updated_at", postgresql.TIMESTAMP(timezone=True), nullable=False),
        sa.CheckConstraint(
            "severity IN ('low', 'medium', 'high', 'critical')", name=op.f("ck_issues_severity")
        ),
        sa.CheckConstraint(
            "status IN ('open', 'in_progress', 'resolved', 'closed')", name=op.f("ck_issues_status")
        ),
        sa.CheckConstraint(
            "status NOT IN ('resolved', 'closed') OR btrim(coalesce(resolution, '')) <> ''",
            name=op.f("ck_issues_resolution"),
        ),
        sa.CheckConstraint(
            "NOT from_occurrence OR risk_id IS NOT NULL", name=op.f("ck_issues_occurrence_risk")
        ),
        sa.ForeignKeyConstraint(
            ["org_id", "owner_id"], ["people.org_id", "people.id"], name="fk_issues_owner"
        ),
        sa.ForeignKeyConstraint(
            ["org_id", "project_id", "risk_id"],
            ["risks.org_id", "risks.project_id", "risks.id"],
            name="fk_issues_risk",
        ),
        sa.ForeignKeyConstraint(
            ["org_id", "project_id"], ["projects.org_id", "projects.id"], name="fk_issues_project"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_issues")),
        sa.UniqueConstraint("org_id", "id", name=op.f("uq_issues_org_id_id")),
    )
    op.create_index(
        "ix_issues_org_project_created",
        "issues",
        ["org_id", "project_id", "created_at", "id"],
        unique=False,
    )
    op.create_index(
        "uq_issues_risk_occurrence",
        "issues",
        ["org_id", "risk_id"],
        unique=True,
        postgresql_where=sa.text("from_occurrence"),
    )
    op.create_table(
        "risk_assessments",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("org_id", sa.Text(), nullable=False),
        sa.Column("project_id", sa.UUID(), nullable=False),
        sa.Column("risk_id", sa.UUID(), nullable=False),
        sa.Column("seq", sa.BigInteger(), sa.Identity(always=True), nullable=False),
        sa.Column("assessed_by", sa.Text(), nullable=False),
        sa.Column("assessed_at", postgresql.TIMESTAMP(timezone=True), nullable=False),
        sa.Column("from_probability", sa.SmallInteger(), nullable=True),
        sa.Column("from_impact", sa.SmallInteger(), nullable=True),
        sa.Column("to_probability", sa.SmallInteger(), nullable=False),
        sa.Column("to_impact", sa.SmallInteger(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.CheckConstraint(
            "to_probability BETWEEN 1 AND 5 AND to_impact BETWEEN 1 AND 5",
            name=op.f("ck_risk_assessments_levels"),
        ),
        sa.ForeignKeyConstraint(
            ["org_id", "project_id", "risk_id"],
            ["risks.org_id", "risks.project_id", "risks.id"],
            name="fk_risk_assessments_risk",
        ),
        sa.ForeignKeyConstraint(
            ["org_id", "project_id"],
            ["projects.org_id", "projects.id"],
            name="fk_risk_assessments_project",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_risk_assessments")),
        sa.UniqueConstraint("seq", name=op.f("uq_risk_assessments_seq")),
    )
    op.create_index(
        "ix_risk_assessments_org_risk_seq",
        "risk_assessments",
        ["org_id", "risk_id", "seq"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index("ix_risk_assessments_org_risk_seq", table_name="risk_assessments")
    op.drop_table("risk_assessments")
    op.drop_index(
        "uq_issues_risk_occurrence",
        table_name="issues",
        postgresql_where=sa.text("from_occurrence"),
    )
    op.drop_index("ix_issues_org_project_created", table_name="issues")
    op.drop_table("issues")
    op.drop_index("ix_risks_org_project_score", table_name="risks")
    op.drop_index("ix_risks_org_project_review", table_name="risks")
    op.drop_table("risks")
