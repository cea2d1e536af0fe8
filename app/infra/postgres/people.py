"""SqlPersonRepository: the people register in PostgreSQL."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from sqlalchemy import func, insert, or_, select, update
from sqlalchemy.engine import Row
from sqlalchemy.ext.asyncio import AsyncConnection

from app.domain.common.paging import Page, PageRequest
from app.domain.people.model import Person
from app.infra.postgres.paging import keyset, to_page
from app.infra.postgres.tables import people

_COLUMNS = (
    "id",
    "org_id",
    "name",
    "email",
    "title",
    "weekly_capacity_hours",
    "user_sub",
    "version",
    "created_at",
    "updated_at",
)


def person_from_row(row: Row[Any]) -> Person:
    m = row._mapping
    return Person(**{c: m[c] for c in _COLUMNS})


def _values(person: Person) -> dict[str, Any]:
    return {c: getattr(person, c) for c in _COLUMNS}


class SqlPersonRepository:
    def __init__(self, conn: AsyncConnection) -> None:
        self.conn = conn

    async def add(self, person: Person) -> None:
        await self.conn.execute(insert(people).values(**_values(person)))

    async def get(self, org_id: str, person_id: UUID, *, for_update: bool = False) -> Person | None:
        stmt = select(people).where(people.c.org_id == org_id, people.c.id == person_id)
        if for_update:
            stmt = stmt.with_for_update()
        row = (await self.conn.execute(stmt)).first()
        return person_from_row(row) if row else None

    async def get_many(self, org_id: str, ids: list[UUID]) -> list[Person | None]:
        if not ids:
            return []
        stmt = select(people).where(people.c.org_id == org_id, people.c.id.in_(set(ids)))
        found = {r.id: person_from_row(r) for r in await self.conn.execute(stmt)}
        return [found.get(i) for i in ids]

    async def get_by_sub(self, org_id: str, sub: str) -> Person | None:
        stmt = select(people).where(people.c.org_id == org_id, people.c.user_sub == sub)
        row = (await self.conn.execute(stmt)).first()
        return person_from_row(row) if row else None

    def _search(self, stmt: Any, org_id: str, q: str | None) -> Any:
        stmt = stmt.where(people.c.org_id == org_id)
        if q:
            pattern = f"%{_escape_like(q)}%"
            stmt = stmt.where(or_(people.c.name.ilike(pattern), people.c.email.ilike(pattern)))
        return stmt

    async def list(self, org_id: str, page: PageRequest, q: str | None = None) -> Page[Person]:
        stmt = self._search(select(people), org_id, q)
        columns = [people.c.name, people.c.id]
        rows = (await self.conn.execute(keyset(stmt, columns, False, page))).all()
        return to_page(rows, page, columns, person_from_row)

    async def update(self, person: Person) -> None:
        values = _values(person)
        await self.conn.execute(
            update(people)
            .where(people.c.org_id == person.org_id, people.c.id == person.id)
            .values(**values)
        )

    async def count(self, org_id: str, q: str | None = None) -> int:
        stmt = self._search(select(func.count()).select_from(people), org_id, q)
        return int((await self.conn.execute(stmt)).scalar_one())


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
