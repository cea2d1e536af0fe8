"""closing: objectives and key results with check-ins, deliverables with decisions, the
closure report and its searchable lessons

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

TS = postgresql.TIMESTAMP(timezone=True)
NUMBER = sa.Numeric(precision=20, scale=4)


def _fk(cols: list[str], target: str, target_cols: list[str], name: str) -> Any:
    return sa.ForeignKeyConstraint(
        ["org_id", *cols], [f"{target}.org_id", *(f"{target}.{c}" for c in target_cols)], name=name
    )


def upgrade() -> None:
    op.create_table(
        "objectives",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("org_id", sa.Text(), nullable=False),
        sa.Column("project_id", sa.UUID(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("updated_at", TS, nullable=False),
        sa.Column("deleted_at", TS, nullable=True),
        _fk(["project_id"], "projects", ["id"], "fk_objectives_project"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_objectives")),
        sa.UniqueConstraint("org_id", "id", name=op.f("uq_objectives_org_id_id")),
    )
    op.create_index(
        "ix_objectives_org_project_created",
        "objectives",
        ["org_id", "project_id", "created_at", "id"],
    )
    op.create_table(
        "key_results",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("org_id", sa.Text(), nullable=False),
        sa.Column("project_id", sa.UUID(), nullable=False),
        sa.Column("objective_id", sa.UUID(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("unit", sa.Text(), nullable=False),
        sa.Column("baseline", NUMBER, nullable=False),
        sa.Column("target", NUMBER, nullable=False),
        sa.Column("current", NUMBER, nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("updated_at", TS, nullable=False),
        sa.Column("deleted_at", TS, nullable=True),
        sa.CheckConstraint("target <> baseline", name=op.f("ck_key_results_target_differs")),
        _fk(["objective_id"], "objectives", ["id"], "fk_key_results_objective"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_key_results")),
        sa.UniqueConstraint("org_id", "id", name=op.f("uq_key_results_org_id_id")),
    )
    op.create_index(
        "ix_key_results_org_objective_created",
        "key_results",
        ["org_id", "objective_id", "created_at", "id"],
    )
    op.create_table(
        "key_result_check_ins",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("org_id", sa.Text(), nullable=False),
        sa.Column("project_id", sa.UUID(), nullable=False),
        sa.Column("key_result_id", sa.UUID(), nullable=False),
        sa.Column("from_value", NUMBER, nullable=False),
        sa.Column("to_value", NUMBER, nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("by", sa.Text(), nullable=False),
        sa.Column("at", TS, nullable=False),
        _fk(["key_result_id"], "key_results", ["id"],
            "fk_check_ins_key_result"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_key_result_check_ins")),
    )  # fmt: skip
    op.create_index(
        "ix_check_ins_org_key_result_at",
        "key_result_check_ins",
        ["org_id", "key_result_id", "at", "id"],
    )
    op.create_table(
        "deliverables",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("org_id", sa.Text(), nullable=False),
        sa.Column("project_id", sa.UUID(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("acceptance_criteria", sa.Text(), nullable=True),
        sa.Column("milestone_id", sa.UUID(), nullable=True),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("decided_by", sa.Text(), nullable=True),
        sa.Column("decided_at", TS, nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("updated_at", TS, nullable=False),
        sa.CheckConstraint(
            "status IN ('pending', 'accepted', 'rejected', 'waived')",
            name=op.f("ck_deliverables_status_known"),
        ),
        _fk(["project_id"], "projects", ["id"], "fk_deliverables_project"),
        _fk(["milestone_id"], "milestones", ["id"], "fk_deliverables_milestone"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_deliverables")),
        sa.UniqueConstraint("org_id", "id", name=op.f("uq_deliverables_org_id_id")),
    )
    op.create_index(
        "ix_deliverables_org_project_created",
        "deliverables",
        ["org_id", "project_id", "created_at", "id"],
    )
    op.create_index("ix_deliverables_org_milestone", "deliverables", ["org_id", "milestone_id"])
    op.create_table(
        "deliverable_decisions",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("org_id", sa.Text(), nullable=False),
        sa.Column("project_id", sa.UUID(), nullable=False),
        sa.Column("deliverable_id", sa.UUID(), nullable=False),
        sa.Column("decision", sa.Text(), nullable=False),
        sa.Column("from_status", sa.Text(), nullable=False),
        sa.Column("to_status", sa.Text(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("by", sa.Text(), nullable=False),
        sa.Column("at", TS, nullable=False),
        _fk(["deliverable_id"], "deliverables", ["id"],
            "fk_decisions_deliverable"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_deliverable_decisions")),
    )  # fmt: skip
    op.create_index(
        "ix_decisions_org_deliverable_at",
        "deliverable_decisions",
        ["org_id", "deliverable_id", "at", "id"],
    )
    op.create_table(
        "closure_reports",
        sa.Column("org_id", sa.Text(), nullable=False),
        sa.Column("project_id", sa.UUID(), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("went_well", postgresql.JSONB(), nullable=False),
        sa.Column("to_improve", postgresql.JSONB(), nullable=False),
        sa.Column("final_figures", postgresql.JSONB(), nullable=False),
        sa.Column("written_by", sa.Text(), nullable=False),
        sa.Column("written_at", TS, nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        _fk(["project_id"], "projects", ["id"], "fk_closure_reports_project"),
        sa.PrimaryKeyConstraint("org_id", "project_id", name="pk_closure_reports"),
    )
    op.create_table(
        "closure_lessons",
        sa.Column("org_id", sa.Text(), nullable=False),
        sa.Column("project_id", sa.UUID(), nullable=False),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("position", sa.SmallInteger(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.CheckConstraint(
            "kind IN ('went_well', 'to_improve')", name=op.f("ck_closure_lessons_kind_known")
        ),
        _fk(["project_id"], "closure_reports", ["project_id"],
            "fk_closure_lessons_report"),
        sa.PrimaryKeyConstraint("org_id", "project_id", "kind", "position",
                                name="pk_closure_lessons"),
    )  # fmt: skip


def downgrade() -> None:
    for table in (
        "closure_lessons",
        "closure_reports",
        "deliverable_decisions",
        "deliverables",
        "key_result_check_ins",
        "key_results",
        "objectives",
    ):
        op.drop_table(table)
