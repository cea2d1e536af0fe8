"""team: assignments, stakeholders, meetings and action items (issue 12)

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table(
        "assignments",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("org_id", sa.Text(), nullable=False),
        sa.Column("project_id", sa.UUID(), nullable=False),
        sa.Column("person_id", sa.UUID(), nullable=False),
        sa.Column("role", sa.Text(), nullable=False),
        sa.Column("allocation_percent", sa.SmallInteger(), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", postgresql.TIMESTAMP(timezone=True), nullable=False),
        sa.Column("updated_at", postgresql.TIMESTAMP(timezone=True), nullable=False),
        sa.CheckConstraint(
            "allocation_percent BETWEEN 1 AND 100", name=op.f("ck_assignments_allocation_range")
        ),
        sa.CheckConstraint("start_date <= end_date", name=op.f("ck_assignments_dates_ordered")),
        sa.ForeignKeyConstraint(
            ["org_id", "person_id"], ["people.org_id", "people.id"], name="fk_assignments_person"
        ),
        sa.ForeignKeyConstraint(
            ["org_id", "project_id"],
            ["projects.org_id", "projects.id"],
            name="fk_assignments_project",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assignments")),
        sa.UniqueConstraint("org_id", "id", name=op.f("uq_assignments_org_id_id")),
    )
    op.create_index(
        "ix_assignments_org_dates",
        "assignments",
        ["org_id", "start_date", "end_date"],
        unique=False,
    )
    op.create_index(
        "ix_assignments_org_person_start",
        "assignments",
        ["org_id", "person_id", "start_date", "id"],
        unique=False,
    )
    op.create_index(
        "ix_assignments_org_project_start",
        "assignments",
        ["org_id", "project_id", "start_date", "id"],
        unique=False,
    )
    op.create_table(
        "meetings",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("org_id", sa.Text(), nullable=False),
        sa.Column("project_id", sa.UUID(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("attendee_person_ids", postgresql.ARRAY(sa.UUID()), nullable=False),
        sa.Column("attendee_stakeholder_ids", postgresql.ARRAY(sa.UUID()), nullable=False),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("decisions", postgresql.ARRAY(sa.Text()), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", postgresql.TIMESTAMP(timezone=True), nullable=False),
        sa.Column("updated_at", postgresql.TIMESTAMP(timezone=True), nullable=False),
        sa.CheckConstraint(
            "kind IN ('kickoff', 'status', 'steering', 'review', 'retrospective', 'other')",
            name=op.f("ck_meetings_kind_known"),
        ),
        sa.ForeignKeyConstraint(
            ["org_id", "project_id"], ["projects.org_id", "projects.id"], name="fk_meetings_project"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meetings")),
        sa.UniqueConstraint("org_id", "id", name=op.f("uq_meetings_org_id_id")),
    )
    op.create_index(
        "ix_meetings_org_project_held",
        "meetings",
        ["org_id", "project_id", "held_on", "id"],
        unique=False,
    )
    op.create_table(
        "stakeholders",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("org_id", sa.Text(), nullable=False),
        sa.Column("project_id", sa.UUID(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("organization", sa.Text(), nullable=True),
        sa.Column("role", sa.Text(), nullable=True),
        sa.Column("email", sa.Text(), nullable=True),
        sa.Column("influence", sa.Text(), nullable=False),
        sa.Column("interest", sa.Text(), nullable=False),
        sa.Column("preferred_channel", sa.Text(), nullable=True),
        sa.Column("contact_frequency", sa.Text(), nullable=False),
        sa.Column("last_contacted_on", sa.Date(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", postgresql.TIMESTAMP(timezone=True), nullable=False),
        sa.Column("updated_at", postgresql.TIMESTAMP(timezone=True), nullable=False),
        sa.CheckConstraint(
            "contact_frequency IN ('weekly', 'biweekly', 'monthly', 'quarterly')",
            name=op.f("ck_stakeholders_frequency_known"),
        ),
        sa.CheckConstraint(
            "influence IN ('low', 'medium', 'high') AND interest IN ('low', 'medium', 'high')",
            name=op.f("ck_stakeholders_levels_known"),
        ),
        sa.ForeignKeyConstraint(
            ["org_id", "project_id"],
            ["projects.org_id", "projects.id"],
            name="fk_stakeholders_project",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stakeholders")),
        sa.UniqueConstraint("org_id", "id", name=op.f("uq_stakeholders_org_id_id")),
    )
    op.create_index(
        "ix_stakeholders_org_project_name",
        "stakeholders",
        ["org_id", "project_id", "name", "id"],
        unique=False,
    )
    op.create_table(
        "action_items",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("org_id", sa.Text(), nullable=False),
        sa.Column("project_id", sa.UUID(), nullable=False),
        sa.Column("meeting_id", sa.UUID(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("owner_id", sa.UUID(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", postgresql.TIMESTAMP(timezone=True), nullable=False),
        sa.Column("updated_at", postgresql.TIMESTAMP(timezone=True), nullable=False),
        sa.CheckConstraint(
            "status IN ('open', 'done', 'dropped')", name=op.f("ck_action_items_status_known")
        ),
        sa.ForeignKeyConstraint(
            ["org_id", "meeting_id"],
            ["meetings.org_id", "meetings.id"],
            name="fk_action_items_meeting",
        ),
        sa.ForeignKeyConstraint(
            ["org_id", "owner_id"], ["people.org_id", "people.id"], name="fk_action_items_owner"
        ),
        sa.ForeignKeyConstraint(
            ["org_id", "project_id"],
            ["projects.org_id", "projects.id"],
            name="fk_action_items_project",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_action_items")),
    )
    op.create_index(
        "ix_action_items_org_meeting", "action_items", ["org_id", "meeting_id"], unique=False
    )
    op.create_index(
        "ix_action_items_org_owner_due",
        "action_items",
        ["org_id", "owner_id", "due_on", "id"],
        unique=False,
    )
    op.create_index(
        "ix_action_items_org_project_due",
        "action_items",
        ["org_id", "project_id", "due_on", "id"],
        unique=False,
    )


def downgrade() -> None:

    op.drop_index("ix_action_items_org_project_due", table_name="action_items")
    op.drop_index("ix_action_items_org_owner_due", table_name="action_items")
    op.drop_index("ix_action_items_org_meeting", table_name="action_items")
    op.drop_table("action_items")
    op.drop_index("ix_stakeholders_org_project_name", table_name="stakeholders")
    op.drop_table("stakeholders")
    op.drop_index("ix_meetings_org_project_held", table_name="meetings")
    op.drop_table("meetings")
    op.drop_index("ix_assignments_org_project_start", table_name="assignments")
    op.drop_index("ix_assignments_org_person_start", table_name="assignments")
    op.drop_index("ix_assignments_org_dates", table_name="assignments")
    op.drop_table("assignments")
