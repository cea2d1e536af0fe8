"""Value objects and shared rules: money, currencies, keys, cursors, roles."""

from __future__ import annotations

from decimal import Decimal

import pytest

from app.domain.common.errors import CurrencyMismatch, PermissionDenied, ValidationFailed
from app.domain.common.money import Money, validate_currency
from app.domain.common.paging import decode_cursor, encode_cursor, page_request
from app.domain.common.principal import Principal, Role
from app.domain.projects.model import check_key


@pytest.mark.parametrize(
    ("raw", "currency"), [("1250.00", "GBP"), ("7", "JPY"), ("0.125", "BHD"), ("-3.5", "EUR")]
)
def test_money_accepts_amounts_within_the_currency_minor_unit(raw: str, currency: str) -> None:
    assert Money.parse(raw, currency).amount == Decimal(raw)


@pytest.mark.parametrize(("raw", "currency"), [("1.001", "GBP"), ("7.5", "JPY"), ("0.1255", "BHD")])
def test_money_refuses_more_decimal_places_than_the_currency_has(raw: str, currency: str) -> None:
    with pytest.raises(ValidationFailed) as caught:
        Money.parse(raw, currency)
    assert caught.value.errors[0].field == "body.amount"


@pytest.mark.parametrize("raw", ["abc", "NaN", "Infinity", "", "1e400000"])
def test_money_refuses_what_is_not_a_finite_decimal(raw: str) -> None:
    with pytest.raises(ValidationFailed):
        Money.parse(raw, "EUR")


def test_money_arithmetic_refuses_mixed_currencies_and_rounds_half_even() -> None:
    with pytest.raises(CurrencyMismatch):
        Money(Decimal(1), "EUR") + Money(Decimal(1), "USD")
    assert str(Money(Decimal("2.345"), "EUR")) == "2.34"
    assert str(Money(Decimal("2.355"), "EUR")) == "2.36"
    assert str(Money(Decimal("2.5"), "JPY")) == "2"


@pytest.mark.parametrize("code", ["XXX", "EURO", "eur", "", "ZWL"])
def test_unknown_currency_codes_are_refused(code: str) -> None:
    with pytest.raises(ValidationFailed):
        validate_currency(code)


@pytest.mark.parametrize("key", ["AB", "CRM", "A123456789", "X9"])
def test_valid_project_keys(key: str) -> None:
    assert check_key(key) == key


@pytest.mark.parametrize("key", ["A", "ab", "1AB", "A-B", "ABCDEFGHIJK", "AB ", "ÄB"])
def test_invalid_project_keys(key: str) -> None:
    with pytest.raises(ValidationFailed):
        check_key(key)


def test_cursors_round_trip_and_garbage_is_a_validation_error() -> None:
    assert decode_cursor(encode_cursor(["b", "2026-01-01", 3])) == ["b", "2026-01-01", 3]
    for bad in ("%%%", "e30", "bnVsbA", "W10"):  # not base64, {}, null, []
        with pytest.raises(ValidationFailed):
            decode_cursor(bad)
    with pytest.raises(ValidationFailed) as caught:
        page_request(0, None)
    assert caught.value.errors[0].field == "query.limit"


def test_roles_are_ordered_and_the_highest_counts() -> None:
    p = Principal("u", "o", frozenset({Role.VIEWER, Role.MANAGER}))
    p.require(Role.MEMBER)
    with pytest.raises(PermissionDenied):
        p.require(Role.ADMIN)
    with pytest.raises(PermissionDenied):
        Principal("u", "o", frozenset()).require(Role.VIEWER)
