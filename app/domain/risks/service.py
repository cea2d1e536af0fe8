"""Use cases for the risk register: raise, read, list, update and re-assess risks."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import Decimal
from typing import Any
from uuid import UUID

from app.domain.common.changes import apply_change, check_version, plain, refuse_unknown
from app.domain.common.clock import Clock
from app.domain.common.errors import (
    CurrencyMismatch,
    NotFound,
    ValidationFailed,
)
from app.domain.common.events import Subject, event
from app.domain.common.ids import new_id
from app.domain.common.money import Money
from app.domain.common.paging import Page, PageRequest
from app.domain.common.principal import Principal, Role
from app.domain.people.model import check_people
from app.domain.projects.model import Project
from app.domain.projects.ports import load_project
from app.domain.risks.model import (
    SORTABLE,
    Assessment,
    Risk,
    RiskCategory,
    RiskFilter,
    RiskResponse,
    RiskStatus,
)
from app.domain.risks.ports import RisksUnitOfWork

# A risk raised without a review date is due for review in 30 days: none goes unreviewed.
DEFAULT_REVIEW_DAYS = 30


@dataclass(frozen=True)
class CreateRisk:
    project_id: UUID
    title: str
    category: RiskCategory
    probability: int
    impact: int
    description: str | None = None
    owner_id: UUID | None = None
    response: RiskResponse = RiskResponse.ACCEPT
    mitigation: str | None = None
    contingency: str | None = None
    trigger: str | None = None
    review_on: date | None = None
    status: RiskStatus = RiskStatus.OPEN
    cost_impact: str | Decimal | None = None
    currency: str | None = None
    schedule_impact_days: int | None = None
    milestone_id: UUID | None = None


@dataclass(frozen=True)
class UpdateRisk:
    project_id: UUID | None  # None: the risk is found by its id alone (GraphQL)
    risk_id: UUID
    changes: dict[str, Any]  # may also carry "currency", checked against the project's
    expected_version: int | None = None


def cost_impact(
    project: Project, raw: str | Decimal | None, currency: str | None
) -> Decimal | None:
    """Parse a cost impact in the project's currency (a different ``currency`` is refused)."""
    if currency is not None and currency != project.currency:
        raise CurrencyMismatch.on("currency", f"the project's currency is {project.currency}")
    if raw is None:
        return None
    return Money.parse(raw, project.currency, field="cost_impact").amount


async def load_risk(
    uow: RisksUnitOfWork,
    principal: Principal,
    project_id: UUID | None,
    risk_id: UUID,
    *,
    for_update: bool = False,
) -> Risk:
    """Return the project's risk or raise NotFound (foreign ids look like missing ones)."""
    risk: Risk | None = await uow.risks.get(
        principal.org, project_id, risk_id, for_update=for_update
    )
    if risk is None:
        raise NotFound("Risk not found")
    return risk


def assessment_of(
    risk: Risk, before: Risk | None, principal: Principal, clock: Clock, note: str | None
) -> Assessment:
    return Assessment(
        id=new_id(),
        org_id=risk.org_id,
        project_id=risk.project_id,
        risk_id=risk.id,
        assessed_by=principal.sub,
        assessed_at=clock.now(),
        from_probability=before.probability if before else None,
        from_impact=before.impact if before else None,
        to_probability=risk.probability,
        to_impact=risk.impact,
        note=note,
    )


async def check_milestone(
    uow: RisksUnitOfWork, principal: Principal, project_id: UUID, milestone_id: UUID | None
) -> None:
    """The milestone a risk would delay is one of the risk's own project (else 422)."""
    if milestone_id is None:
        return
    found = await uow.milestones.get(principal.org, milestone_id)
    if found is None or found.project_id != project_id:
        raise ValidationFailed.on("milestone_id", "is not a milestone of this project")


async def create_risk(
    cmd: CreateRisk, *, uow: RisksUnitOfWork, principal: Principal, clock: Clock
) -> Risk:
    """Raise a risk (member or higher); its first assessment opens the history."""
    principal.require(Role.MEMBER)
    if cmd.status not in (RiskStatus.OPEN, RiskStatus.MITIGATING):
        raise ValidationFailed.on("status", "a new risk is open or mitigating")
    now = clock.now()
    async with uow:
        project = await load_project(uow, principal, cmd.project_id)
        risk = Risk(
            id=new_id(),
            org_id=principal.org,
            project_id=project.id,
            title=cmd.title,
            description=cmd.description,
            category=cmd.category,
            probability=cmd.probability,
            impact=cmd.impact,
            owner_id=cmd.owner_id,
            response=cmd.response,
            mitigation=cmd.mitigation,
            contingency=cmd.contingency,
            trigger=cmd.trigger,
            review_on=cmd.review_on or clock.today() + timedelta(days=DEFAULT_REVIEW_DAYS),
            status=cmd.status,
            cost_impact=cost_impact(project, cmd.cost_impact, cmd.currency),
            currency=project.currency,
            version=1,
            created_at=now,
            updated_at=now,
            schedule_impact_days=cmd.schedule_impact_days,
            milestone_id=cmd.milestone_id,
        ).validate()
        await check_people(uow.people, principal.org, {"owner_id": risk.owner_id})
        await check_milestone(uow, principal, project.id, risk.milestone_id)
        await uow.risks.add(risk)
        await uow.assessments.add(assessment_of(risk, None, principal, clock, "Initial assessment"))
        uow.record(
            event(
                "risk.created",
                Subject("risk", risk.id),
                {
                    "title": risk.title,
                    "probability": risk.probability,
                    "impact": risk.impact,
                    "schedule_impact_days": risk.schedule_impact_days,
                    "milestone_id": plain(risk.milestone_id),
                },
                project_id=project.id,
                principal=principal,
                at=clock.now(),
            )
        )
        await uow.commit()
    return risk


