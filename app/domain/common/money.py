"""Money: exact decimals in an ISO 4217 currency, never floats.

The one place money is rounded and written: every amount, stored or computed, stands at
its currency's minor unit (half to even), and both APIs write it in plain notation.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation

from app.domain.common.errors import CurrencyMismatch, ValidationFailed

# ISO 4217 active codes and their minor units (digits after the decimal point).
_ZERO = "BIF CLP DJF GNF ISK JPY KMF KRW PYG RWF UGX UYI VND VUV XAF XOF XPF"
_THREE = "BHD IQD JOD KWD LYD OMR TND"
_FOUR = "CLF UYW"
_TWO = (
    "AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BMD BND BOB BOV BRL BSD BTN "
    "BWP BYN BZD CAD CDF CHE CHF CHW CNY COP COU CRC CUP CVE CZK DKK DOP DZD EGP ERN ETB "
    "EUR FJD FKP GBP GEL GHS GIP GMD GTQ GYD HKD HNL HTG HUF IDR ILS INR IRR JMD KES KGS "
    "KHR KPW KYD KZT LAK LBP LKR LRD LSL MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN "
    "MXV MYR MZN NAD NGN NIO NOK NPR NZD PAB PEN PGK PHP PKR PLN QAR RON RSD RUB SAR SBD "
    "SCR SDG SEK SGD SHP SLE SOS SRD SSP STN SVC SYP SZL THB TJS TMT TOP TRY TTD TWD TZS "
    "UAH USD USN UYU UZS VED VES WST XCD XCG YER ZAR ZMW ZWG"
)
MINOR_UNITS: dict[str, int] = {
    **{c: 2 for c in _TWO.split()},
    **{c: 0 for c in _ZERO.split()},
    **{c: 3 for c in _THREE.split()},
    **{c: 4 for c in _FOUR.split()},
}

MAX_DIGITS = 18  # numeric(20, 4) in storage: 16 integer digits is far beyond any project


def validate_currency(code: str, field: str = "body.currency") -> str:
    """Return ``code`` if it is an active ISO 4217 currency, else raise ValidationFailed."""
    if code not in MINOR_UNITS:
        raise ValidationFailed.on(field, f"'{code}' is not an ISO 4217 currency code")
    return code


def at_minor_unit(amount: Decimal, currency: str) -> Decimal:
    """Round an amount to the currency's minor unit, half to even (GBP 33.333 -> 33.33)."""
    return amount.quantize(_QUANTA[currency], rounding=ROUND_HALF_EVEN)


def decimal_text(value: Decimal) -> str:
    """Write an exact decimal as both APIs carry it: a plain string, never an exponent."""
    return format(value, "f")


_QUANTA = {code: Decimal(1).scaleb(-places) for code, places in MINOR_UNITS.items()}


@dataclass(frozen=True, order=True)
class Money:
    """An amount at its currency's minor unit: a computed one (a likelihood times a cost, a
    sum of those) is rounded half to even when it is made, so every figure shown is one."""

    amount: Decimal
    currency: str

    def __post_init__(self) -> None:
        object.__setattr__(self, "amount", at_minor_unit(self.amount, self.currency))

    @classmethod
    def parse(cls, raw: str | Decimal, currency: str, field: str = "body.amount") -> Money:
        """Parse an exact amount, refusing more decimal places than the currency allows."""
        validate_currency(currency)
        try:
            amount = raw if isinstance(raw, Decimal) else Decimal(raw)
        except (InvalidOperation, TypeError, ValueError):
            raise ValidationFailed.on(field, 'must be a decimal string such as "1250.00"') from None
        if not amount.is_finite():
            raise ValidationFailed.on(field, "must be a finite decimal")
        exponent = amount.as_tuple().exponent
        places = -exponent if isinstance(exponent, int) and exponent < 0 else 0
        if places > MINOR_UNITS[currency]:
            raise ValidationFailed.on(
                field, f"{currency} allows at most {MINOR_UNITS[currency]} decimal places"
            )
        if amount and amount.adjusted() >= MAX_DIGITS - 4:  # more than 14 integer digits
            raise ValidationFailed.on(field, "is too large")
        return cls(amount, currency)

    @classmethod
    def zero(cls, currency: str) -> Money:
        return cls(Decimal(0), currency)

    def _same(self, other: Money) -> None:
        if other.currency != self.currency:
            raise CurrencyMismatch.on("currency", f"{other.currency} differs from {self.currency}")

    def __add__(self, other: Money) -> Money:
        self._same(other)
        return Money(self.amount + other.amount, self.currency)

    def __sub__(self, other: Money) -> Money:
        self._same(other)
        return Money(self.amount - other.amount, self.currency)

    def __neg__(self) -> Money:
        return Money(-self.amount, self.currency)

    def __str__(self) -> str:
        return decimal_text(self.amount)
