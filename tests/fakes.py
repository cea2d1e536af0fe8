"""In-memory Fake<Port> implementations, for fast unit tests of use cases and rules."""

from __future__ import annotations

from dataclasses import replace
from types import TracebackType
from typing import Any, Self
from uuid import UUID

from app.domain.common.errors import EmailTaken, KeyTaken
from app.domain.common.paging import Page, PageRequest, encode_cursor
from app.domain.common.ports import ActivityEntry
from app.domain.people.model import Person
from app.domain.projects.model import Project, ProjectFilter


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
    def __init__(self) -> None:
        self.entries: list[ActivityEntry] = []

    async def add(self, entry: ActivityEntry) -> None:
        self.entries.append(entry)

    async def list_for_project(
        self, org_id: str, project_id: UUID, page: PageRequest
    ) -> Page[ActivityEntry]:
        mine = [
            e for e in reversed(self.entries) if e.org_id == org_id and e.project_id == project_id
        ]
        return Page(mine[: page.limit], None, [str(i) for i in range(len(mine[: page.limit]))])


class FakeUnitOfWork:
    """Commits are counted; a block left without commit discards nothing (fakes are not transactional)."""

    def __init__(self) -> None:
        self.people = FakePersonRepository()
        self.projects = FakeProjectRepository()
        self.activity = FakeActivityRepository()
        self.commits = 0
        self._depth = 0

    async def __aenter__(self) -> Self:
        self._depth += 1
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._depth -= 1

    async def commit(self) -> None:
        if self._depth == 1:
            self.commits += 1
