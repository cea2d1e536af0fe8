"""In-memory Fake<Port> implementations, for fast unit tests of use cases and rules."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from types import TracebackType
from typing import Any, Self
from uuid import UUID

from app.domain.common.errors import EmailTaken, KeyTaken
from app.domain.common.events import DomainEvent
from app.domain.common.paging import Page, PageRequest, encode_cursor
from app.domain.milestones.model import Milestone
from app.domain.people.model import Person
from app.domain.projects.model import Project, ProjectFilter
from app.domain.risks.issues import Issue, IssueFilter
from app.domain.risks.model import SEVERITY_BANDS, Assessment, LiveRisk, Risk, RiskFilter


def _page(items: list[Any], page: PageRequest, key: Any) -> Page[Any]:
    """Offset-free keyset page over an already sorted list (cursor = the sort key of the last item)."""
    if page.after is not None:
        items = [i for i in items if key(i) > page.after]
    chunk = items[: page.limit]
    cursors = [encode_cursor(key(i)) for i in chunk]
    more = len(items) > page.limit
    return Page(chunk, cursors[-1] if more else None, cursors)


class FakePersonRepository:
    def __init__(self) -> None:
        self.rows: dict[UUID, Person] = {}

    async def add(self, person: Person) -> None:
        if any(
            p.org_id == person.org_id and p.email.lower() == person.email.lower()
            for p in self.rows.values()
        ):
            raise EmailTaken()
        self.rows[person.id] = person

    async def get(self, org_id: str, person_id: UUID, *, for_update: bool = False) -> Person | None:
        p = self.rows.get(person_id)
        return p if p and p.org_id == org_id else None

    async def get_many(self, org_id: str, ids: list[UUID]) -> list[Person | None]:
        return [await self.get(org_id, i) for i in ids]

    async def get_by_sub(self, org_id: str, sub: str) -> Person | None:
        return next(
            (p for p in self.rows.values() if p.org_id == org_id and p.user_sub == sub), None
        )

    async def list(self, org_id: str, page: PageRequest, q: str | None = None) -> Page[Person]:
        found = sorted(
            (p for p in self.rows.values() if p.org_id == org_id), key=lambda p: (p.name, str(p.id))
        )
        return _page(found, page, lambda p: [p.name, str(p.id)])

    async def count(self, org_id: str, q: str | None = None) -> int:
        return sum(1 for p in self.rows.values() if p.org_id == org_id)

    async def update(self, person: Person) -> None:
        self.rows[person.id] = person


class FakeProjectRepository:
    def __init__(self) -> None:
        self.rows: dict[UUID, Project] = {}

    async def add(self, project: Project) -> None:
        if any(p.org_id == project.org_id and p.key == project.key for p in self.rows.values()):
            raise KeyTaken()
        self.rows[project.id] = project

    async def get(
        self, org_id: str, project_id: UUID, *, for_update: bool = False
    ) -> Project | None:
        p = self.rows.get(project_id)
        return p if p and p.org_id == org_id else None

    async def get_by_key(self, org_id: str, key: str) -> Project | None:
        return next((p for p in self.rows.values() if p.org_id == org_id and p.key == key), None)

    async def get_many(self, org_id: str, ids: list[UUID]) -> list[Project | None]:
        return [await self.get(org_id, i) for i in ids]

    def _match(self, org_id: str, flt: ProjectFilter) -> list[Project]:
        return [
            p
            for p in self.rows.values()
            if p.org_id == org_id
            and (flt.phase is None or p.phase == flt.phase)
            and (flt.business_area is None or p.business_area == flt.business_area)
            and (not flt.q or flt.q.lower() in (p.name + " " + p.key).lower())
        ]

    async def list(
        self, org_id: str, flt: ProjectFilter, sort: str, page: PageRequest
    ) -> Page[Project]:
        found = sorted(self._match(org_id, flt), key=lambda p: (p.key, str(p.id)))
        return _page(found, page, lambda p: [p.key, str(p.id)])

    async def count(self, org_id: str, flt: ProjectFilter) -> int:
        return len(self._match(org_id, flt))

    async def update(self, project: Project) -> None:
        self.rows[project.id] = replace(project)


class FakeActivityRepository:
    """The committed events, oldest first."""

    def __init__(self) -> None:
        self.entries: list[DomainEvent] = []

    async def list_for_project(
        self, org_id: str, project_id: UUID, page: PageRequest
    ) -> Page[DomainEvent]:
        mine = [e for e in reversed(self.entries) if e.org == org_id and e.project_id == project_id]
        return Page(mine[: page.limit], None, [str(i) for i in range(len(mine[: page.limit]))])

    async def list_after(self, org_id: str, after_seq: int, limit: int) -> list[DomainEvent]:
        mine = [e for e in self.entries if e.org == org_id]
        numbered = [replace(e, seq=i) for i, e in enumerate(mine, 1)]
        return [e for e in numbered if e.seq > after_seq][:limit]


class FakeRiskRepository:
    def __init__(self) -> None:
        self.rows: dict[UUID, Risk] = {}

    async def add(self, risk: Risk) -> None:
        self.rows[risk.id] = risk

    async def get(
        self, org_id: str, project_id: UUID | None, risk_id: UUID, *, for_update: bool = False
    ) -> Risk | None:
        r = self.rows.get(risk_id)
        if r is None or r.org_id != org_id or project_id not in (None, r.project_id):
            return None
        return r

    async def get_many(self, org_id: str, ids: list[UUID]) -> list[Risk | None]:
        return [await self.get(org_id, None, i) for i in ids]

    def _match(self, org_id: str, project_id: UUID, flt: RiskFilter) -> list[Risk]:
        def ok(r: Risk) -> bool:
            low, high = SEVERITY_BANDS[flt.severity] if flt.severity else (1, 25)
            overdue = flt.today is not None and r.review_overdue(flt.today)
            return (
                (flt.status is None or r.status == flt.status)
                and low <= r.score <= high
                and (flt.category is None or r.category == flt.category)
                and (flt.owner_id is None or r.owner_id == flt.owner_id)
                and (flt.overdue_review is None or overdue == flt.overdue_review)
            )

        return [
            r
            for r in self.rows.values()
            if r.org_id == org_id and r.project_id == project_id and ok(r)
        ]

    async def list_for_projects(
        self, org_id: str, project_ids: list[UUID], flt: RiskFilter, sort: str, page: PageRequest
    ) -> dict[UUID, Page[Risk]]:
        name = sort.removeprefix("-")
        result = {}
        for pid in project_ids:
            found = sorted(
                self._match(org_id, pid, flt),
                key=lambda r: (getattr(r, name), str(r.id)),
                reverse=sort.startswith("-"),
            )
            result[pid] = Page(found[: page.limit], None, [str(r.id) for r in found[: page.limit]])
        return result

    async def count_for_projects(
        self, org_id: str, project_ids: list[UUID], flt: RiskFilter
    ) -> dict[UUID, int]:
        return {pid: len(self._match(org_id, pid, flt)) for pid in project_ids}

    async def live_for_projects(
        self, org_id: str, project_ids: list[UUID]
    ) -> dict[UUID, list[LiveRisk]]:
        return {
            pid: [r.as_live() for r in self._match(org_id, pid, RiskFilter()) if r.live]
            for pid in project_ids
        }

    async def update(self, risk: Risk) -> None:
        self.rows[risk.id] = risk


class FakeAssessmentRepository:
    def __init__(self) -> None:
        self.rows: list[Assessment] = []

    async def add(self, assessment: Assessment) -> None:
        self.rows.append(assessment)

    async def list_for_risk(
        self, org_id: str, risk_id: UUID, page: PageRequest
    ) -> Page[Assessment]:
        mine = (await self.for_risks(org_id, [risk_id]))[risk_id][: page.limit]
        return Page(mine, None, [str(a.id) for a in mine])

    async def for_risks(self, org_id: str, risk_ids: list[UUID]) -> dict[UUID, list[Assessment]]:
        return {
            rid: [a for a in reversed(self.rows) if a.org_id == org_id and a.risk_id == rid]
            for rid in risk_ids
        }


class FakeIssueRepository:
    def __init__(self) -> None:
        self.rows: dict[UUID, Issue] = {}

    async def add(self, issue: Issue) -> None:
        self.rows[issue.id] = issue

    async def get(
        self, org_id: str, project_id: UUID | None, issue_id: UUID, *, for_update: bool = False
    ) -> Issue | None:
        i = self.rows.get(issue_id)
        if i is None or i.org_id != org_id or project_id not in (None, i.project_id):
            return None
        return i

    async def from_occurrences(self, org_id: str, risk_ids: list[UUID]) -> list[Issue | None]:
        found = {
            i.risk_id: i for i in self.rows.values() if i.org_id == org_id and i.from_occurrence
        }
        return [found.get(r) for r in risk_ids]

    def _match(self, org_id: str, project_id: UUID, flt: IssueFilter) -> list[Issue]:
        return [
            i
            for i in self.rows.values()
            if i.org_id == org_id
            and i.project_id == project_id
            and (flt.status is None or i.status == flt.status)
            and (flt.severity is None or i.severity == flt.severity)
        ]

    async def list(
        self, org_id: str, project_id: UUID, flt: IssueFilter, page: PageRequest
    ) -> Page[Issue]:
        found = sorted(self._match(org_id, project_id, flt), key=lambda i: i.created_at)[::-1]
        return Page(found[: page.limit], None, [str(i.id) for i in found[: page.limit]])

    async def count(self, org_id: str, project_id: UUID, flt: IssueFilter) -> int:
        return len(self._match(org_id, project_id, flt))

    async def list_for_projects(
        self, org_id: str, project_ids: Sequence[UUID], flt: IssueFilter, page: PageRequest
    ) -> dict[UUID, Page[Issue]]:
        return {pid: await self.list(org_id, pid, flt, page) for pid in project_ids}

    async def count_for_projects(
        self, org_id: str, project_ids: Sequence[UUID], flt: IssueFilter
    ) -> dict[UUID, int]:
        return {pid: len(self._match(org_id, pid, flt)) for pid in project_ids}

    async def update(self, issue: Issue) -> None:
        self.rows[issue.id] = issue


class FakeMilestoneLookup:
    """Milestones as the risk register sees them (FakeMilestoneRepository extends it)."""

    def __init__(self) -> None:
        self.rows: dict[UUID, Milestone] = {}

    async def get(
        self, org_id: str, milestone_id: UUID, *, for_update: bool = False
    ) -> Milestone | None:
        m = self.rows.get(milestone_id)
        return m if m and m.org_id == org_id else None


class FakeUnitOfWork:
    """Commits are counted and write the recorded events; a block left without commit
    forgets its events but keeps other changes (the fake repositories are not transactional)."""

    def __init__(self) -> None:
        self.people = FakePersonRepository()
        self.projects = FakeProjectRepository()
        self.activity = FakeActivityRepository()
        self.risks = FakeRiskRepository()
        self.milestones: FakeMilestoneLookup = FakeMilestoneLookup()
        self.assessments = FakeAssessmentRepository()
        self.issues = FakeIssueRepository()
        self.commits = 0
        self._depth = 0
        self._pending: list[DomainEvent] = []

    async def __aenter__(self) -> Self:
        self._depth += 1
        return self

    def record(self, event: DomainEvent) -> None:
        self._pending.append(event)

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._depth -= 1
        if self._depth == 0:
            self._pending = []

    async def commit(self) -> None:
        if self._depth == 1:
            self.commits += 1
            self.activity.entries.extend(self._pending)
            self._pending = []
