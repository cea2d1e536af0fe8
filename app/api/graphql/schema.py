"""The GraphQL schema: every capability's queries and mutations merged, with limits."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import strawberry
from graphql import ASTValidationRule
from graphql.validation import NoSchemaIntrospectionCustomRule
from strawberry.extensions import SchemaExtension
from strawberry.extensions.max_aliases import create_validator as max_aliases_rule
from strawberry.extensions.query_depth_limiter import create_validator as max_depth_rule
from strawberry.fastapi import GraphQLRouter
from strawberry.schema.config import StrawberryConfig
from strawberry.tools import merge_types

from app.api.graphql.common import DecimalString, DomainErrors
from app.api.graphql.context import context_getter
from app.api.graphql.executor import ExecutionContext
from app.api.graphql.extensions import DocumentCache, OperationPlumbing
from app.api.graphql.issues import IssuesMutation
from app.api.graphql.ledger import LedgerMutation
from app.api.graphql.milestones import MilestonesMutation
from app.api.graphql.people import PeopleMutation, PeopleQuery
from app.api.graphql.projects import ProjectsMutation, ProjectsQuery
from app.api.graphql.risk_mutations import RisksMutation

Query = merge_types("Query", (PeopleQuery, ProjectsQuery))
Mutation = merge_types(
    "Mutation",
    (
        PeopleMutation,
        ProjectsMutation,
        RisksMutation,
        IssuesMutation,
        MilestonesMutation,
        LedgerMutation,
    ),
)


def build_schema(
    *,
    production: bool = False,
    max_depth: int = 12,
    max_aliases: int = 30,
    max_tokens: int = 5_000,
    documents: DocumentCache | None = None,
) -> strawberry.Schema:
    # The validation rules of QueryDepthLimiter, MaxAliasesLimiter and DisableIntrospection,
    # in that order, built once (those extensions build new rule classes per request).
    rules: tuple[type[ASTValidationRule], ...] = (
        max_depth_rule(max_depth, None, None),
        max_aliases_rule(max_aliases),
    )
    if production:
        rules += (NoSchemaIntrospectionCustomRule,)
    cache = documents if documents is not None else DocumentCache()
    # Factories, so each request gets fresh extension instances (the cache is shared).
    extensions: list[Callable[[], SchemaExtension]] = [
        lambda: OperationPlumbing(cache, rules, max_tokens),
        DomainErrors,
    ]
    return strawberry.Schema(
        query=Query,
        mutation=Mutation,
        extensions=extensions,
        execution_context_class=ExecutionContext,
        config=StrawberryConfig(disable_field_suggestions=True),
        scalar_overrides={Decimal: DecimalString},
    )


def graphql_router(schema: strawberry.Schema, *, production: bool) -> GraphQLRouter[Any, None]:
    return GraphQLRouter(
        schema,
        path="/graphql",
        graphql_ide=None if production else "graphiql",
        allow_queries_via_get=not production,
        context_getter=context_getter,
        include_in_schema=False,
    )
