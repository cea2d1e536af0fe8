"""A service team's full flow through the Python client generated from openapi/openapi.json.

Run by .ci/clients against a served instance: python flow.py BASE_URL TOKEN, with the
generated package (charter_client, by openapi-python-client) importable. Every step
asserts what it gets back, typed by the generated models; headers (ETag, Location,
Idempotent-Replayed, X-Request-ID) come from the response the client returns.
"""

from __future__ import annotations

import sys
import uuid
from datetime import date, timedelta
from decimal import Decimal
from http import HTTPStatus
from typing import TypeVar

from charter_client import AuthenticatedClient
from charter_client.api.ledger import (
    create_ledger_entry,
    get_earned_value,
    get_ledger_summary,
    list_ledger_entries,
)
from charter_client.api.milestones import (
    create_milestone,
    create_milestone_dependency,
    list_milestone_dependencies,
    update_milestone,
)
from charter_client.api.objectives import create_key_result, create_objective
from charter_client.api.operations import get_metrics
from charter_client.api.people import create_person
from charter_client.api.projects import (
    create_project,
    get_project,
    get_project_gate,
    list_project_activity,
    list_projects,
    transition_project,
    update_project,
)
from charter_client.api.risks import create_risk, get_risk, record_risk_occurrence
from charter_client.api.schedule import get_schedule
from charter_client.models import (
    BusinessArea,
    LedgerCategory,
    DependencyCreate,
    DependencyType,
    EntryCreate,
    LedgerEntryKind,
    EntryRead,
    FieldChange,
    GateRead,
    KeyResultCreate,
    MilestoneCreate,
    MilestoneRead,
    MilestoneUpdate,
    ObjectiveCreate,
    OccurrenceCreate,
    PersonCreate,
    PersonRead,
    Phase,
    Problem,
    ProjectCreate,
    ProjectRead,
    ProjectSort,
    ProjectUpdate,
    RiskCategory,
    RiskCreate,
    RiskStatus,
    Severity,
    TransitionRequest,
)
from charter_client.types import Response

T = TypeVar("T")


def ok(response: Response[T | Problem], status: int, kind: type[T]) -> T:
    """The parsed body of a response with the expected status and type."""
    assert response.status_code == status, (response.status_code, response.content[:500])
    assert isinstance(response.parsed, kind), response.parsed
    assert response.headers["X-Request-ID"]  # every response carries one
    return response.parsed


def problem(response: Response[T | Problem], status: int, code: str) -> Problem:
    assert response.status_code == status, (response.status_code, response.content[:500])
    assert isinstance(response.parsed, Problem), response.parsed
    assert response.parsed.code == code, response.parsed
    return response.parsed


