"""A query's cost, computed from the document and its variables before anything runs.

The rules (README "GraphQL"): every field costs 1; a field returning a list costs
1 + n x its selection, where n is its ``last`` or ``first`` argument (given, from a variable, or the
argument's default; 50 when neither is given) or, for a list without ``first``, its nominal size below; nested lists
multiply (a connection's ``edges`` are counted once, by its ``first``).
Introspection fields cost 1 and never multiply. No SQL, no resolver runs.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLSchema,
    GraphQLType,
    InlineFragmentNode,
    IntValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    VariableNode,
)

from app.domain.common.paging import DEFAULT_LIMIT, MAX_LIMIT

# Lists of objects without a ``first`` argument: their nominal size (the most a caller
# typically gets; a project's schedule or a baseline lists its milestones).
NOMINAL_SIZES: dict[tuple[str, str], int] = {
    ("Schedule", "milestones"): 100,
    ("Baseline", "milestones"): 100,
    ("Objective", "keyResults"): 25,  # at most 25 key results per objective
    ("PersonWorkload", "weeks"): 53,  # a range is at most 53 ISO weeks
    ("Query", "portfolio"): 500,  # one row per project of the organization
    ("Forecast", "milestones"): 100,  # like the schedule's
    ("Forecast", "histogram"): 20,  # always 20 bins
}
# Fields that compute rather than read: their price grows with an argument. A forecast costs
# one point per ten iterations (default 10,000: 1,000 points, so one project's fits the
# default limit of 25,000 but a page of projects each with its forecast does not).
COMPUTED_FIELDS: dict[tuple[str, str], tuple[str, int, int]] = {
    ("Project", "forecast"): ("iterations", 10_000, 10),  # argument, its default, per point
}
DEFAULT_PAGE_SIZE = DEFAULT_LIMIT  # a connection asked for without `first` or `last`
DEFAULT_LIST_SIZE = 10  # any other list of objects (user errors, gate conditions, totals)
MAX_COST_REPORTED = 10**12  # multiplications stop growing past this


def _unwrap(type_: GraphQLType) -> tuple[GraphQLType, bool]:
    listed = False
    while isinstance(type_, GraphQLNonNull | GraphQLList):
        listed = listed or isinstance(type_, GraphQLList)
        type_ = type_.of_type
    return type_, listed


class CostCalculator:
    def __init__(
        self,
        schema: GraphQLSchema,
        fragments: Mapping[str, FragmentDefinitionNode],
        variables: Mapping[str, Any],
        defaults: Mapping[str, Any],
    ) -> None:
        self.schema = schema
        self.fragments = fragments
        self.variables = variables
        self.defaults = defaults

    def _computed(self, node: FieldNode, parent_name: str) -> int:
        """The price of a computing field (COMPUTED_FIELDS), from its argument's value."""
        rule = COMPUTED_FIELDS.get((parent_name, node.name.value))
        if rule is None:
            return 0
        name, default, per_point = rule
        value = self._first(node, default, name)
        return max(value if value is not None else default, 0) // per_point

    def _first(self, node: FieldNode, field_default: Any, name: str = "first") -> int | None:
        for arg in node.arguments or ():
            if arg.name.value != name:
                continue
            value = arg.value
            if isinstance(value, IntValueNode):
                return int(value.value)
            if isinstance(value, VariableNode):
                name = value.name.value
                found = self.variables.get(name, self.defaults.get(name))
                return found if isinstance(found, int) and not isinstance(found, bool) else None
            return None
        return field_default if isinstance(field_default, int) else None

    def selection(self, node: SelectionSetNode | None, parent: GraphQLType, seen: int = 0) -> int:
        if node is None or seen > 50:  # fragment cycles are refused by validation anyway
            return 0
        total = 0
        for sel in node.selections:
            if isinstance(sel, FieldNode):
                total += self.field(sel, parent)
            elif isinstance(sel, InlineFragmentNode):
                on = parent
                if sel.type_condition is not None:
                    on = self.schema.get_type(sel.type_condition.name.value) or parent
                total += self.selection(sel.selection_set, on, seen + 1)
            elif isinstance(sel, FragmentSpreadNode):
                fragment = self.fragments.get(sel.name.value)
                if fragment is not None:
                    on = self.schema.get_type(fragment.type_condition.name.value) or parent
                    total += self.selection(fragment.selection_set, on, seen + 1)
            total = min(total, MAX_COST_REPORTED)
        return total

    def field(self, node: FieldNode, parent: GraphQLType) -> int:
        name = node.name.value
        definition = (
            parent.fields.get(name)
            if isinstance(parent, GraphQLObjectType | GraphQLInterfaceType)
            else None
        )
        if definition is None:  # __typename, __schema, __type
            meta = {"__schema": "__Schema", "__type": "__Type"}.get(name)
            on = self.schema.get_type(meta) if meta else None
            return 1 + (self.selection(node.selection_set, on) if on else 0)
        of_type, listed = _unwrap(definition.type)
        sub = self.selection(node.selection_set, of_type)
        parent_name = str(getattr(parent, "name", ""))
        computed = self._computed(node, parent_name)
        if computed:
            return min(1 + computed + sub, MAX_COST_REPORTED)
        if not sub:
            return 1
        if parent_name.startswith("__") or parent_name.endswith("Connection"):
            return 1 + sub  # introspection reads no data; edges were counted by `first`
        many = 1
        first_arg = definition.args.get("first")
        if first_arg is not None:
            last_arg = definition.args.get("last")
            last = self._first(node, None, "last") if last_arg is not None else None
            first = last if last is not None else self._first(node, first_arg.default_value)
            if first is None and _absent(node, "first", "last"):
                first = DEFAULT_PAGE_SIZE  # what gql_page serves without first or last
            many = max(first, 1) if first is not None else MAX_LIMIT
        elif listed:
            many = NOMINAL_SIZES.get((parent_name, name), DEFAULT_LIST_SIZE)
        return min(1 + many * sub, MAX_COST_REPORTED)


def _absent(node: FieldNode, *names: str) -> bool:
    """None of ``names`` is given (a variable counts as given: its value may be anything)."""
    return not any(a.name.value in names for a in node.arguments or ())


def query_cost(
    schema: GraphQLSchema,
    operation: OperationDefinitionNode,
    fragments: Mapping[str, FragmentDefinitionNode],
    variables: Mapping[str, Any] | None,
) -> int:
    """The cost of ``operation`` under the rules in the module docstring."""
    defaults = {
        d.variable.name.value: int(d.default_value.value)
        for d in operation.variable_definitions or ()
        if isinstance(d.default_value, IntValueNode)
    }
    root = schema.get_root_type(operation.operation)
    if root is None:
        return 0
    calculator = CostCalculator(schema, fragments, variables or {}, defaults)
    return calculator.selection(operation.selection_set, root)
