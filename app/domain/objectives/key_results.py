"""Use cases for key results: define, change, delete, and check in a new current value."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any, ClassVar
from uuid import UUID

from app.domain.common.changes import (
    apply_change,
    check_version,
    next_version,
    plain,
    refuse_unknown,
)
from app.domain.common.clock import Clock
from app.domain.common.errors import FieldError, NotFound, ValidationFailed
from app.domain.common.events import DomainEvent, Subject, event
from app.domain.common.ids import new_id
from app.domain.common.paging import Page, PageRequest
from app.domain.common.principal import Principal, Role
from app.domain.common.text import TEXT_MAX, check_text, raise_if
from app.domain.objectives.model import MAX_KEY_RESULTS, CheckIn, KeyResult, as_text, measure
from app.domain.objectives.ports import ObjectivesUnitOfWork
from app.domain.objectives.service import load_objective


@dataclass(frozen=True)
class AddKeyResult:
    # Only where to look the target up (REST names it, GraphQL does not): not part of
    # what the command does, so not of its idempotency fingerprint.
    LOCATORS: ClassVar[tuple[str, ...]] = ("project_id",)

    project_id: UUID | None
    objective_id: UUID
    name: str
    unit: str
    baseline: str | Decimal
    target: str | Decimal
    current: str | Decimal | None = None  # None: starts at the baseline


@dataclass(frozen=True)
class UpdateKeyResult:
    project_id: UUID | None
    objective_id: UUID | None
    key_result_id: UUID
    changes: dict[str, Any] = field(default_factory=dict)
    expected_version: int | None = None


@dataclass(frozen=True)
class DeleteKeyResult:
    project_id: UUID | None
    objective_id: UUID | None
    key_result_id: UUID
    expected_version: int | None = None


@dataclass(frozen=True)
class CheckInKeyResult:
    # Only where to look the target up (REST names it, GraphQL does not): not part of
    # what the command does, so not of its idempotency fingerprint.
    LOCATORS: ClassVar[tuple[str, ...]] = ("project_id", "objective_id")

    project_id: UUID | None
    objective_id: UUID | None
    key_result_id: UUID
    value: str | Decimal
    note: str | None = None


async def load_key_result(
    uow: ObjectivesUnitOfWork,
    principal: Principal,
    project_id: UUID | None,
    objective_id: UUID | None,
    key_result_id: UUID,
    *,
    for_update: bool = False,
    deleted_is_invalid: bool = False,
) -> KeyResult:
    """Return the caller's live key result (under the named project and objective) or raise
    NotFound; a deleted one is NotFound too, or a 422 where the caller names it to change it."""
    found = await uow.key_results.get(principal.org, key_result_id, for_update=for_update)
    if (
        found is None
        or project_id not in (None, found.project_id)
        or objective_id not in (None, found.objective_id)
    ):
        raise NotFound("Key result not found")
    if found.deleted_at is not None:
        if deleted_is_invalid:
            raise ValidationFailed.on("path.key_result_id", "names a deleted key result")
        raise NotFound("Key result not found")
    return found


def _event(
    kind: str, kr: KeyResult, changes: dict[str, Any], principal: Principal, clock: Clock
) -> DomainEvent:
    return event(
        kind,
        Subject("key_result", kr.id),
        changes,
        project_id=kr.project_id,
        principal=principal,
        at=clock.now(),
    )


async def add_key_result(
    cmd: AddKeyResult, *, uow: ObjectivesUnitOfWork, principal: Principal, clock: Clock
) -> KeyResult:
    """Add a measurable key result to an objective (manager or higher)."""
    principal.require(Role.MANAGER)
    errors: list[FieldError] = []
    values: dict[str, Decimal] = {}
    for name in ("baseline", "target", "current"):
        raw = getattr(cmd, name)
        if raw is None:
            continue
        try:
            values[name] = measure(raw, name)
        except ValidationFailed as exc:
            errors.extend(exc.errors)
    raise_if(errors)
    now = clock.now()
    async with uow:
        objective = await load_objective(
            uow, principal, cmd.project_id, cmd.objective_id, for_update=True
        )
        kr = KeyResult(
            id=new_id(),
            org_id=principal.org,
            project_id=objective.project_id,
            objective_id=objective.id,
            name=cmd.name,
            unit=cmd.unit,
            baseline=values["baseline"],
            target=values["target"],
            current=values.get("current", values["baseline"]),
            version=1,
            created_at=now,
            updated_at=now,
        ).validate()
        existing = (await uow.key_results.for_objectives(principal.org, [objective.id]))[
            objective.id
        ]
        if len(existing) >= MAX_KEY_RESULTS:
            raise ValidationFailed.on(
                "path.objective_id",
                f"has {MAX_KEY_RESULTS} key results already, the most it may hold",
            )
        await uow.key_results.add(kr)
        created = {
            k: plain(getattr(kr, k)) for k in ("name", "unit", "baseline", "target", "current")
        }
        uow.record(_event("key_result.created", kr, created, principal, clock))
        await uow.commit()
    return kr


async def get_key_result(
    project_id: UUID | None,
    objective_id: UUID | None,
    key_result_id: UUID,
    *,
    uow: ObjectivesUnitOfWork,
    principal: Principal,
) -> KeyResult:
    """Return one live key result of the caller's project."""
    principal.require(Role.VIEWER)
    async with uow:
        return await load_key_result(uow, principal, project_id, objective_id, key_result_id)