async def get_risk(
    project_id: UUID | None, risk_id: UUID, *, uow: RisksUnitOfWork, principal: Principal
) -> Risk:
    """Return one risk of the caller's project (None: of any of the caller's projects)."""
    principal.require(Role.VIEWER)
    async with uow:
        return await load_risk(uow, principal, project_id, risk_id)


def check_sort(sort: str) -> str:
    if sort.removeprefix("-") not in SORTABLE:
        raise ValidationFailed.on(
            "sort", f"must be one of {', '.join(sorted(SORTABLE))}, optionally prefixed by -"
        )
    return sort


async def list_risks(
    project_id: UUID,
    flt: RiskFilter,
    sort: str,
    page: PageRequest,
    *,
    uow: RisksUnitOfWork,
    principal: Principal,
    clock: Clock,
) -> Page[Risk]:
    """List a project's risks, filtered, by score (highest first) unless sorted otherwise."""
    principal.require(Role.VIEWER)
    check_sort(sort)
    async with uow:
        await load_project(uow, principal, project_id)
        found = await uow.risks.list_for_projects(
            principal.org, [project_id], replace(flt, today=clock.today()), sort, page
        )
    return found[project_id]


async def risks_of_projects(
    project_ids: list[UUID],
    flt: RiskFilter,
    sort: str,
    page: PageRequest,
    *,
    uow: RisksUnitOfWork,
    principal: Principal,
    clock: Clock,
) -> dict[UUID, Page[Risk]]:
    """List the risks of several of the caller's projects at once (for batched readers)."""
    principal.require(Role.VIEWER)
    check_sort(sort)
    async with uow:
        return await uow.risks.list_for_projects(
            principal.org, project_ids, replace(flt, today=clock.today()), sort, page
        )


async def count_risks(
    project_ids: list[UUID],
    flt: RiskFilter,
    *,
    uow: RisksUnitOfWork,
    principal: Principal,
    clock: Clock,
) -> dict[UUID, int]:
    """Count the risks a filter matches in each of the caller's projects."""
    principal.require(Role.VIEWER)
    async with uow:
        return await uow.risks.count_for_projects(
            principal.org, project_ids, replace(flt, today=clock.today())
        )


async def update_risk(
    cmd: UpdateRisk, *, uow: RisksUnitOfWork, principal: Principal, clock: Clock
) -> Risk:
    """Apply a merge-patch to a risk (member or higher); a new probability or impact is assessed."""
    principal.require(Role.MEMBER)
    changes = dict(cmd.changes)
    currency = changes.pop("currency", None)
    refuse_unknown(changes, Risk.EDITABLE)
    async with uow:
        risk = await load_risk(uow, principal, cmd.project_id, cmd.risk_id, for_update=True)
        project = await load_project(uow, principal, risk.project_id)
        check_version(risk, cmd.expected_version, "risk")
        if "cost_impact" in changes or currency is not None:
            parsed = cost_impact(project, changes.get("cost_impact"), currency)
            if "cost_impact" in changes:
                changes["cost_impact"] = parsed
        if risk.status == RiskStatus.OCCURRED and changes.get("status", risk.status) != risk.status:
            raise ValidationFailed.on("status", "an occurred risk keeps its status")

        async def check(updated: Risk, diff: dict[str, Any]) -> None:
            if "owner_id" in diff:
                await check_people(uow.people, principal.org, {"owner_id": updated.owner_id})
            if "milestone_id" in diff:
                await check_milestone(uow, principal, updated.project_id, updated.milestone_id)
            if "probability" in diff or "impact" in diff:  # a re-assessment, kept as such
                await uow.assessments.add(assessment_of(updated, risk, principal, clock, None))

        updated = await apply_change(
            uow, risk, changes, cmd.expected_version, type="risk.updated",
            store=uow.risks.update, principal=principal, clock=clock, before_store=check,
        )  # fmt: skip
        await uow.commit()
    return updated
