"""GraphQL building blocks: Relay connections, user errors, and error codes."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from decimal import Decimal
from typing import Any, Generic, TypeVar

import strawberry
from graphql import FieldNode, OperationDefinitionNode
from graphql.error import GraphQLError
from strawberry.extensions import MaskErrors

from app.api.graphql.enums import UserErrorCode
from app.api.retry import note
from app.domain.common.errors import (
    Conflict,
    DomainError,
    NotFound,
    PermissionDenied,
    Unauthenticated,
    Unavailable,
    ValidationFailed,
    VersionConflict,
)
from app.domain.common.input_rules import parse_decimal
from app.domain.common.money import decimal_text
from app.domain.common.paging import MAX_LIMIT, Page, PageRequest, page_request

T = TypeVar("T")


def ident(value: object | None) -> strawberry.ID | None:
    """An optional UUID as a GraphQL ID."""
    return None if value is None else strawberry.ID(str(value))


async def found_or_none(lookup: Awaitable[T]) -> T | None:
    """A single lookup's answer: null for a missing or foreign id (API.md), never an error."""
    try:
        return await lookup
    except NotFound:
        return None


N = TypeVar("N")

# Errors that are raised as GraphQL errors (not userErrors), by MRO lookup.
ERROR_CODES: dict[type[DomainError], str] = {
    Unauthenticated: "UNAUTHENTICATED",
    PermissionDenied: "FORBIDDEN",
    NotFound: "NOT_FOUND",
    Unavailable: "SERVICE_UNAVAILABLE",
    ValidationFailed: "BAD_USER_INPUT",
    Conflict: "CONFLICT",
    VersionConflict: "VERSION_CONFLICT",
}
USER_ERRORS = (ValidationFailed, Conflict, VersionConflict)


def extension_code(error: BaseException) -> str | None:
    for cls in type(error).__mro__:
        if cls in ERROR_CODES and issubclass(cls, DomainError):
            return ERROR_CODES[cls]
    return None


# graphql-core's messages for a value a scalar refused (its ValueError is the original).
COERCION = ("Expected value of type", "Variable '$", "Argument '")


def default_code(message: str) -> str:
    """The code of an error that came without one: graphql-core's own refusals."""
    if message.startswith("Syntax Error"):
        return "GRAPHQL_PARSE_FAILED"
    if message.startswith(COERCION) or " cannot represent " in message:
        return "BAD_USER_INPUT"  # a variable's or argument's value its type refuses
    return "GRAPHQL_VALIDATION_FAILED"


def tag_error(error: dict[str, Any], request_id: str | None) -> None:
    """Give a formatted error its ``extensions.code`` (if missing) and ``requestId``."""
    extensions = dict(error.get("extensions") or {})
    extensions.setdefault("code", default_code(str(error.get("message", ""))))
    if request_id is not None:
        extensions["requestId"] = request_id
    error["extensions"] = extensions


def unexpected(error: GraphQLError) -> bool:
    """A server fault, not a caller's mistake: masked and logged with its traceback."""
    original = error.original_error
    if original is None or isinstance(original, DomainError | GraphQLError):
        return False
    return not (isinstance(original, ValueError) and error.message.startswith(COERCION))


class DomainErrors(MaskErrors):
    """Give domain errors ``extensions.code``; mask everything unexpected."""

    def __init__(self) -> None:
        super().__init__(should_mask_error=self._unexpected, error_message="Internal error")

    @staticmethod
    def _unexpected(error: GraphQLError) -> bool:
        # Logged (once, with its traceback) by CharterSchema.process_errors.
        return unexpected(error)

    def _process_errors(self, errors: list[GraphQLError]) -> list[GraphQLError]:
        processed = super()._process_errors(errors)
        for error in processed:
            original = error.original_error
            if isinstance(original, Unavailable):
                self._note_unavailable(original)
            if isinstance(original, DomainError):
                error.message = original.message
                error.extensions = {**(error.extensions or {}), "code": extension_code(original)}
            elif original is None and error.message == self.error_message:
                error.extensions = {"code": "INTERNAL_SERVER_ERROR"}
        return processed

    def _note_unavailable(self, error: Unavailable) -> None:
        """Let ``DatabaseRetry`` run the operation again when that is safe."""
        context = self.execution_context.context
        request = getattr(context, "http_request", None)
        if request is None:
            return
        note(
            request.state,
            error,
            read_only=bool(getattr(context, "read_only", False)),
            one_command=_root_fields(self.execution_context) == 1,
        )


def _root_fields(execution: Any) -> int:
    """How many fields the operation selects at its root (each mutation field is a command)."""
    document = execution.graphql_document
    if document is None:
        return 0
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    name = execution.operation_name
    chosen = [o for o in operations if name is None or (o.name and o.name.value == name)]
    if len(chosen) != 1:
        return 0
    selections = chosen[0].selection_set.selections
    return len(selections) if all(isinstance(s, FieldNode) for s in selections) else 0


