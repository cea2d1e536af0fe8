"""Composition root: the one place that wires adapters to ports. Nothing runs at import."""

from __future__ import annotations

import asyncio
import gc
import logging
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from functools import partial
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from fastapi.routing import APIRoute
from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.middleware.cors import CORSMiddleware

from app.api.auth import Authenticator, JwtSettings
from app.api.container import Services
from app.api.cors import CORS_EXPOSED_HEADERS, CORS_METHODS, CORS_REQUEST_HEADERS
from app.api.graphql.extensions import DocumentCache
from app.api.graphql.schema import build_schema, graphql_routes
from app.api.http_semantics import HttpSemantics, by_version
from app.api.middleware import RequestContextMiddleware
from app.api.openapi_constraints import publish_constraints
from app.api.openapi_docs import TAGS, describe
from app.api.openapi_examples import add_examples
from app.api.openapi_headers import document_headers
from app.api.openapi_names import rename_enums
from app.api.openapi_operations import describe_operations, operation_id
from app.api.openapi_statuses import document_statuses
from app.api.rest import (
    assignments,
    closure,
    deliverables,
    events,
    forecast,
    health,
    issues,
    ledger,
    meetings,
    milestones,
    objectives,
    operations,
    people,
    problems,
    projects,
    risks,
    schedule,
    stakeholders,
    status_reports,
    webhooks,
    workload,
)
from app.api.retry import DatabaseRetry
from app.config import Settings
from app.domain.closure.gates import ClosureReportWritten
from app.domain.common.clock import Clock, SystemClock
from app.domain.deliverables.gates import DeliverablesDecided
from app.domain.ledger.gates import BudgetPositive, CurrencyFixedOnceLedgerUsed
from app.domain.milestones.gates import (
    CaptureBaselineOnExecution,
    MilestonesFinished,
    MilestoneWithDates,
)
from app.domain.objectives.gates import ObjectiveDefined
from app.domain.projects.gates import Gates, SponsorNamed
from app.domain.risks.gates import RiskRegisterReviewed
from app.domain.unit_of_work import CharterUnitOfWork
from app.infra.events import PgDoorbell, asyncpg_dsn
from app.infra.migrations.runner import is_current
from app.infra.postgres.engine import Timeouts, make_engine, make_probe_engine
from app.infra.postgres.pool_watch import watch_pool
from app.infra.postgres.uow import SqlUnitOfWork
from app.infra.webhook_worker import WebhookWorker
from app.metrics import Metrics
from app.tracing import instrument, tracing_requested

# Routes are matched in this order, one regex after another (FastAPI scans every route of
# every router before the one that matches, and the matching router's routes twice), so
# the busiest come first: reads of projects (a GET of one project sat behind 17 route
# checks, ~0.2 ms, a quarter of its CPU in process), then the ledger's posting, the
# busiest write (behind nine routers it lost 15% of its CPU). The probes and /metrics
# are a few requests a minute: last. No path of one router overlaps another's, except
# as noted.
ROUTERS = (
    projects.router,
    ledger.router,
    workload.router,  # before people: /people/available is not a person id
    people.router,
    risks.router,
    issues.router,
    milestones.router,
    schedule.router,
    forecast.router,
    objectives.router,
    deliverables.router,
    closure.router,
    assignments.router,
    stakeholders.router,
    meetings.router,
    health.router,
    status_reports.router,
    events.router,
    webhooks.router,
    operations.router,
)
# The app-wide error responses; openapi_statuses then keeps, per operation, those it answers
# (declaring them here keeps FastAPI from adding its own HTTPValidationError schema).
PROBLEM_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {
        "description": text,
        "content": {
            "application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}
        },
    }
    for status, text in (
        (401, "No or bad bearer token"),
        (403, "Role too low"),
        (404, "Not found (or another organization's)"),
        (409, "Conflicts with the current state"),
        (412, "Stale If-Match"),
        (422, "Invalid request"),
        (503, "Database unavailable"),
    )
}

PROBLEM_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["type", "title", "status", "code"],
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "code": {"type": "string"},
        "instance": {"type": "string"},
        "request_id": {"type": "string"},
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "description": "One invalid field",
                "properties": {
                    "field": {
                        "type": "string",
                        "description": "Where the field is, like body.name or query.limit",
                    },
                    "message": {"type": "string", "description": "What is wrong with it"},
                },
            },
        },
        "unmet": {
            "type": "array",
            "items": {
                "type": "object",
                "description": "One unmet gate condition",
                "properties": {
                    "gate": {"type": "string", "description": "The condition's stable name"},
                    "message": {"type": "string", "description": "Why it is not met"},
                },
            },
        },
    },
}

