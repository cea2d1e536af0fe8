"""The critical path method on worked examples computed by hand, and properties over random DAGs.

Day k means 2026-01-(k) (day 1 = 1 January 2026). A milestone "X(d) @s" lasts d days
from day s; its finish boundary is F = S + d. Dependencies: FS S_s >= F_p + lag;
SS S_s >= S_p + lag; FF F_s >= F_p + lag; SF F_s >= S_p + lag.
"""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.domain.common.errors import ScheduleOutOfRange
from app.domain.common.money import Money
from app.domain.milestones.model import Dependency, DependencyType, Milestone, MilestoneStatus
from app.domain.milestones.schedule import (
    MilestoneSchedule,
    Schedule,
    compute_schedule,
    forecast_finish,
)

FS = DependencyType.FINISH_TO_START
SS = DependencyType.START_TO_START
FF = DependencyType.FINISH_TO_FINISH
SF = DependencyType.START_TO_FINISH
PROJECT = uuid.uuid4()
NOW = datetime(2026, 1, 1, tzinfo=UTC)
DAY0 = date(2025, 12, 31)


def day(k: int) -> date:
    return DAY0 + timedelta(days=k)


def num(d: date | None) -> int:
    assert d is not None
    return (d - DAY0).days


def ms(
    name: str,
    days: int,
    start: int = 1,
    status: MilestoneStatus = MilestoneStatus.PLANNED,
    completed: int | None = None,
) -> Milestone:
    return Milestone(
        id=uuid.uuid5(PROJECT, name),
        org_id="org",
        project_id=PROJECT,
        name=name,
        description=None,
        owner_id=None,
        start_date=day(start),
        due_date=day(start + days - 1),
        status=status,
        progress=100 if status == MilestoneStatus.DONE else 0,
        completed_on=day(completed) if completed else None,
        planned_value=Money(Decimal(0), "EUR"),
        version=1,
        created_at=NOW,
        updated_at=NOW,
    )


def dep(p: Milestone, s: Milestone, kind: DependencyType = FS, lag: int = 0) -> Dependency:
    return Dependency("org", PROJECT, p.id, s.id, kind, lag, NOW)


def figures(schedule: Schedule, *items: Milestone) -> dict[str, tuple[int, int, int, int, int]]:
    """name -> (ES, EF, LS, LF, float) as day numbers."""
    rows = {r.milestone_id: r for r in schedule.milestones}
    out = {}
    for m in items:
        r = rows[m.id]
        assert r.total_float_days is not None
        out[m.name] = (num(r.es), num(r.ef), num(r.ls), num(r.lf), r.total_float_days)
    return out


def path(schedule: Schedule, *items: Milestone) -> list[str]:
    names = {m.id: m.name for m in items}
    return [names[i] for i in schedule.critical_path]


def test_the_product_example() -> None:
    # A(3); B(2) after A; C(4) after A; D(1) after B and C; all FS, all @1.
    # Forward: A 1/3 (F 4); B 4/5 (F 6); C 4/7 (F 8); D max(6, 8) = 8 -> 8/8. Finish 8.
    # Backward from boundary 9: D LS 9-1 = 8; B LS 8-2 = 6 (LF 7); C LS 8-4 = 4;
    # A LS min(6-3, 4-3) = 1. Floats A 0, B 2, C 0, D 0.
    a, b, c, d = ms("A", 3), ms("B", 2), ms("C", 4), ms("D", 1)
    s = compute_schedule([a, b, c, d], [dep(a, b), dep(a, c), dep(b, d), dep(c, d)])
    assert figures(s, a, b, c, d) == {
        "A": (1, 3, 1, 3, 0),
        "B": (4, 5, 6, 7, 2),
        "C": (4, 7, 4, 7, 0),
        "D": (8, 8, 8, 8, 0),
    }
    assert path(s, a, b, c, d) == ["A", "C", "D"]
    assert s.forecast_finish == day(8)
    assert [r.forecast_finish for r in s.milestones] == [day(3), day(5), day(7), day(8)]


