"""Schema extensions for the read path: cached documents and read-only queries."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterator

from graphql import DocumentNode
from strawberry.extensions import SchemaExtension
from strawberry.types.graphql import OperationType

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


class CachedDocuments(SchemaExtension):
    """Skip parsing and validation for a query text that was parsed and validated before.

    Only successes are cached: a text with syntax or validation errors is checked anew
    every time (and reports the same errors).
    """

    def __init__(self, cache: DocumentCache) -> None:
        self.cache = cache
        self._hit = False

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


class ReadOnlyQueries(SchemaExtension):
    """Let a query operation's units of work be read-only ones (mutations keep transactions)."""

    def on_execute(self) -> Iterator[None]:
        ctx = self.execution_context
        context = ctx.context
        if hasattr(context, "read_only"):
            context.read_only = ctx.operation_type is OperationType.QUERY
        yield
