"""The Monte Carlo forecast of PRODUCT.md "Forecast": a pure function over numpy arrays.

Every quantity is a vector over all iterations at once: durations are an (milestones x
iterations) matrix, sampled in one call; the critical-path forward and backward passes go
once over the milestones in topological order, each step an operation on whole vectors (no
Python loop per iteration). Days are counted from the project's first planned start (day 0),
so a milestone starting on day S with duration d has the finish boundary F = S + d, exactly
as the schedule (app/domain/milestones/schedule.py) writes it, but over fractional days.

numpy is the one non-standard import the domain allows (pyproject's import contract): a
numeric library, not a framework. Money stays exact where it is a fact (the actual cost to
date is added as a Decimal); only the simulated remainder, a statistical estimate, is a float
until its percentiles are rounded to the currency's minor unit.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from uuid import UUID

import numpy as np
import numpy.typing as npt

from app.domain.common.money import Money
from app.domain.milestones.model import DependencyType, MilestoneStatus
from app.domain.milestones.schedule import Link, _day, _topological

Floats = npt.NDArray[np.float64]

LIKELIHOOD = (0.1, 0.3, 0.5, 0.7, 0.9)  # probability levels 1..5, as for expected value
BINS = 20
_EPS = 1e-7  # float slack (in days) under which a milestone counts as critical
_ITERATION_BLOCK = 10000  # iterations per block of the critical-path passes
_BLOCK = 64  # rows per block of sampling and ranking: temporaries stay small (no page faults)


@dataclass(frozen=True)
class Estimate:
    """A three-point duration estimate in days (optimistic <= most likely <= pessimistic)."""

    optimistic: int
    most_likely: int
    pessimistic: int


@dataclass(frozen=True)
class SimMilestone:
    """What the forecast reads of a milestone."""

    id: UUID
    name: str
    start_date: date
    due_date: date
    status: MilestoneStatus
    completed_on: date | None
    progress: int
    planned_value: Decimal
    estimate: Estimate | None


@dataclass(frozen=True)
class SimRisk:
    """What the forecast reads of a live (open or mitigating) risk."""

    id: UUID
    probability: int  # level 1..5
    schedule_impact_days: int | None
    milestone_id: UUID | None
    cost_impact: Decimal | None


@dataclass(frozen=True)
class FinishPercentiles:
    p10: date | None
    p50: date | None
    p80: date | None
    p90: date | None


@dataclass(frozen=True)
class CostPercentiles:
    p50: Money
    p80: Money
    p90: Money


@dataclass(frozen=True)
class MilestoneForecast:
    milestone_id: UUID
    criticality: float  # share of iterations in which it is on the critical path
    sensitivity: float | None  # Spearman of its duration with the finish; None if constant


@dataclass(frozen=True)
class HistogramBin:
    start: date  # "from" in both APIs
    end: date  # "to", inclusive
    count: int


@dataclass(frozen=True)
class Forecast:
    iterations: int
    seed: int
    finish: FinishPercentiles
    probability_on_time: float | None  # None without a target end date or milestones
    cost: CostPercentiles
    currency: str
    milestones: list[MilestoneForecast]
    histogram: list[HistogramBin]
    target_end_date: date | None


def nearest_rank(sorted_values: npt.NDArray[np.float64], percent: int) -> float:
    """The nearest-rank percentile of values sorted ascending: the ceil(P/100 * N)-th."""
    n = len(sorted_values)
    rank = max(1, math.ceil(percent * n / 100))
    return float(sorted_values[rank - 1])


def triangular(
    u: Floats, low: Floats, mode: Floats, high: Floats, out: Floats | None = None
) -> Floats:  # arrays broadcast (milestones x iterations); ``u`` is overwritten when ``out``
    """Inverse CDF of the triangular distribution; a zero-width one (o = m = p) gives o.

    numpy's own ``Generator.triangular`` refuses low == high, which a degenerate estimate is.
    With ``out`` (shaped like ``u``) it works in place: no temporaries of the block's size.
    """
    width = high - low
    with np.errstate(divide="ignore", invalid="ignore"):
        split = np.where(width > 0, (mode - low) / width, 0.0)
    below = u < split
    if out is None:
        out = np.empty_like(u)
        u = u.copy()
    np.multiply(u, width * (mode - low), out=out)
    np.sqrt(out, out=out)
    out += low  # the left branch, kept where u < split
    np.subtract(1.0, u, out=u)
    u *= width * (high - mode)
    np.sqrt(u, out=u)
    np.subtract(high, u, out=u)  # the right branch
    np.copyto(out, u, where=~below)
    return out


def average_ranks(x: Floats) -> Floats:
    """Ranks 0..n-1 of ``x``, ties sharing the mean of their ranks (as Spearman needs)."""
    order = np.argsort(x, kind="stable")
    ordered = x[order]
    first = np.empty(len(x), dtype=bool)
    first[:1] = True
    first[1:] = ordered[1:] != ordered[:-1]
    starts = np.flatnonzero(first)
    counts = np.diff(np.append(starts, len(x)))
    mean = starts + (counts - 1) / 2.0
    ranks = np.empty(len(x))
    ranks[order] = np.repeat(mean, counts)
    return ranks


_SLOT_BITS = 17  # iterations <= 100,000 < 2**17


def _argsort_rows(block: Floats, slots: npt.NDArray[np.int64], keys: npt.NDArray[np.int64]) -> None:
    """Argsort each row of non-negative floats into ``keys``, via numpy's SIMD integer sort.

    A non-negative double's bit pattern orders as an int64 does; its lowest 17 mantissa bits
    (a relative 3e-11) make room for the iteration's slot, so one plain sort of the packed keys
    (several times faster than argsort here) yields the order. Values equal to within that
    precision order by slot, as ranks without ties need anyway.
    """
    np.right_shift(block.view(np.int64), _SLOT_BITS, out=keys)
    np.left_shift(keys, _SLOT_BITS, out=keys)
    keys |= slots
    keys.sort(axis=1)
    keys &= (1 << _SLOT_BITS) - 1


def _spearman(
    durations: Floats, rows: npt.NDArray[np.intp], continuous: npt.NDArray[np.bool_], finish: Floats
) -> Floats:
    """Spearman's rho of each of ``rows`` of ``durations`` with the finish.

    A row drawn from a continuous distribution has no ties (almost surely): its ranks come
    from one argsort, and the sum of rank x centred finish rank is a gather and a dot product
    (no scatter). Other rows (a fixed duration plus discrete risk delays) tie, and take
    average ranks. Rows go in blocks so that the temporaries stay small.
    """
    runs = durations.shape[1]
    f = average_ranks(finish)
    f -= f.mean()
    f_norm = float(f @ f)
    rho = np.full(len(rows), np.nan)
    if f_norm == 0:
        return rho  # the finish never varies: no correlation
    # Ranks 0..N-1 without ties: sum of squares about their mean is N(N^2 - 1)/12.
    perm_norm = runs * (runs * runs - 1) / 12.0
    steps = np.arange(runs, dtype=np.float64)
    fast = np.flatnonzero(continuous)
    slots = np.arange(runs, dtype=np.int64)
    block = np.empty((min(_BLOCK, len(fast)), runs))
    keys = np.empty(block.shape, dtype=np.int64)
    gathered = np.empty(block.shape)
    scale = math.sqrt(perm_norm * f_norm)
    for lo in range(0, len(fast), _BLOCK):
        chunk = fast[lo : lo + _BLOCK]
        k = len(chunk)
        np.take(durations, rows[chunk], axis=0, out=block[:k])
        _argsort_rows(block[:k], slots, keys[:k])
        np.take(f, keys[:k], out=gathered[:k])
        rho[chunk] = np.einsum("ij,j->i", gathered[:k], steps) / scale
    for tied in np.flatnonzero(~continuous):
        r = average_ranks(durations[rows[tied]])
        r -= r.mean()
        norm = float(r @ r)
        if norm > 0:
            rho[tied] = float(r @ f) / math.sqrt(norm * f_norm)
    return rho


def simulate(
    milestones: Sequence[SimMilestone],
    dependencies: Sequence[Link],
    risks: Sequence[SimRisk],
    *,
    actual_to_date: Decimal,
    currency: str,
    target_end_date: date | None,
    iterations: int,
    seed: int,
) -> Forecast:
    """Run ``iterations`` of the schedule with sampled durations and occurring risks."""
    if iterations < 1:
        raise ValueError("iterations must be positive")
    rng = np.random.default_rng(seed)
    ms = sorted(milestones, key=lambda m: m.id)  # a fixed order: the same seed, the same draws
    n, runs = len(ms), iterations
    index = {m.id: i for i, m in enumerate(ms)}
    cancelled = np.array([m.status == MilestoneStatus.CANCELLED for m in ms], dtype=bool)
    done = np.array([m.status == MilestoneStatus.DONE for m in ms], dtype=bool)
    starts = np.array([m.start_date.toordinal() for m in ms], dtype=np.int64)
    live_starts = starts[~cancelled]
    origin = int(live_starts.min()) if len(live_starts) else int(starts.min()) if n else 0
    start = (starts - origin).astype(np.float64)  # "start no earlier than", in days from origin
    planned = np.array([(m.due_date - m.start_date).days + 1 for m in ms], dtype=np.float64)

    # Durations: fixed (planned, actual or zero) unless estimated, then one triangular draw each.
    fixed = planned.copy()
    for i, m in enumerate(ms):
        if cancelled[i]:
            fixed[i] = 0.0
        elif done[i] and m.completed_on is not None:
            fixed[i] = (m.completed_on - m.start_date).days + 1
    sampled = [
        i for i, m in enumerate(ms) if m.estimate is not None and not done[i] and not cancelled[i]
    ]
    durations = np.empty((n, runs))
    for row in np.flatnonzero(~np.isin(np.arange(n), sampled)):
        durations[row].fill(fixed[row])
    if sampled:
        est = [e for e in (ms[i].estimate for i in sampled) if e]
        low = np.array([[e.optimistic] for e in est], dtype=np.float64)
        mode = np.array([[e.most_likely] for e in est], dtype=np.float64)
        high = np.array([[e.pessimistic] for e in est], dtype=np.float64)
        u = np.empty((min(_BLOCK, len(sampled)), runs))
        drawn = np.empty_like(u)
        for lo in range(0, len(sampled), _BLOCK):
            rows = sampled[lo : lo + _BLOCK]
            k = len(rows)
            rng.random(out=u[:k])
            part = slice(lo, lo + k)
            triangular(u[:k], low[part], mode[part], high[part], out=drawn[:k])
            durations[rows] = drawn[:k]
    # Cost: actual + the rest of each milestone not done, scaled by its sampled duration
    # (before risk delays: an occurring risk costs its own cost impact).
    remaining = np.array(
        [
            0.0 if done[i] else float(m.planned_value) * (100 - m.progress) / 100 / planned[i]
            for i, m in enumerate(ms)
        ]
    )
    # einsum, not @: a matrix product goes to BLAS, whose threads spin against each other on
    # a busy machine (measured: twice the time of the whole simulation under load).
    variable = np.einsum("i,ij->j", remaining, durations) if n else np.zeros(runs)

    # Risks: each live one occurs with its level's likelihood, in every iteration independently.
    delayed = np.zeros(n, dtype=bool)
    for risk in sorted(risks, key=lambda r: r.id):
        occurs = rng.random(runs) < LIKELIHOOD[risk.probability - 1]
        if risk.cost_impact:
            variable += occurs * float(risk.cost_impact)
        target = index.get(risk.milestone_id) if risk.milestone_id else None
        if (
            target is not None
            and risk.schedule_impact_days
            and not (done[target] or cancelled[target])
        ):
            durations[target] += occurs * float(risk.schedule_impact_days)
            delayed[target] = True

    es_finish, hits = _passes(n, runs, dependencies, index, start, durations, cancelled, done)
    criticality = hits / runs

    # Finish: the day of the last finish boundary, first planned start + ceil(F) - 1.
    finish_days = np.ceil(es_finish - _EPS) - 1
    spread = np.zeros(n, dtype=bool)
    spread[sampled] = [e.pessimistic > e.optimistic for e in (ms[i].estimate for i in sampled) if e]
    varied = np.flatnonzero(spread | delayed)
    rho = np.full(n, np.nan)
    if len(varied):
        continuous = spread[varied] & ~delayed[varied]
        rho[varied] = _spearman(durations, varied, continuous, es_finish)

    variable.sort()

    def money(p: int) -> Money:
        estimate = Decimal(repr(nearest_rank(variable, p)))
        return Money(actual_to_date + estimate, currency)

    has_finish = n > 0 and bool((~cancelled).any())
    ordered_days = np.sort(finish_days) if has_finish else np.zeros(0)

    def day(p: int) -> date | None:
        if not has_finish:
            return None
        return _day(origin + int(nearest_rank(ordered_days, p)))

    on_time = None
    if has_finish and target_end_date is not None:
        on_time = float(np.mean(finish_days + origin <= target_end_date.toordinal()))
    by_plan = sorted(range(n), key=lambda i: (ms[i].start_date, ms[i].name, ms[i].id))
    return Forecast(
        iterations=runs,
        seed=seed,
        finish=FinishPercentiles(day(10), day(50), day(80), day(90)),
        probability_on_time=on_time,
        cost=CostPercentiles(money(50), money(80), money(90)),
        currency=currency,
        milestones=[
            MilestoneForecast(
                milestone_id=ms[i].id,
                criticality=0.0 if cancelled[i] else float(criticality[i]),
                sensitivity=None if math.isnan(rho[i]) else round(float(rho[i]), 6),
            )
            for i in by_plan
        ],
        histogram=_histogram(ordered_days, origin) if has_finish else [],
        target_end_date=target_end_date,
    )


def _passes(
    n: int,
    runs: int,
    dependencies: Sequence[Link],
    index: dict[UUID, int],
    start: Floats,
    durations: Floats,
    cancelled: npt.NDArray[np.bool_],
    done: npt.NDArray[np.bool_],
) -> tuple[Floats, Floats]:
    """The schedule's forward and backward passes, each milestone a vector of iterations.

    Every type reduces to ``S_s >= S_p + offset``: FS lag + d_p; SS lag; FF lag + d_p - d_s;
    SF lag - d_s. Links into a done milestone order the network but constrain nothing.
    Returns the finish F of every iteration and, per milestone, the number of iterations in
    which its total float LS - ES is zero (a cancelled one is never critical).
    """
    after: list[list[int]] = [[] for _ in range(n)]
    preds: list[list[tuple[int, DependencyType, float]]] = [[] for _ in range(n)]
    succs: list[list[tuple[int, DependencyType, float]]] = [[] for _ in range(n)]
    for d in dependencies:
        p, s = index.get(d.predecessor_id), index.get(d.successor_id)
        if p is None or s is None:
            continue
        after[p].append(s)
        if done[s]:
            continue
        preds[s].append((p, d.type, float(d.lag_days)))
        succs[p].append((s, d.type, float(d.lag_days)))
    order = _topological(after)
    project_start = float(start[~cancelled].min()) if (~cancelled).any() else 0.0

    finish = np.empty(runs)
    hits = np.zeros(n)
    live = ~cancelled
    # Iterations go in blocks whose ES and LS matrices are allocated once and reused: fewer
    # fresh pages to fault in than two (milestones x iterations) matrices, rows that stay in
    # cache, for a few more calls per link.
    width = min(runs, _ITERATION_BLOCK)
    es_all, ls_all = np.empty((n, width)), np.empty((n, width))
    buf_all = np.empty(width)
    for lo in range(0, runs, width):
        hi = min(lo + width, runs)
        dur = durations[:, lo:hi]
        es, ls, buf = es_all[:, : hi - lo], ls_all[:, : hi - lo], buf_all[: hi - lo]

        def bound(
            base: Floats, p: int, s: int, kind: DependencyType, lag: float, sign: int
        ) -> Floats:
            """``base + sign * offset`` into a scratch vector (no allocation per link)."""
            np.add(base, sign * lag, out=buf)  # noqa: B023 (called within this block only)
            if kind in (DependencyType.FINISH_TO_START, DependencyType.FINISH_TO_FINISH):
                buf.__iadd__(dur[p]) if sign > 0 else buf.__isub__(dur[p])  # noqa: B023
            if kind in (DependencyType.FINISH_TO_FINISH, DependencyType.START_TO_FINISH):
                buf.__isub__(dur[s]) if sign > 0 else buf.__iadd__(dur[s])  # noqa: B023
            return buf  # noqa: B023

        end = finish[lo:hi]
        end.fill(-np.inf if live.any() else 0.0)
        for i in order:
            row = es[i]
            row.fill(project_start if cancelled[i] else start[i])
            for p, kind, lag in preds[i]:
                np.maximum(row, bound(es[p], p, i, kind, lag, 1), out=row)
            if live[i]:
                np.add(row, dur[i], out=buf)
                np.maximum(end, buf, out=end)

        # Backward pass, one row of LS at a time, counting the iterations with zero float.
        for i in reversed(order):
            row = ls[i]
            if cancelled[i]:
                row.fill(np.inf)
            else:
                np.subtract(end, dur[i], out=row)
            for s, kind, lag in succs[i]:
                np.minimum(row, bound(ls[s], i, s, kind, lag, -1), out=row)
            if live[i]:
                np.subtract(row, es[i], out=buf)
                hits[i] += np.count_nonzero(buf <= _EPS)
    return finish, hits


def _histogram(ordered_days: Floats, origin: int) -> list[HistogramBin]:
    """Twenty bins of whole days from the earliest finish, each ceil(span / 20) days wide."""
    low, high = int(ordered_days[0]), int(ordered_days[-1])
    width = max(1, math.ceil((high - low + 1) / BINS))
    counts = np.bincount(((ordered_days - low) // width).astype(np.int64), minlength=BINS)
    first = _day(origin + low)
    _day(origin + low + BINS * width)
    return [
        HistogramBin(
            start=first + timedelta(days=k * width),
            end=first + timedelta(days=(k + 1) * width - 1),
            count=int(counts[k]),
        )
        for k in range(BINS)
    ]
