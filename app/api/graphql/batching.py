"""Batch loading per project: DataLoader keys are (project id, *what is asked), and the
projects asking the same thing are read together, in one call of the use case."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Any, TypeVar
from uuid import UUID

from app.domain.common.paging import PageRequest

V = TypeVar("V")


async def per_project(
    keys: Sequence[tuple[Any, ...]],
    load: Callable[[tuple[Any, ...], list[UUID]], Awaitable[Mapping[UUID, V]]],
) -> list[V]:
    """Answer each key ``(project_id, *rest)``: ``load(rest, project_ids)`` runs once per
    distinct ``rest`` and returns a value per project id."""
    groups: dict[tuple[Any, ...], list[UUID]] = defaultdict(list)
    for key in keys:
        groups[key[1:]].append(key[0])
    found: dict[tuple[Any, ...], V] = {}
    for rest, project_ids in groups.items():
        for pid, value in (await load(rest, project_ids)).items():
            found[(pid, *rest)] = value
    return [found[key] for key in keys]


def page_of(limit: int, after: tuple[Any, ...] | None, backward: bool = False) -> PageRequest:
    """The page request a loader key's (limit, cursor values, backward) stand for
    (``common.page_key`` makes them)."""
    after_list = list(after) if after is not None else None
    return PageRequest(limit=limit, after=after_list, backward=backward)
