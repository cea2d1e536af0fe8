"""Who may attend a project's meetings or own its action items, and what attending changes."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from uuid import UUID

from app.domain.common.changes import next_version
from app.domain.common.errors import FieldError
from app.domain.common.events import Subject, event
from app.domain.common.principal import Principal
from app.domain.common.text import raise_if
from app.domain.projects.model import Project
from app.domain.team.ports import TeamUnitOfWork


async def check_project_people(
    uow: TeamUnitOfWork, principal: Principal, project: Project, refs: list[tuple[str, UUID]]
) -> None:
    """Refuse person references (field, id) to anyone not of the project.

    A person is of the project when they are its manager or sponsor or hold an assignment
    on it (at any dates); anyone else, of this organization or another, is a 422.
    """
    if not refs:
        return
    ids = list(dict.fromkeys(i for _, i in refs))
    found = await uow.people.get_many(principal.org, ids)
    known = {i for i, p in zip(ids, found, strict=True) if p is not None}
    on_project = {project.manager_id, project.sponsor_id}
    rest = [i for i in known if i not in on_project]
    if rest:
        on_project |= await uow.assignments.people_on_project(principal.org, project.id, rest)
    raise_if(
        [
            FieldError(f, f"{i} is not a person of this project (manager, sponsor or assignee)")
            for f, i in refs
            if i not in known or i not in on_project
        ]
    )


async def mark_contacted(
    uow: TeamUnitOfWork,
    principal: Principal,
    project: Project,
    stakeholder_ids: Iterable[UUID],
    field: str,
    *,
    meeting_id: UUID,
    held_on: date,
    now: datetime,
) -> None:
    """Check the attending stakeholders are the project's; move their last contact to the meeting.

    A stakeholder already contacted on or after ``held_on`` is left alone; each one
    changed is recorded as ``stakeholder.updated``.
    """
    ids = list(stakeholder_ids)
    if not ids:
        return
    found = await uow.stakeholders.get_many(principal.org, ids, for_update=True)
    raise_if(
        [
            FieldError(field, f"{i} is not a stakeholder of this project")
            for i, s in zip(ids, found, strict=True)
            if s is None or s.project_id != project.id
        ]
    )
    for s in found:
        assert s is not None
        contacted = s.contacted(held_on, now)
        if contacted is None:
            continue
        contacted = next_version(contacted)
        await uow.stakeholders.update(contacted)
        uow.record(
            event(
                "stakeholder.updated",
                Subject("stakeholder", s.id),
                {
                    "last_contacted_on": {
                        "from": s.last_contacted_on.isoformat() if s.last_contacted_on else None,
                        "to": contacted.last_contacted_on.isoformat()
                        if contacted.last_contacted_on
                        else None,
                    },
                    "meeting_id": str(meeting_id),
                },
                project_id=project.id,
                principal=principal,
                at=now,
            )
        )
