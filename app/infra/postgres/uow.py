"""SqlUnitOfWork: one connection and one transaction per command.

On the read-only engine (``make_engine(read_only=True)``) it opens no transaction:
each query is one round trip, and ``commit`` refuses (a query never writes).

Nested ``async with`` blocks join the outermost transaction, and ``commit`` inside a
nested block is deferred to the outermost one. That lets an adapter wrap a use case
in a larger transaction (an idempotency claim and the command commit together).
Database failures leave the block as domain errors (see ``errors.translate``).
"""

from __future__ import annotations

from types import TracebackType
from typing import Self

from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from app.infra.postgres.activity import SqlActivityRepository
from app.infra.postgres.baselines import SqlBaselineRepository
from app.infra.postgres.dependencies import SqlDependencyRepository
from app.infra.postgres.errors import translate
from app.infra.postgres.idempotency import SqlIdempotencyStore
from app.infra.postgres.issues import SqlIssueRepository
from app.infra.postgres.ledger import SqlLedgerRepository
from app.infra.postgres.milestones import SqlMilestoneRepository
from app.infra.postgres.people import SqlPersonRepository
from app.infra.postgres.projects import SqlProjectRepository
from app.infra.postgres.risks import SqlAssessmentRepository, SqlRiskRepository


class SqlUnitOfWork:
    people: SqlPersonRepository
    projects: SqlProjectRepository
    activity: SqlActivityRepository
    idempotency: SqlIdempotencyStore
    risks: SqlRiskRepository
    assessments: SqlAssessmentRepository
    issues: SqlIssueRepository
    milestones: SqlMilestoneRepository
    dependencies: SqlDependencyRepository
    baselines: SqlBaselineRepository
    ledger: SqlLedgerRepository

    def __init__(self, engine: AsyncEngine, *, read_only: bool = False) -> None:
        """``read_only`` is for the read-only engine only (see the module docstring)."""
        self.engine = engine
        self.read_only = read_only
        self._depth = 0
        self._conn: AsyncConnection | None = None

    @property
    def connection(self) -> AsyncConnection:
        assert self._conn is not None, "use the unit of work inside 'async with'"
        return self._conn

    async def __aenter__(self) -> Self:
        self._depth += 1
        if self._depth == 1:
            try:
                self._conn = await self.engine.connect()
                if not self.read_only:
                    await self._conn.begin()
            except Exception as exc:
                self._depth = 0
                if self._conn is not None:
                    await self._conn.close()
                    self._conn = None
                mapped = translate(exc)
                if mapped is None:
                    raise
                raise mapped from exc
            self._bind(self._conn)
        return self

    def _bind(self, conn: AsyncConnection) -> None:
        self.people = SqlPersonRepository(conn)
        self.projects = SqlProjectRepository(conn)
        self.activity = SqlActivityRepository(conn)
        self.idempotency = SqlIdempotencyStore(conn)
        self.risks = SqlRiskRepository(conn)
        self.assessments = SqlAssessmentRepository(conn)
        self.issues = SqlIssueRepository(conn)
        self.milestones = SqlMilestoneRepository(conn)
        self.dependencies = SqlDependencyRepository(conn)
        self.baselines = SqlBaselineRepository(conn)
        self.ledger = SqlLedgerRepository(conn)

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

    async def commit(self) -> None:
        if self.read_only:
            raise RuntimeError("a read-only unit of work cannot commit: use the command engine")
        if self._depth == 1:
            await self.connection.commit()
