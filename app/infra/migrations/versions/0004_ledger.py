"""ledger: append-only entries, commitments' settlement, maintained totals

Revision ID: 0004
Revises: 0002
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0004"
down_revision = "0002"
branch_labels = None
depends_on = None

MONEY = sa.Numeric(precision=20, scale=4)


def _money(name: str, default: bool = False) -> Any:
    return sa.Column(name, MONEY, nullable=False, server_default=sa.text("0") if default else None)


def upgrade() -> None:
    op.create_unique_constraint(
        "uq_projects_org_id_currency", "projects", ["org_id", "id", "currency"]
    )
    op.create_table(
        "ledger_entries",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("org_id", sa.Text(), nullable=False),
        sa.Column("project_id", sa.UUID(), nullable=False),
        sa.Column("currency", sa.Text(), nullable=False),
        sa.Column("seq", sa.BigInteger(), sa.Identity(always=True), nullable=False),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("category", sa.Text(), nullable=False),
        _money("amount"),
        sa.Column("occurred_on", sa.Date(), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("reference", sa.Text(), nullable=True),
        sa.Column("milestone_id", sa.UUID(), nullable=True),
        sa.Column("settles", sa.UUID(), nullable=True),
        sa.Column("reverses", sa.UUID(), nullable=True),
        sa.Column("created_by", sa.Text(), nullable=False),
        sa.Column("created_at", postgresql.TIMESTAMP(timezone=True), nullable=False),
        sa.CheckConstraint(
            "kind IN ('budget', 'commitment', 'actual')", name=op.f("ck_ledger_entries_kind")
        ),
        sa.CheckConstraint(
            "category IN ('labour', 'hardware', 'software', 'services', 'cloud', 'travel', "
            "'contingency', 'other')",
            name=op.f("ck_ledger_entries_category"),
        ),
        sa.CheckConstraint("amount <> 0", name=op.f("ck_ledger_entries_amount_non_zero")),
        sa.ForeignKeyConstraint(
            ["org_id", "project_id", "currency"],
            ["projects.org_id", "projects.id", "projects.currency"],
            name="fk_ledger_entries_project_currency",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ledger_entries")),
    )
    op.create_index(
        "uq_ledger_entries_reverses",
        "ledger_entries",
        ["org_id", "reverses"],
        unique=True,
        postgresql_where=sa.text("reverses IS NOT NULL"),
    )
    op.create_index(
        "ix_ledger_entries_org_project_occurred",
        "ledger_entries",
        ["org_id", "project_id", "occurred_on", "seq"],
    )
    op.create_table(
        "ledger_totals",
        sa.Column("org_id", sa.Text(), nullable=False),
        sa.Column("project_id", sa.UUID(), nullable=False),
        sa.Column("slot", sa.SmallInteger(), nullable=False),
        _money("budget", True),
        _money("commitments", True),
        _money("actual", True),
        _money("open_commitments", True),
        sa.Column("entries", sa.BigInteger(), nullable=False, server_default=sa.text("0")),
        sa.CheckConstraint(
            "budget >= 0 AND commitments >= 0 AND actual >= 0 AND open_commitments >= 0",
            name=op.f("ck_ledger_totals_non_negative"),
        ),
        sa.PrimaryKeyConstraint("org_id", "project_id", "slot", name="pk_ledger_totals"),
    )
    op.create_table(
        "ledger_daily_totals",
        sa.Column("org_id", sa.Text(), nullable=False),
        sa.Column("project_id", sa.UUID(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("category", sa.Text(), nullable=False),
        sa.Column("slot", sa.SmallInteger(), nullable=False),
        _money("budget"),
        _money("commitments"),
        _money("actual"),
        _money("open_commitments"),
        sa.PrimaryKeyConstraint(
            "org_id", "project_id", "day", "category", "slot", name="pk_ledger_daily_totals"
        ),
    )
    op.create_table(
        "ledger_commitments",
        sa.Column("org_id", sa.Text(), nullable=False),
        sa.Column("project_id", sa.UUID(), nullable=False),
        sa.Column("entry_id", sa.UUID(), nullable=False),
        sa.Column("category", sa.Text(), nullable=False),
        _money("amount"),
        _money("settled", True),
        sa.Column("reversed", sa.Boolean(), nullable=False, server_default=sa.text("false")),
        sa.PrimaryKeyConstraint("org_id", "entry_id", name="pk_ledger_commitments"),
    )
    # Entries are never edited or deleted, whatever role the application connects with.
    op.execute(
        """
        CREATE FUNCTION ledger_entries_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            RAISE EXCEPTION 'ledger entries are append-only: post a reversal instead'
                USING ERRCODE = 'restrict_violation';
        END
        $$
        """
    )
    op.execute(
        "CREATE TRIGGER ledger_entries_no_update_delete BEFORE UPDATE OR DELETE ON ledger_entries "
        "FOR EACH ROW EXECUTE FUNCTION ledger_entries_append_only()"
    )
    op.execute(
        "CREATE TRIGGER ledger_entries_no_truncate BEFORE TRUNCATE ON ledger_entries "
        "FOR EACH STATEMENT EXECUTE FUNCTION ledger_entries_append_only()"
    )


def downgrade() -> None:
    op.drop_table("ledger_commitments")
    op.drop_table("ledger_daily_totals")
    op.drop_table("ledger_totals")
    op.drop_table("ledger_entries")
    op.execute("DROP FUNCTION ledger_entries_append_only()")
    op.drop_constraint("uq_projects_org_id_currency", "projects", type_="unique")
