"""GraphQL enums of the API itself (not of a domain model): list orders and user error codes."""

from __future__ import annotations

from enum import Enum

import strawberry


@strawberry.enum(description="The order of `projects`: a field, ascending or descending (`_DESC`)")
class ProjectSort(Enum):
    KEY = strawberry.enum_value("key", description="By key, A to Z (the default)")
    KEY_DESC = strawberry.enum_value("-key", description="By key, Z to A")
    NAME = strawberry.enum_value("name", description="By name, A to Z")
    NAME_DESC = strawberry.enum_value("-name", description="By name, Z to A")
    CREATED_AT = strawberry.enum_value("created_at", description="Oldest first")
    CREATED_AT_DESC = strawberry.enum_value("-created_at", description="Newest first")
    TARGET_END_DATE = strawberry.enum_value(
        "target_end_date", description="By target end date, earliest first (none last)"
    )
    TARGET_END_DATE_DESC = strawberry.enum_value(
        "-target_end_date", description="By target end date, latest first (none first)"
    )


@strawberry.enum(description="The order of a project's `risks`")
class RiskSort(Enum):
    SCORE = strawberry.enum_value("score", description="Lowest score first")
    SCORE_DESC = strawberry.enum_value("-score", description="Highest score first (the default)")
    REVIEW_ON = strawberry.enum_value(
        "review_on", description="By next review date, earliest first"
    )
    REVIEW_ON_DESC = strawberry.enum_value(
        "-review_on", description="By next review date, latest first"
    )


@strawberry.enum(
    description=(
        "Why a mutation refused its input (a `userErrors` entry): the REST problem code in "
        "upper case (the consumer guide in the README lists what each means)"
    )
)
class UserErrorCode(Enum):
    VALIDATION_FAILED = strawberry.enum_value(
        "validation_failed", description="A field's value is invalid (see `field`)"
    )
    CURRENCY_MISMATCH = strawberry.enum_value(
        "currency_mismatch", description="The currency differs from the project's"
    )
    IDEMPOTENCY_KEY_REUSED = strawberry.enum_value(
        "idempotency_key_reused",
        description="The idempotency key was first used with a different request",
    )
    LEDGER_NEGATIVE_TOTAL = strawberry.enum_value(
        "ledger_negative_total", description="The posting would make a ledger total negative"
    )
    DEPENDENCY_CYCLE = strawberry.enum_value(
        "dependency_cycle", description="The dependency would close a cycle of milestones"
    )
    CONFLICT = strawberry.enum_value(
        "conflict", description="The command conflicts with the record's current state"
    )
    KEY_TAKEN = strawberry.enum_value("key_taken", description="Another project has this key")
    EMAIL_TAKEN = strawberry.enum_value("email_taken", description="Another person has this email")
    INVALID_TRANSITION = strawberry.enum_value(
        "invalid_transition", description="The lifecycle does not allow this move"
    )
    RISK_NOT_LIVE = strawberry.enum_value(
        "risk_not_live", description="The risk is closed or has already occurred"
    )
    ALREADY_REVERSED = strawberry.enum_value(
        "already_reversed", description="The ledger entry was already reversed"
    )
    NOT_REVERSIBLE = strawberry.enum_value(
        "not_reversible", description="A reversal cannot itself be reversed"
    )
    COMMITMENT_SETTLED = strawberry.enum_value(
        "commitment_settled", description="Actual costs settle this commitment"
    )
    CURRENCY_LOCKED = strawberry.enum_value(
        "currency_locked",
        description="The project's currency is fixed once its ledger has entries",
    )
    PHASE_GATE_UNMET = strawberry.enum_value(
        "phase_gate_unmet", description="A gate condition is unmet (`field` names the gate)"
    )
    MILESTONE_HAS_DEPENDENTS = strawberry.enum_value(
        "milestone_has_dependents", description="Other milestones depend on this one"
    )
    SCHEDULE_OUT_OF_RANGE = strawberry.enum_value(
        "schedule_out_of_range", description="The schedule runs beyond the calendar"
    )
    INVALID_DECISION = strawberry.enum_value(
        "invalid_decision", description="The decision is not allowed from the current status"
    )
    WRONG_PHASE = strawberry.enum_value(
        "wrong_phase", description="The project is not in the phase this needs"
    )
    VERSION_CONFLICT = strawberry.enum_value(
        "version_conflict", description="`expectedVersion` is not the current version"
    )
