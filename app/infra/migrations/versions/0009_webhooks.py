"""webhooks: endpoints, deliveries made by a trigger as events commit (issue 14)

Revision ID: 0009
Revises: 0008
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

# One statement trigger does both jobs of the event table (one firing and one transition
# table per insert, so the ledger posting pays once): one pending delivery per committed
# event and enabled endpoint that wants its type (an empty list: every type), in the
# event's own transaction, so the event table is the outbox; then the NOTIFY doorbell of
# 0007 ('<org> <newest seq>').
EVENTS_WRITTEN = """
CREATE FUNCTION charter_events_written() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE r record;
BEGIN
    INSERT INTO webhook_deliveries (id, org_id, endpoint_id, event_id, event_type, status,
        attempts, next_attempt_at, created_at)
    SELECT gen_random_uuid(), e.org_id, w.id, e.id, e.action, 'pending', '[]'::jsonb,
        now(), now()
    FROM new_events AS e
    JOIN webhook_endpoints AS w ON w.org_id = e.org_id
    WHERE NOT w.disabled AND (cardinality(w.event_types) = 0 OR e.action = ANY (w.event_types));
    FOR r IN SELECT org_id, max(seq) AS seq FROM new_events GROUP BY org_id LOOP
        PERFORM pg_notify('charter_events', r.org_id || ' ' || r.seq);
    END LOOP;
    RETURN NULL;
END $$
"""
TRIGGER = """
CREATE TRIGGER project_activity_written AFTER INSERT ON project_activity
REFERENCING NEW TABLE AS new_events FOR EACH STATEMENT
EXECUTE FUNCTION charter_events_written()
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
    op.execute("DROP TRIGGER project_activity_notify ON project_activity")
    op.execute(EVENTS_WRITTEN)
    op.execute(TRIGGER)


def downgrade() -> None:
    op.execute("DROP TRIGGER project_activity_written ON project_activity")
    op.execute("DROP FUNCTION charter_events_written()")
    op.execute(
        "CREATE TRIGGER project_activity_notify AFTER INSERT ON project_activity"
        " REFERENCING NEW TABLE AS new_events FOR EACH STATEMENT"
        " EXECUTE FUNCTION charter_events_notify()"
    )
    op.drop_table("webhook_deliveries")
    op.drop_table("webhook_endpoints")
