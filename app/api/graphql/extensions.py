"""The per-operation schema extension: limits, cached documents, read-only queries, metrics."""

from __future__ import annotations

import asyncio
import time
from collections import OrderedDict
from collections.abc import Iterator

from graphql import ASTValidationRule, DocumentNode, ExecutionResult, GraphQLError
from strawberry.extensions import SchemaExtension
from strawberry.types.graphql import OperationType

from app.api.graphql.common import extension_code, unexpected
from app.api.graphql.guards import check_cost, check_variables, select_operation
from app.domain.common.errors import DomainError
from app.metrics import Metrics

MAX_CACHED_QUERY_CHARS = 20_000


class DocumentCache:
    """Parsed documents that passed validation, by query text (bounded, least recently used out).

    One per schema: a document's validity depends only on its text and the schema's fixed
    rules (depth, aliases, tokens, introspection), so a text that passed once passes again.
    """

    def __init__(self, maxsize: int = 256) -> None:
        self.maxsize = maxsize
        self._documents: OrderedDict[str, DocumentNode] = OrderedDict()

    def get(self, query: str) -> DocumentNode | None:
        document = self._documents.get(query)
        if document is not None:
            self._documents.move_to_end(query)
        return document

    def put(self, query: str, document: DocumentNode) -> None:
        if len(query) > MAX_CACHED_QUERY_CHARS:
            return
        self._documents[query] = document
        self._documents.move_to_end(query)
        if len(self._documents) > self.maxsize:
            self._documents.popitem(last=False)

    def __len__(self) -> int:
        return len(self._documents)


class OperationPlumbing(SchemaExtension):
    """Limits, the document cache, read-only queries and metrics in one extension.

    One instead of five, because strawberry looks every extension's hooks up on every
    request. It does what MaxTokensLimiter and AddValidationRules (QueryDepthLimiter,
    MaxAliasesLimiter, DisableIntrospection) do, with rule classes built once per schema:
    ``max_tokens`` goes to the parser and ``rules`` join the standard validation rules.

    A query text that was parsed and validated before is neither parsed nor validated
    again: its document comes from ``cache``. Only successes are cached, so a text with
    syntax or validation errors is checked anew every time (and reports the same errors).

    A query operation's units of work are read-only ones (mutations keep transactions).

    Before execution (variables are known by then) it refuses, without running anything:
    several operations and no ``operationName``, unsafe text in variables, and a query
    whose cost (``cost.py``) is above ``max_cost``.

    With ``metrics``, each operation is counted by name, type and outcome (any error makes
    it an error, though the HTTP status is 200), its errors by code, and timed. One cut
    short counts as the error ``CANCELLED``; one that could not start, ``BAD_REQUEST``.
    """

    def __init__(
        self,
        cache: DocumentCache,
        rules: tuple[type[ASTValidationRule], ...],
        max_tokens: int,
        max_cost: int,
        metrics: Metrics | None = None,
    ) -> None:
        self.metrics = metrics
        self.cache = cache
        self.rules = rules
        self.max_tokens = max_tokens
        self.max_cost = max_cost
        self._hit = False

    def on_operation(self) -> Iterator[None]:
        ctx = self.execution_context
        ctx.parse_options["max_tokens"] = self.max_tokens
        ctx.validation_rules = ctx.validation_rules + self.rules
        if self.metrics is None:
            yield
            return
        began = time.perf_counter()
        cut: str | None = None
        try:
            yield
        except asyncio.CancelledError:
            cut = "CANCELLED"  # over its time budget (answered TIMEOUT), or the client left
            raise
        except Exception:
            cut = "BAD_REQUEST"  # no operation to run (answered 400)
            raise
        finally:
            self._measure(self.metrics, time.perf_counter() - began, cut)

    def _measure(self, metrics: Metrics, seconds: float, cut: str | None) -> None:
        ctx = self.execution_context
        try:
            kind = ctx.operation_type.value
        except Exception:  # no document (a syntax error): no operation either
            kind = "unknown"
        name = getattr(ctx, "_provided_operation_name", None)
        if name is None and ctx.graphql_document is not None:
            try:
                name = ctx.operation_name
            except Exception:
                name = None
        codes = [error_code(error) for error in ctx.pre_execution_errors or ()]
        metrics.graphql(name, kind, seconds, [cut] if cut else codes)

    def on_parse(self) -> Iterator[None]:
        ctx = self.execution_context
        if ctx.graphql_document is None and ctx.query:
            document = self.cache.get(ctx.query)
            if document is not None:
                ctx.graphql_document = document
                self._hit = True
        yield

    def on_validate(self) -> Iterator[None]:
        ctx = self.execution_context
        if self._hit:
            ctx.pre_execution_errors = []  # strawberry then skips validation
        yield
        if (
            not self._hit
            and ctx.pre_execution_errors == []
            and ctx.graphql_document is not None
            and ctx.query
        ):
            self.cache.put(ctx.query, ctx.graphql_document)

    def on_execute(self) -> Iterator[None]:
        ctx = self.execution_context
        refused = self._refusal()
        if refused is not None:
            ctx.result = ExecutionResult(data=None, errors=[refused])  # nothing runs
            yield
            return
        context = ctx.context
        if hasattr(context, "read_only"):
            context.read_only = ctx.operation_type is OperationType.QUERY
        yield

    def _refusal(self) -> GraphQLError | None:
        ctx = self.execution_context
        document = ctx.graphql_document
        if document is None:
            return None
        # ctx.operation_name falls back to the first operation's name: the caller's own is needed.
        operation = select_operation(document, getattr(ctx, "_provided_operation_name", None))
        if isinstance(operation, GraphQLError):
            return operation
        return check_variables(ctx.variables) or check_cost(
            ctx.schema._schema, document, operation, ctx.variables, self.max_cost
        )


def error_code(error: GraphQLError) -> str:
    """The error's ``extensions.code`` (or the one it will get), for metrics."""
    code = (error.extensions or {}).get("code")
    if isinstance(code, str) and code:
        return code
    original = error.original_error
    if isinstance(original, DomainError):
        return extension_code(original) or "DOMAIN_ERROR"
    if unexpected(error):
        return "INTERNAL_SERVER_ERROR"
    return "GRAPHQL_VALIDATION"
