"""Translate database failures into domain errors: constraint names to conflicts, outages to 503."""

from __future__ import annotations

import re
from collections.abc import Callable

from sqlalchemy.exc import DBAPIError, IntegrityError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from app.domain.common.errors import (
    AlreadyReversed,
    Conflict,
    CurrencyLocked,
    DomainError,
    EmailTaken,
    FieldError,
    KeyTaken,
    LedgerNegativeTotal,
    MilestoneHasDependents,
    RiskNotLive,
    Unavailable,
    ValidationFailed,
)
from app.infra.postgres.faults import outcome

# Constraint name -> the domain error it means. Capabilities add their own names here.
CONSTRAINT_ERRORS: dict[str, Callable[[], DomainError]] = {
    "uq_projects_org_key": lambda: KeyTaken(
        "The project key is already in use in this organization"
    ),
    "uq_people_org_email": lambda: EmailTaken(),
    "uq_people_org_user_sub": lambda: Conflict(
        "Another person is already linked to this user account"
    ),
    "fk_projects_sponsor": lambda: ValidationFailed.on(
        "sponsor_id", "is not a person of this organization"
    ),
    "fk_projects_manager": lambda: ValidationFailed.on(
        "manager_id", "is not a person of this organization"
    ),
    "fk_milestones_owner": lambda: ValidationFailed.on(
        "owner_id", "is not a person of this organization"
    ),
    # A dependency added to a milestone while it was being deleted.
    "fk_dependencies_predecessor": lambda: MilestoneHasDependents(
        "Other milestones depend on this milestone"
    ),
    "pk_milestone_dependencies": lambda: ValidationFailed.on(
        "predecessor_id", "is already a predecessor of this milestone"
    ),
    "ck_milestones_dates_ordered": lambda: ValidationFailed.on(
        "due_date", "must not be before start_date"
    ),
    "fk_risks_owner": lambda: ValidationFailed.on(
        "owner_id", "is not a person of this organization"
    ),
    "fk_issues_owner": lambda: ValidationFailed.on(
        "owner_id", "is not a person of this organization"
    ),
    "fk_issues_risk": lambda: ValidationFailed.on("risk_id", "is not a risk of this project"),
    "uq_issues_risk_occurrence": lambda: RiskNotLive("The risk has already occurred"),
    "uq_ledger_entries_reverses": lambda: AlreadyReversed(
        "The ledger entry has already been reversed"
    ),
    # A currency change racing the project's first posting.
    "fk_ledger_entries_project_currency": lambda: CurrencyLocked(
        "The project's ledger has entries: its currency is fixed"
    ),
    # A milestone that a deliverable names (issue 11): unlink the deliverable first.
    "fk_deliverables_milestone": lambda: MilestoneHasDependents(
        "Deliverables name this milestone; point them elsewhere first"
    ),
    # A milestone that a risk would delay (issue 18): point the risk elsewhere first.
    "fk_risks_milestone": lambda: MilestoneHasDependents(
        "Risks name this milestone; point them elsewhere first"
    ),
    "ck_ledger_totals_non_negative": lambda: LedgerNegativeTotal(
        [FieldError("amount", "would make a ledger total negative")]
    ),
}

_CONSTRAINT = re.compile(r'constraint "([^"]+)"')


def constraint_name(exc: IntegrityError) -> str | None:
    orig = exc.orig
    name = getattr(orig, "constraint_name", None)
    if name is None:
        cause = getattr(orig, "__cause__", None)
        name = getattr(cause, "constraint_name", None)
    if name is None:
        found = _CONSTRAINT.search(str(orig))
        name = found.group(1) if found else None
    return name


def translate(exc: BaseException) -> DomainError | None:
    """Return the domain error a database exception stands for, or None to let it through."""
    if isinstance(exc, IntegrityError):
        name = constraint_name(exc)
        factory = CONSTRAINT_ERRORS.get(name or "")
        return factory() if factory else Conflict("The change conflicts with existing data")
    if isinstance(exc, PoolTimeout):
        return Unavailable("The database is busy; try again", outcome="timed_out")
    happened = outcome(exc)
    if happened is None and (
        isinstance(exc, OperationalError | InterfaceError)
        or (isinstance(exc, DBAPIError) and exc.connection_invalidated)
    ):
        happened = "unknown"
    if happened is None:
        return None
    return Unavailable(MESSAGES[happened], outcome=happened)


MESSAGES = {
    "not_sent": "The database is unreachable; try again",
    "rolled_back": "The database could not serialize the change with concurrent ones; try again",
    "timed_out": "The database did not answer in time (a lock or statement timeout); try again",
    "unknown": "The connection to the database was lost; try again",
}
