"""events without a trigger: the doorbell rings after the commit, workers fan out (issue 14)

Revision ID: 0011
Revises: 0010

The statement trigger of 0009 did two things in every event-writing transaction: it
queued one delivery per event and endpoint, and it called ``pg_notify``. The NOTIFY made
PostgreSQL serialize the commits of those transactions (they queue on one lock while
the notification is queued), which cost the ledger a fifth of its postings per second.
Both now happen after the commit, outside the command:

- the doorbell is rung by the process that committed, coalesced per organization, on
  its listening connection (``app/infra/events.py``);
- the webhook workers fan events out to endpoints: each endpoint keeps the seq it has
  been fanned out through (``through_seq``), and a worker turns the events after it, up
  to the organization's committed counter, into deliveries and moves ``through_seq`` in
  one statement (``FOR UPDATE SKIP LOCKED`` on the endpoint row). Since seq is gapless
  and in commit order, nothing committed is skipped or queued twice: the event table
  stays the outbox.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("DROP TRIGGER project_activity_written ON project_activity")
    op.execute("DROP FUNCTION charter_events_written()")
    op.add_column(
        "webhook_endpoints",
        sa.Column("through_seq", sa.BigInteger(), server_default="0", nullable=False),
    )
    # The trigger has queued everything committed so far: each endpoint starts there.
    op.execute(
        "UPDATE webhook_endpoints AS w SET through_seq = k.last_seq"
        " FROM event_counters AS k WHERE k.org_id = w.org_id"
    )


def downgrade() -> None:
    op.drop_column("webhook_endpoints", "through_seq")
    op.execute("""
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
""")
    op.execute(
        "CREATE TRIGGER project_activity_written AFTER INSERT ON project_activity"
        " REFERENCING NEW TABLE AS new_events FOR EACH STATEMENT"
        " EXECUTE FUNCTION charter_events_written()"
    )