READY_MS = 800  # /readyz answers within a second, database or not


def timeouts(settings: Settings) -> Timeouts:
    """The configured bounds on waiting for the database (0 turns a server timeout off)."""
    return Timeouts(
        statement_ms=settings.db_statement_timeout_ms,
        lock_ms=settings.db_lock_timeout_ms,
        pool_ms=settings.db_pool_timeout_ms,
        connect_ms=settings.db_connect_timeout_ms,
    )


def build_gates() -> Gates[CharterUnitOfWork]:
    """Every capability's gate conditions and phase-entry hooks, in checklist order."""
    return Gates(
        conditions=[
            SponsorNamed(),
            ObjectiveDefined(),
            MilestoneWithDates(),
            BudgetPositive(),
            RiskRegisterReviewed(),
            MilestonesFinished(),
            DeliverablesDecided(),
            ClosureReportWritten(),
        ],
        hooks=[CaptureBaselineOnExecution()],
        update_guards=[CurrencyFixedOnceLedgerUsed()],
    )


def build_authenticator(settings: Settings) -> Authenticator:
    return Authenticator(
        JwtSettings(
            algorithm=settings.jwt_algorithm,
            issuer=settings.jwt_issuer,
            audience=settings.jwt_audience,
            secret=settings.resolved_jwt_secret(),
            public_key=settings.jwt_public_key,
            jwks_url=settings.jwt_jwks_url,
        )
    )


GC_YOUNG_THRESHOLD = 20_000


