"""The critical path method over calendar days, as PRODUCT.md defines it.

Days are ordinals. A milestone of duration d starting on day S occupies S .. S+d-1 and
its finish boundary is F = S + d. Dependencies (predecessor p, successor s) require:
FS ``S_s >= F_p + lag``; SS ``S_s >= S_p + lag``; FF ``F_s >= F_p + lag``;
SF ``F_s >= S_p + lag``. One forward and one backward pass over a topological order:
O(V + E). Ordering the result (topological, ties by ES then name) adds O(V log V).

- A ``done`` milestone is fact: ES = its start, EF = its ``completed_on``; its
  predecessors neither push it nor are held back by it ("progress override").
- A ``cancelled`` milestone takes no time and ignores its dates: S = F = the latest of
  the project's earliest start and what its predecessors require. Its links stay, so
  it passes constraints through; with no constrained successor it constrains nothing.
  Its own figures are reported as null and it is never critical.
"""

from __future__ import annotations

import heapq
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import NamedTuple, Protocol
from uuid import UUID

from app.domain.common.errors import ScheduleOutOfRange
from app.domain.milestones.model import DependencyType, MilestoneStatus

FS = DependencyType.FINISH_TO_START
FF = DependencyType.FINISH_TO_FINISH
SF = DependencyType.START_TO_FINISH


class Schedulable(Protocol):
    """What the schedule reads of a milestone (a Milestone, or a lighter ScheduleItem)."""

    @property
    def id(self) -> UUID: ...
    @property
    def name(self) -> str: ...
    @property
    def start_date(self) -> date: ...
    @property
    def due_date(self) -> date: ...
    @property
    def status(self) -> MilestoneStatus: ...
    @property
    def completed_on(self) -> date | None: ...


class Link(Protocol):
    """What the schedule reads of a dependency (a Dependency, or a lighter NetworkLink)."""

    @property
    def predecessor_id(self) -> UUID: ...
    @property
    def successor_id(self) -> UUID: ...
    @property
    def type(self) -> DependencyType: ...
    @property
    def lag_days(self) -> int: ...


class ScheduleItem(NamedTuple):
    """A milestone as the schedule needs it: cheap to read in bulk for large projects."""

    id: UUID
    project_id: UUID
    name: str
    start_date: date
    due_date: date
    status: MilestoneStatus
    completed_on: date | None


class NetworkLink(NamedTuple):
    project_id: UUID
    predecessor_id: UUID
    successor_id: UUID
    type: DependencyType
    lag_days: int


class MilestoneSchedule(NamedTuple):
    milestone_id: UUID
    es: date | None
    ef: date | None
    ls: date | None
    lf: date | None
    total_float_days: int | None
    forecast_finish: date | None
    slippage_days: int | None  # forecast finish - due in the compared baseline


@dataclass(frozen=True)
class Schedule:
    milestones: list[MilestoneSchedule]  # topological order, ties by ES then name
    critical_path: list[UUID]
    forecast_finish: date | None
    baseline_number: int | None = None


def _day(ordinal: int) -> date:
    try:
        return date.fromordinal(ordinal)
    except (ValueError, OverflowError):
        raise ScheduleOutOfRange(
            "Dependencies and lags push the schedule beyond the calendar (year 1 to 9999)"
        ) from None


class _Forward(NamedTuple):
    """The forward pass: what the backward pass and the rows are computed from."""

    order: list[int]  # a topological order
    es: list[int]  # earliest start (ordinal day)
    dur: list[int]
    cancelled: list[bool]
    succs: list[list[tuple[int, int]]]  # (successor, offset): S_s >= S_p + offset
    after: list[list[int]]
    finish: int | None  # the day after the last EF: the project's finish boundary


