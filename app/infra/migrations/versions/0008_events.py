"""events: a per-organization seq on the event table, its counter, the NOTIFY doorbell (issue 14)

``project_activity`` is the one event table (ARCHITECTURE.md "Events"). Its ``seq``
was one identity for every organization; it becomes per organization, gapless and in
commit order, taken from ``event_counters`` in the statement that inserts the events.
A statement trigger rings ``pg_notify('charter_events', '<org> <seq>')``: a doorbell
with the organization and its newest seq only, never the data.

Revision ID: 0008
Revises: 0007
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

NOTIFY = """
CREATE FUNCTION charter_events_notify() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE r record;
BEGIN
    FOR r IN SELECT org_id, max(seq) AS seq FROM new_events GROUP BY org_id LOOP
        PERFORM pg_notify('charter_events', r.org_id || ' ' || r.seq);
    END LOOP;
    RETURN NULL;
END $$
"""
TRIGGER = """
CREATE TRIGGER project_activity_notify AFTER INSERT ON project_activity
REFERENCING NEW TABLE AS new_events FOR EACH STATEMENT
EXECUTE FUNCTION charter_events_notify()
"""


def upgrade() -> None:
    op.create_table(
        "event_counters",
        sa.Column("org_id", sa.Text(), nullable=False),
        sa.Column("last_seq", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("org_id", name=op.f("pk_event_counters")),
    )
    op.drop_constraint("uq_project_activity_seq", "project_activity", type_="unique")
    op.execute("ALTER TABLE project_activity ALTER COLUMN seq DROP IDENTITY")
    # Renumber per organization, keeping the old order (the old seq was commit-ordered too).
    op.execute(
        "UPDATE project_activity AS a SET seq = r.n FROM (SELECT id, row_number() OVER"
        " (PARTITION BY org_id ORDER BY seq) AS n FROM project_activity) AS r"
        " WHERE a.id = r.id AND a.seq <> r.n"
    )
    op.execute(
        "INSERT INTO event_counters (org_id, last_seq)"
        " SELECT org_id, max(seq) FROM project_activity GROUP BY org_id"
    )
    op.create_unique_constraint(
        op.f("uq_project_activity_org_id_seq"), "project_activity", ["org_id", "seq"]
    )
    # Types named <subject>.<verb> like API.md's examples.
    op.execute(
        "UPDATE project_activity SET action = 'ledger_entry.' || split_part(action, '.', 2)"
        " WHERE action IN ('ledger.posted', 'ledger.reversed')"
    )
    op.execute(NOTIFY)
    op.execute(TRIGGER)


def downgrade() -> None:
    op.execute("DROP TRIGGER project_activity_notify ON project_activity")
    op.execute("DROP FUNCTION charter_events_notify()")
    op.drop_constraint("uq_project_activity_org_id_seq", "project_activity", type_="unique")
    op.execute(
        "UPDATE project_activity AS a SET seq = r.n FROM (SELECT id, row_number() OVER"
        " (ORDER BY at, org_id, seq) AS n FROM project_activity) AS r WHERE a.id = r.id"
    )
    op.execute("ALTER TABLE project_activity ALTER COLUMN seq ADD GENERATED ALWAYS AS IDENTITY")
    op.execute(
        "SELECT setval(pg_get_serial_sequence('project_activity', 'seq'),"
        " coalesce((SELECT max(seq) FROM project_activity), 0) + 1, false)"
    )
    op.create_unique_constraint("uq_project_activity_seq", "project_activity", ["seq"])
    op.drop_table("event_counters")
