"""The ledger posting's SQL: one statement that moves the totals, writes the entry, its
event, a commitment's settlement row and the day/category bucket (see ``STATEMENTS``).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import text

from app.domain.ledger.model import LedgerEntry, TotalsDelta

# The project's totals live in SLOTS rows. A posting that only adds (no delta below
# zero) cannot break "no total goes negative": it updates one random slot, so such
# postings rarely wait on each other. One that takes away locks every slot in slot order,
# checks the sums and folds them into slot 0 (every row stays >= 0: the CHECK holds).
# Day/category buckets are slotted the same way, and only touched under the slot lock.
SLOTS = 8

# One statement per posting. It first moves the totals (the project's ledger lock),
# only if no total goes negative; the entry, its history line, a commitment's settlement
# row and the day/category bucket are written only when they moved. So a refused
# posting writes nothing, and when the posting is all its command writes, the statement
# runs on its own (autocommit): the lock is held for that one statement, no round trip.
# The event takes its organization's next seq from event_counters in the same statement
# (see activity.py), so the counter's lock too lasts this statement and its commit.
_ADD = """
WITH moved AS (
    UPDATE ledger_totals SET budget = budget + :b, commitments = commitments + :c,
        actual = actual + :a, open_commitments = open_commitments + :o, entries = entries + 1
    WHERE org_id = :org_id AND project_id = :project_id AND slot = :slot
    RETURNING 1
), """
_TAKE = """
WITH locked AS (
    SELECT * FROM ledger_totals
    WHERE org_id = :org_id AND project_id = :project_id
    ORDER BY slot FOR UPDATE
), sums AS (
    SELECT sum(budget) + :b AS b, sum(commitments) + :c AS c, sum(actual) + :a AS a,
        sum(open_commitments) + :o AS o, sum(entries) + 1 AS n
    FROM locked
), moved AS (
    UPDATE ledger_totals AS t SET
        budget = CASE t.slot WHEN 0 THEN sums.b ELSE 0 END,
        commitments = CASE t.slot WHEN 0 THEN sums.c ELSE 0 END,
        actual = CASE t.slot WHEN 0 THEN sums.a ELSE 0 END,
        open_commitments = CASE t.slot WHEN 0 THEN sums.o ELSE 0 END,
        entries = CASE t.slot WHEN 0 THEN sums.n ELSE 0 END
    FROM sums
    WHERE t.org_id = :org_id AND t.project_id = :project_id
        AND sums.b >= 0 AND sums.c >= 0 AND sums.a >= 0 AND sums.o >= 0
    RETURNING 1
), """
_WRITE = """once AS (
    SELECT 1 FROM moved LIMIT 1
), entry AS (
    INSERT INTO ledger_entries (id, org_id, project_id, currency, kind, category, amount,
        occurred_on, description, reference, milestone_id, settles, reverses, created_by,
        created_at)
    SELECT :id, :org_id, :project_id, :currency, :kind, :category, :amount, :occurred_on,
        :description, :reference, :milestone_id, :settles, :reverses, :created_by, :created_at
    FROM once
    RETURNING id
), counter AS (
    INSERT INTO event_counters AS k (org_id, last_seq) SELECT :org_id, 1 FROM entry
    ON CONFLICT (org_id) DO UPDATE SET last_seq = k.last_seq + 1
    RETURNING last_seq
), history AS (
    INSERT INTO project_activity (id, org_id, project_id, seq, actor, at, action,
        entity_type, entity_id, changes)
    SELECT :event_id, :org_id, :project_id, counter.last_seq, :actor, :occurred_at,
        :event_type, :subject_type, entry.id, CAST(:changes AS jsonb)
    FROM entry, counter
){commitment}, bucket AS (
    INSERT INTO ledger_daily_totals AS d (org_id, project_id, day, category, slot, budget,
        commitments, actual, open_commitments)
    SELECT :org_id, :project_id, :occurred_on, v.category, :slot, v.b, v.c, v.a, v.o
    FROM once, (VALUES {rows}) AS v (category, b, c, a, o)
    ON CONFLICT (org_id, project_id, day, category, slot) DO UPDATE SET
        budget = d.budget + excluded.budget, commitments = d.commitments + excluded.commitments,
        actual = d.actual + excluded.actual,
        open_commitments = d.open_commitments + excluded.open_commitments
)
SELECT count(*) > 0 FROM entry
"""
_COMMITMENT = """, commitment AS (
    INSERT INTO ledger_commitments (org_id, project_id, entry_id, category, amount)
    SELECT :org_id, :project_id, entry.id, :category, :amount FROM entry
)"""
_ROW = (
    "(CAST(:cat{i} AS text), CAST(:b{i} AS numeric), CAST(:c{i} AS numeric), "
    "CAST(:a{i} AS numeric), CAST(:o{i} AS numeric))"
)
_ROWS = {1: _ROW.format(i=0), 2: _ROW.format(i=0) + ", " + _ROW.format(i=1)}

# (opens a commitment, takes something away, bucket rows) -> statement
STATEMENTS = {
    (opens, takes, rows): text(
        (_TAKE if takes else _ADD)
        + _WRITE.format(commitment=_COMMITMENT if opens else "", rows=_ROWS[rows])
    )
    for opens in (False, True)
    for takes in (False, True)
    for rows in (1, 2)
}
OPEN_TOTALS = text(
    "INSERT INTO ledger_totals (org_id, project_id, slot) "
    "SELECT :org_id, :project_id, s FROM generate_series(0, :last_slot) AS s "
    "ON CONFLICT DO NOTHING"
)
SETTLE = text(
    "UPDATE ledger_commitments SET settled = settled + :amount "
    "WHERE org_id = :org_id AND entry_id = :entry_id AND project_id = :project_id "
    "AND NOT reversed RETURNING amount, settled, category"
)


def bucket_rows(entry: LedgerEntry, delta: TotalsDelta) -> dict[str, Any]:
    """One bucket row for the entry's category; a second when open commitments move elsewhere."""
    rows: dict[str, list[Decimal]] = {
        entry.category.value: [delta.budget, delta.commitments, delta.actual, Decimal(0)]
    }
    if delta.open_commitments:
        category = (delta.open_category or entry.category).value
        rows.setdefault(category, [Decimal(0)] * 4)[3] += delta.open_commitments
    params: dict[str, Any] = {}
    for i, (category, (b, c, a, o)) in enumerate(rows.items()):
        params.update({f"cat{i}": category, f"b{i}": b, f"c{i}": c, f"a{i}": a, f"o{i}": o})
    return params
