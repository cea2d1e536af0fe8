"""An execution context that completes plain leaf fields without graphql-core's per-field work.

A list of 50 projects with 14 scalar fields is 700 field executions; graphql-core builds
a path, a resolve-info object, argument values and a completion dispatch for each. A
*plain leaf* needs none of that: a strawberry field without a resolver or extensions (it
reads an attribute with the default resolver), without arguments, with a scalar or enum
type, in an operation without middleware. Its value is read and coerced here exactly as
graphql-core would (``coerce_output_value``).

An object whose requested fields are all plain leaves is completed in one loop; anything
else, or anything unusual on the way (a null for a non-null type, an exception, an
awaitable, a coercion to null), goes through the standard path for the whole object,
which reports it as usual (reading attributes twice is harmless).
"""

from __future__ import annotations

import builtins
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from graphql import (
    GraphQLEnumType,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLScalarType,
    Undefined,
)
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

# (attribute, leaf type, non-null?) for a plain leaf; None for any other field.
Leaf = tuple[str, GraphQLScalarType | GraphQLEnumType, bool] | None
_leaves: dict[tuple[GraphQLObjectType, str], Leaf] = {}
# (response name, attribute, leaf type, non-null?) per field of an all-plain-leaf selection.
Plan = list[tuple[str, str, GraphQLScalarType | GraphQLEnumType, bool]] | None
_STANDARD = object()
_NEVER_AWAITABLE = frozenset({str, int, float, bool, date, datetime, Decimal, UUID})


def _plain_leaf(parent_type: GraphQLObjectType, name: str) -> Leaf:
    key = (parent_type, name)
    try:
        return _leaves[key]
    except KeyError:
        pass
    leaf: Leaf = None
    field = parent_type.fields.get(name)
    if field is not None and not field.args and field.resolve is not None:
        definition = field.extensions.get("strawberry-definition")
        non_null = isinstance(field.type, GraphQLNonNull)
        of_type = field.type.of_type if isinstance(field.type, GraphQLNonNull) else field.type
        attribute = getattr(definition, "python_name", None)
        if (
            getattr(definition, "is_basic_field", False)
            and getattr(definition, "default_resolver", None) is builtins.getattr
            and getattr(field.resolve, "__name__", "") == "_get_basic_result"
            and isinstance(attribute, str)
            and isinstance(of_type, GraphQLScalarType | GraphQLEnumType)
        ):
            leaf = (attribute, of_type, non_null)
    _leaves[key] = leaf
    return leaf


class ExecutionContext(StrawberryGraphQLCoreExecutionContext):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._plans: dict[int, tuple[Any, GraphQLObjectType, Plan]] = {}

    def _leaf_value(self, parent_type: GraphQLObjectType, source: Any, node: Any) -> Any:
        """The completed value of a plain leaf, or _STANDARD to take the standard path."""
        if node.arguments:
            return _STANDARD
        leaf = _plain_leaf(parent_type, node.name.value)
        if leaf is None:
            return _STANDARD
        attribute, leaf_type, non_null = leaf
        try:
            value = getattr(source, attribute)
            if value is None:
                return _STANDARD if non_null else None
            if type(value) not in _NEVER_AWAITABLE and self.is_awaitable(value):
                return _STANDARD
            coerced = leaf_type.coerce_output_value(value)
        except Exception:
            return _STANDARD
        return _STANDARD if coerced is None or coerced is Undefined else coerced

    def _plain(self) -> bool:
        manager = self.middleware_manager
        return manager is None or not manager.middlewares

    def _plan(self, parent_type: GraphQLObjectType, grouped_field_set: Any) -> Plan:
        """The fields of an all-plain-leaf selection, or None; per operation, per selection.

        graphql-core reuses one grouped field set for every item of a list, so the plan is
        made once per list. The set itself is kept with its plan so its id stays unique.
        """
        key = id(grouped_field_set)
        found = self._plans.get(key)
        if found is not None and found[0] is grouped_field_set and found[1] is parent_type:
            return found[2]
        fields = []
        for response_name, details in grouped_field_set.items():
            node = details[0].node
            leaf = None if node.arguments else _plain_leaf(parent_type, node.name.value)
            if leaf is None:
                break
            fields.append((response_name, *leaf))
        plan: Plan = fields if len(fields) == len(grouped_field_set) else None
        self._plans[key] = (grouped_field_set, parent_type, plan)
        return plan

    def execute_fields(
        self,
        parent_type: GraphQLObjectType,
        source_value: Any,
        path: Any,
        grouped_field_set: Any,
        position_context: Any,
    ) -> Any:
        plan = self._plan(parent_type, grouped_field_set) if self._plain() else None
        if plan is not None:
            results: dict[str, Any] = {}
            try:
                for response_name, attribute, leaf_type, non_null in plan:
                    value = getattr(source_value, attribute)
                    if value is None:
                        if non_null:
                            break
                        results[response_name] = None
                        continue
                    if type(value) not in _NEVER_AWAITABLE and self.is_awaitable(value):
                        break
                    coerced = leaf_type.coerce_output_value(value)
                    if coerced is None or coerced is Undefined:
                        break
                    results[response_name] = coerced
                else:
                    return results
            except Exception:  # noqa: S110 - the standard path below reports it
                pass
        return super().execute_fields(
            parent_type, source_value, path, grouped_field_set, position_context
        )

    def execute_field(
        self,
        parent_type: GraphQLObjectType,
        source: Any,
        field_details_list: Any,
        path: Any,
        position_context: Any,
    ) -> Any:
        if self._plain():
            value = self._leaf_value(parent_type, source, field_details_list[0].node)
            if value is not _STANDARD:
                return value
        return super().execute_field(
            parent_type, source, field_details_list, path, position_context
        )
