"""Milestone loaders read through the use cases in a bounded number of statements."""

from __future__ import annotations

import httpx
from sqlalchemy.ext.asyncio import AsyncEngine

from tests.api.helpers import gql
from tests.api.test_milestones_graphql import _portfolio, counting
from tests.conftest import Org

# One milestone a page: the dependents' milestones are not on it, so the milestone loader
# (not the page's primed copies) has to read them, one batch for every project.
UNPRIMED = """
{
  projects(first: 50) {
    edges { node {
      milestones(first: 1) {
        edges { node {
          name
          dependents { successor { name } }
          dependencies { predecessor { name } }
        } }
      }
    } }
  }
}"""


async def test_milestones_off_the_page_are_read_in_one_batch_whatever_the_projects(
    client: httpx.AsyncClient, org: Org, other_org: Org, read_engine: AsyncEngine
) -> None:
    await _portfolio(client, org, 2)
    await _portfolio(client, other_org, 40)
    with counting(read_engine) as small:
        few = await gql(client, UNPRIMED, org.viewer)
    with counting(read_engine) as large:
        many = await gql(client, UNPRIMED, other_org.viewer)
    assert "errors" not in few and "errors" not in many, many
    edges = many["data"]["projects"]["edges"]
    assert len(edges) == 40
    # B depends on A and C on B (see _portfolio); A, B, C start together, so which one
    # comes first on the page depends on their ids.
    dependents = {"A": ["B"], "B": ["C"], "C": []}
    dependencies = {"A": [], "B": ["A"], "C": ["B"]}
    for edge in edges:
        (first,) = edge["node"]["milestones"]["edges"]
        node = first["node"]
        assert [d["successor"]["name"] for d in node["dependents"]] == dependents[node["name"]]
        assert [d["predecessor"]["name"] for d in node["dependencies"]] == dependencies[
            node["name"]
        ]
    # projects, milestone page, dependents, dependencies, then their milestones: one batch,
    # or two when the two lists resolve in different turns of the event loop.
    assert len(small) <= 6 and len(large) <= 6, (small, large)
