"""SqlUnitOfWork: one connection and one transaction per command.

The transaction begins with the command's first statement (SQLAlchemy's autobegin), so
``execute_alone`` can tell whether the command has sent anything yet: a command whose
only write is one statement (a ledger posting) runs it on its own, in autocommit, with
no BEGIN and COMMIT round trips.

Events a use case records (``record``) are written by ``commit``, in the transaction,
before it commits; a repository whose statement writes its own event (the posting)
takes it first with ``take_event``. Leaving the block without commit forgets them.
Once events have committed, ``ring`` (the process's doorbell) is told which
organizations have new ones; nothing is rung for a rollback.

On the read-only engine (``make_engine(read_only=True)``) every statement runs on its
own: each query is one round trip, and ``commit`` refuses (a query never writes).

Nested ``async with`` blocks join the outermost transaction, and ``commit`` inside a
nested block is deferred to the outermost one. That lets an adapter wrap a use case
in a larger transaction (an idempotency claim and the command commit together).
Database failures leave the block as domain errors (see ``errors.translate``).
"""

from __future__ import annotations

from collections.abc import Callable
from types import TracebackType
from typing import Any, Generic, Self, TypeVar, overload
from uuid import UUID

from sqlalchemy import Executable
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from app.domain.common.events import DomainEvent
from app.infra.postgres import raw
from app.infra.postgres.activity import SqlActivityRepository
from app.infra.postgres.assignments import SqlAssignmentRepository
from app.infra.postgres.baselines import SqlBaselineRepository
from app.infra.postgres.closure import SqlClosureReportRepository
from app.infra.postgres.deliverables import SqlDecisionRepository, SqlDeliverableRepository
from app.infra.postgres.dependencies import SqlDependencyRepository
from app.infra.postgres.errors import translate
from app.infra.postgres.idempotency import SqlIdempotencyStore
from app.infra.postgres.issues import SqlIssueRepository
from app.infra.postgres.ledger import SqlLedgerRepository
from app.infra.postgres.meetings import SqlActionItemRepository, SqlMeetingRepository
from app.infra.postgres.milestones import SqlMilestoneRepository
from app.infra.postgres.objectives import (
    SqlCheckInRepository,
    SqlKeyResultRepository,
    SqlObjectiveRepository,
)
from app.infra.postgres.people import SqlPersonRepository
from app.infra.postgres.projects import SqlProjectRepository
from app.infra.postgres.risks import SqlAssessmentRepository, SqlRiskRepository
from app.infra.postgres.stakeholders import SqlStakeholderRepository
from app.infra.postgres.status_reports import SqlStatusReportRepository
from app.infra.postgres.webhooks import SqlWebhookRepository

R = TypeVar("R")


class _Repository(Generic[R]):
    """A repository made on first use in a unit of work's block, then kept on the instance."""

    def __init__(self, make: Callable[[SqlUnitOfWork], R]) -> None:
        self.make = make

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    @overload
    def __get__(self, uow: None, owner: type) -> Self: ...
    @overload
    def __get__(self, uow: SqlUnitOfWork, owner: type) -> R: ...
    def __get__(self, uow: SqlUnitOfWork | None, owner: type) -> R | Self:
        if uow is None:
            return self
        repository = self.make(uow)  # `connection` refuses use outside the block
        vars(uow)[self.name] = repository  # a non-data descriptor: the instance wins from now
        return repository


