"""Checks on a GraphQL request before it runs: the operation rule, variables' text, cost.

Each returns the error to answer with, or None; the schema extension calls them once the
document is valid (variables are only known then) and answers without running anything.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from graphql import (
    ASTValidationRule,
    DocumentNode,
    FragmentDefinitionNode,
    GraphQLError,
    GraphQLSchema,
    OperationDefinitionNode,
    StringValueNode,
)

from app.api.graphql.cost import query_cost
from app.domain.common.input_rules import TEXT_MESSAGE, unsafe_text


class NoUnsafeStrings(ASTValidationRule):
    """String literals in the document follow the text rule of API.md "Hostile input"."""

    def enter_string_value(self, node: StringValueNode, *_args: Any) -> None:
        if unsafe_text(node.value):
            self.report_error(
                GraphQLError(
                    f"A string {TEXT_MESSAGE}", node, extensions={"code": "BAD_USER_INPUT"}
                )
            )


def _unsafe(value: Any, depth: int = 0) -> bool:
    if isinstance(value, str):
        return unsafe_text(value)
    if depth > 64:  # deeper JSON is refused while parsing; this only guards the walk
        return True
    if isinstance(value, list):
        return any(_unsafe(v, depth + 1) for v in value)
    if isinstance(value, dict):
        return any(_unsafe(k, depth + 1) or _unsafe(v, depth + 1) for k, v in value.items())
    return False


def check_variables(variables: Mapping[str, Any] | None) -> GraphQLError | None:
    for name, value in (variables or {}).items():
        if _unsafe(name) or _unsafe(value):
            return GraphQLError(
                f"Variable '${name}' {TEXT_MESSAGE}", extensions={"code": "BAD_USER_INPUT"}
            )
    return None


def select_operation(
    document: DocumentNode, operation_name: str | None
) -> OperationDefinitionNode | GraphQLError:
    """The operation to run; several operations need an ``operationName`` naming one."""
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if operation_name is None:
        if len(operations) == 1:
            return operations[0]
        return GraphQLError(
            "The document has several operations: send operationName to choose one",
            extensions={"code": "BAD_REQUEST"},
        )
    for op in operations:
        if op.name is not None and op.name.value == operation_name:
            return op
    return GraphQLError(
        f"No operation named '{operation_name}'", extensions={"code": "BAD_REQUEST"}
    )


def check_cost(
    schema: GraphQLSchema,
    document: DocumentNode,
    operation: OperationDefinitionNode,
    variables: Mapping[str, Any] | None,
    max_cost: int,
) -> GraphQLError | None:
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }
    cost = query_cost(schema, operation, fragments, variables)
    if cost <= max_cost:
        return None
    return GraphQLError(
        f"The query costs {cost}, above the limit of {max_cost}: ask for fewer items "
        "(smaller `first`) or fewer nested lists",
        extensions={"code": "QUERY_TOO_COMPLEX", "cost": cost, "maxCost": max_cost},
    )
