"""status reports: immutable snapshots of health and key figures (issue 13)

Revision ID: 0007
Revises: 0006
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

TS = postgresql.TIMESTAMP(timezone=True)


def upgrade() -> None:
    op.create_table(
        "status_reports",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("org_id", sa.Text(), nullable=False),
        sa.Column("project_id", sa.UUID(), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("achievements", sa.Text(), nullable=True),
        sa.Column("next_steps", sa.Text(), nullable=True),
        sa.Column("escalations", sa.Text(), nullable=True),
        sa.Column("computed_overall", sa.Text(), nullable=False),
        sa.Column("overall", sa.Text(), nullable=False),
        sa.Column("override_reason", sa.Text(), nullable=True),
        sa.Column("trend", sa.Text(), nullable=True),
        sa.Column("snapshot", postgresql.JSONB(), nullable=False),
        sa.Column("written_by", sa.Text(), nullable=False),
        sa.Column("written_at", TS, nullable=False),
        sa.CheckConstraint(
            "computed_overall IN ('green', 'amber', 'red') AND overall IN ('green', 'amber', "
            "'red')",
            name=op.f("ck_status_reports_colours"),
        ),
        sa.CheckConstraint(
            "trend IN ('improving', 'steady', 'worsening')", name=op.f("ck_status_reports_trend")
        ),
        sa.CheckConstraint(
            "(overall = computed_overall AND override_reason IS NULL) OR override_reason IS "
            "NOT NULL",
            name=op.f("ck_status_reports_override_has_reason"),
        ),
        sa.ForeignKeyConstraint(
            ["org_id", "project_id"],
            ["projects.org_id", "projects.id"],
            name="fk_status_reports_project",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_status_reports")),
    )
    op.create_index(
        "ix_status_reports_org_project_written",
        "status_reports",
        ["org_id", "project_id", "written_at", "id"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index("ix_status_reports_org_project_written", table_name="status_reports")
    op.drop_table("status_reports")
