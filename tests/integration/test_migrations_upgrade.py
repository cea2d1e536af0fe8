"""Upgrading a database that holds data: from each earlier revision to head.

For every revision before head: migrate a fresh database to it, insert representative rows
valid at that revision (the seeds of it and of every revision before it), upgrade to head,
then check that every row is still there with the same values, that every constraint is
validated over the old rows, and that the constraints of head hold for them.

A new revision adds its seed rows to ``SEEDS`` (raw SQL: the model in ``tables.py`` is
head's, not the revision's).
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import text
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine

from app.infra.migrations.runner import alembic_config
from tests.integration.scratch import run_committed, scratch_database, upgrade

pytestmark = pytest.mark.db

AT = datetime(2026, 3, 2, 9, tzinfo=UTC)
Ids = dict[str, Any]


def _seed_foundation(conn: Connection, ids: Ids) -> None:
    for person, email in (("owner", "ada@example.org"), ("manager", "max@example.org")):
        conn.execute(
            text(
                "INSERT INTO people (id, org_id, name, email, title, weekly_capacity_hours,"
                " user_sub, version, created_at, updated_at) VALUES (:id, :org, :name, :email,"
                " 'Engineer', 37.5, :sub, 1, :at, :at)"
            ),
            {"id": ids[person], "org": ids["org"], "name": person.title(), "email": email,
             "sub": f"user-{person}", "at": AT},
        )  # fmt: skip
    conn.execute(
        text(
            "INSERT INTO projects (id, org_id, key, name, description, business_area, sponsor_id,"
            " manager_id, start_date, target_end_date, currency, phase, held_from, no_known_risks,"
            " version, created_at, updated_at) VALUES (:id, :org, 'MIG', 'Migration', 'old row',"
            " 'other', :owner, :manager, '2026-03-01', '2026-12-31', 'EUR', 'execution', NULL,"
            " false, 3, :at, :at)"
        ),
        {"id": ids["project"], "org": ids["org"], "owner": ids["owner"],
         "manager": ids["manager"], "at": AT},
    )  # fmt: skip
    conn.execute(
        text(
            # seq given (an identity before 0007, the organization's number since)
            "INSERT INTO project_activity (id, org_id, project_id, seq, actor, at, action,"
            " entity_type, entity_id, changes) OVERRIDING SYSTEM VALUE VALUES (:id, :org,"
            " :project, 1, 'user-manager', :at, 'created', 'project', :project,"
            " CAST(:changes AS jsonb))"
        ),
        {"id": uuid.uuid4(), "org": ids["org"], "project": ids["project"], "at": AT,
         "changes": json.dumps({"name": [None, "Migration"]})},
    )  # fmt: skip
    conn.execute(
        text(
            "INSERT INTO idempotency_keys (org_id, key, request_hash, status_code, response_body,"
            " location, created_at) VALUES (:org, 'k-1', 'h', 201, '{}', '/projects/MIG', :at)"
        ),
        {"org": ids["org"], "at": AT},
    )


def _seed_risks(conn: Connection, ids: Ids) -> None:
    conn.execute(
        text(
            "INSERT INTO risks (id, org_id, project_id, title, description, category,"
            " probability, impact, owner_id, response, mitigation, contingency, trigger,"
            " review_on, status, cost_impact, version, created_at, updated_at) VALUES (:id, :org,"
            " :project, 'Vendor late', NULL, 'vendor', 3, 4, :owner, 'mitigate', 'second vendor',"
            " NULL, NULL, '2026-04-01', 'occurred', 1500.5, 2, :at, :at)"
        ),
        {"id": ids["risk"], "org": ids["org"], "project": ids["project"], "owner": ids["owner"],
         "at": AT},
    )  # fmt: skip
    conn.execute(
        text(
            "INSERT INTO risk_assessments (id, org_id, project_id, risk_id, assessed_by,"
            " assessed_at, from_probability, from_impact, to_probability, to_impact, note)"
            " VALUES (:id, :org, :project, :risk, 'user-owner', :at, 2, 4, 3, 4, 'worse')"
        ),
        {"id": uuid.uuid4(), "org": ids["org"], "project": ids["project"],
         "risk": ids["risk"], "at": AT},
    )  # fmt: skip
    conn.execute(
        text(
            "INSERT INTO issues (id, org_id, project_id, title, description, severity, status,"
            " owner_id, due_on, resolution, risk_id, from_occurrence, version, created_at,"
            " updated_at) VALUES (:id, :org, :project, 'Vendor is late', NULL, 'high', 'resolved',"
            " :owner, '2026-04-15', 'second vendor delivered', :risk, true, 1, :at, :at)"
        ),
        {"id": uuid.uuid4(), "org": ids["org"], "project": ids["project"],
         "owner": ids["owner"], "risk": ids["risk"], "at": AT},
    )  # fmt: skip


def _seed_milestones(conn: Connection, ids: Ids) -> None:
    for key, status, progress, done_on, pv in (
        ("design", "done", 100, date(2026, 3, 20), 2000),
        ("build", "in_progress", 40, None, 5000),
    ):
        conn.execute(
            text(
                "INSERT INTO milestones (id, org_id, project_id, name, description, owner_id,"
                " start_date, due_date, status, progress, completed_on, planned_value, version,"
                " created_at, updated_at) VALUES (:id, :org, :project, :name, NULL, :owner,"
                " '2026-03-02', '2026-03-31', :status, :progress, :done_on, :pv, 1, :at, :at)"
            ),
            {"id": ids[key], "org": ids["org"], "project": ids["project"], "name": key,
             "owner": ids["owner"], "status": status, "progress": progress, "done_on": done_on,
             "pv": pv, "at": AT},
        )  # fmt: skip
    params = {"org": ids["org"], "project": ids["project"], "design": ids["design"],
              "build": ids["build"], "at": AT}  # fmt: skip
    for sql in (
        "INSERT INTO milestone_dependencies (org_id, project_id, predecessor_id, successor_id,"
        " type, lag_days, created_at) VALUES (:org, :project, :design, :build, 'finish_to_start',"
        " 2, :at)",
        "INSERT INTO milestone_progress (org_id, project_id, milestone_id, at, progress, status)"
        " VALUES (:org, :project, :build, :at, 40, 'in_progress')",
        "INSERT INTO baselines (org_id, project_id, number, name, taken_by, taken_at)"
        " VALUES (:org, :project, 1, 'Plan', 'user-manager', :at)",
        "INSERT INTO baseline_milestones (org_id, project_id, number, milestone_id, start_date,"
        " due_date, planned_value) VALUES (:org, :project, 1, :build, '2026-03-02', '2026-03-25',"
        " 5000)",
    ):
        conn.execute(text(sql), params)


def _seed_ledger(conn: Connection, ids: Ids) -> None:
    conn.execute(
        text(
            "INSERT INTO ledger_entries (id, org_id, project_id, currency, kind, category, amount,"
            " occurred_on, description, reference, milestone_id, settles, reverses, created_by,"
            " created_at) VALUES (:id, :org, :project, 'EUR', 'budget', 'labour', 10000,"
            " '2026-03-02', 'initial', 'PO-1', NULL, NULL, NULL, 'user-manager', :at)"
        ),
        {"id": uuid.uuid4(), "org": ids["org"], "project": ids["project"], "at": AT},
    )
    commitment = uuid.uuid4()
    conn.execute(
        text(
            "INSERT INTO ledger_entries (id, org_id, project_id, currency, kind, category, amount,"
            " occurred_on, description, reference, milestone_id, settles, reverses, created_by,"
            " created_at) VALUES (:id, :org, :project, 'EUR', 'commitment', 'labour', 4000,"
            " '2026-03-03', 'PO', 'PO-2', NULL, NULL, NULL, 'user-manager', :at)"
        ),
        {"id": commitment, "org": ids["org"], "project": ids["project"], "at": AT},
    )
    params = {"org": ids["org"], "project": ids["project"], "entry": commitment}
    for sql in (
        "INSERT INTO ledger_totals (org_id, project_id, slot, budget, commitments,"
        " open_commitments, entries) VALUES (:org, :project, 0, 10000, 4000, 4000, 2)",
        "INSERT INTO ledger_commitments (org_id, project_id, entry_id, category, amount, settled)"
        " VALUES (:org, :project, :entry, 'labour', 4000, 500)",
        "INSERT INTO ledger_daily_totals (org_id, project_id, day, category, slot, budget,"
        " commitments, actual, open_commitments) VALUES (:org, :project, '2026-03-03', 'labour',"
        " 0, 10000, 4000, 0, 4000)",
    ):
        conn.execute(text(sql), params)


def _seed_closing(conn: Connection, ids: Ids) -> None:
    objective, key_result, deliverable = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    params = {"org": ids["org"], "project": ids["project"], "objective": objective,
              "kr": key_result, "deliverable": deliverable, "build": ids["build"], "at": AT,
              "figures": json.dumps({"budget": "10000.00", "currency": "EUR"}),
              "well": json.dumps(["Early demos"]), "improve": json.dumps(["Vendor SLAs"])}  # fmt: skip
    for sql in (
        "INSERT INTO objectives (id, org_id, project_id, name, description, version, created_at,"
        " updated_at) VALUES (:objective, :org, :project, 'Faster onboarding', NULL, 1, :at, :at)",
        "INSERT INTO key_results (id, org_id, project_id, objective_id, name, unit, baseline,"
        " target, current, version, created_at, updated_at) VALUES (:kr, :org, :project,"
        " :objective, 'Days to onboard', 'days', 10, 2, 6, 2, :at, :at)",
        "INSERT INTO key_result_check_ins (id, org_id, project_id, key_result_id, from_value,"
        " to_value, note, by, at) VALUES (gen_random_uuid(), :org, :project, :kr, 10, 6, 'half',"
        " 'user-owner', :at)",
        "INSERT INTO deliverables (id, org_id, project_id, name, description, acceptance_criteria,"
        " milestone_id, status, decided_by, decided_at, version, created_at, updated_at) VALUES"
        " (:deliverable, :org, :project, 'Runbook', NULL, 'Reviewed', :build, 'accepted',"
        " 'user-manager', :at, 2, :at, :at)",
        "INSERT INTO deliverable_decisions (id, org_id, project_id, deliverable_id, decision,"
        " from_status, to_status, note, by, at) VALUES (gen_random_uuid(), :org, :project,"
        " :deliverable, 'accept', 'pending', 'accepted', NULL, 'user-manager', :at)",
        "INSERT INTO closure_reports (org_id, project_id, summary, went_well, to_improve,"
        " final_figures, written_by, written_at, version, created_at) VALUES (:org, :project,"
        " 'Done', CAST(:well AS jsonb), CAST(:improve AS jsonb), CAST(:figures AS jsonb),"
        " 'user-manager', :at, 1, :at)",
        "INSERT INTO closure_lessons (org_id, project_id, kind, position, text) VALUES"
        " (:org, :project, 'went_well', 0, 'Early demos'),"
        " (:org, :project, 'to_improve', 0, 'Vendor SLAs')",
    ):
        conn.execute(text(sql), params)


def _seed_team(conn: Connection, ids: Ids) -> None:
    meeting = uuid.uuid4()
    params = {"org": ids["org"], "project": ids["project"], "owner": ids["owner"],
              "meeting": meeting, "at": AT}  # fmt: skip
    for sql in (
        "INSERT INTO assignments (id, org_id, project_id, person_id, role, allocation_percent,"
        " start_date, end_date, version, created_at, updated_at) VALUES (gen_random_uuid(), :org,"
        " :project, :owner, 'Developer', 50, '2026-03-02', '2026-06-26', 1, :at, :at)",
        "INSERT INTO stakeholders (id, org_id, project_id, name, organization, role, email,"
        " influence, interest, preferred_channel, contact_frequency, last_contacted_on, version,"
        " created_at, updated_at) VALUES (gen_random_uuid(), :org, :project, 'Head of Sales',"
        " 'Sales', 'Sponsor', NULL, 'high', 'high', NULL, 'weekly', '2026-03-02', 1, :at, :at)",
        "INSERT INTO meetings (id, org_id, project_id, title, kind, held_on, attendee_person_ids,"
        " attendee_stakeholder_ids, notes, decisions, version, created_at, updated_at) VALUES"
        " (:meeting, :org, :project, 'Kick-off', 'kickoff', '2026-03-02', ARRAY[CAST(:owner AS uuid)],"
        " ARRAY[]::uuid[], NULL, ARRAY['Go'], 1, :at, :at)",
        "INSERT INTO action_items (id, org_id, project_id, meeting_id, title, owner_id, due_on,"
        " status, version, created_at, updated_at) VALUES (gen_random_uuid(), :org, :project,"
        " :meeting, 'Send minutes', :owner, '2026-03-06', 'open', 1, :at, :at)",
    ):
        conn.execute(text(sql), params)


def _seed_status_reports(conn: Connection, ids: Ids) -> None:
    conn.execute(
        text(
            "INSERT INTO status_reports (id, org_id, project_id, summary, achievements,"
            " next_steps, escalations, computed_overall, overall, override_reason, trend,"
            " snapshot, written_by, written_at) VALUES (gen_random_uuid(), :org, :project,"
            " 'On track', NULL, NULL, NULL, 'amber', 'green', 'Vendor confirmed the date', NULL,"
            " CAST(:snapshot AS jsonb), 'user-manager', :at)"
        ),
        {"org": ids["org"], "project": ids["project"], "at": AT,
         "snapshot": json.dumps({"health": {"overall": "amber"}})},
    )  # fmt: skip


def _seed_events(conn: Connection, ids: Ids) -> None:
    conn.execute(
        text(
            "INSERT INTO event_counters (org_id, last_seq) VALUES (:org, 1)"
            " ON CONFLICT (org_id) DO NOTHING"
        ),
        {"org": ids["org"]},
    )


def _seed_webhooks(conn: Connection, ids: Ids) -> None:
    endpoint = uuid.uuid4()
    params = {"org": ids["org"], "endpoint": endpoint, "at": AT}
    for sql in (
        "INSERT INTO webhook_endpoints (id, org_id, url, event_types, secret, disabled, failures,"
        " version, created_at, updated_at) VALUES (:endpoint, :org, 'https://hooks.example.org/x',"
        " ARRAY['risk.created'], 'whsec_c2VjcmV0', false, 0, 1, :at, :at)",
        "INSERT INTO webhook_deliveries (id, org_id, endpoint_id, event_id, event_type, status,"
        " attempts, next_attempt_at, created_at) VALUES (gen_random_uuid(), :org, :endpoint,"
        " gen_random_uuid(), 'risk.created', 'succeeded', '[]'::jsonb, NULL, :at)",
    ):
        conn.execute(text(sql), params)


# Seed rows per revision, valid at that revision; a revision without seeds still has to keep
# the rows of the revisions before it.
SEEDS: dict[str, Callable[[Connection, Ids], None]] = {
    "0001": _seed_foundation,
    "0003": _seed_risks,
    "0002": _seed_milestones,
    "0004": _seed_ledger,
    "0005": _seed_closing,
    "0006": _seed_team,
    "0007": _seed_status_reports,
    "0008": _seed_events,
    "0009": _seed_webhooks,
}


def _revisions() -> list[str]:
    """Every revision from the first to head, in upgrade order."""
    script = ScriptDirectory.from_config(alembic_config())
    return [r.revision for r in reversed(list(script.walk_revisions("base", "heads")))]


REVISIONS = _revisions()


async def _snapshot(engine: AsyncEngine) -> dict[str, list[dict[str, Any]]]:
    """Every row of every table, as JSON objects in a stable order."""
    async with engine.connect() as conn:
        tables = (
            await conn.execute(
                text(
                    "SELECT table_name FROM information_schema.tables WHERE table_schema ="
                    " current_schema() AND table_type = 'BASE TABLE'"
                    " AND table_name <> 'alembic_version' ORDER BY 1"
                )
            )
        ).scalars()
        rows: dict[str, list[dict[str, Any]]] = {}
        for table in list(tables):
            found = await conn.execute(text(f'SELECT to_jsonb(t) FROM "{table}" AS t'))
            rows[table] = sorted(found.scalars(), key=lambda r: json.dumps(r, sort_keys=True))
    return rows


async def _refused(engine: AsyncEngine, sql: str, params: dict[str, Any]) -> bool:
    """Whether the database refuses the statement (an accepted one is committed)."""
    async with engine.connect() as conn:
        try:
            await conn.execute(text(sql), params)
        except IntegrityError:
            return True
        await conn.commit()
    return False


@pytest.mark.parametrize("start", REVISIONS[:-1])
async def test_rows_written_at_an_earlier_revision_survive_the_upgrade_to_head(
    server_url: str, start: str
) -> None:
    ids: Ids = {k: uuid.uuid4() for k in ("owner", "manager", "project", "risk", "design", "build")}
    ids["org"] = f"org-{uuid.uuid4().hex[:12]}"
    seeds = [SEEDS[r] for r in REVISIONS[: REVISIONS.index(start) + 1] if r in SEEDS]
    async with scratch_database(server_url) as engine:
        await upgrade(engine, start)

        def seed_all(conn: Connection) -> None:
            for seed in seeds:
                seed(conn, ids)

        await run_committed(engine, seed_all)
        before = await _snapshot(engine)
        empty = [table for table, rows in before.items() if not rows]
        assert empty == [], f"add seed rows to SEEDS for the tables of revision {start} or before"

        await upgrade(engine, "head")

        after = await _snapshot(engine)
        for table, rows in before.items():
            kept = [{k: row[k] for k in rows[0]} for row in after[table]]
            assert kept == rows, f"rows of {table} changed"
        async with engine.connect() as conn:
            not_validated = (
                await conn.execute(
                    text("SELECT conname FROM pg_constraint WHERE NOT convalidated ORDER BY 1")
                )
            ).scalars()
            assert list(not_validated) == [], "every constraint is checked over the old rows"

        # Head's constraints hold for the old rows: new rows may refer to them, bad ones fail.
        entry = (
            "INSERT INTO ledger_entries (id, org_id, project_id, currency, kind, category, amount,"
            " occurred_on, created_by, created_at) VALUES (gen_random_uuid(), :org, :project,"
            " :currency, 'actual', 'labour', 10, '2026-03-03', 'user-manager', now())"
        )
        where = {"org": ids["org"], "project": ids["project"]}
        assert await _refused(engine, entry, {**where, "currency": "USD"})
        assert not await _refused(engine, entry, {**where, "currency": "EUR"})
        assert await _refused(engine, "UPDATE ledger_entries SET amount = 1", {})
        milestone = (
            "INSERT INTO milestones (id, org_id, project_id, name, owner_id, start_date, due_date,"
            " status, progress, version, created_at, updated_at) VALUES (gen_random_uuid(), :org,"
            " :project, 'new', :owner, '2026-05-01', '2026-05-31', 'planned', :progress, 1, now(),"
            " now())"
        )
        where["owner"] = ids["owner"]
        assert await _refused(engine, milestone, {**where, "progress": 101})
        assert not await _refused(engine, milestone, {**where, "progress": 0})
        # 0010: a three-point estimate is ordered; a schedule impact is not negative.
        estimate = (
            "UPDATE milestones SET optimistic_days = 5, most_likely_days = 3, pessimistic_days = 9"
        )
        assert await _refused(engine, estimate, {})
        risk = (
            "INSERT INTO risks (id, org_id, project_id, title, category, probability, impact,"
            " response, review_on, status, schedule_impact_days, version, created_at, updated_at)"
            " VALUES (gen_random_uuid(), :org, :project, 'late', 'vendor', 3, 3, 'accept',"
            " '2026-04-01', 'open', :days, 1, now(), now())"
        )
        assert await _refused(engine, risk, {**where, "days": -1})
        assert not await _refused(engine, risk, {**where, "days": 4})
        # 0011: endpoints of a database the trigger served start where it stopped (the
        # organization's committed seq), so the workers queue nothing twice.
        if REVISIONS.index(start) >= REVISIONS.index("0009"):
            async with engine.connect() as conn:
                through = await conn.execute(
                    text(
                        "SELECT w.through_seq, k.last_seq FROM webhook_endpoints AS w"
                        " JOIN event_counters AS k ON k.org_id = w.org_id WHERE w.org_id = :org"
                    ),
                    where,
                )
                assert [tuple(r) for r in through] == [(1, 1)]
        assert await _refused(
            engine, "UPDATE people SET email = 'MAX@example.org' WHERE id = :owner", where
        )
