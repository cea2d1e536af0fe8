"""GraphQL: assignments, workload and availability, stakeholders, meetings, action items."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Annotated
from uuid import UUID

import strawberry
from strawberry.types import Info

from app.api.graphql.context import Context
from app.api.graphql.people import Person
from app.domain.team import meetings as meeting_model
from app.domain.team import stakeholders as stakeholder_model
from app.domain.team.assignments import Assignment as AssignmentModel
from app.domain.team.workload import WeekLoad as WeekLoadModel
from app.domain.team.workload_service import PersonWorkload as PersonWorkloadModel

if TYPE_CHECKING:
    from app.api.graphql.projects import Project

strawberry.enum(meeting_model.MeetingKind, name="MeetingKind")
strawberry.enum(meeting_model.ActionStatus, name="ActionItemStatus")
strawberry.enum(stakeholder_model.Level, name="StakeholderLevel")
strawberry.enum(stakeholder_model.Quadrant, name="StakeholderQuadrant")
strawberry.enum(stakeholder_model.Channel, name="StakeholderChannel")
strawberry.enum(stakeholder_model.ContactFrequency, name="ContactFrequency")
MeetingKind = meeting_model.MeetingKind
ActionItemStatus = meeting_model.ActionStatus
Level = stakeholder_model.Level
Quadrant = stakeholder_model.Quadrant
Channel = stakeholder_model.Channel
ContactFrequency = stakeholder_model.ContactFrequency
LazyProject = Annotated["Project", strawberry.lazy("app.api.graphql.projects")]


async def _person(info: Info[Context, None], person_id: UUID) -> Person | None:
    found = await info.context.people.load(person_id)
    return Person.of(found) if found else None


def _id(value: UUID) -> strawberry.ID:
    return strawberry.ID(str(value))


@strawberry.type
class Assignment:
    id: strawberry.ID
    project_id: strawberry.ID
    person_id: strawberry.ID
    role: str
    allocation_percent: int
    start_date: date
    end_date: date
    version: int
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, a: AssignmentModel) -> Assignment:
        return cls(
            id=_id(a.id), project_id=_id(a.project_id), person_id=_id(a.person_id), role=a.role,
            allocation_percent=a.allocation_percent, start_date=a.start_date,
            end_date=a.end_date, version=a.version, created_at=a.created_at,
            updated_at=a.updated_at,
        )  # fmt: skip

    @strawberry.field
    async def person(self, info: Info[Context, None]) -> Person | None:
        return await _person(info, UUID(self.person_id))

    @strawberry.field
    async def project(self, info: Info[Context, None]) -> LazyProject | None:
        from app.api.graphql.projects import Project

        found = await info.context.team.project.load(UUID(self.project_id))
        return Project.of(found) if found else None


@strawberry.type
class WorkloadAssignment:
    assignment_id: strawberry.ID
    project_id: strawberry.ID
    project_key: str
    percent: Decimal


@strawberry.type
class WeekLoad:
    week: str
    starts_on: date
    load_percent: Decimal
    hours: Decimal
    over_allocated: bool
    assignments: list[WorkloadAssignment]

    @classmethod
    def of(cls, w: WeekLoadModel) -> WeekLoad:
        return cls(
            week=w.week, starts_on=w.monday, load_percent=w.load_percent, hours=w.hours,
            over_allocated=w.over_allocated,
            assignments=[
                WorkloadAssignment(assignment_id=_id(c.assignment_id),
                                   project_id=_id(c.project_id), project_key=c.project_key,
                                   percent=c.percent)
                for c in w.assignments
            ],
        )  # fmt: skip


@strawberry.type(description="A person's load per ISO week (at most 53 weeks)")
class PersonWorkload:
    person_id: strawberry.ID
    name: str
    weekly_capacity_hours: Decimal
    peak_load_percent: Decimal
    free_percent: Decimal
    over_allocated: bool
    weeks: list[WeekLoad]

    @classmethod
    def of(cls, p: PersonWorkloadModel, *, only_loaded: bool = False) -> PersonWorkload:
        return cls(
            person_id=_id(p.member.person_id), name=p.member.name,
            weekly_capacity_hours=p.member.capacity_hours, peak_load_percent=p.load.peak_percent,
            free_percent=p.load.free_percent, over_allocated=p.load.over_allocated,
            weeks=[WeekLoad.of(w) for w in p.load.weeks(p.span, only_loaded=only_loaded)],
        )  # fmt: skip

    @classmethod
    def loaded(cls, p: PersonWorkloadModel) -> PersonWorkload:
        return cls.of(p, only_loaded=True)

    @strawberry.field
    async def person(self, info: Info[Context, None]) -> Person | None:
        return await _person(info, UUID(self.person_id))


@strawberry.type
class Stakeholder:
    id: strawberry.ID
    project_id: strawberry.ID
    name: str
    organization: str | None
    role: str | None
    email: str | None
    influence: Level
    interest: Level
    preferred_channel: Channel | None
    contact_frequency: ContactFrequency
    last_contacted_on: date | None
    quadrant: Quadrant
    version: int
    created_at: datetime
    updated_at: datetime
    record: strawberry.Private[stakeholder_model.Stakeholder]

    @classmethod
    def of(cls, s: stakeholder_model.Stakeholder) -> Stakeholder:
        return cls(
            id=_id(s.id), project_id=_id(s.project_id), name=s.name, organization=s.organization,
            role=s.role, email=s.email, influence=s.influence, interest=s.interest,
            preferred_channel=s.preferred_channel, contact_frequency=s.contact_frequency,
            last_contacted_on=s.last_contacted_on, quadrant=s.quadrant, version=s.version,
            created_at=s.created_at, updated_at=s.updated_at, record=s,
        )  # fmt: skip

    @strawberry.field(description="Never contacted, or not within the contact frequency's days")
    def contact_overdue(self, info: Info[Context, None]) -> bool:
        return self.record.contact_overdue(info.context.services.clock.today())


@strawberry.type
class ActionItem:
    id: strawberry.ID
    project_id: strawberry.ID
    meeting_id: strawberry.ID
    title: str
    owner_id: strawberry.ID
    due_on: date
    status: ActionItemStatus
    version: int
    created_at: datetime
    updated_at: datetime
    record: strawberry.Private[meeting_model.ActionItem]

    @classmethod
    def of(cls, a: meeting_model.ActionItem) -> ActionItem:
        return cls(
            id=_id(a.id), project_id=_id(a.project_id), meeting_id=_id(a.meeting_id),
            title=a.title, owner_id=_id(a.owner_id), due_on=a.due_on, status=a.status,
            version=a.version, created_at=a.created_at, updated_at=a.updated_at, record=a,
        )  # fmt: skip

    @strawberry.field(description="Open and past its due date")
    def overdue(self, info: Info[Context, None]) -> bool:
        return self.record.overdue(info.context.services.clock.today())

    @strawberry.field
    async def owner(self, info: Info[Context, None]) -> Person | None:
        return await _person(info, self.record.owner_id)


@strawberry.type
class Meeting:
    id: strawberry.ID
    project_id: strawberry.ID
    title: str
    kind: MeetingKind
    held_on: date
    attendee_person_ids: list[strawberry.ID]
    attendee_stakeholder_ids: list[strawberry.ID]
    notes: str | None
    decisions: list[str]
    version: int
    created_at: datetime
    updated_at: datetime
    record: strawberry.Private[meeting_model.Meeting]

    @classmethod
    def of(cls, m: meeting_model.Meeting) -> Meeting:
        return cls(
            id=_id(m.id), project_id=_id(m.project_id), title=m.title, kind=m.kind,
            held_on=m.held_on, attendee_person_ids=[_id(p) for p in m.attendee_person_ids],
            attendee_stakeholder_ids=[_id(s) for s in m.attendee_stakeholder_ids],
            notes=m.notes, decisions=list(m.decisions), version=m.version,
            created_at=m.created_at, updated_at=m.updated_at, record=m,
        )  # fmt: skip

    @strawberry.field(description="The people who attended (at most 100)")
    async def attendees(self, info: Info[Context, None]) -> list[Person]:
        found = await info.context.people.load_many(list(self.record.attendee_person_ids))
        return [Person.of(p) for p in found if p is not None]

    @strawberry.field(
        description="The stakeholders who attended (at most 100; removed ones left out)"
    )
    async def stakeholders(self, info: Info[Context, None]) -> list[Stakeholder]:
        ids = list(self.record.attendee_stakeholder_ids)
        found = await info.context.team.stakeholder.load_many(ids)
        return [Stakeholder.of(s) for s in found if s is not None]

    @strawberry.field(description="Its action items by due date (at most 100)")
    async def action_items(self, info: Info[Context, None]) -> list[ActionItem]:
        found = await info.context.team.meeting_items.load(self.record.id)
        return [ActionItem.of(a) for a in found]


@strawberry.input
class StakeholderFilter:
    quadrant: Quadrant | None = None
    contact_overdue: bool | None = None


@strawberry.input
class ActionItemFilter:
    status: ActionItemStatus | None = None
    owner_id: strawberry.ID | None = None
    overdue: bool | None = None
