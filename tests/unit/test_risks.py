"""The risk register's rules on the domain alone: bands, EMV, matrix, reviews, use cases."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from decimal import Decimal
from uuid import uuid4

import pytest

from app.domain.common.clock import FixedClock
from app.domain.common.errors import (
    CurrencyMismatch,
    NotFound,
    PermissionDenied,
    RiskNotLive,
    ValidationFailed,
    VersionConflict,
)
from app.domain.common.money import Money
from app.domain.common.paging import PageRequest
from app.domain.common.principal import Principal, Role
from app.domain.projects.model import BusinessArea, Phase, Project
from app.domain.risks import assessments, issue_service, occurrence, service
from app.domain.risks.gates import RiskRegisterReviewed
from app.domain.risks.issues import IssueStatus
from app.domain.risks.matrix import build_matrix
from app.domain.risks.model import (
    Risk,
    RiskCategory,
    RiskFilter,
    RiskResponse,
    RiskStatus,
    Severity,
    expected_value,
    severity_of,
)
from tests.fakes import FakeUnitOfWork

NOW = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)
CLOCK = FixedClock(NOW)
TODAY = NOW.date()
MEMBER = Principal("dev", "org-1", frozenset({Role.MEMBER}))
VIEWER = Principal("eye", "org-1", frozenset({Role.VIEWER}))
STRANGER = Principal("x", "org-2", frozenset({Role.ADMIN}))


def project(**fields: object) -> Project:
    values: dict[str, object] = {
        "id": uuid4(),
        "org_id": "org-1",
        "key": "CRM",
        "name": "CRM",
        "description": None,
        "business_area": BusinessArea.OTHER,
        "sponsor_id": None,
        "manager_id": None,
        "start_date": None,
        "target_end_date": None,
        "currency": "EUR",
        "phase": Phase.PLANNING,
        "held_from": None,
        "no_known_risks": False,
        "version": 1,
        "created_at": NOW,
        "updated_at": NOW,
    }
    values.update(fields)
    return Project(**values)  # type: ignore[arg-type]


def risk(**fields: object) -> Risk:
    values: dict[str, object] = {
        "id": uuid4(),
        "org_id": "org-1",
        "project_id": uuid4(),
        "title": "Vendor late",
        "description": None,
        "category": RiskCategory.VENDOR,
        "probability": 3,
        "impact": 3,
        "owner_id": None,
        "response": RiskResponse.MITIGATE,
        "mitigation": None,
        "contingency": None,
        "trigger": None,
        "review_on": TODAY,
        "status": RiskStatus.OPEN,
        "cost_impact": None,
        "currency": "EUR",
        "version": 1,
        "created_at": NOW,
        "updated_at": NOW,
    }
    values.update(fields)
    return Risk(**values)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("score", "severity"),
    [
        (1, Severity.LOW),
        (4, Severity.LOW),
        (5, Severity.MEDIUM),
        (9, Severity.MEDIUM),
        (10, Severity.HIGH),
        (14, Severity.HIGH),
        (15, Severity.CRITICAL),
        (25, Severity.CRITICAL),
    ],
)
def test_severity_bands_at_every_boundary(score: int, severity: Severity) -> None:
    assert severity_of(score) == severity


@pytest.mark.parametrize("score", [0, 26])
def test_scores_outside_the_matrix_have_no_band(score: int) -> None:
    with pytest.raises(ValueError, match="outside"):
        severity_of(score)


@pytest.mark.parametrize(
    ("probability", "impact", "score", "severity"),
    [
        (1, 4, 4, Severity.LOW),
        (1, 5, 5, Severity.MEDIUM),
        (3, 3, 9, Severity.MEDIUM),
        (2, 5, 10, Severity.HIGH),
        (2, 4, 8, Severity.MEDIUM),
        (3, 5, 15, Severity.CRITICAL),
        (5, 5, 25, Severity.CRITICAL),
    ],
)
def test_a_risk_scores_probability_times_impact(
    probability: int, impact: int, score: int, severity: Severity
) -> None:
    r = risk(probability=probability, impact=impact)
    assert (r.score, r.severity) == (score, severity)


@pytest.mark.parametrize(
    ("probability", "emv"),
    [(1, "100.00"), (2, "300.00"), (3, "500.00"), (4, "700.00"), (5, "900.00")],
)
def test_emv_uses_the_likelihood_of_each_probability_level(probability: int, emv: str) -> None:
    assert expected_value(probability, Money(Decimal("1000.00"), "EUR")) == Money(
        Decimal(emv), "EUR"
    )
    from_risk = risk(probability=probability, cost_impact=Decimal("1000.00"))
    assert from_risk.expected_monetary_value == Money(Decimal(emv), "EUR")


def test_emv_comes_at_the_currency_minor_unit_rounded_half_to_even() -> None:
    assert str(expected_value(1, Money(Decimal("333.33"), "GBP"))) == "33.33"  # 33.333
    assert str(expected_value(1, Money(Decimal("0.05"), "EUR"))) == "0.00"  # 0.005: to even
    assert str(expected_value(1, Money(Decimal("0.15"), "EUR"))) == "0.02"  # 0.015: to even
    assert str(expected_value(2, Money(Decimal("7"), "JPY"))) == "2"  # 2.1
    assert str(expected_value(3, Money(Decimal("5"), "JPY"))) == "2"  # 2.5: to even
    assert str(expected_value(3, Money(Decimal("7"), "JPY"))) == "4"  # 3.5: to even
    assert str(expected_value(4, Money(Decimal("10.001"), "BHD"))) == "7.001"  # 7.0007
    assert str(expected_value(4, Money(Decimal("10"), "JPY"))) == "7"
    assert risk(cost_impact=None).expected_monetary_value is None


def test_review_is_overdue_only_after_its_date_and_only_while_live() -> None:
    assert not risk(review_on=TODAY).review_overdue(TODAY)
    assert risk(review_on=date(2026, 3, 9)).review_overdue(TODAY)
    assert risk(review_on=date(2026, 3, 9), status=RiskStatus.MITIGATING).review_overdue(TODAY)
    for status in (RiskStatus.CLOSED, RiskStatus.OCCURRED):
        assert not risk(review_on=date(2020, 1, 1), status=status).review_overdue(TODAY)


def test_matrix_counts_live_risks_sums_their_emv_and_lists_overdue_reviews() -> None:
    late = risk(probability=2, impact=5, review_on=date(2026, 1, 1), cost_impact=Decimal("10"))
    later = risk(probability=2, impact=5, review_on=date(2026, 3, 1), status=RiskStatus.MITIGATING)
    fresh = risk(probability=5, impact=1, cost_impact=Decimal("0.05"))
    closed = risk(probability=5, impact=5, review_on=date(2020, 1, 1), status=RiskStatus.CLOSED)
    occurred = risk(probability=4, impact=4, cost_impact=Decimal("99"), status=RiskStatus.OCCURRED)
    m = build_matrix([later, fresh, closed, occurred, late], "EUR", TODAY)
    expected = [[0] * 5 for _ in range(5)]
    expected[1][4] = 2
    expected[4][0] = 1
    assert m.cells == expected
    # 30% of 10 + 90% of 0.05 = 3.00 + 0.04 (0.045 at the minor unit, half to even)
    assert str(m.suggested_contingency) == "3.04"
    assert m.currency == "EUR"
    assert m.overdue_reviews == [late.id, later.id]  # longest overdue first


def test_empty_matrix_suggests_zero_in_the_project_currency() -> None:
    m = build_matrix([], "JPY", TODAY)
    assert sum(map(sum, m.cells)) == 0
    assert str(m.suggested_contingency) == "0" and m.overdue_reviews == []


async def _uow_with_project(**fields: object) -> tuple[FakeUnitOfWork, Project]:
    uow = FakeUnitOfWork()
    p = project(**fields)
    await uow.projects.add(p)
    return uow, p


async def test_raising_a_risk_records_the_initial_assessment_and_history() -> None:
    uow, p = await _uow_with_project()
    cmd = service.CreateRisk(p.id, "Vendor late", RiskCategory.VENDOR, 2, 3, cost_impact="12.50")
    created = await service.create_risk(cmd, uow=uow, principal=MEMBER, clock=CLOCK)
    assert created.review_on == date(2026, 4, 9)  # 30 days by the domain clock
    assert created.cost_impact == Decimal("12.50") and created.currency == "EUR"
    [first] = uow.assessments.rows
    assert (first.from_probability, first.to_probability, first.to_impact) == (None, 2, 3)
    assert [e.type for e in uow.activity.entries] == ["risk.created"]
    assert uow.commits == 1


async def test_raising_refuses_viewers_other_currencies_and_foreign_projects() -> None:
    uow, p = await _uow_with_project()
    cmd = service.CreateRisk(p.id, "T", RiskCategory.OTHER, 3, 3)
    with pytest.raises(PermissionDenied):
        await service.create_risk(cmd, uow=uow, principal=VIEWER, clock=CLOCK)
    with pytest.raises(NotFound):
        await service.create_risk(cmd, uow=uow, principal=STRANGER, clock=CLOCK)
    with pytest.raises(CurrencyMismatch):
        await service.create_risk(
            replace(cmd, cost_impact="1.00", currency="USD"), uow=uow, principal=MEMBER, clock=CLOCK
        )
    with pytest.raises(ValidationFailed) as raised:
        await service.create_risk(
            replace(cmd, probability=6, impact=0), uow=uow, principal=MEMBER, clock=CLOCK
        )
    assert [e.field for e in raised.value.errors] == ["probability", "impact"]
    assert uow.risks.rows == {} and uow.commits == 0


async def test_only_changes_of_probability_or_impact_append_assessments() -> None:
    uow, p = await _uow_with_project()
    created = await service.create_risk(
        service.CreateRisk(p.id, "T", RiskCategory.OTHER, 3, 3),
        uow=uow,
        principal=MEMBER,
        clock=CLOCK,
    )
    update = service.UpdateRisk(p.id, created.id, {"description": "more"})
    await service.update_risk(update, uow=uow, principal=MEMBER, clock=CLOCK)
    same = service.UpdateRisk(p.id, created.id, {"probability": 3})
    await service.update_risk(same, uow=uow, principal=MEMBER, clock=CLOCK)
    assert len(uow.assessments.rows) == 1
    changed = service.UpdateRisk(p.id, created.id, {"impact": 5}, expected_version=2)
    updated = await service.update_risk(changed, uow=uow, principal=MEMBER, clock=CLOCK)
    assert (updated.score, updated.version) == (15, 3)
    latest = uow.assessments.rows[-1]
    assert (latest.from_impact, latest.to_impact, latest.assessed_by) == (3, 5, "dev")
    with pytest.raises(VersionConflict):
        await service.update_risk(changed, uow=uow, principal=MEMBER, clock=CLOCK)


async def test_occurrence_opens_one_issue_and_refuses_a_second() -> None:
    uow, p = await _uow_with_project()
    created = await service.create_risk(
        service.CreateRisk(p.id, "T", RiskCategory.OTHER, 3, 3),
        uow=uow,
        principal=MEMBER,
        clock=CLOCK,
    )
    cmd = occurrence.RecordOccurrence(p.id, created.id, Severity.HIGH)
    issue = await occurrence.record_occurrence(cmd, uow=uow, principal=MEMBER, clock=CLOCK)
    assert issue.risk_id == created.id and issue.status == IssueStatus.OPEN
    assert uow.risks.rows[created.id].status == RiskStatus.OCCURRED
    with pytest.raises(RiskNotLive):
        await occurrence.record_occurrence(cmd, uow=uow, principal=MEMBER, clock=CLOCK)
    assert len(uow.issues.rows) == 1


async def test_resolving_an_issue_needs_a_resolution() -> None:
    uow, p = await _uow_with_project()
    issue = await issue_service.create_issue(
        issue_service.CreateIssue(p.id, "Outage", Severity.CRITICAL),
        uow=uow,
        principal=MEMBER,
        clock=CLOCK,
    )
    with pytest.raises(ValidationFailed) as raised:
        await issue_service.update_issue(
            issue_service.UpdateIssue(p.id, issue.id, {"status": IssueStatus.RESOLVED}),
            uow=uow,
            principal=MEMBER,
            clock=CLOCK,
        )
    assert raised.value.errors[0].field == "resolution"
    done = await issue_service.update_issue(
        issue_service.UpdateIssue(
            p.id, issue.id, {"status": IssueStatus.RESOLVED, "resolution": "Restarted"}
        ),
        uow=uow,
        principal=MEMBER,
        clock=CLOCK,
    )
    assert done.status == IssueStatus.RESOLVED and done.version == 2


async def test_matrix_use_case_uses_the_domain_clock_for_overdue_reviews() -> None:
    uow, p = await _uow_with_project()
    due = await service.create_risk(
        service.CreateRisk(p.id, "T", RiskCategory.OTHER, 1, 1, review_on=date(2026, 3, 9)),
        uow=uow,
        principal=MEMBER,
        clock=CLOCK,
    )
    await service.create_risk(
        service.CreateRisk(p.id, "U", RiskCategory.OTHER, 1, 1, review_on=TODAY),
        uow=uow,
        principal=MEMBER,
        clock=CLOCK,
    )
    m = await occurrence.risk_matrix(p.id, uow=uow, principal=VIEWER, clock=CLOCK)
    assert m.overdue_reviews == [due.id] and m.cells[0][0] == 2
    earlier = FixedClock(datetime(2026, 3, 9, tzinfo=UTC))
    assert (
        await occurrence.risk_matrix(p.id, uow=uow, principal=VIEWER, clock=earlier)
    ).overdue_reviews == []
    # The batched form answers the same per project, and None for an id it cannot see.
    stranger = uuid4()
    batch = await occurrence.risk_matrices([stranger, p.id], uow=uow, principal=VIEWER, clock=CLOCK)
    assert batch == [None, m]
    page = await service.list_risks(
        p.id,
        RiskFilter(overdue_review=True),
        "-score",
        PageRequest(),
        uow=uow,
        principal=VIEWER,
        clock=CLOCK,
    )
    assert [r.id for r in page.items] == [due.id]


async def test_risk_gate_is_met_by_a_risk_or_by_no_known_risks() -> None:
    uow, p = await _uow_with_project()
    gate = RiskRegisterReviewed()
    assert gate.entering == Phase.EXECUTION
    assert not (await gate.evaluate(p, uow)).met
    assert (await gate.evaluate(replace(p, no_known_risks=True), uow)).met
    await service.create_risk(
        service.CreateRisk(p.id, "T", RiskCategory.OTHER, 1, 1),
        uow=uow,
        principal=MEMBER,
        clock=CLOCK,
    )
    closed = next(iter(uow.risks.rows.values()))
    uow.risks.rows[closed.id] = replace(closed, status=RiskStatus.CLOSED)
    assert (await gate.evaluate(p, uow)).met  # a reviewed register may hold only closed risks


async def test_assessing_records_from_and_to_even_when_confirming_the_same_levels() -> None:
    uow, p = await _uow_with_project()
    created = await service.create_risk(
        service.CreateRisk(p.id, "T", RiskCategory.OTHER, 2, 2),
        uow=uow,
        principal=MEMBER,
        clock=CLOCK,
    )
    cmd = assessments.AssessRisk(None, created.id, 4, 5, "Worse", expected_version=1)
    updated, assessment = await assessments.assess_risk(cmd, uow=uow, principal=MEMBER, clock=CLOCK)
    assert (updated.severity, updated.version) == (Severity.CRITICAL, 2)
    assert (assessment.from_score, assessment.to_score, assessment.note) == (4, 20, "Worse")
    same = assessments.AssessRisk(p.id, created.id, 4, 5)
    await assessments.assess_risk(same, uow=uow, principal=MEMBER, clock=CLOCK)
    assert len(uow.assessments.rows) == 3  # initial, worse, confirmed
    with pytest.raises(ValidationFailed):
        await assessments.assess_risk(
            assessments.AssessRisk(p.id, created.id, 0, 5), uow=uow, principal=MEMBER, clock=CLOCK
        )
    with pytest.raises(PermissionDenied):
        await assessments.assess_risk(same, uow=uow, principal=VIEWER, clock=CLOCK)
    with pytest.raises(NotFound):
        await assessments.assess_risk(same, uow=uow, principal=STRANGER, clock=CLOCK)
