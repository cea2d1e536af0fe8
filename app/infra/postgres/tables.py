"""SQLAlchemy Core tables. Every table carries ``org_id`` and every query filters on it."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    Computed,
    Date,
    ForeignKeyConstraint,
    Identity,
    Index,
    Integer,
    MetaData,
    Numeric,
    PrimaryKeyConstraint,
    SmallInteger,
    Table,
    Text,
    UniqueConstraint,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, TIMESTAMP, UUID

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_N_name)s",
        "pk": "pk_%(table_name)s",
    }
)

TS = TIMESTAMP(timezone=True)

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


risks = Table(
    "risks",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("org_id", Text, nullable=False),
    Column("project_id", UUID(as_uuid=True), nullable=False),
    Column("title", Text, nullable=False),
    Column("description", Text),
    Column("category", Text, nullable=False),
    Column("probability", SmallInteger, nullable=False),
    Column("impact", SmallInteger, nullable=False),
    # Stored so the register can be sorted and filtered by score and severity in SQL.
    Column("score", SmallInteger, Computed("probability * impact", persisted=True)),
    Column("owner_id", UUID(as_uuid=True)),
    Column("response", Text, nullable=False),
    Column("mitigation", Text),
    Column("contingency", Text),
    Column("trigger", Text),
    Column("review_on", Date, nullable=False),
    Column("status", Text, nullable=False),
    Column("cost_impact", Numeric(20, 4)),
    Column("version", Integer, nullable=False),
    Column("created_at", TS, nullable=False),
    Column("updated_at", TS, nullable=False),
    UniqueConstraint("org_id", "id"),
    UniqueConstraint("org_id", "project_id", "id"),
    ForeignKeyConstraint(
        ["org_id", "project_id"], ["projects.org_id", "projects.id"], name="fk_risks_project"
    ),
    ForeignKeyConstraint(
        ["org_id", "owner_id"], ["people.org_id", "people.id"], name="fk_risks_owner"
    ),
    CheckConstraint("probability BETWEEN 1 AND 5", name="probability"),
    CheckConstraint("impact BETWEEN 1 AND 5", name="impact"),
    CheckConstraint("cost_impact >= 0", name="cost_impact"),
    CheckConstraint(
        "category IN ('technical', 'schedule', 'budget', 'security', 'resource', 'vendor', "
        "'compliance', 'other')",
        name="category",
    ),
    CheckConstraint(
        "response IN ('avoid', 'mitigate', 'transfer', 'accept', 'escalate')", name="response"
    ),
    CheckConstraint("status IN ('open', 'mitigating', 'closed', 'occurred')", name="status"),
    Index("ix_risks_org_project_score", "org_id", "project_id", "score", "id"),
    Index("ix_risks_org_project_review", "org_id", "project_id", "review_on", "id"),
)

risk_assessments = Table(
    "risk_assessments",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("org_id", Text, nullable=False),
    Column("project_id", UUID(as_uuid=True), nullable=False),
    Column("risk_id", UUID(as_uuid=True), nullable=False),
    Column("seq", BigInteger, Identity(always=True), nullable=False, unique=True),
    Column("assessed_by", Text, nullable=False),
    Column("assessed_at", TS, nullable=False),
    Column("from_probability", SmallInteger),
    Column("from_impact", SmallInteger),
    Column("to_probability", SmallInteger, nullable=False),
    Column("to_impact", SmallInteger, nullable=False),
    Column("note", Text),
    ForeignKeyConstraint(
        ["org_id", "project_id"],
        ["projects.org_id", "projects.id"],
        name="fk_risk_assessments_project",
    ),
    ForeignKeyConstraint(
        ["org_id", "project_id", "risk_id"],
        ["risks.org_id", "risks.project_id", "risks.id"],
        name="fk_risk_assessments_risk",
    ),
    CheckConstraint("to_probability BETWEEN 1 AND 5 AND to_impact BETWEEN 1 AND 5", name="levels"),
    Index("ix_risk_assessments_org_risk_seq", "org_id", "risk_id", "seq"),
)

issues = Table(
    "issues",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("org_id", Text, nullable=False),
    Column("project_id", UUID(as_uuid=True), nullable=False),
    Column("title", Text, nullable=False),
    Column("description", Text),
    Column("severity", Text, nullable=False),
    Column("status", Text, nullable=False),
    Column("owner_id", UUID(as_uuid=True)),
    Column("due_on", Date),
    Column("resolution", Text),
    Column("risk_id", UUID(as_uuid=True)),
    Column("from_occurrence", Boolean, nullable=False, server_default=text("false")),
    Column("version", Integer, nullable=False),
    Column("created_at", TS, nullable=False),
    Column("updated_at", TS, nullable=False),
    UniqueConstraint("org_id", "id"),
    ForeignKeyConstraint(
        ["org_id", "project_id"], ["projects.org_id", "projects.id"], name="fk_issues_project"
    ),
    ForeignKeyConstraint(
        ["org_id", "owner_id"], ["people.org_id", "people.id"], name="fk_issues_owner"
    ),
    # The linked risk must belong to the same project (and so the same organization).
    ForeignKeyConstraint(
        ["org_id", "project_id", "risk_id"],
        ["risks.org_id", "risks.project_id", "risks.id"],
        name="fk_issues_risk",
    ),
    CheckConstraint("severity IN ('low', 'medium', 'high', 'critical')", name="severity"),
    CheckConstraint("status IN ('open', 'in_progress', 'resolved', 'closed')", name="status"),
    CheckConstraint(
        "status NOT IN ('resolved', 'closed') OR btrim(coalesce(resolution, '')) <> ''",
        name="resolution",
    ),
    CheckConstraint("NOT from_occurrence OR risk_id IS NOT NULL", name="occurrence_risk"),
    # A risk occurs once: at most one issue raised by its occurrence.
    Index(
        "uq_issues_risk_occurrence",
        "org_id",
        "risk_id",
        unique=True,
        postgresql_where=text("from_occurrence"),
    ),
    Index("ix_issues_org_project_created", "org_id", "project_id", "created_at", "id"),
)

milestones = Table(
    "milestones",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("org_id", Text, nullable=False),
    Column("project_id", UUID(as_uuid=True), nullable=False),
    Column("name", Text, nullable=False),
    Column("description", Text),
    Column("owner_id", UUID(as_uuid=True)),
    Column("start_date", Date, nullable=False),
    Column("due_date", Date, nullable=False),
    Column("status", Text, nullable=False),
    Column("progress", SmallInteger, nullable=False),
    Column("completed_on", Date),
    Column("planned_value", Numeric(20, 4), nullable=False, server_default=text("0")),
    Column("version", Integer, nullable=False),
    Column("created_at", TS, nullable=False),
    Column("updated_at", TS, nullable=False),
    UniqueConstraint("org_id", "id"),
    ForeignKeyConstraint(
        ["org_id", "project_id"], ["projects.org_id", "projects.id"], name="fk_milestones_project"
    ),
    ForeignKeyConstraint(
        ["org_id", "owner_id"], ["people.org_id", "people.id"], name="fk_milestones_owner"
    ),
    CheckConstraint("start_date <= due_date", name="dates_ordered"),
    CheckConstraint("progress BETWEEN 0 AND 100", name="progress_range"),
    CheckConstraint(
        "status IN ('planned', 'in_progress', 'done', 'cancelled')", name="status_known"
    ),
    CheckConstraint(
        "(status = 'done') = (completed_on IS NOT NULL) AND (status <> 'done' OR progress = 100)",
        name="done_complete",
    ),
    Index("ix_milestones_org_project_start", "org_id", "project_id", "start_date", "id"),
)

# Appended whenever a milestone is created or its progress or status changes, so earned
# value "as of" a past date can read progress as it stood then.
milestone_progress = Table(
    "milestone_progress",
    metadata,
    Column("id", BigInteger, Identity(always=True), primary_key=True),
    Column("org_id", Text, nullable=False),
    Column("project_id", UUID(as_uuid=True), nullable=False),
    Column("milestone_id", UUID(as_uuid=True), nullable=False),
    Column("at", TS, nullable=False),
    Column("progress", SmallInteger, nullable=False),
    Column("status", Text, nullable=False),
    ForeignKeyConstraint(
        ["org_id", "milestone_id"],
        ["milestones.org_id", "milestones.id"],
        name="fk_milestone_progress_milestone",
        ondelete="CASCADE",
    ),
    Index("ix_milestone_progress_org_project_at", "org_id", "project_id", "milestone_id", "at"),
)

milestone_dependencies = Table(
    "milestone_dependencies",
    metadata,
    Column("org_id", Text, nullable=False),
    Column("project_id", UUID(as_uuid=True), nullable=False),
    Column("predecessor_id", UUID(as_uuid=True), nullable=False),
    Column("successor_id", UUID(as_uuid=True), nullable=False),
    Column("type", Text, nullable=False),
    Column("lag_days", Integer, nullable=False),
    Column("created_at", TS, nullable=False),
    PrimaryKeyConstraint(
        "org_id", "successor_id", "predecessor_id", name="pk_milestone_dependencies"
    ),
    # A milestone others depend on cannot be deleted; its own links go with it.
    ForeignKeyConstraint(
        ["org_id", "predecessor_id"],
        ["milestones.org_id", "milestones.id"],
        name="fk_dependencies_predecessor",
    ),
    ForeignKeyConstraint(
        ["org_id", "successor_id"],
        ["milestones.org_id", "milestones.id"],
        name="fk_dependencies_successor",
        ondelete="CASCADE",
    ),
    CheckConstraint("predecessor_id <> successor_id", name="not_self"),
    Index("ix_dependencies_org_predecessor", "org_id", "predecessor_id"),
    Index("ix_dependencies_org_project", "org_id", "project_id"),
)

baselines = Table(
    "baselines",
    metadata,
    Column("org_id", Text, nullable=False),
    Column("project_id", UUID(as_uuid=True), nullable=False),
    Column("number", Integer, nullable=False),
    Column("name", Text, nullable=False),
    Column("taken_by", Text, nullable=False),
    Column("taken_at", TS, nullable=False),
    PrimaryKeyConstraint("org_id", "project_id", "number", name="pk_baselines"),
    ForeignKeyConstraint(
        ["org_id", "project_id"], ["projects.org_id", "projects.id"], name="fk_baselines_project"
    ),
)

# A snapshot keeps the ids of milestones deleted since: no foreign key to milestones.
baseline_milestones = Table(
    "baseline_milestones",
    metadata,
    Column("org_id", Text, nullable=False),
    Column("project_id", UUID(as_uuid=True), nullable=False),
    Column("number", Integer, nullable=False),
    Column("milestone_id", UUID(as_uuid=True), nullable=False),
    Column("start_date", Date, nullable=False),
    Column("due_date", Date, nullable=False),
    Column("planned_value", Numeric(20, 4), nullable=False),
    PrimaryKeyConstraint(
        "org_id", "project_id", "number", "milestone_id", name="pk_baseline_milestones"
    ),
    ForeignKeyConstraint(
        ["org_id", "project_id", "number"],
        ["baselines.org_id", "baselines.project_id", "baselines.number"],
        name="fk_baseline_milestones_baseline",
    ),
)

MONEY = Numeric(20, 4)
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


# Objectives and key results (issue 11): deleted rows are kept, so check-ins keep their subject.
objectives = Table(
    "objectives",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("org_id", Text, nullable=False),
    Column("project_id", UUID(as_uuid=True), nullable=False),
    Column("name", Text, nullable=False),
    Column("description", Text),
    Column("version", Integer, nullable=False),
    Column("created_at", TS, nullable=False),
    Column("updated_at", TS, nullable=False),
    Column("deleted_at", TS),
    UniqueConstraint("org_id", "id"),
    ForeignKeyConstraint(
        ["org_id", "project_id"], ["projects.org_id", "projects.id"], name="fk_objectives_project"
    ),
    Index("ix_objectives_org_project_created", "org_id", "project_id", "created_at", "id"),
)

key_results = Table(
    "key_results",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("org_id", Text, nullable=False),
    Column("project_id", UUID(as_uuid=True), nullable=False),
    Column("objective_id", UUID(as_uuid=True), nullable=False),
    Column("name", Text, nullable=False),
    Column("unit", Text, nullable=False),
    Column("baseline", Numeric(20, 4), nullable=False),
    Column("target", Numeric(20, 4), nullable=False),
    Column("current", Numeric(20, 4), nullable=False),
    Column("version", Integer, nullable=False),
    Column("created_at", TS, nullable=False),
    Column("updated_at", TS, nullable=False),
    Column("deleted_at", TS),
    UniqueConstraint("org_id", "id"),
    ForeignKeyConstraint(
        ["org_id", "objective_id"],
        ["objectives.org_id", "objectives.id"],
        name="fk_key_results_objective",
    ),
    CheckConstraint("target <> baseline", name="target_differs"),
    Index("ix_key_results_org_objective_created", "org_id", "objective_id", "created_at", "id"),
)

key_result_check_ins = Table(
    "key_result_check_ins",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("org_id", Text, nullable=False),
    Column("project_id", UUID(as_uuid=True), nullable=False),
    Column("key_result_id", UUID(as_uuid=True), nullable=False),
    Column("from_value", Numeric(20, 4), nullable=False),
    Column("to_value", Numeric(20, 4), nullable=False),
    Column("note", Text),
    Column("by", Text, nullable=False),
    Column("at", TS, nullable=False),
    ForeignKeyConstraint(
        ["org_id", "key_result_id"],
        ["key_results.org_id", "key_results.id"],
        name="fk_check_ins_key_result",
    ),
    Index("ix_check_ins_org_key_result_at", "org_id", "key_result_id", "at", "id"),
)

deliverables = Table(
    "deliverables",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("org_id", Text, nullable=False),
    Column("project_id", UUID(as_uuid=True), nullable=False),
    Column("name", Text, nullable=False),
    Column("description", Text),
    Column("acceptance_criteria", Text),
    Column("milestone_id", UUID(as_uuid=True)),
    Column("status", Text, nullable=False),
    Column("decided_by", Text),
    Column("decided_at", TS),
    Column("version", Integer, nullable=False),
    Column("created_at", TS, nullable=False),
    Column("updated_at", TS, nullable=False),
    UniqueConstraint("org_id", "id"),
    ForeignKeyConstraint(
        ["org_id", "project_id"],
        ["projects.org_id", "projects.id"],
        name="fk_deliverables_project",
    ),
    # A milestone a deliverable names cannot be deleted from under it (409).
    ForeignKeyConstraint(
        ["org_id", "milestone_id"],
        ["milestones.org_id", "milestones.id"],
        name="fk_deliverables_milestone",
    ),
    CheckConstraint("status IN ('pending', 'accepted', 'rejected', 'waived')", name="status_known"),
    Index("ix_deliverables_org_project_created", "org_id", "project_id", "created_at", "id"),
    Index("ix_deliverables_org_milestone", "org_id", "milestone_id"),
)

deliverable_decisions = Table(
    "deliverable_decisions",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("org_id", Text, nullable=False),
    Column("project_id", UUID(as_uuid=True), nullable=False),
    Column("deliverable_id", UUID(as_uuid=True), nullable=False),
    Column("decision", Text, nullable=False),
    Column("from_status", Text, nullable=False),
    Column("to_status", Text, nullable=False),
    Column("note", Text),
    Column("by", Text, nullable=False),
    Column("at", TS, nullable=False),
    ForeignKeyConstraint(
        ["org_id", "deliverable_id"],
        ["deliverables.org_id", "deliverables.id"],
        name="fk_decisions_deliverable",
    ),
    Index("ix_decisions_org_deliverable_at", "org_id", "deliverable_id", "at", "id"),
)

closure_reports = Table(
    "closure_reports",
    metadata,
    Column("org_id", Text, nullable=False),
    Column("project_id", UUID(as_uuid=True), nullable=False),
    Column("summary", Text, nullable=False),
    Column("went_well", JSONB, nullable=False),
    Column("to_improve", JSONB, nullable=False),
    Column("final_figures", JSONB, nullable=False),
    Column("written_by", Text, nullable=False),
    Column("written_at", TS, nullable=False),
    Column("version", Integer, nullable=False),
    Column("created_at", TS, nullable=False),
    PrimaryKeyConstraint("org_id", "project_id", name="pk_closure_reports"),
    ForeignKeyConstraint(
        ["org_id", "project_id"],
        ["projects.org_id", "projects.id"],
        name="fk_closure_reports_project",
    ),
)

# One row per went-well / to-improve item, so /lessons searches and pages them in SQL.
closure_lessons = Table(
    "closure_lessons",
    metadata,
    Column("org_id", Text, nullable=False),
    Column("project_id", UUID(as_uuid=True), nullable=False),
    Column("kind", Text, nullable=False),
    Column("position", SmallInteger, nullable=False),
    Column("text", Text, nullable=False),
    PrimaryKeyConstraint("org_id", "project_id", "kind", "position", name="pk_closure_lessons"),
    ForeignKeyConstraint(
        ["org_id", "project_id"],
        ["closure_reports.org_id", "closure_reports.project_id"],
        name="fk_closure_lessons_report",
    ),
    CheckConstraint("kind IN ('went_well', 'to_improve')", name="kind_known"),
)


# The team (issue 12): assignments, stakeholders, meetings and their action items.
assignments = Table(
    "assignments",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("org_id", Text, nullable=False),
    Column("project_id", UUID(as_uuid=True), nullable=False),
    Column("person_id", UUID(as_uuid=True), nullable=False),
    Column("role", Text, nullable=False),
    Column("allocation_percent", SmallInteger, nullable=False),
    Column("start_date", Date, nullable=False),
    Column("end_date", Date, nullable=False),
    Column("version", Integer, nullable=False),
    Column("created_at", TS, nullable=False),
    Column("updated_at", TS, nullable=False),
    UniqueConstraint("org_id", "id"),
    ForeignKeyConstraint(
        ["org_id", "project_id"], ["projects.org_id", "projects.id"], name="fk_assignments_project"
    ),
    ForeignKeyConstraint(
        ["org_id", "person_id"], ["people.org_id", "people.id"], name="fk_assignments_person"
    ),
    CheckConstraint("allocation_percent BETWEEN 1 AND 100", name="allocation_range"),
    CheckConstraint("start_date <= end_date", name="dates_ordered"),
    Index("ix_assignments_org_project_start", "org_id", "project_id", "start_date", "id"),
    Index("ix_assignments_org_person_start", "org_id", "person_id", "start_date", "id"),
    Index("ix_assignments_org_dates", "org_id", "start_date", "end_date"),
)

stakeholders = Table(
    "stakeholders",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("org_id", Text, nullable=False),
    Column("project_id", UUID(as_uuid=True), nullable=False),
    Column("name", Text, nullable=False),
    Column("organization", Text),
    Column("role", Text),
    Column("email", Text),
    Column("influence", Text, nullable=False),
    Column("interest", Text, nullable=False),
    Column("preferred_channel", Text),
    Column("contact_frequency", Text, nullable=False),
    Column("last_contacted_on", Date),
    Column("version", Integer, nullable=False),
    Column("created_at", TS, nullable=False),
    Column("updated_at", TS, nullable=False),
    UniqueConstraint("org_id", "id"),
    ForeignKeyConstraint(
        ["org_id", "project_id"], ["projects.org_id", "projects.id"], name="fk_stakeholders_project"
    ),
    CheckConstraint(
        "influence IN ('low', 'medium', 'high') AND interest IN ('low', 'medium', 'high')",
        name="levels_known",
    ),
    CheckConstraint(
        "contact_frequency IN ('weekly', 'biweekly', 'monthly', 'quarterly')",
        name="frequency_known",
    ),
    Index("ix_stakeholders_org_project_name", "org_id", "project_id", "name", "id"),
)

meetings = Table(
    "meetings",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("org_id", Text, nullable=False),
    Column("project_id", UUID(as_uuid=True), nullable=False),
    Column("title", Text, nullable=False),
    Column("kind", Text, nullable=False),
    Column("held_on", Date, nullable=False),
    Column("attendee_person_ids", ARRAY(UUID(as_uuid=True)), nullable=False),
    Column("attendee_stakeholder_ids", ARRAY(UUID(as_uuid=True)), nullable=False),
    Column("notes", Text),
    Column("decisions", ARRAY(Text), nullable=False),
    Column("version", Integer, nullable=False),
    Column("created_at", TS, nullable=False),
    Column("updated_at", TS, nullable=False),
    UniqueConstraint("org_id", "id"),
    ForeignKeyConstraint(
        ["org_id", "project_id"], ["projects.org_id", "projects.id"], name="fk_meetings_project"
    ),
    CheckConstraint(
        "kind IN ('kickoff', 'status', 'steering', 'review', 'retrospective', 'other')",
        name="kind_known",
    ),
    Index("ix_meetings_org_project_held", "org_id", "project_id", "held_on", "id"),
)

action_items = Table(
    "action_items",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("org_id", Text, nullable=False),
    Column("project_id", UUID(as_uuid=True), nullable=False),
    Column("meeting_id", UUID(as_uuid=True), nullable=False),
    Column("title", Text, nullable=False),
    Column("owner_id", UUID(as_uuid=True), nullable=False),
    Column("due_on", Date, nullable=False),
    Column("status", Text, nullable=False),
    Column("version", Integer, nullable=False),
    Column("created_at", TS, nullable=False),
    Column("updated_at", TS, nullable=False),
    ForeignKeyConstraint(
        ["org_id", "project_id"], ["projects.org_id", "projects.id"], name="fk_action_items_project"
    ),
    ForeignKeyConstraint(
        ["org_id", "meeting_id"], ["meetings.org_id", "meetings.id"], name="fk_action_items_meeting"
    ),
    ForeignKeyConstraint(
        ["org_id", "owner_id"], ["people.org_id", "people.id"], name="fk_action_items_owner"
    ),
    CheckConstraint("status IN ('open', 'done', 'dropped')", name="status_known"),
    Index("ix_action_items_org_project_due", "org_id", "project_id", "due_on", "id"),
    Index("ix_action_items_org_owner_due", "org_id", "owner_id", "due_on", "id"),
    Index("ix_action_items_org_meeting", "org_id", "meeting_id"),
)

# Webhooks (issue 14): endpoints, and one delivery per (endpoint, event), made by a trigger
# on project_activity as the event commits (migration 0008), so the events are the outbox.
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
