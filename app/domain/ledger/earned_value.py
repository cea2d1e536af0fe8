"""Earned value and earned schedule as of a date, exactly as PRODUCT.md defines them.

Days are numbered from the first planned milestone start: k = date - first start + 1
(k = 0 is the day before). Money is rounded to the currency's minor unit with banker's
rounding, ratios and days to 4 places; a ratio whose denominator is zero is None (and
SPI(t) before the first day, where AT <= 0). Without milestones there is no day
numbering: AT, ES, SV(t) and SPI(t) are None.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_EVEN, Decimal, localcontext
from typing import NamedTuple

from app.domain.common.money import at_minor_unit

ZERO = Decimal(0)
FOUR_PLACES = Decimal("0.0001")


class PlannedWork(NamedTuple):
    """One milestone as earned value sees it: planned dates and value, progress at the date
    (a tuple: the earned value of a portfolio builds thousands)."""

    start_date: date
    due_date: date
    planned_value: Decimal
    progress: int  # 0..100 as it stood at the end of the as-of date


@dataclass(frozen=True)
class EarnedValue:
    as_of: date
    currency: str
    bac: Decimal
    pv: Decimal
    ev: Decimal
    ac: Decimal
    cv: Decimal
    sv: Decimal
    cpi: Decimal | None
    spi: Decimal | None
    eac: Decimal | None
    etc: Decimal | None
    vac: Decimal | None
    tcpi: Decimal | None
    actual_time_days: int | None
    earned_schedule_days: Decimal | None
    sv_t_days: Decimal | None
    spi_t: Decimal | None


def _ratio(numerator: Decimal, denominator: Decimal) -> Decimal | None:
    return None if denominator == ZERO else numerator / denominator


def _places(value: Decimal | None) -> Decimal | None:
    return None if value is None else value.quantize(FOUR_PLACES, rounding=ROUND_HALF_EVEN)


class PlannedCurve:
    """PV(k): the planned value earned by the end of day k."""

    def __init__(self, work: list[PlannedWork]) -> None:
        self.first = min((w.start_date for w in work), default=None)
        # (first day number s, duration d, planned value) per milestone
        self.items = [
            (
                (w.start_date - self.first).days + 1 if self.first else 1,
                (w.due_date - w.start_date).days + 1,
                w.planned_value,
            )
            for w in work
        ]
        self.finish = max((s + d - 1 for s, d, _ in self.items), default=0)

    def day(self, on: date) -> int | None:
        return None if self.first is None else (on - self.first).days + 1

    def pv(self, k: int) -> Decimal:
        # Each milestone earns min(max((k - s + 1) / d, 0), 1) of its value: nothing before
        # its start, all of it from its due day, so only those in progress on day k divide.
        total = ZERO
        for s, d, value in self.items:
            elapsed = k - s + 1
            if elapsed <= 0:
                continue
            total += value if elapsed >= d else value * (Decimal(elapsed) / Decimal(d))
        return total

    def earned_schedule(self, ev: Decimal) -> Decimal:
        """ES = C + (EV - PV(C)) / (PV(C+1) - PV(C)), C the largest day (up to the finish)
        with PV(C) <= EV; ES = C where the curve is flat."""
        low, high = 0, self.finish  # PV is non-decreasing: binary search for C
        while low < high:
            mid = (low + high + 1) // 2
            if self.pv(mid) <= ev:
                low = mid
            else:
                high = mid - 1
        c = low
        if c >= self.finish:
            return Decimal(c)
        at_c, next_ = self.pv(c), self.pv(c + 1)
        if next_ == at_c:
            return Decimal(c)
        return Decimal(c) + (ev - at_c) / (next_ - at_c)


def earned_value(
    as_of: date, currency: str, bac: Decimal, ac: Decimal, work: list[PlannedWork]
) -> EarnedValue:
    """Compute every earned value and earned schedule figure as of the end of ``as_of``."""

    def money(value: Decimal) -> Decimal:
        return at_minor_unit(value, currency)

    def maybe(value: Decimal | None) -> Decimal | None:
        return None if value is None else money(value)

    with localcontext() as ctx:
        ctx.prec = 50
        curve = PlannedCurve(work)
        k = curve.day(as_of)
        pv = curve.pv(k) if k is not None else ZERO
        ev = sum((w.planned_value * Decimal(w.progress) / 100 for w in work), ZERO)
        cpi = _ratio(ev, ac)
        spi = _ratio(ev, pv)
        eac = None if cpi is None else _ratio(bac, cpi)
        es = curve.earned_schedule(ev) if k is not None else None
        result = EarnedValue(
            as_of=as_of,
            currency=currency,
            bac=money(bac),
            pv=money(pv),
            ev=money(ev),
            ac=money(ac),
            cv=money(ev - ac),
            sv=money(ev - pv),
            cpi=_places(cpi),
            spi=_places(spi),
            eac=maybe(eac),
            etc=maybe(None if eac is None else eac - ac),
            vac=maybe(None if eac is None else bac - eac),
            tcpi=_places(_ratio(bac - ev, bac - ac)),
            actual_time_days=k,
            earned_schedule_days=_places(es),
            sv_t_days=_places(None if es is None or k is None else es - Decimal(k)),
            # Before the first day (AT <= 0) there is no elapsed time to compare with.
            spi_t=_places(None if es is None or k is None or k <= 0 else es / Decimal(k)),
        )
    return result
