"""Benchmark: the Monte Carlo forecast's domain function (issue 18).

Run by hand (never part of ``make test``)::

    .venv/bin/python -m bench.forecast [--runs 7]

Two cases, each timed ``--runs`` times after one warm-up, median and best reported:

- ``large``: 10,000 iterations over 2,000 milestones (every one with a three-point estimate)
  and 6,000 dependencies of all four types with lags from -3 to +5 days, plus 50 live risks
  that would delay a milestone; target under 2 s.
- ``demo``: 1,000 iterations over the demo project's plan (app/demo.py: four chained
  milestones with estimates, three risks); target under 100 ms.

Wall time and CPU time (this process) are printed with the load average: on a machine shared
with other work the wall time grows with the load, the CPU time much less. Only the
simulation is timed (the data is already in memory), as ``simulate`` is what runs in
the worker thread; reading the inputs is a few SQL statements, as for the schedule.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import time
import uuid
from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal

from app.demo import BUDGET_PER_PROJECT, PLAN, RISKS, _estimate
from app.domain.forecast.simulation import Estimate, SimMilestone, SimRisk, simulate
from app.domain.milestones.model import DependencyType, MilestoneStatus
from app.domain.milestones.schedule import NetworkLink

PROJECT = uuid.uuid4()


def large(milestones: int = 2000, dependencies: int = 6000) -> Callable[[], object]:
    """A random DAG: each edge from a lower to a higher index, like bench/schedule.py's."""
    rng = random.Random(42)
    base = date(2027, 1, 4)
    items = []
    for i in range(milestones):
        start = base + timedelta(days=rng.randint(0, 300))
        days = rng.randint(1, 30)
        o = max(1, days - rng.randint(0, 3))
        items.append(
            SimMilestone(
                id=uuid.UUID(int=rng.getrandbits(128)),
                name=f"M{i:04d}",
                start_date=start,
                due_date=start + timedelta(days=days - 1),
                status=MilestoneStatus.PLANNED,
                completed_on=None,
                progress=0,
                planned_value=Decimal(rng.randint(1, 100) * 1000),
                estimate=Estimate(o, days, days + rng.randint(0, 20)),
            )
        )
    pairs: set[tuple[int, int]] = set()
    while len(pairs) < dependencies:
        a, b = sorted(rng.sample(range(milestones), 2))
        pairs.add((a, b))
    links = [
        NetworkLink(
            PROJECT, items[a].id, items[b].id, rng.choice(list(DependencyType)), rng.randint(-3, 5)
        )
        for a, b in sorted(pairs)
    ]
    risks = [
        SimRisk(
            uuid.UUID(int=rng.getrandbits(128)),
            rng.randint(1, 5),
            rng.randint(1, 15),
            items[rng.randrange(milestones)].id,
            Decimal(rng.randint(1, 50) * 1000),
        )
        for _ in range(50)
    ]
    return lambda: simulate(
        items, links, risks, actual_to_date=Decimal("125000.00"), currency="EUR",
        target_end_date=base + timedelta(days=365), iterations=10_000, seed=1,
    )  # fmt: skip


def demo() -> Callable[[], object]:
    """The demo project's plan, built as app/demo.py builds it (CRM: 2027-01-04 to 09-30)."""
    start, end = date(2027, 1, 4), date(2027, 9, 30)
    span = (end - start).days
    items, links, by_name = [], [], {}
    for n, (name, share, value_pct, factors) in enumerate(PLAN):
        due = end if n == len(PLAN) - 1 else start + timedelta(days=max(1, int(span * share)) - 1)
        e = _estimate((due - start).days + 1, factors)
        m = SimMilestone(
            uuid.uuid4(), name, start, due, MilestoneStatus.PLANNED, None, 0,
            BUDGET_PER_PROJECT * value_pct / 100,
            Estimate(*e),
        )  # fmt: skip
        if items:
            links.append(
                NetworkLink(PROJECT, items[-1].id, m.id, DependencyType.FINISH_TO_START, 0)
            )
        items.append(m)
        by_name[name] = m.id
        start = due + timedelta(days=1)
    risks = [
        SimRisk(uuid.uuid4(), p, delay, by_name[on], Decimal(cost) if cost else None)
        for _, _, p, _, _, cost, delay, on in RISKS
    ]
    return lambda: simulate(
        items, links, risks, actual_to_date=Decimal(0), currency="EUR", target_end_date=end,
        iterations=1_000, seed=1,
    )  # fmt: skip


def measure(name: str, run: Callable[[], object], runs: int, target: float) -> None:
    run()  # warm-up
    times, cpu = [], []
    for _ in range(runs):
        t, c = time.perf_counter(), time.process_time()
        run()
        times.append(time.perf_counter() - t)
        cpu.append(time.process_time() - c)
    median = statistics.median(times)
    verdict = "under" if median < target else "OVER"
    print(
        f"{name:6} median {median * 1000:8.1f} ms  best {min(times) * 1000:8.1f} ms  "
        f"CPU median {statistics.median(cpu) * 1000:8.1f} ms  "
        f"({verdict} the {target * 1000:.0f} ms target, {runs} runs; load average "
        f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    measure("large", large(), args.runs, 2.0)
    measure("demo", demo(), max(args.runs, 20), 0.1)


if __name__ == "__main__":
    main()