def create_app(
    settings: Settings,
    *,
    engine: AsyncEngine | None = None,
    read_engine: AsyncEngine | None = None,
    clock: Clock | None = None,
) -> FastAPI:
    """Wire the app. Queries run on ``read_engine`` (no transactions, writes refused).

    Without ``engine`` both engines are made from the settings, the read one with its own
    pool of read-only sessions. Given only ``engine``, queries share its pool in AUTOCOMMIT
    mode (the read-only units of work still refuse to commit).
    """
    owned = engine is None  # pools the app makes itself are the ones it reports on
    if engine is None:
        if not settings.database_url:
            raise RuntimeError(
                "DATABASE_URL is not set: start through 'charter serve' for the embedded server"
            )
        bounds = timeouts(settings)
        engine = make_engine(
            settings.database_url, pool_size=settings.db_pool_size, timeouts=bounds
        )
        if read_engine is None:
            read_engine = make_engine(
                settings.database_url,
                pool_size=settings.db_pool_size,
                read_only=True,
                timeouts=bounds,
            )
    if read_engine is None:
        read_engine = engine.execution_options(isolation_level="AUTOCOMMIT")
    db, reads = engine, read_engine
    # Readiness connects on its own, so a busy pool does not read as an outage, with a
    # short bound: /readyz follows the database within a second either way.
    probe = make_probe_engine(engine.url.render_as_string(hide_password=False), timeout_ms=READY_MS)
    doorbell = PgDoorbell(asyncpg_dsn(db.url.render_as_string(hide_password=False)))
    worker = WebhookWorker(
        db,
        allow_private=settings.webhooks_may_be_private,
        retry_scale=settings.webhook_retry_scale,
        poll_seconds=settings.webhook_poll_seconds,
        lease_seconds=settings.webhook_lease_seconds,
    )

    async def readiness() -> bool:
        return await asyncio.wait_for(is_current(probe), timeout=READY_MS / 1000)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        # Startup objects live as long as the process: freezing them keeps the full
        # collections a large request triggers short (GET /schedule of 2,000 milestones
        # went from ~210 ms to ~65 ms median in bench/schedule.py on a loaded machine).
        gc.collect()
        gc.freeze()
        # A young collection every 20,000 net allocations instead of 700: a wide read (the
        # portfolio's 45,000 rows) no longer pays ~60 of them, each walking its survivors
        # (the portfolio use case: 211-222 -> 192 ms of CPU in process, quiet machine).
        # Memory held meanwhile is a few MB at most; cycles are still collected.
        gc.set_threshold(GC_YOUNG_THRESHOLD, 10, 10)
        if settings.webhook_workers:
            worker.start()
        yield
        await worker.stop()
        app.state.metrics.close()
        await doorbell.aclose()
        await db.dispose()
        await reads.dispose()
        await probe.dispose()
        provider = getattr(app.state, "tracer_provider", None)
        if provider is not None:
            provider.shutdown()  # sends the spans still batched

    app = FastAPI(
        title="Charter API",
        version="1.0.0",
        description="The system of record for IT projects. Errors are RFC 9457 problem+json.",
        lifespan=lifespan,
        docs_url=None if settings.production else "/docs",
        redoc_url=None,
        responses=PROBLEM_RESPONSES,
        # A trailing-slash redirect would build its Location from the Host header: 404 instead.
        redirect_slashes=False,
        # verb + noun operationIds (listProjects): what generated clients name methods after.
        generate_unique_id_function=operation_id,
    )
    app.state.engine = engine
    app.state.read_engine = read_engine
    metrics = app.state.metrics = Metrics()
    if owned:
        # Tests hand one engine to many apps: listeners on it would pile up, one per app.
        for name, pooled in (("write", db), ("read", reads)):
            watch_pool(pooled, partial(metrics.pool, name))
    app.state.services = Services(
        uow=lambda: SqlUnitOfWork(db, ring=doorbell.ring),
        clock=clock or SystemClock(),
        gates=build_gates(),
        authenticator=build_authenticator(settings),
        readiness=readiness,
        production=settings.production,
        max_body_bytes=settings.max_body_bytes,
        read_uow=lambda: SqlUnitOfWork(reads, read_only=True),
        doorbell=doorbell,
        webhooks_uow=lambda: SqlUnitOfWork(db, ring=doorbell.ring),
        webhooks_may_be_private=settings.webhooks_may_be_private,
        require_if_match=settings.require_if_match,
    )
    problems.install(app)
    app.state.graphql_documents = DocumentCache()
    schema = build_schema(
        production=settings.production,
        max_depth=settings.graphql_max_depth,
        max_aliases=settings.graphql_max_aliases,
        max_tokens=settings.graphql_max_tokens,
        max_cost=settings.graphql_max_cost,
        documents=app.state.graphql_documents,
        metrics=app.state.metrics,
    )
    app.state.graphql_schema = schema
    # /graphql first: routes are matched in order, and no REST path overlaps it.
    app.router.routes.extend(
        graphql_routes(
            schema,
            production=settings.production,
            time_budget=settings.graphql_timeout_seconds,
            max_subscriptions=settings.ws_max_subscriptions,
            idle_seconds=settings.ws_idle_seconds,
        )
    )
    for router in ROUTERS:
        app.include_router(router)
    app.add_middleware(HttpSemantics)  # HEAD and If-None-Match, innermost: sees what routes answer
    app.add_middleware(DatabaseRetry)  # inside the request id: a retry keeps the request's id
    app.add_middleware(
        RequestContextMiddleware,
        metrics=app.state.metrics,
        max_body_bytes=settings.max_body_bytes,
        production=settings.production,
    )
    if settings.cors_origin_list:
        # Outermost: a preflight is answered before anything else, and every response,
        # refusals of the middleware inside included, carries the CORS headers.
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origin_list,
            allow_methods=CORS_METHODS,
            allow_headers=CORS_REQUEST_HEADERS,
            expose_headers=CORS_EXPOSED_HEADERS,
            max_age=600,
        )
    app.openapi = lambda: _openapi(app)  # type: ignore[method-assign]
    if tracing_requested(os.environ):
        instrument(app)  # off unless the standard OTEL_* variables ask (README "Operations")
    return app


def _openapi(app: FastAPI) -> dict[str, Any]:
    if app.openapi_schema:
        return app.openapi_schema
    doc = get_openapi(
        title=app.title, version=app.version, description=app.description, routes=app.routes
    )
    components = doc.setdefault("components", {})
    components.setdefault("securitySchemes", {})["bearer"] = {
        "type": "http",
        "scheme": "bearer",
        "bearerFormat": "JWT",
    }
    components.setdefault("schemas", {})["Problem"] = PROBLEM_SCHEMA
    for path, methods in doc.get("paths", {}).items():
        if path.startswith("/api/"):
            for operation in methods.values():
                operation["security"] = [{"bearer": []}]
    document_statuses(doc)
    publish_constraints(doc)
    conditional = {  # the routers' own routes: app.routes holds the included routers
        route.path
        for router in ROUTERS
        for route in router.routes
        if isinstance(route, APIRoute)
        and "GET" in (route.methods or ())
        and by_version(route.endpoint)
    }
    document_headers(doc, conditional)
    add_examples(doc)
    describe_operations(doc)
    describe(doc)
    doc["tags"] = [{"name": name, "description": text} for name, text in TAGS.items()]
    rename_enums(doc)
    app.openapi_schema = doc
    return doc


def app_factory() -> FastAPI:
    """Entry point for uvicorn workers (``charter serve`` sets DATABASE_URL before they start)."""
    logging.captureWarnings(True)  # a library's warning is a log line too
    return create_app(Settings())
