"""Objectives, key results and check-ins in PostgreSQL."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import Column, insert, select, update
from sqlalchemy.engine import Row
from sqlalchemy.ext.asyncio import AsyncConnection

from app.domain.common.paging import Page, PageRequest
from app.domain.objectives.model import CheckIn, KeyResult, Objective
from app.infra.postgres.paging import pages_per_group
from app.infra.postgres.tables import key_result_check_ins, key_results, objectives

_OBJ = tuple(c.name for c in objectives.columns)
_KR = tuple(c.name for c in key_results.columns)
_CI = tuple(c.name for c in key_result_check_ins.columns)
_OBJ_ORDER: list[Column[Any]] = [objectives.c.created_at, objectives.c.id]
_CI_ORDER: list[Column[Any]] = [key_result_check_ins.c.at, key_result_check_ins.c.id]


def _objective(row: Row[Any]) -> Objective:
    return Objective(**{c: row._mapping[c] for c in _OBJ})


def _key_result(row: Row[Any]) -> KeyResult:
    return KeyResult(**{c: row._mapping[c] for c in _KR})


def _check_in(row: Row[Any]) -> CheckIn:
    return CheckIn(**{c: row._mapping[c] for c in _CI})


class SqlObjectiveRepository:
    def __init__(self, conn: AsyncConnection) -> None:
        self.conn = conn

    async def add(self, objective: Objective) -> None:
        await self.conn.execute(
            insert(objectives).values(**{c: getattr(objective, c) for c in _OBJ})
        )

    async def get(
        self, org_id: str, objective_id: UUID, *, for_update: bool = False
    ) -> Objective | None:
        o = objectives.c
        stmt = select(objectives).where(
            o.org_id == org_id, o.id == objective_id, o.deleted_at.is_(None)
        )
        if for_update:
            stmt = stmt.with_for_update()
        row = (await self.conn.execute(stmt)).first()
        return _objective(row) if row else None

    async def update(self, objective: Objective) -> None:
        o = objectives.c
        await self.conn.execute(
            update(objectives)
            .where(o.org_id == objective.org_id, o.id == objective.id)
            .values(**{c: getattr(objective, c) for c in _OBJ})
        )

    def _live(self, org_id: str, project_ids: list[UUID]) -> Any:
        o = objectives.c
        return select(objectives).where(
            o.org_id == org_id, o.project_id.in_(set(project_ids)), o.deleted_at.is_(None)
        )

    async def pages_for_projects(
        self, org_id: str, project_ids: list[UUID], page: PageRequest
    ) -> dict[UUID, Page[Objective]]:
        return await pages_per_group(
            self.conn, self._live(org_id, project_ids), objectives.c.project_id, project_ids,
            _OBJ_ORDER, False, page, _objective,
        )  # fmt: skip

    async def all_for_projects(
        self, org_id: str, project_ids: list[UUID]
    ) -> dict[UUID, list[Objective]]:
        found: dict[UUID, list[Objective]] = {p: [] for p in project_ids}
        if project_ids:
            stmt = self._live(org_id, project_ids).order_by(*_OBJ_ORDER)
            for row in await self.conn.execute(stmt):
                found[row.project_id].append(_objective(row))
        return found


class SqlKeyResultRepository:
    def __init__(self, conn: AsyncConnection) -> None:
        self.conn = conn

    async def add(self, key_result: KeyResult) -> None:
        values = {c: getattr(key_result, c) for c in _KR}
        await self.conn.execute(insert(key_results).values(**values))

    async def get(
        self, org_id: str, key_result_id: UUID, *, for_update: bool = False
    ) -> KeyResult | None:
        k = key_results.c
        stmt = select(key_results).where(k.org_id == org_id, k.id == key_result_id)
        if for_update:
            stmt = stmt.with_for_update()
        row = (await self.conn.execute(stmt)).first()
        return _key_result(row) if row else None

    async def update(self, key_result: KeyResult) -> None:
        k = key_results.c
        await self.conn.execute(
            update(key_results)
            .where(k.org_id == key_result.org_id, k.id == key_result.id)
            .values(**{c: getattr(key_result, c) for c in _KR})
        )

    async def for_objectives(
        self, org_id: str, objective_ids: list[UUID]
    ) -> dict[UUID, list[KeyResult]]:
        found: dict[UUID, list[KeyResult]] = {o: [] for o in objective_ids}
        if objective_ids:
            k = key_results.c
            stmt = (
                select(key_results)
                .where(
                    k.org_id == org_id,
                    k.objective_id.in_(set(objective_ids)),
                    k.deleted_at.is_(None),
                )
                .order_by(k.created_at, k.id)
            )
            for row in await self.conn.execute(stmt):
                found[row.objective_id].append(_key_result(row))
        return found

    async def delete_of_objective(self, org_id: str, objective_id: UUID, at: datetime) -> None:
        k = key_results.c
        await self.conn.execute(
            update(key_results)
            .where(k.org_id == org_id, k.objective_id == objective_id, k.deleted_at.is_(None))
            .values(deleted_at=at, updated_at=at, version=k.version + 1)
        )


class SqlCheckInRepository:
    def __init__(self, conn: AsyncConnection) -> None:
        self.conn = conn

    async def add(self, check_in: CheckIn) -> None:
        values = {c: getattr(check_in, c) for c in _CI}
        await self.conn.execute(insert(key_result_check_ins).values(**values))

    async def pages_for_key_results(
        self, org_id: str, key_result_ids: list[UUID], page: PageRequest
    ) -> dict[UUID, Page[CheckIn]]:
        c = key_result_check_ins.c
        stmt = select(key_result_check_ins).where(
            c.org_id == org_id, c.key_result_id.in_(set(key_result_ids))
        )
        return await pages_per_group(
            self.conn, stmt, c.key_result_id, key_result_ids, _CI_ORDER, True, page, _check_in
        )
