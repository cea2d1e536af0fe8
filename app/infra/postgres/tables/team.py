"""Tables of the team: assignments, stakeholders, meetings and action items."""

from __future__ import annotations

from sqlalchemy import (
    CheckConstraint,
    Column,
    Date,
    ForeignKeyConstraint,
    Index,
    Integer,
    SmallInteger,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.dialects.postgresql import ARRAY, UUID

from app.infra.postgres.tables.base import TS, metadata

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