class SqlUnitOfWork:
    # Each repository is made on first use in a block, on the block's connection (a
    # posting touches two of the 23: making them all cost ~5% of its CPU).
    people = _Repository(lambda uow: SqlPersonRepository(uow.connection))
    projects = _Repository(lambda uow: SqlProjectRepository(uow.connection))
    activity = _Repository(lambda uow: SqlActivityRepository(uow.connection))
    idempotency = _Repository(lambda uow: SqlIdempotencyStore(uow.connection))
    risks = _Repository(lambda uow: SqlRiskRepository(uow.connection))
    assessments = _Repository(lambda uow: SqlAssessmentRepository(uow.connection))
    issues = _Repository(lambda uow: SqlIssueRepository(uow.connection))
    milestones = _Repository(lambda uow: SqlMilestoneRepository(uow.connection))
    dependencies = _Repository(lambda uow: SqlDependencyRepository(uow.connection))
    baselines = _Repository(lambda uow: SqlBaselineRepository(uow.connection))
    ledger = _Repository(lambda uow: SqlLedgerRepository(uow.connection, uow))
    objectives = _Repository(lambda uow: SqlObjectiveRepository(uow.connection))
    key_results = _Repository(lambda uow: SqlKeyResultRepository(uow.connection))
    check_ins = _Repository(lambda uow: SqlCheckInRepository(uow.connection))
    deliverables = _Repository(lambda uow: SqlDeliverableRepository(uow.connection))
    decisions = _Repository(lambda uow: SqlDecisionRepository(uow.connection))
    closure_reports = _Repository(lambda uow: SqlClosureReportRepository(uow.connection))
    assignments = _Repository(lambda uow: SqlAssignmentRepository(uow.connection))
    stakeholders = _Repository(lambda uow: SqlStakeholderRepository(uow.connection))
    meetings = _Repository(lambda uow: SqlMeetingRepository(uow.connection))
    action_items = _Repository(lambda uow: SqlActionItemRepository(uow.connection))
    webhooks = _Repository(lambda uow: SqlWebhookRepository(uow.connection))
    status_reports = _Repository(lambda uow: SqlStatusReportRepository(uow.connection))

    def __init__(
        self,
        engine: AsyncEngine,
        *,
        read_only: bool = False,
        ring: Callable[[str], None] | None = None,
    ) -> None:
        """``read_only`` is for the read-only engine only (see the module docstring)."""
        self.engine = engine
        self.read_only = read_only
        self._ring = ring
        self._depth = 0
        self._conn: AsyncConnection | None = None
        self._events: list[DomainEvent] = []
        self._orgs: set[str] = set()  # of the events written, rung once they commit

    @property
    def connection(self) -> AsyncConnection:
        assert self._conn is not None, "use the unit of work inside 'async with'"
        return self._conn

    async def __aenter__(self) -> Self:
        self._depth += 1
        if self._depth == 1:
            self._events, self._orgs = [], set()
            try:
                self._conn = await self.engine.connect()
            except Exception as exc:
                self._depth = 0
                mapped = translate(exc)
                if mapped is None:
                    raise
                raise mapped from exc
            self._forget_repositories()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._depth -= 1
        if self._depth > 0:
            return
        conn, self._conn = self._conn, None
        self._events, self._orgs = [], set()  # uncommitted: they never happened
        self._forget_repositories()
        assert conn is not None
        try:
            # A read-only connection has no transaction on the server: close() is enough.
            if not self.read_only and conn.in_transaction():
                await conn.rollback()
        except Exception:  # noqa: S110 - the connection is discarded below either way
            pass
        finally:
            await conn.close()
        if exc is not None:
            mapped = translate(exc)
            if mapped is not None:
                raise mapped from exc

    def _forget_repositories(self) -> None:
        made = vars(self)
        for name in _REPOSITORIES & made.keys():
            del made[name]

    def record(self, event: DomainEvent) -> None:
        if self.read_only:
            raise RuntimeError("a read-only unit of work records no events")
        self._events.append(event)

    def take_event(self, subject_id: UUID) -> DomainEvent | None:
        """Hand a repository the pending event about ``subject_id``, to write with its statement."""
        for i, event in enumerate(self._events):
            if event.subject.id == subject_id:
                self._orgs.add(event.org)
                return self._events.pop(i)
        return None

    async def execute_alone(self, stmt: Executable, params: dict[str, Any]) -> Any:
        """Run ``stmt`` as its own transaction when it is all this command writes so far,
        and return the first column of its first row (None without one).

        That is when the command has sent nothing yet and has no events left to write:
        then it goes straight to the driver, outside any transaction, so it commits by
        itself (autocommit) and holds its locks for this statement only (see
        ``raw.fetchval``). Otherwise it runs in the command's transaction like any other
        statement.
        """
        conn = self.connection
        if self.read_only or self._depth > 1 or conn.in_transaction() or self._events:
            result = await conn.execute(stmt, params)
            return result.scalar() if result.returns_rows else None
        value = await raw.fetchval(conn, stmt, params)
        self._committed()
        return value

    def _committed(self) -> None:
        orgs, self._orgs = self._orgs, set()
        if self._ring is not None:
            for org in orgs:
                self._ring(org)

    async def commit(self) -> None:
        if self.read_only:
            raise RuntimeError("a read-only unit of work cannot commit: use the command engine")
        if self._depth == 1:
            if self._events:
                events, self._events = self._events, []
                self._orgs.update(e.org for e in events)
                await self.activity.add_many(events)
            await self.connection.commit()
            self._committed()


_REPOSITORIES = frozenset(
    name for name, value in vars(SqlUnitOfWork).items() if isinstance(value, _Repository)
)
