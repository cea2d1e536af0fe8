"""Tables of people, projects, their history (activity) and idempotency keys."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Date,
    ForeignKeyConstraint,
    Index,
    Integer,
    Numeric,
    PrimaryKeyConstraint,
    SmallInteger,
    Table,
    Text,
    UniqueConstraint,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB, UUID

from app.infra.postgres.tables.base import TS, metadata

people = Table(
    "people",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("org_id", Text, nullable=False),
    Column("name", Text, nullable=False),
    Column("email", Text, nullable=False),
    Column("title", Text),
    Column("weekly_capacity_hours", Numeric(5, 2), nullable=False),
    Column("user_sub", Text),
    Column("version", Integer, nullable=False),
    Column("created_at", TS, nullable=False),
    Column("updated_at", TS, nullable=False),
    UniqueConstraint("org_id", "id"),
    Index("uq_people_org_email", "org_id", func.lower(text("email")), unique=True),
    Index(
        "uq_people_org_user_sub",
        "org_id",
        "user_sub",
        unique=True,
        postgresql_where=text("user_sub IS NOT NULL"),
    ),
    Index("ix_people_org_name", "org_id", "name", "id"),
)

projects = Table(
    "projects",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("org_id", Text, nullable=False),
    Column("key", Text, nullable=False),
    Column("name", Text, nullable=False),
    Column("description", Text),
    Column("business_area", Text, nullable=False),
    Column("sponsor_id", UUID(as_uuid=True)),
    Column("manager_id", UUID(as_uuid=True)),
    Column("start_date", Date),
    Column("target_end_date", Date),
    Column("currency", Text, nullable=False),
    Column("phase", Text, nullable=False),
    Column("held_from", Text),
    Column("no_known_risks", Boolean, nullable=False, server_default=text("false")),
    Column("version", Integer, nullable=False),
    Column("created_at", TS, nullable=False),
    Column("updated_at", TS, nullable=False),
    UniqueConstraint("org_id", "key", name="uq_projects_org_key"),
    UniqueConstraint("org_id", "id"),
    # Ledger entries reference (org, project, currency): the currency is fixed once used.
    UniqueConstraint("org_id", "id", "currency", name="uq_projects_org_id_currency"),
    # Composite keys keep a sponsor or manager inside the project's own organization.
    ForeignKeyConstraint(
        ["org_id", "sponsor_id"], ["people.org_id", "people.id"], name="fk_projects_sponsor"
    ),
    ForeignKeyConstraint(
        ["org_id", "manager_id"], ["people.org_id", "people.id"], name="fk_projects_manager"
    ),
    Index("ix_projects_org_created", "org_id", "created_at", "id"),
    Index("ix_projects_org_name", "org_id", "name", "id"),
    Index("ix_projects_org_phase", "org_id", "phase"),
)

project_activity = Table(
    "project_activity",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("org_id", Text, nullable=False),
    Column("project_id", UUID(as_uuid=True), nullable=False),
    # Per organization, gapless, in commit order: taken from event_counters on insert.
    Column("seq", BigInteger, nullable=False),
    Column("actor", Text, nullable=False),
    Column("at", TS, nullable=False),
    Column("action", Text, nullable=False),
    Column("entity_type", Text, nullable=False),
    Column("entity_id", UUID(as_uuid=True), nullable=False),
    Column("changes", JSONB, nullable=False),
    ForeignKeyConstraint(
        ["org_id", "project_id"], ["projects.org_id", "projects.id"], name="fk_activity_project"
    ),
    Index("ix_activity_org_project_seq", "org_id", "project_id", "seq"),
    UniqueConstraint("org_id", "seq"),
)

# The last seq given to each organization's events (see project_activity.seq).
event_counters = Table(
    "event_counters",
    metadata,
    Column("org_id", Text, primary_key=True),
    Column("last_seq", BigInteger, nullable=False),
)

idempotency_keys = Table(
    "idempotency_keys",
    metadata,
    Column("org_id", Text, nullable=False),
    Column("key", Text, nullable=False),
    Column("request_hash", Text, nullable=False),
    Column("status_code", SmallInteger),
    Column("response_body", Text),
    Column("location", Text),
    Column("created_at", TS, nullable=False),
    PrimaryKeyConstraint("org_id", "key", name="pk_idempotency_keys"),
)
