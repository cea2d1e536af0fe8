"""The fingerprint an idempotency key is bound to: a command's type and its values, not
how an adapter spelt them (``app.domain.common.idempotency``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from uuid import UUID, uuid4

import pytest

from app.domain.common.idempotency import SCHEME, fingerprint
from app.domain.ledger.model import Category, EntryKind
from app.domain.ledger.service import PostEntry, ReverseEntry
from app.domain.milestones.network import AddDependency
from app.domain.objectives.key_results import CheckInKeyResult
from app.domain.risks.service import CreateRisk
from app.domain.team.meeting_service import NewActionItem, RecordMeeting

PROJECT = uuid4()


def _posting(amount: str | Decimal, **fields: object) -> PostEntry:
    values: dict[str, object] = {
        "project_id": PROJECT, "kind": EntryKind.BUDGET, "category": Category.LABOUR,
        "amount": amount, "occurred_on": date(2027, 1, 4), **fields,
    }  # fmt: skip
    return PostEntry(**values)  # type: ignore[arg-type]


def test_a_fingerprint_names_its_scheme_and_is_stable() -> None:
    digest = fingerprint(_posting("10.00"))
    assert digest.startswith(SCHEME) and len(digest) == len(SCHEME) + 64
    assert fingerprint(_posting("10.00")) == digest


@pytest.mark.parametrize("spelling", ["10", "10.0", "10.00", Decimal("10.000"), Decimal("1E+1")])
def test_an_amount_is_its_value_however_it_is_spelt(spelling: str | Decimal) -> None:
    """REST hands the domain the decimal text it received, GraphQL a Decimal: "10.0" and
    "10.00" are the same posting (the ledger records the same amount)."""
    assert fingerprint(_posting(spelling)) == fingerprint(_posting(Decimal("10.00")))


@pytest.mark.parametrize("other", ["10.01", "-10", "100", "1"])
def test_another_amount_is_another_command(other: str) -> None:
    assert fingerprint(_posting(other)) != fingerprint(_posting("10"))


def test_zero_has_one_value() -> None:
    assert fingerprint(_posting("0.00")) == fingerprint(_posting("-0"))


def test_text_is_compared_as_sent() -> None:
    """Only decimal fields are read as numbers: a description "10.0" is not "10.00", and
    whitespace and case count."""
    base = fingerprint(_posting("1", description="10.0"))
    assert fingerprint(_posting("1", description="10.00")) != base
    assert fingerprint(_posting("1", description="10.0 ")) != base
    assert fingerprint(_posting("1", description=None)) != base


def test_every_field_counts_and_none_is_a_value() -> None:
    base = fingerprint(_posting("1"))
    assert fingerprint(_posting("1", project_id=uuid4())) != base
    assert fingerprint(_posting("1", kind=EntryKind.COMMITMENT)) != base
    assert fingerprint(_posting("1", occurred_on=date(2027, 1, 5))) != base
    assert fingerprint(_posting("1", reference="")) != base


def test_enums_and_ids_count_by_value() -> None:
    assert fingerprint(_posting("1", milestone_id=UUID(int=7))) == fingerprint(
        _posting("1", milestone_id=str(UUID(int=7)))  # type: ignore[arg-type]
    )
    assert fingerprint(_posting("1", kind=EntryKind("budget"))) == fingerprint(_posting("1"))


def test_the_command_type_counts() -> None:
    @dataclass(frozen=True)
    class Lookalike:
        project_id: UUID
        kind: EntryKind
        category: Category
        amount: str
        occurred_on: date

    twin = Lookalike(PROJECT, EntryKind.BUDGET, Category.LABOUR, "1", date(2027, 1, 4))
    assert fingerprint(twin) != fingerprint(_posting("1"))


def test_sequences_keep_their_order_whatever_their_type() -> None:
    """A meeting's decisions are an ordered list: a tuple and a list of the same items are
    one command, the same items in another order another."""
    person = uuid4()
    item = NewActionItem("Send notes", person, date(2027, 1, 12))

    def meeting(decisions: object, items: object) -> RecordMeeting:
        return RecordMeeting(
            PROJECT, "Kick-off", "kickoff", date(2027, 1, 5), (person,), (), None,
            decisions, items,  # type: ignore[arg-type]
        )  # fmt: skip

    assert fingerprint(meeting(("Go", "Hire"), (item,))) == fingerprint(
        meeting(["Go", "Hire"], [item])
    )
    assert fingerprint(meeting(("Hire", "Go"), (item,))) != fingerprint(
        meeting(("Go", "Hire"), (item,))
    )
    later = NewActionItem("Send notes", person, date(2027, 1, 13))
    assert fingerprint(meeting(("Go",), (later,))) != fingerprint(meeting(("Go",), (item,)))


def test_mappings_and_sets_do_not_depend_on_their_order() -> None:
    @dataclass(frozen=True)
    class Tagged:
        labels: frozenset[str]
        weights: dict[str, Decimal]

    one = Tagged(frozenset({"a", "b", "c"}), {"x": Decimal("1.0"), "y": Decimal("2")})
    two = Tagged(frozenset({"c", "a", "b"}), {"y": Decimal("2.00"), "x": Decimal("1")})
    assert fingerprint(one) == fingerprint(two)


def test_a_locator_field_is_left_out() -> None:
    """REST names a reversal's entry under its project, GraphQL by the entry's id alone:
    the same command, so the same fingerprint (the replay checks the entry is found)."""
    entry = uuid4()
    assert fingerprint(ReverseEntry(PROJECT, entry, "typo")) == fingerprint(
        ReverseEntry(None, entry, "typo")
    )
    assert fingerprint(ReverseEntry(None, entry, "typo")) != fingerprint(
        ReverseEntry(None, uuid4(), "typo")
    )
    a, b = uuid4(), uuid4()
    assert fingerprint(AddDependency(PROJECT, a, b)) == fingerprint(AddDependency(None, a, b))
    kr = uuid4()
    assert fingerprint(CheckInKeyResult(PROJECT, uuid4(), kr, "5")) == fingerprint(
        CheckInKeyResult(None, None, kr, "5.0")
    )


def test_a_created_aggregates_project_is_not_a_locator() -> None:
    def risk(project: UUID) -> CreateRisk:
        return CreateRisk(
            project_id=project, title="R", category="technical", probability=2, impact=3
        )  # type: ignore[arg-type]

    assert fingerprint(risk(PROJECT)) != fingerprint(risk(uuid4()))


def test_what_is_not_a_command_has_no_fingerprint() -> None:
    with pytest.raises(TypeError):
        fingerprint({"amount": "1"})

    @dataclass(frozen=True)
    class Odd:
        value: object

    with pytest.raises(TypeError):
        fingerprint(Odd(object()))
