"""Use cases for re-assessing risks: every change of probability or impact is kept."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, ClassVar
from uuid import UUID

from app.domain.common.changes import check_version, plain
from app.domain.common.clock import Clock
from app.domain.common.errors import FieldError, ValidationFailed
from app.domain.common.events import Subject, event
from app.domain.common.paging import Page, PageRequest
from app.domain.common.principal import Principal, Role
from app.domain.common.text import TEXT_MAX
from app.domain.risks.model import Assessment, Risk, check_level
from app.domain.risks.ports import RisksUnitOfWork
from app.domain.risks.service import assessment_of, load_risk


@dataclass(frozen=True)
class AssessRisk:
    # Only where to look the target up (REST names it, GraphQL does not): not part of
    # what the command does, so not of its idempotency fingerprint.
    LOCATORS: ClassVar[tuple[str, ...]] = ("project_id",)

    project_id: UUID | None
    risk_id: UUID
    probability: int
    impact: int
    note: str | None = None
    expected_version: int | None = None


async def assess_risk(
    cmd: AssessRisk, *, uow: RisksUnitOfWork, principal: Principal, clock: Clock
) -> tuple[Risk, Assessment]:
    """Re-assess a risk's probability and impact (member or higher), keeping the history."""
    principal.require(Role.MEMBER)
    errors: list[FieldError] = []
    check_level(errors, "probability", cmd.probability)
    check_level(errors, "impact", cmd.impact)
    if cmd.note is not None and len(cmd.note) > TEXT_MAX:
        errors.append(FieldError("note", f"must be at most {TEXT_MAX} characters"))
    if errors:
        raise ValidationFailed(errors)
    async with uow:
        risk = await load_risk(uow, principal, cmd.project_id, cmd.risk_id, for_update=True)
        check_version(risk, cmd.expected_version, "risk")
        updated = replace(
            risk,
            probability=cmd.probability,
            impact=cmd.impact,
            version=risk.version + 1,
            updated_at=clock.now(),
        )
        assessment = assessment_of(updated, risk, principal, clock, cmd.note)
        # A confirming re-assessment (same values) is kept too: it records that a review happened.
        await uow.risks.update(updated)
        await uow.assessments.add(assessment)
        changes: dict[str, Any] = {
            k: {"from": plain(getattr(risk, k)), "to": plain(getattr(updated, k))}
            for k in ("probability", "impact")
        }
        if cmd.note:
            changes["note"] = cmd.note
        uow.record(
            event(
                "risk.assessed",
                Subject("risk", risk.id),
                changes,
                project_id=risk.project_id,
                principal=principal,
                at=clock.now(),
            )
        )
        await uow.commit()
    return updated, assessment


async def list_assessments(
    project_id: UUID,
    risk_id: UUID,
    page: PageRequest,
    *,
    uow: RisksUnitOfWork,
    principal: Principal,
) -> Page[Assessment]:
    """List a risk's assessments, newest first."""
    principal.require(Role.VIEWER)
    async with uow:
        await load_risk(uow, principal, project_id, risk_id)
        return await uow.assessments.list_for_risk(principal.org, risk_id, page)


async def assessments_of_risks(
    risk_ids: list[UUID], *, uow: RisksUnitOfWork, principal: Principal
) -> dict[UUID, list[Assessment]]:
    """Return the assessments of several of the caller's risks, newest first (batched readers)."""
    principal.require(Role.VIEWER)
    async with uow:
        return await uow.assessments.for_risks(principal.org, risk_ids)