@strawberry.type(description="Why a mutation refused its input; nothing was changed")
class UserError:
    field: str | None = strawberry.field(
        description="The input field at fault (camelCase), a gate's name, or null for the whole"
    )
    code: UserErrorCode = strawberry.field(description="What went wrong, stable for programs")
    message: str = strawberry.field(description="What went wrong, for people")


def camel(field: str) -> str:
    """``body.due_date`` -> ``dueDate``: GraphQL callers see their own field names."""
    last = field.split(".")[-1]
    return re.sub(r"_([a-z0-9])", lambda m: m.group(1).upper(), last)


def user_error_code(exc: DomainError) -> UserErrorCode:
    """The enum value of a user error's REST code (a test holds every such code listed)."""
    return UserErrorCode(exc.code)


def user_errors(exc: DomainError) -> list[UserError]:
    code = user_error_code(exc)
    extra = exc.extra()
    if "errors" in extra:
        return [
            UserError(field=camel(e["field"]), code=code, message=e["message"])
            for e in extra["errors"]
        ]
    if "unmet" in extra:
        return [UserError(field=u["gate"], code=code, message=u["message"]) for u in extra["unmet"]]
    return [UserError(field=None, code=code, message=exc.message)]


async def attempt(call: Awaitable[T]) -> tuple[T | None, list[UserError]]:
    """Run a command; rule violations become userErrors, auth and missing ids stay errors."""
    try:
        return await call, []
    except USER_ERRORS as exc:
        return None, user_errors(exc)


@strawberry.type(description="Where a page sits in its list (Relay's PageInfo)")
class PageInfo:
    has_next_page: bool = strawberry.field(
        description="More items follow this page: page on with `first` and `after: endCursor`"
    )
    has_previous_page: bool = strawberry.field(
        description=(
            "Items come before this page: page back with `last` and `before: startCursor` "
            "(on a forward page: true whenever `after` was given)"
        )
    )
    start_cursor: str | None = strawberry.field(
        description="The first edge's cursor (null on an empty page)"
    )
    end_cursor: str | None = strawberry.field(
        description="The last edge's cursor (null on an empty page)"
    )


@strawberry.type(description="One item of a page, with the cursor that points at it")
class Edge(Generic[N]):
    cursor: str = strawberry.field(
        description="Opaque; valid only for the list that issued it, as `after` or `before`"
    )
    node: N = strawberry.field(description="The item")


@strawberry.type(description="A page of a list (Relay's connection)")
class Connection(Generic[N]):
    edges: list[Edge[N]] = strawberry.field(description="The page's items, in the list's order")
    page_info: PageInfo = strawberry.field(description="Cursors and whether more items exist")
    _count: strawberry.Private[Callable[[], Awaitable[int]] | None] = None

    @strawberry.field(description="How many items match, across all pages")
    async def total_count(self) -> int | None:
        return await self._count() if self._count else None


def connection(
    page: Page[Any], wrap: Callable[[Any], N], count: Callable[[], Awaitable[int]] | None = None
) -> Connection[N]:
    edges = [
        Edge(cursor=c, node=wrap(item)) for c, item in zip(page.cursors, page.items, strict=True)
    ]
    has_next = page.next_cursor is not None if page.has_next is None else page.has_next
    info = PageInfo(
        has_next_page=has_next,
        has_previous_page=page.has_previous,
        start_cursor=edges[0].cursor if edges else None,
        end_cursor=edges[-1].cursor if edges else None,
    )
    return Connection(edges=edges, page_info=info, _count=count)


def gql_page(
    first: int | None, after: str | None, last: int | None = None, before: str | None = None
) -> PageRequest:
    """Validate Relay arguments (``first`` or ``last`` at most 100, default 50) into a
    domain PageRequest: ``first``/``after`` page forward, ``last``/``before`` backward."""
    if last is None and before is None:
        return page_request(first, after, limit_field="first", cursor_field="after")
    if first is not None or after is not None:
        field = "first" if first is not None else "after"
        raise ValidationFailed.on(field, "cannot be combined with last or before")
    forward = page_request(last, before, limit_field="last", cursor_field="before")
    return PageRequest(limit=forward.limit, after=forward.after, backward=True)


def page_key(page: PageRequest) -> tuple[int, tuple[Any, ...] | None, bool]:
    """A page request as a hashable DataLoader key part: (limit, cursor values, backward)."""
    return page.limit, tuple(page.after) if page.after is not None else None, page.backward


def bounded_first(first: int) -> int:
    """A plain list's ``first``: 1 to 100, so the query cost can bound the list."""
    if not 1 <= first <= MAX_LIMIT:
        raise ValidationFailed.on("first", f"must be between 1 and {MAX_LIMIT}")
    return first


def _parse_decimal(value: object) -> Decimal:
    """Exact numbers arrive as strings of ASCII digits (the grammar REST uses too)."""
    return parse_decimal(value)


DecimalString = strawberry.scalar(
    name="Decimal",
    description='An exact decimal number serialised as a string, e.g. "1250.00"',
    serialize=decimal_text,
    parse_value=_parse_decimal,
)
