"""Use cases for the issue log: raise, read, list and update issues."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

from app.domain.common.changes import apply_change, refuse_unknown
from app.domain.common.clock import Clock
from app.domain.common.errors import NotFound, ValidationFailed
from app.domain.common.events import Subject, event
from app.domain.common.ids import new_id
from app.domain.common.paging import Page, PageRequest
from app.domain.common.principal import Principal, Role
from app.domain.people.model import check_people
from app.domain.projects.ports import load_project
from app.domain.risks.issues import Issue, IssueFilter, IssueStatus
from app.domain.risks.model import Severity
from app.domain.risks.ports import RisksUnitOfWork


@dataclass(frozen=True)
class CreateIssue:
    project_id: UUID
    title: str
    severity: Severity
    description: str | None = None
    status: IssueStatus = IssueStatus.OPEN
    owner_id: UUID | None = None
    due_on: date | None = None
    resolution: str | None = None
    risk_id: UUID | None = None


@dataclass(frozen=True)
class UpdateIssue:
    project_id: UUID | None  # None: the issue is found by its id alone (GraphQL)
    issue_id: UUID
    changes: dict[str, Any]
    expected_version: int | None = None


async def _check_links(
    uow: RisksUnitOfWork, principal: Principal, issue: Issue, fields: set[str]
) -> None:
    if "owner_id" in fields:
        await check_people(uow.people, principal.org, {"owner_id": issue.owner_id})
    if (
        "risk_id" in fields
        and issue.risk_id is not None
        and await uow.risks.get(principal.org, issue.project_id, issue.risk_id) is None
    ):
        raise ValidationFailed.on("risk_id", "is not a risk of this project")


async def _load(
    uow: RisksUnitOfWork,
    principal: Principal,
    project_id: UUID | None,
    issue_id: UUID,
    *,
    for_update: bool = False,
) -> Issue:
    issue: Issue | None = await uow.issues.get(
        principal.org, project_id, issue_id, for_update=for_update
    )
    if issue is None:
        raise NotFound("Issue not found")
    return issue


async def create_issue(
    cmd: CreateIssue, *, uow: RisksUnitOfWork, principal: Principal, clock: Clock
) -> Issue:
    """Log an issue (member or higher), optionally linked to the risk it came from."""
    principal.require(Role.MEMBER)
    now = clock.now()
    async with uow:
        project = await load_project(uow, principal, cmd.project_id)
        issue = Issue(
            id=new_id(),
            org_id=principal.org,
            project_id=project.id,
            title=cmd.title,
            description=cmd.description,
            severity=cmd.severity,
            status=cmd.status,
            owner_id=cmd.owner_id,
            due_on=cmd.due_on,
            resolution=cmd.resolution,
            risk_id=cmd.risk_id,
            from_occurrence=False,
            version=1,
            created_at=now,
            updated_at=now,
        ).validate()
        await _check_links(uow, principal, issue, {"owner_id", "risk_id"})
        await uow.issues.add(issue)
        changes = {"title": issue.title, "severity": issue.severity.value}
        uow.record(
            event(
                "issue.created",
                Subject("issue", issue.id),
                changes,
                project_id=project.id,
                principal=principal,
                at=clock.now(),
            )
        )
        await uow.commit()
    return issue


async def get_issue(
    project_id: UUID | None, issue_id: UUID, *, uow: RisksUnitOfWork, principal: Principal
) -> Issue:
    """Return one issue of the caller's project (None: of any of the caller's projects)."""
    principal.require(Role.VIEWER)
    async with uow:
        return await _load(uow, principal, project_id, issue_id)


async def list_issues(
    project_id: UUID,
    flt: IssueFilter,
    page: PageRequest,
    *,
    uow: RisksUnitOfWork,
    principal: Principal,
) -> Page[Issue]:
    """List a project's issues, newest first."""
    principal.require(Role.VIEWER)
    async with uow:
        await load_project(uow, principal, project_id)
        return await uow.issues.list(principal.org, project_id, flt, page)


async def count_issues(
    project_id: UUID, flt: IssueFilter, *, uow: RisksUnitOfWork, principal: Principal
) -> int:
    """Count a project's issues a filter matches."""
    principal.require(Role.VIEWER)
    async with uow:
        return await uow.issues.count(principal.org, project_id, flt)


async def issues_of_projects(
    project_ids: list[UUID],
    flt: IssueFilter,
    page: PageRequest,
    *,
    uow: RisksUnitOfWork,
    principal: Principal,
) -> dict[UUID, Page[Issue]]:
    """List the issues of several of the caller's projects at once (for batched readers)."""
    principal.require(Role.VIEWER)
    async with uow:
        return await uow.issues.list_for_projects(principal.org, project_ids, flt, page)


async def count_issues_of_projects(
    project_ids: list[UUID], flt: IssueFilter, *, uow: RisksUnitOfWork, principal: Principal
) -> dict[UUID, int]:
    """Count the issues a filter matches in each of the caller's projects."""
    principal.require(Role.VIEWER)
    async with uow:
        return await uow.issues.count_for_projects(principal.org, project_ids, flt)


async def update_issue(
    cmd: UpdateIssue, *, uow: RisksUnitOfWork, principal: Principal, clock: Clock
) -> Issue:
    """Apply a merge-patch to an issue (member or higher); resolving needs a resolution."""
    principal.require(Role.MEMBER)
    refuse_unknown(cmd.changes, Issue.EDITABLE)
    async with uow:
        issue = await _load(uow, principal, cmd.project_id, cmd.issue_id, for_update=True)

        async def check(updated: Issue, diff: dict[str, Any]) -> None:
            await _check_links(uow, principal, updated, set(diff))

        updated = await apply_change(
            uow, issue, cmd.changes, cmd.expected_version, type="issue.updated",
            store=uow.issues.update, principal=principal, clock=clock, before_store=check,
        )  # fmt: skip
        await uow.commit()
    return updated


async def issues_from_occurrences(
    risk_ids: list[UUID], *, uow: RisksUnitOfWork, principal: Principal
) -> list[Issue | None]:
    """Return, per risk, the issue its occurrence raised (batched readers)."""
    principal.require(Role.VIEWER)
    async with uow:
        return await uow.issues.from_occurrences(principal.org, risk_ids)
