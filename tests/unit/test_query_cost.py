"""The query cost rules (README "GraphQL query cost") on the real schema, without a database."""

from __future__ import annotations

from typing import Any

import pytest
from graphql import FragmentDefinitionNode, OperationDefinitionNode, parse

from app.api.graphql.cost import query_cost
from app.api.graphql.guards import select_operation
from app.api.graphql.schema import build_schema

SCHEMA = build_schema()._schema


def cost(query: str, variables: dict[str, Any] | None = None) -> int:
    document = parse(query)
    operation = next(d for d in document.definitions if isinstance(d, OperationDefinitionNode))
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }
    return query_cost(SCHEMA, operation, fragments, variables)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("{ viewer { sub } }", 2),
        ("{ projects(first: 10) { totalCount } }", 1 + 10 * 1),
        ("{ projects(first: 10) { edges { node { key name } } } }", 1 + 10 * 4),
        ("{ projects { edges { node { key } } } }", 1 + 50 * 3),  # the argument's default
        (
            "{ projects(first: 2) { edges { node { milestones(first: 3) { edges { node { name } } } } } } }",
            1 + 2 * (2 + 1 + 3 * 3),
        ),
        (
            '{ project(id: "x") { milestones(first: 1) { edges { node { dependencies { lagDays } } } } } }',
            1 + (1 + 1 * (1 + 1 + (1 + 10 * 1))),
        ),
        (
            '{ project(id: "x") { milestones(first: 1) { edges { node { dependents(first: 2) { lagDays } } } } } }',
            1 + (1 + 1 * (1 + 1 + (1 + 2 * 1))),
        ),
        ('{ project(id: "x") { schedule { milestones { es } } } }', 1 + 1 + 1 + 100 * 1),
        ("{ __schema { types { fields { name } } } }", 4),
    ],
)
def test_costs_follow_the_documented_rules(query: str, expected: int) -> None:
    assert cost(query) == expected


def test_fragments_aliases_and_variables_count_like_inline_fields() -> None:
    inline = (
        "{ a: projects(first: 4) { edges { node { key } } } b: projects(first: 4) { totalCount } }"
    )
    spread = """query($n: Int = 4) { a: projects(first: $n) { ...P } b: projects(first: $n) { totalCount } }
      fragment P on ProjectConnection { edges { node { ... on Project { key } } } }"""
    assert cost(inline) == cost(spread) == (1 + 4 * 3) + (1 + 4 * 1)
    assert cost(spread, {"n": 100}) == (1 + 100 * 3) + (1 + 100 * 1)


def test_an_operation_must_be_named_when_the_document_has_several() -> None:
    document = parse("query A { viewer { sub } } query B { viewer { sub } }")
    chosen = select_operation(document, "B")
    assert isinstance(chosen, OperationDefinitionNode) and chosen.name is not None
    assert chosen.name.value == "B"
    refused = select_operation(document, None)
    assert not isinstance(refused, OperationDefinitionNode)
    assert refused.extensions == {"code": "BAD_REQUEST"}


def test_a_forecast_is_priced_by_its_iterations() -> None:
    # 1 for the field, 1 per 10 iterations (default 10,000), plus its selection.
    assert cost('{ project(id: "x") { forecast { seed } } }') == 1 + (1 + 1_000 + 1)
    assert cost('{ project(id: "x") { forecast(iterations: 100000) { seed } } }') == 1 + (
        1 + 10_000 + 1
    )
    query = 'query ($n: Int) { project(id: "x") { forecast(iterations: $n) { seed } } }'
    assert cost(query, {"n": 2000}) == 1 + (1 + 200 + 1)
    # Its lists at their nominal sizes: 100 milestones, 20 bins.
    assert cost('{ project(id: "x") { forecast { milestones { criticality } } } }') == 1 + (
        1 + 1_000 + (1 + 100 * 1)
    )
    assert cost('{ project(id: "x") { forecast { histogram { count } } } }') == 1 + (
        1 + 1_000 + (1 + 20 * 1)
    )
    # Far more than a plain field, within the default limit for one project, not for 50.
    assert cost('{ project(id: "x") { forecast { seed } } }') < 25_000
    assert cost("{ projects(first: 50) { edges { node { forecast { seed } } } } }") > 25_000
