"""Ledger rules and use cases on fakes: totals, reversal, settlement, roles, currency, gate."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from uuid import uuid4

import pytest

from app.domain.common.clock import FixedClock
from app.domain.common.errors import (
    AlreadyReversed,
    CommitmentSettled,
    CurrencyLocked,
    CurrencyMismatch,
    LedgerNegativeTotal,
    NotFound,
    NotReversible,
    PermissionDenied,
    ValidationFailed,
)
from app.domain.common.principal import Principal, Role
from app.domain.ledger import service
from app.domain.ledger.gates import BudgetPositive, CurrencyFixedOnceLedgerUsed
from app.domain.ledger.model import Category, Commitment, EntryKind, LedgerTotals, TotalsDelta
from app.domain.ledger.ports import CategoryTotals, MonthTotals
from app.domain.ledger.summary import summarize
from app.domain.projects import service as projects
from app.domain.projects.gates import Gates
from app.domain.projects.model import BusinessArea, Project
from tests.fakes_ledger import FakeLedgerUnitOfWork

D = Decimal
CLOCK = FixedClock(datetime(2026, 3, 1, 9, 0, tzinfo=UTC))
MANAGER = Principal("pm", "org-1", frozenset({Role.MANAGER}))
MEMBER = Principal("dev", "org-1", frozenset({Role.MEMBER}))
STRANGER = Principal("x", "org-2", frozenset({Role.ADMIN}))


async def _project(uow: FakeLedgerUnitOfWork, currency: str = "EUR") -> Project:
    cmd = projects.CreateProject(
        key="CRM", name="CRM", business_area=BusinessArea.OTHER, currency=currency
    )
    return await projects.create_project(cmd, uow=uow, principal=MANAGER, clock=CLOCK)


async def _post(
    uow: FakeLedgerUnitOfWork,
    project: Project,
    kind: EntryKind,
    amount: str,
    who: Principal = MANAGER,
    **kw: object,
) -> service.LedgerEntry:
    cmd = service.PostEntry(
        project.id,
        kind,
        kw.pop("category", Category.LABOUR),
        amount,
        date(2026, 2, 1),
        **kw,
    )
    return await service.post_entry(cmd, uow=uow, principal=who, clock=CLOCK)


def test_totals_refuse_any_kind_going_negative_and_name_it() -> None:
    totals = LedgerTotals(D(100), D(50), D(20), D(30))
    assert totals.after(TotalsDelta(budget=D(-100))).budget == 0
    with pytest.raises(LedgerNegativeTotal, match="open commitments"):
        totals.after(TotalsDelta(commitments=D(-40), open_commitments=D(-40)))
    with pytest.raises(LedgerNegativeTotal, match="actual"):
        totals.after(TotalsDelta(actual=D("-20.01")))


def test_an_open_commitment_never_goes_below_zero() -> None:
    c = Commitment(uuid4(), uuid4(), Category.HARDWARE, D(300), D(400), False)
    assert c.open == 0
    with pytest.raises(CommitmentSettled):
        c.check_reversible()


def test_burn_rate_is_the_mean_of_the_last_three_months_with_actuals() -> None:
    months = [
        MonthTotals("2025-10", D(0), D(0), D(100)),
        MonthTotals("2025-11", D(0), D(0), D(200)),
        MonthTotals("2025-12", D(500), D(0), D(0)),
        MonthTotals("2026-01", D(0), D(0), D(300)),
        MonthTotals("2026-02", D(0), D(0), D(401)),
    ]
    cats = [CategoryTotals(Category.LABOUR, D(1500), D(25), D(1001))]
    s = summarize(date(2026, 2, 28), "EUR", cats, months)
    assert s.burn_rate == D("300.33")  # (200 + 300 + 401) / 3, half-even to the cent
    assert s.remaining == D(474)
    assert summarize(date(2026, 2, 28), "EUR", [], []).burn_rate is None


async def test_posting_checks_role_currency_places_and_records_history() -> None:
    uow = FakeLedgerUnitOfWork()
    project = await _project(uow, "JPY")
    with pytest.raises(PermissionDenied):
        await _post(uow, project, EntryKind.BUDGET, "100", MEMBER)
    with pytest.raises(CurrencyMismatch):
        await _post(uow, project, EntryKind.BUDGET, "100", currency="EUR")
    with pytest.raises(ValidationFailed) as places:
        await _post(uow, project, EntryKind.BUDGET, "100.5")
    assert places.value.errors[0].field == "amount"
    with pytest.raises(ValidationFailed):
        await _post(uow, project, EntryKind.BUDGET, "0")
    with pytest.raises(NotFound):
        await _post(uow, project, EntryKind.BUDGET, "100", STRANGER)
    entry = await _post(uow, project, EntryKind.BUDGET, "100")
    assert str(entry.amount) == "100"
    await _post(uow, project, EntryKind.ACTUAL, "40", MEMBER)
    assert [a.type for a in uow.activity.entries][-2:] == [
        "ledger_entry.posted",
        "ledger_entry.posted",
    ]


async def test_reversal_once_never_of_a_reversal_and_restores_totals() -> None:
    uow = FakeLedgerUnitOfWork()
    project = await _project(uow)
    budget = await _post(uow, project, EntryKind.BUDGET, "100")
    reversal = await service.reverse_entry(
        service.ReverseEntry(project.id, budget.id, "typo"), uow=uow, principal=MANAGER, clock=CLOCK
    )
    assert reversal.amount.amount == D(-100) and reversal.occurred_on == budget.occurred_on
    assert (await uow.ledger.totals("org-1", project.id)).budget == 0
    with pytest.raises(AlreadyReversed):
        await service.reverse_entry(
            service.ReverseEntry(project.id, budget.id, "x"),
            uow=uow,
            principal=MANAGER,
            clock=CLOCK,
        )
    with pytest.raises(NotReversible):
        await service.reverse_entry(
            service.ReverseEntry(None, reversal.id, "x"), uow=uow, principal=MANAGER, clock=CLOCK
        )
    with pytest.raises(ValidationFailed):
        await service.reverse_entry(
            service.ReverseEntry(None, reversal.id, " "), uow=uow, principal=MANAGER, clock=CLOCK
        )


async def test_settling_caps_at_the_commitment_and_reversal_unsettles() -> None:
    uow = FakeLedgerUnitOfWork()
    project = await _project(uow)
    po = await _post(uow, project, EntryKind.COMMITMENT, "300", category=Category.HARDWARE)
    first = await _post(uow, project, EntryKind.ACTUAL, "120", MEMBER, settles=po.id)
    await _post(uow, project, EntryKind.ACTUAL, "400", MEMBER, settles=po.id)
    totals = await uow.ledger.totals("org-1", project.id)
    assert (totals.commitments, totals.open_commitments, totals.actual) == (D(300), 0, D(520))
    with pytest.raises(CommitmentSettled):
        await service.reverse_entry(
            service.ReverseEntry(project.id, po.id, "x"), uow=uow, principal=MANAGER, clock=CLOCK
        )
    await service.reverse_entry(
        service.ReverseEntry(project.id, first.id, "x"), uow=uow, principal=MEMBER, clock=CLOCK
    )
    assert (await uow.ledger.totals("org-1", project.id)).open_commitments == 0  # 300 - 400
    with pytest.raises(ValidationFailed) as bad:
        await _post(uow, project, EntryKind.ACTUAL, "1", settles=uuid4())
    assert bad.value.errors[0].field == "settles"


async def test_budget_gate_and_currency_lock() -> None:
    uow = FakeLedgerUnitOfWork()
    project = await _project(uow)
    gate = BudgetPositive()
    assert (await gate.evaluate(project, uow)).met is False
    gates = Gates(update_guards=[CurrencyFixedOnceLedgerUsed()])
    change = projects.UpdateProject(project.id, {"currency": "USD"})
    moved = await projects.update_project(
        change, uow=uow, principal=MANAGER, clock=CLOCK, gates=gates
    )
    await _post(uow, moved, EntryKind.BUDGET, "10")
    assert (await gate.evaluate(moved, uow)).met is True
    with pytest.raises(CurrencyLocked):
        await projects.update_project(
            projects.UpdateProject(project.id, {"currency": "GBP"}),
            uow=uow,
            principal=MANAGER,
            clock=CLOCK,
            gates=gates,
        )
    with pytest.raises(LedgerNegativeTotal):
        await _post(uow, moved, EntryKind.BUDGET, "-10.01")


async def test_batched_summaries_and_earned_values_answer_per_project_and_none_for_strangers() -> (
    None
):
    uow = FakeLedgerUnitOfWork()
    project = await _project(uow)
    await _post(uow, project, EntryKind.BUDGET, "900")
    stranger = uuid4()
    summaries = await service.ledger_summaries(
        [stranger, project.id], None, uow=uow, principal=MANAGER, clock=CLOCK
    )
    assert summaries[0] is None and summaries[1] is not None
    assert summaries[1].budget == D(900)
    assert summaries[1] == await service.ledger_summary(
        project.id, None, uow=uow, principal=MANAGER, clock=CLOCK
    )
    values = await service.earned_values(
        [project.id, stranger], None, uow=uow, principal=MANAGER, clock=CLOCK
    )
    assert values[1] is None and values[0] is not None and values[0].bac == D(900)
    with pytest.raises(NotFound):
        await service.project_earned_value(
            project.id, None, uow=uow, principal=STRANGER, clock=CLOCK
        )
