"""The GraphQL schema: every capability's queries and mutations merged, with limits."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import strawberry
from cross_web import HTTPException
from graphql import ASTValidationRule, GraphQLError
from graphql.validation import NoSchemaIntrospectionCustomRule
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route, WebSocketRoute
from starlette.types import Receive, Scope, Send
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.extensions import SchemaExtension
from strawberry.extensions.max_aliases import create_validator as max_aliases_rule
from strawberry.extensions.query_depth_limiter import create_validator as max_depth_rule
from strawberry.http import GraphQLHTTPResponse
from strawberry.schema.config import StrawberryConfig
from strawberry.subscriptions import GRAPHQL_TRANSPORT_WS_PROTOCOL
from strawberry.tools import merge_types
from strawberry.types import ExecutionContext as StrawberryContext
from strawberry.types import ExecutionResult

from app.api.graphql.closure import ClosureMutation, ClosureQuery
from app.api.graphql.common import (
    DecimalString,
    DomainErrors,
    extension_code,
    tag_error,
    unexpected,
)
from app.api.graphql.context import Context
from app.api.graphql.deliverables import DeliverablesMutation, DeliverablesQuery
from app.api.graphql.descriptions import describe
from app.api.graphql.events import EventsQuery
from app.api.graphql.executor import ExecutionContext
from app.api.graphql.extensions import DocumentCache, OperationPlumbing
from app.api.graphql.guards import NoUnsafeStrings
from app.api.graphql.issues import IssuesMutation
from app.api.graphql.ledger import LedgerMutation
from app.api.graphql.live import LiveConnections
from app.api.graphql.lookups import LookupsQuery
from app.api.graphql.milestone_mutations import MilestonesMutation
from app.api.graphql.objective_mutations import ObjectivesMutation
from app.api.graphql.people import PeopleMutation, PeopleQuery
from app.api.graphql.portfolio import PortfolioQuery
from app.api.graphql.project_mutations import ProjectsMutation
from app.api.graphql.projects import ProjectsQuery
from app.api.graphql.risk_mutations import RisksMutation
from app.api.graphql.scalars import SafeDate
from app.api.graphql.status_reports import StatusReportsMutation
from app.api.graphql.subscriptions import Subscription
from app.api.graphql.team_mutations import TeamMutation
from app.api.graphql.team_queries import TeamQuery
from app.domain.common.errors import DomainError
from app.metrics import Metrics

log = logging.getLogger("charter.graphql")
SUGGESTION = "Did you mean"

Query = merge_types(
    "Query",
    (
        PeopleQuery,
        ProjectsQuery,
        LookupsQuery,
        DeliverablesQuery,
        ClosureQuery,
        TeamQuery,
        PortfolioQuery,
        EventsQuery,
    ),
)
Mutation = merge_types(
    "Mutation",
    (
        PeopleMutation,
        ProjectsMutation,
        RisksMutation,
        IssuesMutation,
        MilestonesMutation,
        LedgerMutation,
        ObjectivesMutation,
        DeliverablesMutation,
        ClosureMutation,
        TeamMutation,
        StatusReportsMutation,
    ),
)


def build_schema(
    *,
    production: bool = False,
    max_depth: int = 12,
    max_aliases: int = 30,
    max_tokens: int = 5_000,
    max_cost: int = 25_000,
    documents: DocumentCache | None = None,
    metrics: Metrics | None = None,
) -> strawberry.Schema:
    # The validation rules of QueryDepthLimiter, MaxAliasesLimiter and DisableIntrospection,
    # in that order, built once (those extensions build new rule classes per request).
    rules: tuple[type[ASTValidationRule], ...] = (
        max_depth_rule(max_depth, None, None),
        max_aliases_rule(max_aliases),
        NoUnsafeStrings,
    )
    if production:
        rules += (NoSchemaIntrospectionCustomRule,)
    cache = documents if documents is not None else DocumentCache()
    # Factories, so each request gets fresh extension instances (the cache is shared).
    extensions: list[Callable[[], SchemaExtension]] = [
        lambda: OperationPlumbing(cache, rules, max_tokens, max_cost, metrics),
        DomainErrors,
    ]
    return CharterSchema(
        production=production,
        query=Query,
        mutation=Mutation,
        subscription=Subscription,
        extensions=extensions,
        execution_context_class=ExecutionContext,
        config=StrawberryConfig(disable_field_suggestions=True),
        scalar_overrides={Decimal: DecimalString, date: SafeDate},
    )


class CharterSchema(strawberry.Schema):
    """Strawberry's schema, logging expected errors as one short line (no query text)."""

    def __init__(self, *, production: bool, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.production = production
        describe(self._schema)  # every type, field, argument and value (descriptions.py)

    def process_errors(
        self, errors: list[GraphQLError], execution_context: StrawberryContext | None = None
    ) -> None:
        for error in errors:
            if self.production and SUGGESTION in error.message:
                # Suggestions name the schema's arguments, types and values to strangers.
                error.message = error.message.split(SUGGESTION)[0].strip()
            original = error.original_error
            if unexpected(error):
                log.error("unexpected GraphQL error", exc_info=original)
                continue
            code = (error.extensions or {}).get("code") or (
                extension_code(original) if isinstance(original, DomainError) else None
            )
            log.info("graphql error %s: %s", code or "GRAPHQL_VALIDATION", error.message[:200])


class GraphQLEndpoint(LiveConnections, GraphQL[Context, None]):
    """``/graphql`` as a plain ASGI endpoint, outside FastAPI's routing and dependency
    solving (strawberry's FastAPI router nests four dependencies per request, a third of a
    small query's time). Behaviour is strawberry's own HTTP handling either way; the
    request-id, body-limit and metrics middleware wrap it like every route."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        scope["route"] = self.route  # the metrics' route label, as FastAPI sets it
        if scope["type"] == "websocket":  # subscriptions: see live.py
            await self.run(WebSocket(scope, receive=receive, send=send))
            return
        try:
            response = await self.run(Request(scope, receive))
        except HTTPException as e:
            # A transport error (no query, unparsable JSON, a GET in production, ...):
            # raised again for the app's handler, which answers it as problem+json.
            raise StarletteHTTPException(e.status_code, e.reason) from None
        await response(scope, receive, send)

    def decode_json(self, data: str | bytes) -> object:
        """Bodies deeper than 64 levels are refused by the middleware; this guards the rest
        (a GET's variables in development) against the parser's recursion limit."""
        try:
            return json.loads(data)
        except RecursionError:
            raise HTTPException(400, "The JSON is nested too deeply") from None

    async def execute_single(self, *args: Any, **kwargs: Any) -> ExecutionResult:
        """Run one operation within the time budget; past it, an error and nothing more."""
        try:
            async with asyncio.timeout(self.time_budget):
                return await super().execute_single(*args, **kwargs)
        except TimeoutError:
            log.info("graphql error TIMEOUT: over %s s", self.time_budget)
            error = GraphQLError(
                f"The operation took longer than its budget of {self.time_budget:g} s",
                extensions={"code": "TIMEOUT"},
            )
            return ExecutionResult(data=None, errors=[error])

    async def process_result(
        self, request: Request, result: ExecutionResult
    ) -> GraphQLHTTPResponse:
        """Every error carries ``extensions.code`` and the request's ``extensions.requestId``
        (the ``X-Request-ID`` of the response), validation and syntax errors included."""
        response = await super().process_result(request, result)
        errors = response.get("errors") if isinstance(response, dict) else None
        if errors:
            request_id = getattr(request.state, "request_id", None)
            for error in errors:
                if isinstance(error, dict):
                    tag_error(error, request_id)
        return response

    async def get_context(
        self, request: Request | WebSocket, response: Response | WebSocket
    ) -> Context:
        return Context(request.app.state.services, request)

    route: Route
    time_budget: float = 10.0


def graphql_routes(
    schema: strawberry.Schema,
    *,
    production: bool,
    time_budget: float = 10.0,
    max_subscriptions: int = 20,
    idle_seconds: float = 60.0,
) -> list[Route | WebSocketRoute]:
    """``/graphql`` over HTTP, and over WebSocket (graphql-transport-ws) for subscriptions."""
    endpoint = GraphQLEndpoint(
        schema,
        graphql_ide=None if production else "graphiql",
        allow_queries_via_get=not production,
        subscription_protocols=(GRAPHQL_TRANSPORT_WS_PROTOCOL,),
        connection_init_wait_timeout=timedelta(seconds=10),
        max_subscriptions_per_connection=max_subscriptions,
    )
    endpoint.time_budget = time_budget
    endpoint.idle_seconds = idle_seconds
    route = Route("/graphql", endpoint, methods=["GET", "POST"], include_in_schema=False)
    endpoint.route = route
    return [route, WebSocketRoute("/graphql", endpoint)]