def test_a_chain_is_all_critical() -> None:
    # A(3) -> B(2) -> C(1): A 1/3, B 4/5, C 6/6; every float 0.
    a, b, c = ms("A", 3), ms("B", 2), ms("C", 1)
    s = compute_schedule([c, b, a], [dep(b, c), dep(a, b)])
    assert figures(s, a, b, c) == {
        "A": (1, 3, 1, 3, 0),
        "B": (4, 5, 4, 5, 0),
        "C": (6, 6, 6, 6, 0),
    }
    assert path(s, a, b, c) == ["A", "B", "C"]  # topological, whatever the input order


def test_a_diamond_leaves_float_on_the_short_branch() -> None:
    # A(2) -> B(3) -> D(2); A -> C(1) -> D. A 1/2; B 3/5; C 3/3; D max(6, 4) = 6 -> 6/7.
    # Backward from boundary 8: D LS 6; B LS 6-3 = 3; C LS 6-1 = 5 (float 2); A LS 1.
    a, b, c, d = ms("A", 2), ms("B", 3), ms("C", 1), ms("D", 2)
    s = compute_schedule([a, b, c, d], [dep(a, b), dep(a, c), dep(b, d), dep(c, d)])
    assert figures(s, a, b, c, d) == {
        "A": (1, 2, 1, 2, 0),
        "B": (3, 5, 3, 5, 0),
        "C": (3, 3, 5, 5, 2),
        "D": (6, 7, 6, 7, 0),
    }
    assert path(s, a, b, c, d) == ["A", "B", "D"]


def test_parallel_paths_the_shorter_one_floats() -> None:
    # X(5) alone: 1/5. Y(2) -> Z(1): Y 1/2, Z 3/3. Boundary 6: Z LS 5, Y LS 3: floats 2.
    x, y, z = ms("X", 5), ms("Y", 2), ms("Z", 1)
    s = compute_schedule([x, y, z], [dep(y, z)])
    assert figures(s, x, y, z) == {
        "X": (1, 5, 1, 5, 0),
        "Y": (1, 2, 3, 4, 2),
        "Z": (3, 3, 5, 5, 2),
    }
    assert path(s, x, y, z) == ["X"]


def test_start_to_start_with_a_lag() -> None:
    # A(3) @1; B(4) SS +2: S_B >= 1 + 2 = 3 -> B 3/6. Boundary 7: B LS 3;
    # A LS min(7-3, 3-2) = 1.
    a, b = ms("A", 3), ms("B", 4)
    s = compute_schedule([a, b], [dep(a, b, SS, 2)])
    assert figures(s, a, b) == {"A": (1, 3, 1, 3, 0), "B": (3, 6, 3, 6, 0)}


def test_finish_to_finish_with_a_lag() -> None:
    # A(3) @1, F_A = 4; B(2) FF +1: F_B >= 5 -> S_B >= 3 -> B 3/4. Boundary 5: B LS 3;
    # A LS min(5-3, LS_B + d_B - lag - d_A = 3+2-1-3) = 1.
    a, b = ms("A", 3), ms("B", 2)
    s = compute_schedule([a, b], [dep(a, b, FF, 1)])
    assert figures(s, a, b) == {"A": (1, 3, 1, 3, 0), "B": (3, 4, 3, 4, 0)}


def test_start_to_finish() -> None:
    # A(3) @5; B(2) @1 SF 0: F_B >= S_A = 5 -> S_B >= 3 -> B 3/4. A 5/7. Boundary 8:
    # B LS 8-2 = 6 (float 3); A LS min(8-3, LS_B + d_B - 0 = 8) = 5 (float 0).
    a, b = ms("A", 3, start=5), ms("B", 2)
    s = compute_schedule([a, b], [dep(a, b, SF, 0)])
    assert figures(s, a, b) == {"A": (5, 7, 5, 7, 0), "B": (3, 4, 6, 7, 3)}
    assert path(s, a, b) == ["A"]


def test_a_negative_lag_is_a_lead() -> None:
    # A(4) @1, F_A = 5; B(3) FS -2: S_B >= 3 -> B 3/5. Boundary 6: B LS 3;
    # A LS min(6-4, 3+2-4) = 1. B starts while A is still running.
    a, b = ms("A", 4), ms("B", 3)
    s = compute_schedule([a, b], [dep(a, b, FS, -2)])
    assert figures(s, a, b) == {"A": (1, 4, 1, 4, 0), "B": (3, 5, 3, 5, 0)}