async def list_key_results(
    project_id: UUID | None,
    objective_id: UUID,
    *,
    uow: ObjectivesUnitOfWork,
    principal: Principal,
) -> list[KeyResult]:
    """List an objective's live key results, oldest first (at most MAX_KEY_RESULTS)."""
    principal.require(Role.VIEWER)
    async with uow:
        objective = await load_objective(uow, principal, project_id, objective_id)
        return (await uow.key_results.for_objectives(principal.org, [objective.id]))[objective.id]


async def update_key_result(
    cmd: UpdateKeyResult, *, uow: ObjectivesUnitOfWork, principal: Principal, clock: Clock
) -> KeyResult:
    """Apply a merge-patch to a key result's definition (manager or higher)."""
    principal.require(Role.MANAGER)
    if "current" in cmd.changes:
        raise ValidationFailed.on("current", "changes by a check-in, which keeps its history")
    refuse_unknown(cmd.changes, KeyResult.EDITABLE)
    async with uow:
        kr = await load_key_result(
            uow, principal, cmd.project_id, cmd.objective_id, cmd.key_result_id, for_update=True
        )
        updated = await apply_change(
            uow, kr, cmd.changes, cmd.expected_version, type="key_result.updated",
            store=uow.key_results.update, principal=principal, clock=clock,
        )  # fmt: skip
        await uow.commit()
    return updated


async def delete_key_result(
    cmd: DeleteKeyResult, *, uow: ObjectivesUnitOfWork, principal: Principal, clock: Clock
) -> None:
    """Delete a key result; its check-ins stay on record (manager or higher)."""
    principal.require(Role.MANAGER)
    async with uow:
        kr = await load_key_result(
            uow, principal, cmd.project_id, cmd.objective_id, cmd.key_result_id, for_update=True
        )
        check_version(kr, cmd.expected_version, "key result")
        now = clock.now()
        await uow.key_results.update(next_version(replace(kr, deleted_at=now, updated_at=now)))
        uow.record(_event("key_result.deleted", kr, {"name": kr.name}, principal, clock))
        await uow.commit()


async def check_in(
    cmd: CheckInKeyResult, *, uow: ObjectivesUnitOfWork, principal: Principal, clock: Clock
) -> CheckIn:
    """Record a new current value of a key result, with who, when, from, to and note (member)."""
    principal.require(Role.MEMBER)
    errors: list[FieldError] = []
    check_text(errors, "note", cmd.note, limit=TEXT_MAX)
    raise_if(errors)
    value = measure(cmd.value, "value")
    async with uow:
        kr = await load_key_result(
            uow,
            principal,
            cmd.project_id,
            cmd.objective_id,
            cmd.key_result_id,
            for_update=True,
            deleted_is_invalid=True,
        )
        now = clock.now()
        entry = CheckIn(
            new_id(), principal.org, kr.project_id, kr.id, kr.current, value, cmd.note,
            principal.sub, now,
        )  # fmt: skip
        await uow.key_results.update(next_version(replace(kr, current=value, updated_at=now)))
        await uow.check_ins.add(entry)
        changes: dict[str, Any] = {"current": {"from": as_text(kr.current), "to": as_text(value)}}
        if cmd.note:
            changes["note"] = cmd.note
        uow.record(_event("key_result.checked_in", kr, changes, principal, clock))
        await uow.commit()
    return entry


async def check_ins_of_key_results(
    key_result_ids: list[UUID],
    page: PageRequest,
    *,
    uow: ObjectivesUnitOfWork,
    principal: Principal,
) -> dict[UUID, Page[CheckIn]]:
    """One page of each key result's check-ins, newest first, in one read (for loaders)."""
    principal.require(Role.VIEWER)
    async with uow:
        return await uow.check_ins.pages_for_key_results(principal.org, key_result_ids, page)


async def list_check_ins(
    project_id: UUID | None,
    objective_id: UUID | None,
    key_result_id: UUID,
    page: PageRequest,
    *,
    uow: ObjectivesUnitOfWork,
    principal: Principal,
) -> Page[CheckIn]:
    """List a key result's check-ins, newest first."""
    principal.require(Role.VIEWER)
    async with uow:
        kr = await load_key_result(uow, principal, project_id, objective_id, key_result_id)
        pages = await uow.check_ins.pages_for_key_results(principal.org, [kr.id], page)
    return pages[kr.id]
