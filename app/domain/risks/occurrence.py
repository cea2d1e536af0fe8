"""Use cases over the whole register: a risk occurring, and the risk matrix."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import ClassVar
from uuid import UUID

from app.domain.common.changes import check_version
from app.domain.common.clock import Clock
from app.domain.common.errors import FieldError, NotFound, RiskNotLive, ValidationFailed
from app.domain.common.events import Subject, event
from app.domain.common.ids import new_id
from app.domain.common.principal import Principal, Role
from app.domain.common.text import NAME_MAX, TEXT_MAX, check_text
from app.domain.projects.model import Project
from app.domain.projects.ports import load_project
from app.domain.risks.issues import Issue, IssueStatus
from app.domain.risks.matrix import RiskMatrix, build_matrix
from app.domain.risks.model import RiskStatus, Severity
from app.domain.risks.ports import RisksUnitOfWork
from app.domain.risks.service import load_risk


@dataclass(frozen=True)
class RecordOccurrence:
    # Only where to look the target up (REST names it, GraphQL does not): not part of
    # what the command does, so not of its idempotency fingerprint.
    LOCATORS: ClassVar[tuple[str, ...]] = ("project_id",)

    project_id: UUID | None  # None: the risk is found by its id alone (GraphQL)
    risk_id: UUID
    severity: Severity
    title: str | None = None  # defaults to the risk's title
    note: str | None = None  # becomes the issue's description
    expected_version: int | None = None  # of the risk


async def record_occurrence(
    cmd: RecordOccurrence, *, uow: RisksUnitOfWork, principal: Principal, clock: Clock
) -> Issue:
    """Mark a live risk occurred and open the linked issue in one transaction (member or higher)."""
    principal.require(Role.MEMBER)
    errors: list[FieldError] = []
    check_text(errors, "title", cmd.title, limit=NAME_MAX)
    if cmd.title is not None and not cmd.title.strip():
        errors.append(FieldError("title", "must not be blank"))
    check_text(errors, "note", cmd.note, limit=TEXT_MAX)
    if errors:
        raise ValidationFailed(errors)
    now = clock.now()
    async with uow:
        risk = await load_risk(uow, principal, cmd.project_id, cmd.risk_id, for_update=True)
        check_version(risk, cmd.expected_version, "risk")
        if not risk.live:
            raise RiskNotLive(f"The risk is {risk.status}; only an open or mitigating risk occurs")
        occurred = replace(
            risk, status=RiskStatus.OCCURRED, version=risk.version + 1, updated_at=now
        )
        issue = Issue(
            id=new_id(),
            org_id=principal.org,
            project_id=risk.project_id,
            title=cmd.title or risk.title,
            description=cmd.note,
            severity=cmd.severity,
            status=IssueStatus.OPEN,
            owner_id=risk.owner_id,
            due_on=None,
            resolution=None,
            risk_id=risk.id,
            from_occurrence=True,
            version=1,
            created_at=now,
            updated_at=now,
        ).validate()
        await uow.risks.update(occurred)
        await uow.issues.add(issue)
        uow.record(
            event(
                "risk.occurred",
                Subject("risk", risk.id),
                {
                    "status": {"from": risk.status.value, "to": "occurred"},
                    "issue_id": str(issue.id),
                },
                project_id=risk.project_id,
                principal=principal,
                at=clock.now(),
            )
        )
        uow.record(
            event(
                "issue.created",
                Subject("issue", issue.id),
                {"title": issue.title, "severity": issue.severity.value, "risk_id": str(risk.id)},
                project_id=risk.project_id,
                principal=principal,
                at=clock.now(),
            )
        )
        await uow.commit()
    return issue


async def risk_matrix(
    project_id: UUID, *, uow: RisksUnitOfWork, principal: Principal, clock: Clock
) -> RiskMatrix:
    """Return the project's 5 x 5 matrix of live risks, suggested contingency and overdue reviews."""
    principal.require(Role.VIEWER)
    async with uow:
        project = await load_project(uow, principal, project_id)
        risks = await uow.risks.live_for_projects(principal.org, [project_id])
    return build_matrix(risks[project_id], project.currency, clock.today())


async def risk_matrices(
    project_ids: list[UUID], *, uow: RisksUnitOfWork, principal: Principal, clock: Clock
) -> list[RiskMatrix | None]:
    """The matrix of each project (None for an id not in the caller's organization), in two
    statements whatever the number of projects: what a portfolio view asks for."""
    principal.require(Role.VIEWER)
    async with uow:
        found = await uow.projects.get_many(principal.org, project_ids)
        present = [p for p in found if p is not None]
        matrices = await risk_matrices_of_projects(
            present, uow=uow, principal=principal, clock=clock
        )
    by_id = {p.id: m for p, m in zip(present, matrices, strict=True)}
    return [None if p is None else by_id[p.id] for p in found]


async def risk_matrices_of_projects(
    projects: list[Project], *, uow: RisksUnitOfWork, principal: Principal, clock: Clock
) -> list[RiskMatrix]:
    """The matrices of projects the caller has loaded in its organization, one statement."""
    principal.require(Role.VIEWER)
    if any(p.org_id != principal.org for p in projects):
        raise NotFound("Project not found")  # never another organization's risks
    async with uow:
        risks = await uow.risks.live_for_projects(principal.org, [p.id for p in projects])
    today = clock.today()
    return [build_matrix(risks[p.id], p.currency, today) for p in projects]