def test_a_positive_lag_waits() -> None:
    # A(2) @1, F_A = 3; B(1) FS +3: S_B >= 6 -> 6/6. A LS min(7-2, 6-3-2) = 1.
    a, b = ms("A", 2), ms("B", 1)
    s = compute_schedule([a, b], [dep(a, b, FS, 3)])
    assert figures(s, a, b) == {"A": (1, 2, 1, 2, 0), "B": (6, 6, 6, 6, 0)}


def test_a_start_date_is_a_start_no_earlier_than_bound() -> None:
    # A(2) @1 -> B(2) @10: ES_B = max(10, 3) = 10 -> 10/11. Boundary 12:
    # A LS min(12-2, 10-2) = 8: float 7. Only B is critical.
    a, b = ms("A", 2), ms("B", 2, start=10)
    s = compute_schedule([a, b], [dep(a, b)])
    assert figures(s, a, b) == {"A": (1, 2, 8, 9, 7), "B": (10, 11, 10, 11, 0)}
    assert path(s, a, b) == ["B"]


def test_a_cancelled_milestone_in_the_middle_passes_constraints_through() -> None:
    # A(3) @1 -> X (cancelled, dated @20 for 5 days) -> B(2) @1, FS.
    # X ignores its dates and takes no time: S = F = max(1, F_A = 4) = 4; B >= 4 -> 4/5.
    # Backward: B LS 4; X LS 4; A LS 4-3 = 1. X is reported null and is not critical.
    a, x, b = ms("A", 3), ms("X", 5, start=20, status=MilestoneStatus.CANCELLED), ms("B", 2)
    s = compute_schedule([a, x, b], [dep(a, x), dep(x, b)])
    assert figures(s, a, b) == {"A": (1, 3, 1, 3, 0), "B": (4, 5, 4, 5, 0)}
    assert [r for r in s.milestones if r.milestone_id == x.id] == [
        MilestoneSchedule(x.id, None, None, None, None, None, None, None)
    ]
    assert path(s, a, x, b) == ["A", "B"]
    assert s.forecast_finish == day(5)


def test_a_cancelled_dead_end_constrains_nothing() -> None:
    # A(3) -> X (cancelled) with lag 10: X sits at day 14 but nothing follows it, so A
    # keeps float 0 and the project still finishes on day 3.
    a, x = ms("A", 3), ms("X", 2, status=MilestoneStatus.CANCELLED)
    s = compute_schedule([a, x], [dep(a, x, FS, 10)])
    assert figures(s, a) == {"A": (1, 3, 1, 3, 0)}
    assert s.forecast_finish == day(3)


def test_a_done_milestone_counts_with_its_actual_finish() -> None:
    # A planned @1 for 3 days but done on day 5: ES 1, EF 5. B(2) FS after A: 6/7.
    # B is forecast after its due date (day 2): pushed by its predecessor.
    a = ms("A", 3, status=MilestoneStatus.DONE, completed=5)
    b = ms("B", 2)
    s = compute_schedule([a, b], [dep(a, b)], {a.id: day(3), b.id: day(2)}, 1)
    assert figures(s, a, b) == {"A": (1, 5, 1, 5, 0), "B": (6, 7, 6, 7, 0)}
    rows = {r.milestone_id: r for r in s.milestones}
    assert (rows[a.id].slippage_days, rows[b.id].slippage_days) == (2, 5)
    assert s.baseline_number == 1


def test_a_single_milestone() -> None:
    # A(5) @3: 3/7, float 0, the whole critical path; the project finishes on day 7.
    a = ms("A", 5, start=3)
    s = compute_schedule([a], [])
    assert figures(s, a) == {"A": (3, 7, 3, 7, 0)}
    assert path(s, a) == ["A"]
    assert s.forecast_finish == day(7)


def test_a_schedule_pushed_past_the_calendar_is_refused() -> None:
    # A ends on 9999-12-31; B must start 5 days later, which no date can express.
    a = replace(ms("A", 2), start_date=date(9999, 12, 30), due_date=date(9999, 12, 31))
    b = ms("B", 1)
    with pytest.raises(ScheduleOutOfRange):
        compute_schedule([a, b], [dep(a, b, FS, 5)])


def test_an_empty_project() -> None:
    assert compute_schedule([], []) == Schedule([], [], None, None)


