"""webhooks: endpoints, deliveries made by a trigger as events commit (issue 14)

Revision ID: 0008
Revises: 0007
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

# One pending delivery per committed event and enabled endpoint that wants its type (an
# empty list: every type), in the event's own transaction: the event table is the outbox.
FAN_OUT = """
CREATE FUNCTION charter_events_webhooks() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO webhook_deliveries (id, org_id, endpoint_id, event_id, event_type, status,
        attempts, next_attempt_at, created_at)
    SELECT gen_random_uuid(), e.org_id, w.id, e.id, e.action, 'pending', '[]'::jsonb,
        now(), now()
    FROM new_events AS e
    JOIN webhook_endpoints AS w ON w.org_id = e.org_id
    WHERE NOT w.disabled AND (cardinality(w.event_types) = 0 OR e.action = ANY (w.event_types));
    RETURN NULL;
END $$
"""
TRIGGER = """
CREATE TRIGGER project_activity_webhooks AFTER INSERT ON project_activity
REFERENCING NEW TABLE AS new_events FOR EACH STATEMENT
EXECUTE FUNCTION charter_events_webhooks()
"""


def upgrade() -> None:
    op.create_table(
        "webhook_endpoints",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("org_id", sa.Text(), nullable=False),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("event_types", postgresql.ARRAY(sa.Text()), nullable=False),
        sa.Column("secret", sa.Text(), nullable=False),
        sa.Column("disabled", sa.Boolean(), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", postgresql.TIMESTAMP(timezone=True), nullable=False),
        sa.Column("updated_at", postgresql.TIMESTAMP(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_webhook_endpoints")),
        sa.UniqueConstraint("org_id", "id", name=op.f("uq_webhook_endpoints_org_id_id")),
    )
    op.create_table(
        "webhook_deliveries",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("org_id", sa.Text(), nullable=False),
        sa.Column("endpoint_id", sa.UUID(), nullable=False),
        sa.Column("event_id", sa.UUID(), nullable=False),
        sa.Column("event_type", sa.Text(), nullable=False),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("attempts", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("next_attempt_at", postgresql.TIMESTAMP(timezone=True), nullable=True),
        sa.Column("created_at", postgresql.TIMESTAMP(timezone=True), nullable=False),
        sa.CheckConstraint(
            "status IN ('pending', 'succeeded', 'failed')",
            name=op.f("ck_webhook_deliveries_status_known"),
        ),
        sa.ForeignKeyConstraint(
            ["org_id", "endpoint_id"],
            ["webhook_endpoints.org_id", "webhook_endpoints.id"],
            name="fk_webhook_deliveries_endpoint",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_webhook_deliveries")),
        sa.UniqueConstraint(
            "endpoint_id", "event_id", name=op.f("uq_webhook_deliveries_endpoint_id_event_id")
        ),
    )
    op.create_index(
        "ix_webhook_deliveries_log", "webhook_deliveries", ["org_id", "endpoint_id", "created_at"]
    )
    op.create_index(
        "ix_webhook_deliveries_due",
        "webhook_deliveries",
        ["next_attempt_at"],
        postgresql_where=sa.text("status = 'pending'"),
    )
    op.execute(FAN_OUT)
    op.execute(TRIGGER)


def downgrade() -> None:
    op.execute("DROP TRIGGER project_activity_webhooks ON project_activity")
    op.execute("DROP FUNCTION charter_events_webhooks()")
    op.drop_table("webhook_deliveries")
    op.drop_table("webhook_endpoints")
