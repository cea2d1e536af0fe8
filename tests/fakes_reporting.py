"""A unit of work with every port reporting reads: the composite fake plus the team's."""

from __future__ import annotations

from tests.fakes_closing import FakeCharterUnitOfWork
from tests.fakes_team import (
    FakeActionItemRepository,
    FakeAssignmentRepository,
    FakeMeetingRepository,
    FakeStakeholderRepository,
)


class FakeReportingUnitOfWork(FakeCharterUnitOfWork):
    def __init__(self) -> None:
        super().__init__()
        self.assignments = FakeAssignmentRepository(self)  # type: ignore[arg-type]
        self.stakeholders = FakeStakeholderRepository()
        self.meetings = FakeMeetingRepository()
        self.action_items = FakeActionItemRepository()
