"""forecast: three-point estimates on milestones, schedule impact on risks (issue 18)

Revision ID: 0010
Revises: 0009
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

ESTIMATE = (
    "(optimistic_days IS NULL AND most_likely_days IS NULL AND pessimistic_days IS NULL) OR "
    "(optimistic_days >= 1 AND optimistic_days <= most_likely_days "
    "AND most_likely_days <= pessimistic_days)"
)


def upgrade() -> None:
    for name in ("optimistic_days", "most_likely_days", "pessimistic_days"):
        op.add_column("milestones", sa.Column(name, sa.Integer(), nullable=True))
    op.create_check_constraint(op.f("ck_milestones_estimate_ordered"), "milestones", ESTIMATE)
    op.add_column("risks", sa.Column("schedule_impact_days", sa.Integer(), nullable=True))
    op.add_column("risks", sa.Column("milestone_id", postgresql.UUID(as_uuid=True), nullable=True))
    op.create_check_constraint(
        op.f("ck_risks_schedule_impact_days"), "risks", "schedule_impact_days >= 0"
    )
    # Same organization by the key; same project is the domain's check (a 422 naming the field).
    op.create_foreign_key(
        "fk_risks_milestone", "risks", "milestones", ["org_id", "milestone_id"], ["org_id", "id"]
    )
    op.create_index("ix_risks_org_milestone", "risks", ["org_id", "milestone_id"])


def downgrade() -> None:
    op.drop_index("ix_risks_org_milestone", table_name="risks")
    op.drop_constraint("fk_risks_milestone", "risks", type_="foreignkey")
    op.drop_constraint(op.f("ck_risks_schedule_impact_days"), "risks", type_="check")
    op.drop_column("risks", "milestone_id")
    op.drop_column("risks", "schedule_impact_days")
    op.drop_constraint(op.f("ck_milestones_estimate_ordered"), "milestones", type_="check")
    for name in ("pessimistic_days", "most_likely_days", "optimistic_days"):
        op.drop_column("milestones", name)
