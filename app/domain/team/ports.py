"""The unit of work of the team capability: assignments, stakeholders, meetings, action items."""

from __future__ import annotations

from typing import Protocol

from app.domain.projects.ports import ProjectsUnitOfWork
from app.domain.team.assignments import AssignmentRepository
from app.domain.team.meetings import ActionItemRepository, MeetingRepository
from app.domain.team.stakeholders import StakeholderRepository


class TeamUnitOfWork(ProjectsUnitOfWork, Protocol):
    @property
    def assignments(self) -> AssignmentRepository: ...

    @property
    def stakeholders(self) -> StakeholderRepository: ...

    @property
    def meetings(self) -> MeetingRepository: ...

    @property
    def action_items(self) -> ActionItemRepository: ...
