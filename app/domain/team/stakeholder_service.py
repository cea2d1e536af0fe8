"""Use cases for the stakeholder register: managers keep it, everyone reads."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any
from uuid import UUID

from app.domain.common.changes import (
    apply_change,
    check_version,
    plain,
    refuse_unknown,
)
from app.domain.common.clock import Clock
from app.domain.common.errors import NotFound
from app.domain.common.events import Subject, event
from app.domain.common.ids import new_id
from app.domain.common.paging import Page, PageRequest
from app.domain.common.principal import Principal, Role
from app.domain.projects.ports import load_project
from app.domain.team.ports import TeamUnitOfWork
from app.domain.team.stakeholders import (
    Channel,
    ContactFrequency,
    Level,
    Stakeholder,
    StakeholderFilter,
)


@dataclass(frozen=True)
class CreateStakeholder:
    project_id: UUID
    name: str
    influence: Level
    interest: Level
    organization: str | None = None
    role: str | None = None
    email: str | None = None
    preferred_channel: Channel | None = None
    contact_frequency: ContactFrequency = ContactFrequency.MONTHLY
    last_contacted_on: date | None = None


@dataclass(frozen=True)
class UpdateStakeholder:
    project_id: UUID | None  # None: the stakeholder's own project
    stakeholder_id: UUID
    changes: dict[str, Any] = field(default_factory=dict)
    expected_version: int | None = None


@dataclass(frozen=True)
class DeleteStakeholder:
    project_id: UUID | None
    stakeholder_id: UUID
    expected_version: int | None = None


async def load_stakeholder(
    uow: TeamUnitOfWork,
    principal: Principal,
    project_id: UUID | None,
    stakeholder_id: UUID,
    *,
    for_update: bool = False,
) -> Stakeholder:
    """Return the caller's stakeholder (of ``project_id`` when named) or raise NotFound."""
    found = await uow.stakeholders.get(principal.org, stakeholder_id, for_update=for_update)
    if found is None or project_id not in (None, found.project_id):
        raise NotFound("Stakeholder not found")
    return found


async def create_stakeholder(
    cmd: CreateStakeholder, *, uow: TeamUnitOfWork, principal: Principal, clock: Clock
) -> Stakeholder:
    """Add a stakeholder to a project's register (manager or higher)."""
    principal.require(Role.MANAGER)
    now = clock.now()
    values = {k: v for k, v in vars(cmd).items() if k != "project_id"}
    stakeholder = Stakeholder(
        id=new_id(), org_id=principal.org, project_id=cmd.project_id, **values,
        version=1, created_at=now, updated_at=now,
    ).validate()  # fmt: skip
    async with uow:
        await load_project(uow, principal, cmd.project_id)
        await uow.stakeholders.add(stakeholder)
        uow.record(
            event(
                "stakeholder.created",
                Subject("stakeholder", stakeholder.id),
                {k: plain(getattr(stakeholder, k)) for k in sorted(Stakeholder.EDITABLE)},
                project_id=cmd.project_id,
                principal=principal,
                at=now,
            )
        )
        await uow.commit()
    return stakeholder


async def get_stakeholder(
    project_id: UUID, stakeholder_id: UUID, *, uow: TeamUnitOfWork, principal: Principal
) -> Stakeholder:
    """Return one stakeholder of the caller's project."""
    principal.require(Role.VIEWER)
    async with uow:
        return await load_stakeholder(uow, principal, project_id, stakeholder_id)


async def update_stakeholder(
    cmd: UpdateStakeholder, *, uow: TeamUnitOfWork, principal: Principal, clock: Clock
) -> Stakeholder:
    """Apply a merge-patch to a stakeholder (manager or higher)."""
    principal.require(Role.MANAGER)
    refuse_unknown(cmd.changes, Stakeholder.EDITABLE)
    async with uow:
        found = await load_stakeholder(
            uow, principal, cmd.project_id, cmd.stakeholder_id, for_update=True
        )
        updated = await apply_change(
            uow, found, cmd.changes, cmd.expected_version, type="stakeholder.updated",
            store=uow.stakeholders.update, principal=principal, clock=clock,
        )  # fmt: skip
        await uow.commit()
    return updated


async def delete_stakeholder(
    cmd: DeleteStakeholder, *, uow: TeamUnitOfWork, principal: Principal, clock: Clock
) -> None:
    """Remove a stakeholder from the register (manager or higher); past meetings keep the id."""
    principal.require(Role.MANAGER)
    async with uow:
        found = await load_stakeholder(
            uow, principal, cmd.project_id, cmd.stakeholder_id, for_update=True
        )
        check_version(found, cmd.expected_version, "stakeholder")
        await uow.stakeholders.delete(principal.org, found.id)
        uow.record(
            event(
                "stakeholder.deleted",
                Subject("stakeholder", found.id),
                {"name": found.name},
                project_id=found.project_id,
                principal=principal,
                at=clock.now(),
            )
        )
        await uow.commit()


async def list_stakeholders(
    project_id: UUID,
    flt: StakeholderFilter,
    page: PageRequest,
    *,
    uow: TeamUnitOfWork,
    principal: Principal,
    clock: Clock,
) -> Page[Stakeholder]:
    """List a project's stakeholders by name, optionally by quadrant or overdue contact."""
    principal.require(Role.VIEWER)
    async with uow:
        await load_project(uow, principal, project_id)
    found = await stakeholders_of_projects(
        [project_id], flt, page, uow=uow, principal=principal, clock=clock
    )
    return found[project_id]


async def stakeholders_of_projects(
    project_ids: list[UUID],
    flt: StakeholderFilter,
    page: PageRequest,
    *,
    uow: TeamUnitOfWork,
    principal: Principal,
    clock: Clock,
) -> dict[UUID, Page[Stakeholder]]:
    """One page of stakeholders for each of several projects (for batched readers)."""
    principal.require(Role.VIEWER)
    async with uow:
        return await uow.stakeholders.pages_for_projects(
            principal.org, project_ids, replace(flt, today=clock.today()), page
        )


async def stakeholders_by_id(
    ids: list[UUID], *, uow: TeamUnitOfWork, principal: Principal
) -> list[Stakeholder | None]:
    """Stakeholders of the caller's organization in the order of ``ids`` (None if missing)."""
    principal.require(Role.VIEWER)
    async with uow:
        return await uow.stakeholders.get_many(principal.org, ids)
