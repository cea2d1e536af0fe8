"""Tables of webhooks: endpoints, and one delivery per (endpoint, event)."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    ForeignKeyConstraint,
    Index,
    Integer,
    Table,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, UUID

from app.infra.postgres.tables.base import TS, metadata

# Webhooks (issue 14): endpoints, and one delivery per (endpoint, event), queued by the
# webhook workers from the event table (migration 0011), so the events are the outbox.
webhook_endpoints = Table(
    "webhook_endpoints",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("org_id", Text, nullable=False),
    Column("url", Text, nullable=False),
    Column("event_types", ARRAY(Text), nullable=False),
    Column("secret", Text, nullable=False),
    Column("disabled", Boolean, nullable=False),
    Column("failures", Integer, nullable=False),
    Column("version", Integer, nullable=False),
    Column("created_at", TS, nullable=False),
    Column("updated_at", TS, nullable=False),
    # The org's event seq this endpoint has been fanned out through (migration 0011): the
    # webhook workers queue deliveries for the events after it, then move it.
    Column("through_seq", BigInteger, nullable=False, server_default=text("0")),
    UniqueConstraint("org_id", "id"),
)

webhook_deliveries = Table(
    "webhook_deliveries",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("org_id", Text, nullable=False),
    Column("endpoint_id", UUID(as_uuid=True), nullable=False),
    Column("event_id", UUID(as_uuid=True), nullable=False),
    Column("event_type", Text, nullable=False),
    Column("status", Text, nullable=False),
    Column("attempts", JSONB, nullable=False),
    Column("next_attempt_at", TS),
    Column("created_at", TS, nullable=False),
    CheckConstraint("status IN ('pending', 'succeeded', 'failed')", name="status_known"),
    ForeignKeyConstraint(
        ["org_id", "endpoint_id"],
        ["webhook_endpoints.org_id", "webhook_endpoints.id"],
        name="fk_webhook_deliveries_endpoint",
        ondelete="CASCADE",
    ),
    UniqueConstraint("endpoint_id", "event_id"),
    Index("ix_webhook_deliveries_log", "org_id", "endpoint_id", "created_at"),
    Index(
        "ix_webhook_deliveries_due",
        "next_attempt_at",
        postgresql_where=text("status = 'pending'"),
    ),
)
