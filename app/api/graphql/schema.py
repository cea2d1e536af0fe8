"""The GraphQL schema: every capability's queries and mutations merged, with limits."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import strawberry
from strawberry.extensions import (
    DisableIntrospection,
    MaxAliasesLimiter,
    MaxTokensLimiter,
    QueryDepthLimiter,
    SchemaExtension,
)
from strawberry.fastapi import GraphQLRouter
from strawberry.schema.config import StrawberryConfig
from strawberry.tools import merge_types

from app.api.graphql.common import DecimalString, DomainErrors
from app.api.graphql.context import context_getter
from app.api.graphql.extensions import CachedDocuments, DocumentCache, ReadOnlyQueries
from app.api.graphql.issues import IssuesMutation
from app.api.graphql.milestones import MilestonesMutation
from app.api.graphql.people import PeopleMutation, PeopleQuery
from app.api.graphql.projects import ProjectsMutation, ProjectsQuery
from app.api.graphql.risk_mutations import RisksMutation

Query = merge_types("Query", (PeopleQuery, ProjectsQuery))
Mutation = merge_types(
    "Mutation",
    (PeopleMutation, ProjectsMutation, RisksMutation, IssuesMutation, MilestonesMutation),
)


def build_schema(
    *,
    production: bool = False,
    max_depth: int = 12,
    max_aliases: int = 30,
    max_tokens: int = 5_000,
    documents: DocumentCache | None = None,
) -> strawberry.Schema:
    # Factories, so each request gets fresh extension instances (the cache is shared).
    documents = documents if documents is not None else DocumentCache()
    extensions: list[Callable[[], SchemaExtension]] = [
        lambda: CachedDocuments(documents),
        ReadOnlyQueries,
        lambda: QueryDepthLimiter(max_depth=max_depth),
        lambda: MaxAliasesLimiter(max_alias_count=max_aliases),
        lambda: MaxTokensLimiter(max_token_count=max_tokens),
        DomainErrors,
    ]
    if production:
        extensions.append(DisableIntrospection)
    return strawberry.Schema(
        query=Query,
        mutation=Mutation,
        extensions=extensions,
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
