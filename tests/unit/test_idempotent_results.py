"""Stored idempotent results: a round trip keeps every value and type, and only
``app.domain`` dataclasses, named tuples and enums are ever built from stored JSON."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from decimal import Decimal
from uuid import uuid4

import pytest

from app.domain.common.money import Money
from app.domain.common.result_codec import decode, encode
from app.domain.ledger.model import Category
from app.domain.milestones.ports import Baseline, BaselineMilestone
from app.domain.reporting.health import Status


def test_a_result_survives_a_round_trip_through_json() -> None:
    milestone = BaselineMilestone(
        uuid4(), date(2027, 1, 4), date(2027, 2, 1), Money(Decimal("10.50"), "EUR")
    )
    baseline = Baseline(
        "org", uuid4(), 1, "Plan", "alice", datetime(2027, 1, 4, 9, tzinfo=UTC), "EUR", 1,
        [milestone],
    )  # fmt: skip
    value = (baseline, Category.LABOUR, {"k": Decimal("1.20")}, frozenset({1}), None, True)
    again = decode(json.loads(json.dumps(encode(value))))
    assert again == value
    assert type(again[0].milestones[0]) is BaselineMilestone
    assert again[0].milestones[0].planned_value.amount == Decimal("10.50")


@pytest.mark.parametrize(
    "stored",
    [
        {"$dc": "subprocess:Popen", "fields": {"args": ["true"]}},
        {"$enum": "os:sep", "value": "/"},
        {"$nt": "app.domain.common.money:Money", "fields": {}},
        {"$dc": "app.domain.ledger.model:Category", "fields": {}},
        {"unknown": 1},
    ],
)
def test_only_domain_types_are_built(stored: object) -> None:
    with pytest.raises(TypeError):
        decode(stored)


def test_values_of_other_types_are_not_stored() -> None:
    with pytest.raises(TypeError):
        encode(object())


def test_a_str_enum_comes_back_as_its_enum_not_as_text() -> None:
    """A StrEnum is a str too: stored as plain text it would come back without ``.value``
    (REST's rendering of a replayed status report needs the enum)."""
    again = decode(json.loads(json.dumps(encode([Status.AMBER, Category.LABOUR]))))
    assert again == [Status.AMBER, Category.LABOUR]
    assert type(again[0]) is Status and type(again[1]) is Category
