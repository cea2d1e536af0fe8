"""Projects and their lifecycle: initiation -> planning -> execution -> closing -> closed."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date, datetime
from enum import StrEnum
from typing import Any, Protocol
from uuid import UUID

from app.domain.common.changes import merge_patch
from app.domain.common.errors import FieldError, InvalidTransition, ValidationFailed
from app.domain.common.money import validate_currency
from app.domain.common.paging import Page, PageRequest
from app.domain.common.text import NAME_MAX, TEXT_MAX, check_order, check_text, raise_if

KEY_PATTERN = re.compile(r"^[A-Z][A-Z0-9]{1,9}$")


class Phase(StrEnum):
    INITIATION = "initiation"
    PLANNING = "planning"
    EXECUTION = "execution"
    CLOSING = "closing"
    CLOSED = "closed"
    ON_HOLD = "on_hold"
    CANCELLED = "cancelled"


class BusinessArea(StrEnum):
    SOFTWARE_DEVELOPMENT = "software_development"
    INFORMATION_SECURITY = "information_security"
    INFORMATION_SYSTEMS = "information_systems"
    COMMUNICATIONS_NETWORKS = "communications_networks"
    DATABASES = "databases"
    MOBILE_APPLICATIONS = "mobile_applications"
    INFRASTRUCTURE = "infrastructure"
    OTHER = "other"


# The gated forward moves; every other move is listed in Lifecycle.allowed.
FORWARD: dict[Phase, Phase] = {
    Phase.INITIATION: Phase.PLANNING,
    Phase.PLANNING: Phase.EXECUTION,
    Phase.EXECUTION: Phase.CLOSING,
    Phase.CLOSING: Phase.CLOSED,
}
HOLDABLE = frozenset({Phase.PLANNING, Phase.EXECUTION})
TERMINAL = frozenset({Phase.CLOSED, Phase.CANCELLED})


def check_key(key: str, field: str = "key") -> str:
    if not KEY_PATTERN.match(key):
        raise ValidationFailed.on(
            field, "must be 2-10 characters: an uppercase letter, then uppercase letters or digits"
        )
    return key


@dataclass(frozen=True)
class Project:
    id: UUID
    org_id: str
    key: str
    name: str
    description: str | None
    business_area: BusinessArea
    sponsor_id: UUID | None
    manager_id: UUID | None
    start_date: date | None
    target_end_date: date | None
    currency: str
    phase: Phase
    held_from: Phase | None  # the phase an on-hold project returns to
    no_known_risks: bool
    version: int
    created_at: datetime
    updated_at: datetime

    EDITABLE = frozenset(
        {
            "key",
            "name",
            "description",
            "business_area",
            "sponsor_id",
            "manager_id",
            "start_date",
            "target_end_date",
            "currency",
            "no_known_risks",
        }
    )
    REQUIRED = frozenset({"key", "name", "business_area", "currency", "no_known_risks"})

    @property
    def project_id(self) -> UUID:
        """A project is its own project (for what every aggregate of a project has)."""
        return self.id

    def validate(self) -> Project:
        """Check every rule of a project; raise ValidationFailed listing each broken one."""
        errors: list[FieldError] = []
        if not KEY_PATTERN.match(self.key):
            errors.append(
                FieldError(
                    "key",
                    "must be 2-10 characters: an uppercase letter, then uppercase letters or digits",
                )
            )
        check_text(errors, "name", self.name, limit=NAME_MAX, required=True)
        check_text(errors, "description", self.description, limit=TEXT_MAX)
        try:
            validate_currency(self.currency, "currency")
        except ValidationFailed as exc:
            errors.extend(exc.errors)
        check_order(
            errors,
            self.start_date,
            self.target_end_date,
            "target_end_date",
            "must not be before start_date",
        )
        raise_if(errors)
        return self

    def changed(self, changes: dict[str, Any], now: datetime) -> tuple[Project, dict[str, Any]]:
        """Apply a merge-patch; return the new project and a from/to diff of what changed."""
        updated, diff = merge_patch(self, changes, self.REQUIRED, now)
        return updated.validate(), diff

    def next_forward(self) -> Phase | None:
        """Return the phase a forward move from here enters (through a gate), if any."""
        return FORWARD.get(self.phase)

    def move_to(self, to: Phase, now: datetime) -> Project:
        """Return the project in phase ``to`` if the lifecycle allows the move (gates aside)."""
        held_from: Phase | None = None
        if to == self.phase:
            raise InvalidTransition(f"The project is already in {to}")
        if self.phase == Phase.ON_HOLD:
            if to not in (self.held_from, Phase.CANCELLED):
                raise InvalidTransition(
                    f"An on-hold project returns to {self.held_from} or is cancelled"
                )
        elif self.phase in TERMINAL:
            raise InvalidTransition(f"A {self.phase} project cannot move")
        elif to == Phase.ON_HOLD:
            if self.phase not in HOLDABLE:
                raise InvalidTransition(
                    "Only a project in planning or execution can be put on hold"
                )
            held_from = self.phase
        elif to != Phase.CANCELLED and FORWARD.get(self.phase) != to:
            raise InvalidTransition(f"The lifecycle does not allow {self.phase} -> {to}")
        return replace(self, phase=to, held_from=held_from, updated_at=now)


@dataclass(frozen=True)
class ProjectFilter:
    phase: Phase | None = None
    business_area: BusinessArea | None = None
    q: str | None = None


SORTABLE = frozenset({"key", "name", "created_at", "target_end_date"})


class ProjectRepository(Protocol):
    async def add(self, project: Project) -> None:
        """Insert a project; raise KeyTaken when the key is in use in the organization."""
        ...

    async def get(
        self, org_id: str, project_id: UUID, *, for_update: bool = False
    ) -> Project | None:
        """Return the project of this organization, or None; ``for_update`` locks its row."""
        ...

    async def get_by_key(self, org_id: str, key: str) -> Project | None:
        """Return the project with this key, or None."""
        ...

    async def get_many(self, org_id: str, ids: list[UUID]) -> list[Project | None]:
        """Return projects in the order of ``ids`` (None where missing)."""
        ...

    async def list(
        self, org_id: str, flt: ProjectFilter, sort: str, page: PageRequest
    ) -> Page[Project]:
        """List projects filtered and sorted (``-`` prefix for descending), by cursor."""
        ...

    async def count(self, org_id: str, flt: ProjectFilter) -> int:
        """Count the projects a filter matches."""
        ...

    async def update(self, project: Project) -> None:
        """Store a changed project (its version already incremented)."""
        ...