def _forward(milestones: Sequence[Schedulable], dependencies: Sequence[Link]) -> _Forward:
    n = len(milestones)
    index = {m.id: i for i, m in enumerate(milestones)}
    status = [m.status for m in milestones]
    cancelled = [s == MilestoneStatus.CANCELLED for s in status]
    done = [s == MilestoneStatus.DONE for s in status]
    start = [m.start_date.toordinal() for m in milestones]
    dur = [
        0
        if cancelled[i]
        else (m.completed_on - m.start_date).days + 1
        if done[i] and m.completed_on
        else (m.due_date - m.start_date).days + 1
        for i, m in enumerate(milestones)
    ]
    # Every type reduces to S_s >= S_p + offset once durations are known:
    # FS lag + d_p; SS lag; FF lag + d_p - d_s; SF lag - d_s. Links into a done milestone
    # constrain nothing (it already happened) but still order the network.
    preds: list[list[tuple[int, int]]] = [[] for _ in range(n)]
    succs: list[list[tuple[int, int]]] = [[] for _ in range(n)]
    after: list[list[int]] = [[] for _ in range(n)]
    for d in dependencies:
        p, s = index.get(d.predecessor_id), index.get(d.successor_id)
        if p is None or s is None:
            continue
        after[p].append(s)
        if done[s]:
            continue
        kind = d.type
        offset = d.lag_days
        if kind in (FS, FF):
            offset += dur[p]
        if kind in (FF, SF):
            offset -= dur[s]
        preds[s].append((p, offset))
        succs[p].append((s, offset))

    order = _topological(after)
    live = [start[i] for i in range(n) if not cancelled[i]]
    project_start = min(live or start or [0])

    es = [0] * n
    for i in order:
        best = project_start if cancelled[i] else start[i]
        for p, offset in preds[i]:
            bound = es[p] + offset
            if bound > best:
                best = bound
        es[i] = best

    finishes = [es[i] + dur[i] for i in range(n) if not cancelled[i]]
    finish = max(finishes) if finishes else None
    return _Forward(order, es, dur, cancelled, succs, after, finish)


def forecast_finish(milestones: Sequence[Schedulable], dependencies: Sequence[Link]) -> date | None:
    """The schedule's forecast finish alone (``compute_schedule(...).forecast_finish``),
    from the forward pass only: what health reads of each project of a portfolio."""
    finish = _forward(milestones, dependencies).finish
    return _day(finish - 1) if finish is not None else None


def compute_schedule(
    milestones: Sequence[Schedulable],
    dependencies: Sequence[Link],
    baseline_due: dict[UUID, date] | None = None,
    baseline_number: int | None = None,
) -> Schedule:
    """Compute ES, EF, LS, LF, total float, the critical path and slippage."""
    n = len(milestones)
    order, es, dur, cancelled, succs, after, finish = _forward(milestones, dependencies)

    ls: list[int | None] = [None] * n
    if finish is not None:
        for i in reversed(order):
            latest: int | None = None if cancelled[i] else finish - dur[i]
            for s, offset in succs[i]:
                ls_s = ls[s]
                if ls_s is not None and (latest is None or ls_s - offset < latest):
                    latest = ls_s - offset
            ls[i] = latest

    rows: list[MilestoneSchedule] = []
    critical: list[UUID] = []
    for i in _ordered(milestones, after, es):
        m = milestones[i]
        ls_i = ls[i]
        if cancelled[i] or ls_i is None:
            rows.append(MilestoneSchedule(m.id, None, None, None, None, None, None, None))
            continue
        ef = _day(es[i] + dur[i] - 1)
        due = baseline_due.get(m.id) if baseline_due else None
        slack = ls_i - es[i]
        rows.append(
            MilestoneSchedule(
                milestone_id=m.id,
                es=_day(es[i]),
                ef=ef,
                ls=_day(ls_i),
                lf=_day(ls_i + dur[i] - 1),
                total_float_days=slack,
                forecast_finish=ef,
                slippage_days=(ef - due).days if due is not None else None,
            )
        )
        if slack == 0:
            critical.append(m.id)
    return Schedule(
        milestones=rows,
        critical_path=critical,
        forecast_finish=_day(finish - 1) if finish is not None else None,
        baseline_number=baseline_number,
    )


def _topological(after: list[list[int]]) -> list[int]:
    """Kahn's algorithm; the network is a DAG by construction (edges closing cycles are refused)."""
    indegree = [0] * len(after)
    for targets in after:
        for s in targets:
            indegree[s] += 1
    queue = deque(i for i, k in enumerate(indegree) if k == 0)
    order: list[int] = []
    while queue:
        i = queue.popleft()
        order.append(i)
        for s in after[i]:
            indegree[s] -= 1
            if indegree[s] == 0:
                queue.append(s)
    if len(order) != len(after):
        raise RuntimeError("the dependency network has a cycle")
    return order


def _ordered(milestones: Sequence[Schedulable], after: list[list[int]], es: list[int]) -> list[int]:
    """A topological order that, among the milestones ready at once, takes the earliest ES, then name."""
    indegree = [0] * len(after)
    for targets in after:
        for s in targets:
            indegree[s] += 1
    ready = [
        (es[i], milestones[i].name, milestones[i].id, i) for i, k in enumerate(indegree) if k == 0
    ]
    heapq.heapify(ready)
    order: list[int] = []
    while ready:
        i = heapq.heappop(ready)[3]
        order.append(i)
        for s in after[i]:
            indegree[s] -= 1
            if indegree[s] == 0:
                m = milestones[s]
                heapq.heappush(ready, (es[s], m.name, m.id, s))
    return order