def main(base_url: str, token: str) -> None:
    client = AuthenticatedClient(base_url=base_url, token=token, raise_on_unexpected_status=True)
    run = uuid.uuid4().hex[:6].upper()
    today = date.today()

    # A person, then a project without a sponsor: its gate to planning is not met yet.
    r = create_person.sync_detailed(
        client=client,
        body=PersonCreate(
            name="Ada Lovelace", email=f"ada-{run.lower()}@example.com", weekly_capacity_hours="40"
        ),
    )
    person = ok(r, HTTPStatus.CREATED, PersonRead)
    assert r.headers["Location"] == f"/api/v1/people/{person.id}"

    def new_project(key: str) -> ProjectRead:
        r = create_project.sync_detailed(
            client=client,
            body=ProjectCreate(
                key=key,
                name=f"Client flow {key}",
                business_area=BusinessArea.SOFTWARE_DEVELOPMENT,
                currency="EUR",
                start_date=today,
                target_end_date=today + timedelta(days=60),
            ),
        )
        made = ok(r, HTTPStatus.CREATED, ProjectRead)
        assert r.headers["ETag"] == '"1"' and made.phase == Phase.INITIATION
        return made

    project = new_project(f"C{run}")
    pid = project.id
    gate = ok(get_project_gate.sync_detailed(pid, client=client), 200, GateRead)
    assert gate.to == Phase.PLANNING
    unmet = [c.gate for c in gate.conditions if not c.met]
    assert unmet == ["sponsor_named", "objective_defined"], unmet
    refused = problem(
        transition_project.sync_detailed(
            pid, client=client, body=TransitionRequest(to=Phase.PLANNING)
        ),
        409,
        "phase_gate_unmet",
    )
    assert refused.unmet and [u.gate for u in refused.unmet] == unmet

    # Name the sponsor with If-Match (merge-patch); a stale ETag is refused with 412.
    named = update_project.sync_detailed(
        pid, client=client, body=ProjectUpdate(sponsor_id=person.id), if_match='"1"'
    )
    assert ok(named, 200, ProjectRead).sponsor_id == person.id
    assert named.headers["ETag"] == '"2"'
    problem(
        update_project.sync_detailed(
            pid, client=client, body=ProjectUpdate(name="Stale"), if_match='"1"'
        ),
        412,
        "version_conflict",
    )
    objective = create_objective.sync_detailed(
        pid, client=client, body=ObjectiveCreate(name="Quotes answered faster")
    ).parsed
    assert objective is not None and not isinstance(objective, Problem)
    kr = create_key_result.sync_detailed(
        pid,
        objective.id,
        client=client,
        body=KeyResultCreate(name="Median days", unit="days", baseline="14", target="5"),
    )
    assert kr.status_code == 201
    etag = get_project.sync_detailed(pid, client=client).headers["ETag"]
    unchanged = get_project.sync_detailed(pid, client=client, if_none_match=etag)
    assert unchanged.status_code == 304 and unchanged.headers["ETag"] == etag
    moved = transition_project.sync_detailed(
        pid, client=client, body=TransitionRequest(to=Phase.PLANNING), if_match=etag
    )
    assert ok(moved, 200, ProjectRead).phase == Phase.PLANNING
    assert moved.headers["ETag"] == '"3"'

    # Two milestones, the second depending on the first; the schedule chains them.
    def milestone(name: str, start: int, due: int) -> MilestoneRead:
        r = create_milestone.sync_detailed(
            pid,
            client=client,
            body=MilestoneCreate(
                name=name,
                start_date=today + timedelta(days=start),
                due_date=today + timedelta(days=due),
                planned_value="500.00",
            ),
        )
        return ok(r, 201, MilestoneRead)

    build, launch = milestone("Build", 0, 9), milestone("Launch", 10, 20)
    dep = create_milestone_dependency.sync_detailed(
        pid,
        launch.id,
        client=client,
        body=DependencyCreate(predecessor_id=build.id, type_=DependencyType.FINISH_TO_START),
    )
    assert dep.status_code == 201
    assert dep.headers["Location"].endswith(f"/dependencies/{build.id}")
    deps = list_milestone_dependencies.sync_detailed(pid, launch.id, client=client).parsed
    assert deps is not None and not isinstance(deps, Problem)
    assert [d.predecessor_id for d in deps.items] == [build.id]
    schedule = get_schedule.sync_detailed(pid, client=client).parsed
    assert schedule is not None and not isinstance(schedule, Problem)
    assert schedule.critical_path == [build.id, launch.id], schedule.critical_path
    assert schedule.forecast_finish == launch.due_date

    # A risk (score = probability x impact) that occurs: it becomes a linked issue.
    risk = create_risk.sync_detailed(
        pid,
        client=client,
        body=RiskCreate(
            title="Vendor API rate limits", category=RiskCategory.VENDOR, probability=3, impact=4
        ),
    ).parsed
    assert risk is not None and not isinstance(risk, Problem) and risk.score == 12
    issue = record_risk_occurrence.sync_detailed(
        pid, risk.id, client=client, body=OccurrenceCreate(severity=Severity.HIGH)
    ).parsed
    assert issue is not None and not isinstance(issue, Problem) and issue.risk_id == risk.id
    occurred = get_risk.sync_detailed(pid, risk.id, client=client).parsed
    assert occurred is not None and not isinstance(occurred, Problem)
    assert occurred.status == RiskStatus.OCCURRED

    # Ledger postings with Idempotency-Key: a retry replays, it never posts twice.
    def post(entry: EntryCreate, key: str) -> tuple[EntryRead, bool]:
        r = create_ledger_entry.sync_detailed(pid, client=client, body=entry, idempotency_key=key)
        return ok(r, 201, EntryRead), r.headers.get("Idempotent-Replayed") == "true"

    budget = EntryCreate(
        kind=LedgerEntryKind.BUDGET, category=LedgerCategory.LABOUR, amount="1000.00", occurred_on=today
    )
    first, replayed = post(budget, f"budget-{run}")
    again, replayed_again = post(budget, f"budget-{run}")
    assert (replayed, replayed_again) == (False, True) and again.id == first.id
    commitment, _ = post(
        EntryCreate(
            kind=LedgerEntryKind.COMMITMENT,
            category=LedgerCategory.SERVICES,
            amount="300.00",
            occurred_on=today,
        ),
        f"commit-{run}",
    )
    post(
        EntryCreate(
            kind=LedgerEntryKind.ACTUAL,
            category=LedgerCategory.SERVICES,
            amount="200.00",
            occurred_on=today,
            settles=commitment.id,
        ),
        f"actual-{run}",
    )
    entries = list_ledger_entries.sync_detailed(pid, client=client).parsed
    assert entries is not None and not isinstance(entries, Problem)
    assert len(entries.items) == 3
    summary = get_ledger_summary.sync_detailed(pid, client=client).parsed
    assert summary is not None and not isinstance(summary, Problem)
    figures = (summary.budget, summary.actual, summary.open_commitments, summary.remaining)
    assert [Decimal(f) for f in figures] == [Decimal(x) for x in ("1000", "200", "100", "700")]

    # Into execution (a baseline is taken); half of Build done: EV = 250 against AC = 200.
    etag = get_project.sync_detailed(pid, client=client).headers["ETag"]
    moved = transition_project.sync_detailed(
        pid, client=client, body=TransitionRequest(to=Phase.EXECUTION), if_match=etag
    )
    assert ok(moved, 200, ProjectRead).phase == Phase.EXECUTION
    progressed = update_milestone.sync_detailed(
        pid, build.id, client=client, body=MilestoneUpdate(progress=50), if_match='"1"'
    )
    assert ok(progressed, 200, MilestoneRead).progress == 50
    assert progressed.headers["ETag"] == '"2"'
    ev = get_earned_value.sync_detailed(pid, client=client).parsed
    assert ev is not None and not isinstance(ev, Problem)
    assert [Decimal(ev.ev), Decimal(ev.ac), Decimal(ev.bac)] == [Decimal(250), 200, 1000], ev
    assert ev.cpi is not None and Decimal(ev.cpi) == Decimal("1.25")

    # History: the transition's change of phase is typed {from, to}.
    history = list_project_activity.sync_detailed(pid, client=client, limit=100).parsed
    assert history is not None and not isinstance(history, Problem)
    moves = [a.changes["phase"] for a in history.items if a.action == "project.transitioned"]
    assert all(isinstance(m, FieldChange) for m in moves), moves
    assert [(m.from_, m.to) for m in moves if isinstance(m, FieldChange)] == [
        ("planning", "execution"),
        ("initiation", "planning"),
    ]

    # Paging: three projects of this run, one per page, by key descending.
    keys = sorted([project.key, new_project(f"D{run}").key, new_project(f"E{run}").key])
    seen: list[str] = []
    cursor: str | None = None
    while True:
        page = list_projects.sync_detailed(
            client=client, q=run, sort=ProjectSort.KEY_DESC, limit=1, cursor=cursor
        ).parsed
        assert page is not None and not isinstance(page, Problem)
        seen += [p.key for p in page.items]
        if not isinstance(page.next_cursor, str):
            break
        cursor = page.next_cursor
        assert len(seen) <= len(keys), seen
    assert seen == keys[::-1], seen

    # /metrics is text, so the client hands it over instead of failing to parse it.
    metrics = get_metrics.sync_detailed(client=client)
    assert metrics.status_code == 200 and b"charter_http_requests" in metrics.content
    print(f"python client flow passed: project {project.key}, {len(seen)} pages")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
