"""Checked by mypy (``make typecheck``): the fakes satisfy the ports the use cases name.

Nothing here runs in the test suite; if a fake drifts from its port (a method missing or
with another signature), ``mypy`` fails on the line that hands it over.
"""

from __future__ import annotations

from app.domain.closure.ports import ClosureUnitOfWork
from app.domain.deliverables.ports import DeliverablesUnitOfWork
from app.domain.forecast.ports import ForecastUnitOfWork
from app.domain.ledger.ports import LedgerUnitOfWork
from app.domain.milestones.ports import MilestonesUnitOfWork
from app.domain.objectives.ports import ObjectivesUnitOfWork
from app.domain.people.ports import PeopleUnitOfWork
from app.domain.projects.ports import ProjectsUnitOfWork
from app.domain.reporting.ports import ReportingUnitOfWork
from app.domain.risks.ports import RisksUnitOfWork
from app.domain.team.ports import TeamUnitOfWork
from tests.fakes import FakeUnitOfWork
from tests.fakes_closing import FakeCharterUnitOfWork
from tests.fakes_ledger import FakeLedgerUnitOfWork
from tests.fakes_milestones import FakeMilestonesUnitOfWork
from tests.fakes_reporting import FakeReportingUnitOfWork
from tests.fakes_team import FakeTeamUnitOfWork


def people() -> PeopleUnitOfWork:
    return FakeUnitOfWork()


def projects() -> ProjectsUnitOfWork:
    return FakeUnitOfWork()


def risks() -> RisksUnitOfWork:
    return FakeUnitOfWork()


def milestones() -> MilestonesUnitOfWork:
    return FakeMilestonesUnitOfWork()


def ledger() -> LedgerUnitOfWork:
    return FakeLedgerUnitOfWork()


def objectives() -> ObjectivesUnitOfWork:
    return FakeCharterUnitOfWork()


def deliverables() -> DeliverablesUnitOfWork:
    return FakeCharterUnitOfWork()


def forecast() -> ForecastUnitOfWork:
    return FakeCharterUnitOfWork()


def closure() -> ClosureUnitOfWork:
    return FakeCharterUnitOfWork()


def team() -> TeamUnitOfWork:
    return FakeTeamUnitOfWork()


def reporting() -> ReportingUnitOfWork:
    return FakeReportingUnitOfWork()