def test_critical_ties_are_ordered_by_earliest_start_then_name() -> None:
    # Unrelated b(2) @1, a(2) @1, c(1) @2: all end on day 2, so all have float 0.
    # a and b share ES 1, so by name; c (ES 2) comes last.
    b, a, c = ms("b", 2), ms("a", 2), ms("c", 1, start=2)
    s = compute_schedule([b, c, a], [])
    assert path(s, a, b, c) == ["a", "b", "c"]
    assert [r.milestone_id for r in s.milestones] == [a.id, b.id, c.id]


# --- properties over random DAGs ------------------------------------------------------


@st.composite
def networks(draw: st.DrawFn) -> tuple[list[Milestone], list[Dependency]]:
    n = draw(st.integers(1, 12))
    items = [
        ms(
            f"M{i}",
            draw(st.integers(1, 6)),
            start=draw(st.integers(1, 20)),
            status=draw(st.sampled_from([MilestoneStatus.PLANNED, MilestoneStatus.IN_PROGRESS])),
        )
        for i in range(n)
    ]
    pairs = draw(
        st.sets(
            st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)).filter(lambda t: t[0] < t[1]),
            max_size=3 * n,
        )
    )
    edges = [
        dep(
            items[p],
            items[s],
            draw(st.sampled_from(list(DependencyType))),
            draw(st.integers(-3, 5)),
        )
        for p, s in sorted(pairs)
    ]
    order = draw(st.permutations(items))  # the input order must not matter
    return list(order), edges


def _bound(kind: DependencyType, sp: int, fp: int, lag: int, ds: int) -> int:
    """The earliest start the successor may take, given the predecessor's S and F."""
    return {FS: fp + lag, SS: sp + lag, FF: fp + lag - ds, SF: sp + lag - ds}[kind]


@settings(max_examples=300, deadline=None)
@given(networks())
def test_schedule_properties_hold_on_random_networks(
    network: tuple[list[Milestone], list[Dependency]],
) -> None:
    items, edges = network
    s = compute_schedule(items, edges)
    # What the portfolio's health reads: the forward pass alone gives the same finish.
    assert forecast_finish(items, edges) == s.forecast_finish
    rows = {r.milestone_id: r for r in s.milestones}
    dur = {m.id: m.duration_days for m in items}
    es = {i: num(r.es) for i, r in rows.items()}
    ls = {i: num(r.ls) for i, r in rows.items()}
    finish = num(s.forecast_finish) + 1  # the project's finish boundary
    for m in items:
        r = rows[m.id]
        assert r.total_float_days is not None and r.total_float_days >= 0
        assert num(r.ef) == es[m.id] + dur[m.id] - 1
        assert num(r.lf) == ls[m.id] + dur[m.id] - 1 <= finish - 1
        assert es[m.id] >= num(m.start_date)
    for e in edges:
        p, q = e.predecessor_id, e.successor_id
        assert es[q] >= _bound(e.type, es[p], es[p] + dur[p], e.lag_days, dur[q])
        assert ls[q] >= _bound(e.type, ls[p], ls[p] + dur[p], e.lag_days, dur[q])
    for m in items:
        # Tight from the left: its start date or some dependency holds it exactly there.
        incoming = [e for e in edges if e.successor_id == m.id]
        assert es[m.id] == num(m.start_date) or any(
            es[m.id]
            == _bound(
                e.type,
                es[e.predecessor_id],
                es[e.predecessor_id] + dur[e.predecessor_id],
                e.lag_days,
                dur[m.id],
            )
            for e in incoming
        )
        # Tight from the right: it finishes on the project finish, or a successor binds it.
        outgoing = [e for e in edges if e.predecessor_id == m.id]
        assert ls[m.id] + dur[m.id] == finish or any(
            ls[e.successor_id]
            == _bound(e.type, ls[m.id], ls[m.id] + dur[m.id], e.lag_days, dur[e.successor_id])
            for e in outgoing
        )
    assert any(r.total_float_days == 0 and num(r.ef) + 1 == finish for r in s.milestones), (
        "some zero-float milestone finishes on the project finish"
    )
    critical = set(s.critical_path)
    assert critical == {i for i, r in rows.items() if r.total_float_days == 0}
