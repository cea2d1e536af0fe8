"""Tables of the budget ledger: entries, maintained totals, day buckets, commitments."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    Date,
    ForeignKeyConstraint,
    Identity,
    Index,
    PrimaryKeyConstraint,
    SmallInteger,
    Table,
    Text,
    text,
)
from sqlalchemy.dialects.postgresql import UUID

from app.infra.postgres.tables.base import MONEY, TS, metadata

_KINDS = "kind IN ('budget', 'commitment', 'actual')"
_CATEGORIES = (
    "category IN ('labour', 'hardware', 'software', 'services', 'cloud', 'travel', "
    "'contingency', 'other')"
)

# Append-only: triggers (migration 0004) refuse UPDATE, DELETE and TRUNCATE.
ledger_entries = Table(
    "ledger_entries",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("org_id", Text, nullable=False),
    Column("project_id", UUID(as_uuid=True), nullable=False),
    Column("currency", Text, nullable=False),
    Column("seq", BigInteger, Identity(always=True), nullable=False),
    Column("kind", Text, nullable=False),
    Column("category", Text, nullable=False),
    Column("amount", MONEY, nullable=False),
    Column("occurred_on", Date, nullable=False),
    Column("description", Text),
    Column("reference", Text),
    Column("milestone_id", UUID(as_uuid=True)),
    Column("settles", UUID(as_uuid=True)),
    Column("reverses", UUID(as_uuid=True)),
    Column("created_by", Text, nullable=False),
    Column("created_at", TS, nullable=False),
    ForeignKeyConstraint(
        ["org_id", "project_id", "currency"],
        ["projects.org_id", "projects.id", "projects.currency"],
        name="fk_ledger_entries_project_currency",
    ),
    CheckConstraint(_KINDS, name="kind"),
    CheckConstraint(_CATEGORIES, name="category"),
    CheckConstraint("amount <> 0", name="amount_non_zero"),
    # An entry is reversed at most once.
    Index(
        "uq_ledger_entries_reverses",
        "org_id",
        "reverses",
        unique=True,
        postgresql_where=text("reverses IS NOT NULL"),
    ),
    Index("ix_ledger_entries_org_project_occurred", "org_id", "project_id", "occurred_on", "seq"),
)

# Maintained in the posting's transaction, in a few slots per project: a posting that
# only adds locks one slot; one that takes away locks them all (see ledger.py).
ledger_totals = Table(
    "ledger_totals",
    metadata,
    Column("org_id", Text, nullable=False),
    Column("project_id", UUID(as_uuid=True), nullable=False),
    Column("slot", SmallInteger, nullable=False),
    Column("budget", MONEY, nullable=False, server_default=text("0")),
    Column("commitments", MONEY, nullable=False, server_default=text("0")),
    Column("actual", MONEY, nullable=False, server_default=text("0")),
    Column("open_commitments", MONEY, nullable=False, server_default=text("0")),
    Column("entries", BigInteger, nullable=False, server_default=text("0")),
    PrimaryKeyConstraint("org_id", "project_id", "slot", name="pk_ledger_totals"),
    CheckConstraint(
        "budget >= 0 AND commitments >= 0 AND actual >= 0 AND open_commitments >= 0",
        name="non_negative",
    ),
)

# Per project, day and category: the summary (and AC / BAC as of a date) add these up.
ledger_daily_totals = Table(
    "ledger_daily_totals",
    metadata,
    Column("org_id", Text, nullable=False),
    Column("project_id", UUID(as_uuid=True), nullable=False),
    Column("day", Date, nullable=False),
    Column("category", Text, nullable=False),
    Column("slot", SmallInteger, nullable=False),
    Column("budget", MONEY, nullable=False),
    Column("commitments", MONEY, nullable=False),
    Column("actual", MONEY, nullable=False),
    Column("open_commitments", MONEY, nullable=False),
    PrimaryKeyConstraint(
        "org_id", "project_id", "day", "category", "slot", name="pk_ledger_daily_totals"
    ),
)

# Per commitment: how much actuals settled, and whether it was reversed.
ledger_commitments = Table(
    "ledger_commitments",
    metadata,
    Column("org_id", Text, nullable=False),
    Column("project_id", UUID(as_uuid=True), nullable=False),
    Column("entry_id", UUID(as_uuid=True), nullable=False),
    Column("category", Text, nullable=False),
    Column("amount", MONEY, nullable=False),
    Column("settled", MONEY, nullable=False, server_default=text("0")),
    Column("reversed", Boolean, nullable=False, server_default=text("false")),
    PrimaryKeyConstraint("org_id", "entry_id", name="pk_ledger_commitments"),
)
