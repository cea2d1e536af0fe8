"""The Postgres unit of work: events commit with their change, and a lone statement commits alone."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from app.domain.common.clock import FixedClock
from app.domain.common.errors import LedgerNegativeTotal
from app.domain.common.events import Subject, event
from app.domain.common.principal import Principal, Role
from app.domain.ledger import service as ledger
from app.domain.ledger.model import Category, EntryKind
from app.domain.projects import service as projects
from app.domain.projects.model import BusinessArea
from app.infra.postgres.uow import SqlUnitOfWork

CLOCK = FixedClock(datetime(2027, 2, 1, 9, 0, tzinfo=UTC))


def _admin() -> Principal:
    return Principal("boss", f"org-{uuid.uuid4().hex[:8]}", frozenset({Role.ADMIN}))


async def _events(engine: AsyncEngine, org: str) -> list[tuple[str, str, uuid.UUID]]:
    async with engine.connect() as conn:
        rows = await conn.execute(
            text(
                "SELECT action, entity_type, entity_id FROM project_activity "
                "WHERE org_id = :org ORDER BY seq"
            ),
            {"org": org},
        )
        return [(r.action, r.entity_type, r.entity_id) for r in rows]


async def _project(engine: AsyncEngine, boss: Principal) -> uuid.UUID:
    cmd = projects.CreateProject("UOW", "Unit of work", BusinessArea.OTHER, "EUR")
    project = await projects.create_project(
        cmd, uow=SqlUnitOfWork(engine), principal=boss, clock=CLOCK
    )
    return project.id


async def test_a_use_cases_events_are_written_with_its_commit(engine: AsyncEngine) -> None:
    boss = _admin()
    project_id = await _project(engine, boss)
    assert await _events(engine, boss.org) == [("project.created", "project", project_id)]


async def test_a_block_left_without_commit_writes_neither_change_nor_event(
    engine: AsyncEngine,
) -> None:
    boss = _admin()
    project_id = await _project(engine, boss)
    with pytest.raises(RuntimeError):
        async with SqlUnitOfWork(engine) as uow:
            await uow.projects.get(boss.org, project_id, for_update=True)
            uow.record(
                event("project.poked", Subject("project", project_id), {}, project_id=project_id,
                      principal=boss, at=CLOCK.now())
            )  # fmt: skip
            async with uow:  # an inner commit waits for the outer block
                await uow.commit()
            raise RuntimeError("the command fails after recording")
    assert [e[0] for e in await _events(engine, boss.org)] == ["project.created"]


async def _visible_elsewhere(engine: AsyncEngine, marker: str) -> bool:
    async with engine.connect() as other:
        found = await other.execute(
            text("SELECT 1 FROM idempotency_keys WHERE org_id = :m"), {"m": marker}
        )
        return found.first() is not None


INSERT = text(
    "INSERT INTO idempotency_keys (org_id, key, request_hash, created_at) "
    "VALUES (:m, 'k', 'h', now())"
)


async def test_execute_alone_commits_by_itself_when_it_is_the_commands_first_statement(
    engine: AsyncEngine,
) -> None:
    marker = f"alone-{uuid.uuid4().hex[:8]}"
    async with SqlUnitOfWork(engine) as uow:
        assert await uow.execute_alone(INSERT, {"m": marker}) is None
        # Committed already: another connection sees it before this block ends.
        assert await _visible_elsewhere(engine, marker)
        await uow.projects.get(marker, uuid.uuid4())  # and the connection goes on working


async def test_execute_alone_joins_the_transaction_once_the_command_has_sent_something(
    engine: AsyncEngine,
) -> None:
    marker = f"joined-{uuid.uuid4().hex[:8]}"
    async with SqlUnitOfWork(engine) as uow:
        await uow.projects.get(marker, uuid.uuid4())
        assert await uow.execute_alone(INSERT, {"m": marker}) is None
        assert not await _visible_elsewhere(engine, marker)
        await uow.commit()
    assert await _visible_elsewhere(engine, marker)


async def test_execute_alone_joins_the_transaction_when_events_wait_to_be_written(
    engine: AsyncEngine,
) -> None:
    boss, marker = _admin(), f"pending-{uuid.uuid4().hex[:8]}"
    project_id = await _project(engine, boss)
    with pytest.raises(RuntimeError):
        async with SqlUnitOfWork(engine) as uow:
            uow.record(
                event("project.poked", Subject("project", project_id), {}, project_id=project_id,
                      principal=boss, at=CLOCK.now())
            )  # fmt: skip
            assert await uow.execute_alone(INSERT, {"m": marker}) is None
            raise RuntimeError("rolled back: the statement must go with the event")
    assert not await _visible_elsewhere(engine, marker)


async def test_a_posting_writes_its_event_in_its_own_statement_and_a_refused_one_writes_neither(
    engine: AsyncEngine,
) -> None:
    boss = _admin()
    project_id = await _project(engine, boss)

    def cmd(kind: EntryKind, amount: str) -> ledger.PostEntry:
        return ledger.PostEntry(project_id, kind, Category.LABOUR, amount, date(2027, 1, 10))

    budget = await ledger.post_entry(
        cmd(EntryKind.BUDGET, "1000.00"), uow=SqlUnitOfWork(engine), principal=boss, clock=CLOCK
    )
    actual = await ledger.post_entry(
        cmd(EntryKind.ACTUAL, "250.00"), uow=SqlUnitOfWork(engine), principal=boss, clock=CLOCK
    )
    with pytest.raises(LedgerNegativeTotal):
        await ledger.post_entry(
            cmd(EntryKind.BUDGET, "-5000.00"), uow=SqlUnitOfWork(engine), principal=boss,
            clock=CLOCK,
        )  # fmt: skip
    assert await _events(engine, boss.org) == [
        ("project.created", "project", project_id),
        ("ledger_entry.posted", "ledger_entry", budget.id),
        ("ledger_entry.posted", "ledger_entry", actual.id),
    ]
    async with SqlUnitOfWork(engine) as uow:
        totals = await uow.ledger.totals(boss.org, project_id)
    assert (totals.budget, totals.actual) == (Decimal("1000.00"), Decimal("250.00"))


async def test_the_doorbell_is_rung_after_a_commit_that_wrote_events_and_never_for_a_rollback(
    engine: AsyncEngine,
) -> None:
    boss = _admin()
    rung: list[str] = []

    def uow() -> SqlUnitOfWork:
        return SqlUnitOfWork(engine, ring=rung.append)

    cmd = projects.CreateProject("RNG", "Rings", BusinessArea.OTHER, "EUR")
    project = await projects.create_project(cmd, uow=uow(), principal=boss, clock=CLOCK)
    assert rung == [boss.org]  # after the commit, once for its organization
    post = ledger.PostEntry(project.id, EntryKind.BUDGET, Category.LABOUR, "10.00",
                            date(2027, 1, 10))  # fmt: skip
    await ledger.post_entry(post, uow=uow(), principal=boss, clock=CLOCK)
    assert rung == [boss.org] * 2  # the posting commits alone (autocommit) and rings
    with pytest.raises(RuntimeError):
        async with uow() as work:
            work.record(
                event("project.poked", Subject("project", project.id), {},
                      project_id=project.id, principal=boss, at=CLOCK.now())
            )  # fmt: skip
            raise RuntimeError("rolled back")
    async with uow() as work:  # a command that writes no event rings nothing
        await work.projects.get(boss.org, project.id)
        await work.commit()
    assert rung == [boss.org] * 2
