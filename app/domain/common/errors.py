"""The one domain error tree; every class carries a stable, snake_case ``code``.

    DomainError
    ├── ValidationFailed            validation_failed        (422)
    │   ├── CurrencyMismatch        currency_mismatch
    │   ├── IdempotencyKeyReused    idempotency_key_reused
    │   ├── LedgerNegativeTotal     ledger_negative_total
    │   └── DependencyCycle         dependency_cycle         (names the cycle)
    ├── Unauthenticated             unauthenticated          (401)
    ├── PermissionDenied            forbidden                (403)
    ├── NotFound                    not_found                (404)
    ├── Conflict                    conflict                 (409)
    │   ├── KeyTaken                key_taken
    │   ├── EmailTaken              email_taken
    │   ├── InvalidTransition       invalid_transition
    │   ├── PhaseGateUnmet          phase_gate_unmet
    │   ├── MilestoneHasDependents  milestone_has_dependents
    │   ├── ScheduleOutOfRange      schedule_out_of_range
    │   ├── RiskNotLive             risk_not_live
    │   ├── AlreadyReversed         already_reversed
    │   ├── NotReversible           not_reversible
    │   ├── CommitmentSettled       commitment_settled
    │   ├── CurrencyLocked          currency_locked
    │   ├── InvalidDecision         invalid_decision
    │   └── WrongPhase              wrong_phase
    ├── VersionConflict             version_conflict         (412)
    └── Unavailable                 service_unavailable      (503)

Adapters map a class to a status by walking its MRO, so a new subclass inherits
its parent's status without touching any adapter.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class FieldError:
    """One invalid field: ``field`` is a dotted path such as ``body.due_date``."""

    field: str
    message: str


class DomainError(Exception):
    code = "domain_error"
    title = "Request failed"

    def __init__(self, message: str | None = None) -> None:
        self.message = message or self.title
        super().__init__(self.message)

    def extra(self) -> dict[str, Any]:
        """Return additional members for the problem document."""
        return {}


class ValidationFailed(DomainError):
    code = "validation_failed"
    title = "The request is not valid"

    def __init__(self, errors: list[FieldError] | None = None, message: str | None = None) -> None:
        self.errors = errors or []
        super().__init__(message or (self.errors[0].message if self.errors else None))

    @classmethod
    def on(cls, field: str, message: str) -> ValidationFailed:
        return cls([FieldError(field, message)], message)

    def extra(self) -> dict[str, Any]:
        return {"errors": [{"field": e.field, "message": e.message} for e in self.errors]}


class CurrencyMismatch(ValidationFailed):
    code = "currency_mismatch"
    title = "The currency differs from the project's currency"


class IdempotencyKeyReused(ValidationFailed):
    code = "idempotency_key_reused"
    title = "The idempotency key was already used with a different request"


class LedgerNegativeTotal(ValidationFailed):
    code = "ledger_negative_total"
    title = "The posting would make a ledger total negative"


class DependencyCycle(ValidationFailed):
    code = "dependency_cycle"
    title = "The dependency would close a cycle"

    def __init__(self, cycle: list[Any]) -> None:
        self.cycle = [str(c) for c in cycle]
        super().__init__(
            [FieldError("predecessor_id", "would close the cycle " + " -> ".join(self.cycle))]
        )

    def extra(self) -> dict[str, Any]:
        return {**super().extra(), "cycle": self.cycle}


class Unauthenticated(DomainError):
    code = "unauthenticated"
    title = "Authentication required"


class PermissionDenied(DomainError):
    code = "forbidden"
    title = "Your role does not allow this"


class NotFound(DomainError):
    code = "not_found"
    title = "Not found"


class Conflict(DomainError):
    code = "conflict"
    title = "The request conflicts with the current state"


class KeyTaken(Conflict):
    code = "key_taken"
    title = "The project key is already in use in this organization"


class EmailTaken(Conflict):
    code = "email_taken"
    title = "A person with this email already exists in this organization"


class InvalidTransition(Conflict):
    code = "invalid_transition"
    title = "The lifecycle does not allow this move"


class RiskNotLive(Conflict):
    code = "risk_not_live"
    title = "The risk has already occurred or is closed"


class AlreadyReversed(Conflict):
    code = "already_reversed"
    title = "The ledger entry has already been reversed"


class NotReversible(Conflict):
    code = "not_reversible"
    title = "A reversal cannot itself be reversed"


class CommitmentSettled(Conflict):
    code = "commitment_settled"
    title = "Actual costs settle this commitment"


class CurrencyLocked(Conflict):
    code = "currency_locked"
    title = "The project's currency is fixed once its ledger has entries"


@dataclass(frozen=True)
class UnmetCondition:
    gate: str
    message: str


@dataclass
class PhaseGateUnmet(Conflict):
    unmet: list[UnmetCondition] = field(default_factory=list)
    code = "phase_gate_unmet"
    title = "The phase gate has unmet conditions"

    def __post_init__(self) -> None:
        DomainError.__init__(self, "; ".join(u.message for u in self.unmet) or None)

    def extra(self) -> dict[str, Any]:
        return {"unmet": [{"gate": u.gate, "message": u.message} for u in self.unmet]}


class MilestoneHasDependents(Conflict):
    code = "milestone_has_dependents"
    title = "Other milestones depend on this milestone"


class ScheduleOutOfRange(Conflict):
    code = "schedule_out_of_range"
    title = "The schedule runs beyond the calendar"


class InvalidDecision(Conflict):
    code = "invalid_decision"
    title = "The decision cannot be taken from the deliverable's status"


class WrongPhase(Conflict):
    code = "wrong_phase"
    title = "The project is not in the phase this needs"


class VersionConflict(DomainError):
    code = "version_conflict"
    title = "The resource was changed by someone else"


class Unavailable(DomainError):
    """A dependency (the database, an identity provider) cannot do the work now.

    ``outcome`` says what became of the work, so an adapter knows whether running it
    again is safe: ``not_sent`` (it never reached the database), ``rolled_back`` (the
    database undid it because it collided with concurrent work: a serialization failure
    or a deadlock), ``unknown`` (the connection was lost mid-work: it may have
    committed), ``timed_out`` (a lock, statement or pool wait passed its bound; undone,
    and running it again at once would wait again).
    """

    code = "service_unavailable"
    title = "The service is temporarily unavailable"

    def __init__(self, message: str | None = None, *, outcome: str = "unknown") -> None:
        self.outcome = outcome
        super().__init__(message)
