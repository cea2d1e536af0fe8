"""The one way to change an aggregate (app/domain/common/changes.py), on a fake unit of work."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

import pytest

from app.domain.common.changes import apply_change, merge_patch, plain, refuse_unknown
from app.domain.common.clock import FixedClock
from app.domain.common.errors import ValidationFailed, VersionConflict
from app.domain.common.money import Money
from app.domain.common.principal import Principal, Role
from tests.fakes import FakeUnitOfWork

CLOCK = FixedClock(datetime(2027, 5, 3, 10, 0, tzinfo=UTC))
PM = Principal("pm", "org-1", frozenset({Role.MANAGER}))


class Colour(StrEnum):
    RED = "red"


@dataclass(frozen=True)
class Widget:
    id: uuid.UUID
    project_id: uuid.UUID
    name: str
    size: int | None
    version: int
    updated_at: datetime

    REQUIRED = frozenset({"name"})

    def changed(self, changes: dict[str, Any], now: datetime) -> tuple[Widget, dict[str, Any]]:
        updated, diff = merge_patch(self, changes, self.REQUIRED, now)
        if updated.size is not None and updated.size < 0:
            raise ValidationFailed.on("size", "must not be negative")
        return updated, diff


def _widget() -> Widget:
    return Widget(uuid.uuid4(), uuid.uuid4(), "gear", 3, 4, CLOCK.now())


async def _apply(uow: FakeUnitOfWork, w: Widget, changes: dict[str, Any], expected: int | None,
                 stored: list[Widget], **extra: Any) -> Widget:  # fmt: skip
    async def store(x: Widget) -> None:
        stored.append(x)

    async with uow:
        result = await apply_change(
            uow, w, changes, expected, type="widget.updated", store=store, principal=PM,
            clock=CLOCK, **extra,
        )  # fmt: skip
        await uow.commit()
    return result


async def test_a_change_is_stored_one_version_up_and_recorded_with_its_diff() -> None:
    uow, stored, w = FakeUnitOfWork(), [], _widget()
    result = await _apply(uow, w, {"name": "cog", "size": 3}, 4, stored)
    assert (result.name, result.version) == ("cog", 5) and stored == [result]
    [event] = uow.activity.entries
    assert (event.type, event.subject.type, event.subject.id) == ("widget.updated", "widget", w.id)
    assert (event.project_id, event.actor, event.org) == (w.project_id, "pm", "org-1")
    assert event.changes == {"name": {"from": "gear", "to": "cog"}}  # size did not change


async def test_nothing_changed_stores_and_records_nothing() -> None:
    uow, stored, w = FakeUnitOfWork(), [], _widget()
    assert await _apply(uow, w, {"name": "gear"}, None, stored) is w
    assert stored == [] and uow.activity.entries == []


async def test_a_stale_version_a_broken_rule_or_a_refused_check_changes_nothing() -> None:
    uow, stored, w = FakeUnitOfWork(), [], _widget()
    with pytest.raises(VersionConflict, match="widget is at version 4"):
        await _apply(uow, w, {"name": "cog"}, 3, stored)
    with pytest.raises(ValidationFailed):
        await _apply(uow, w, {"name": None}, None, stored)
    with pytest.raises(ValidationFailed):
        await _apply(uow, w, {"size": -1}, None, stored)

    async def refuse(updated: Widget, diff: dict[str, Any]) -> None:
        assert set(diff) == {"size"} and updated.size == 9
        raise ValidationFailed.on("size", "is not allowed here")

    with pytest.raises(ValidationFailed, match="not allowed"):
        await _apply(uow, w, {"size": 9}, None, stored, before_store=refuse)
    assert stored == [] and uow.activity.entries == []


def test_unknown_fields_are_refused_by_name() -> None:
    with pytest.raises(ValidationFailed) as failed:
        refuse_unknown({"name": 1, "id": 2, "version": 3}, frozenset({"name"}))
    assert [e.field for e in failed.value.errors] == ["id", "version"]


def test_plain_renders_every_kind_of_value_as_json_data() -> None:
    some = uuid.uuid4()
    assert plain(some) == str(some)
    assert plain(date(2027, 1, 2)) == "2027-01-02"
    assert plain(Decimal("1.50")) == "1.50"
    assert plain(Money(Decimal("3.5"), "EUR")) == "3.50"
    assert plain(Colour.RED) == "red"
    assert plain((some, date(2027, 1, 2))) == [str(some), "2027-01-02"]
    assert (plain("text"), plain(7), plain(None)) == ("text", 7, None)
