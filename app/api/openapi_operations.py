"""Every REST operation's operationId (verb + noun, camelCase) and description, in one table.

The ids are what generated clients name their methods and modules after, so they are
short, unique and stable: renaming one is a breaking change for every client. FastAPI
asks ``operation_id`` (its ``generate_unique_id_function``) for each route as it is
included, so a route missing here fails at start-up, not in a client months later.
"""

from __future__ import annotations

from typing import Any

from fastapi.routing import APIRoute

P = "/api/v1/projects/{project_id}"
M = P + "/milestones/{milestone_id}"
O = P + "/objectives/{objective_id}"  # noqa: E741 - a path, not a number
KR = O + "/key-results/{key_result_id}"
W = "/api/v1/webhooks"

# (method, path) -> (operationId, description). Roles: viewer < member < manager < admin.
OPERATIONS: dict[tuple[str, str], tuple[str, str]] = {
    # people
    ("get", "/api/v1/people"): (
        "listPeople",
        "The organization's people by name (viewer). Filter by text in the name or email.",
    ),
    ("post", "/api/v1/people"): (
        "createPerson",
        "Register a person of the organization (admin). The email is unique in the "
        "organization (409 otherwise). Send an Idempotency-Key to retry safely.",
    ),
    ("get", "/api/v1/people/{person_id}"): (
        "getPerson",
        "One person (viewer); the ETag is the person's version, for If-Match on updates.",
    ),
    ("patch", "/api/v1/people/{person_id}"): (
        "updatePerson",
        "Change a person (admin) with a JSON merge-patch: absent fields stay, null clears "
        "an optional field. If-Match with the last ETag refuses a stale write (412).",
    ),
    ("get", "/api/v1/people/available"): (
        "listAvailablePeople",
        "People ordered by free percent over a date range: 100 minus their highest weekly "
        "load across the range (viewer).",
    ),
    ("get", "/api/v1/people/{person_id}/action-items"): (
        "listPersonActionItems",
        "The action items a person owns across the organization's projects, by due date.",
    ),
    ("get", "/api/v1/people/{person_id}/workload"): (
        "getPersonWorkload",
        "A person's load for every ISO week of a date range, with the assignments behind it.",
    ),
    ("get", "/api/v1/workload"): (
        "listWorkloads",
        "Everyone with any load in the range, with their loaded weeks, over-allocated first.",
    ),
    # projects
    ("get", "/api/v1/projects"): (
        "listProjects",
        "The organization's projects, filtered by phase, business area or text, sorted by "
        "the sort parameter, in pages of at most 100.",
    ),
    ("post", "/api/v1/projects"): (
        "createProject",
        "Create a project in the initiation phase (manager). The key is unique in the "
        "organization (409 otherwise). Send an Idempotency-Key to retry safely.",
    ),
    ("get", P): (
        "getProject",
        "One project (viewer); the ETag is the project's version, for If-Match.",
    ),
    ("patch", P): (
        "updateProject",
        "Change a project (manager) with a JSON merge-patch. The phase moves only through "
        "transitions; the currency is fixed once the ledger is used (409).",
    ),
    ("post", P + "/transitions"): (
        "transitionProject",
        "Move the project to another phase (manager). Forward moves pass the gate's "
        "conditions (409 phase_gate_unmet lists the unmet ones) unless forced by an admin; "
        "If-Match refuses a stale move (412).",
    ),
    ("get", P + "/gate"): (
        "getProjectGate",
        "The checklist of the next forward gate: every condition, met or not, with why.",
    ),
    ("get", P + "/activity"): (
        "listProjectActivity",
        "The project's history, newest first: who changed what, and from what to what.",
    ),
    ("get", "/api/v1/activity"): (
        "listEvents",
        "The organization's events, oldest first by seq, after after_seq: poll with the "
        "returned next_after_seq to follow every change.",
    ),
    # reporting
    ("get", "/api/v1/portfolio"): (
        "getPortfolio",
        "Every project of the organization with its health and key figures, by key.",
    ),
    ("get", P + "/health"): (
        "getProjectHealth",
        "The project's health as of today: schedule, budget and risk, each with every "
        "reason that fired, and the figures they were computed from.",
    ),
    ("get", P + "/status-reports"): (
        "listStatusReports",
        "The project's status reports, newest first.",
    ),
    ("post", P + "/status-reports"): (
        "createStatusReport",
        "Write a status report (manager): it snapshots the health and key figures of the "
        "moment; an override replaces the computed overall status with a reason.",
    ),
    ("get", P + "/status-reports/{report_id}"): (
        "getStatusReport",
        "One status report as JSON; with Accept: text/html, a self-contained page.",
    ),
    # risks and issues
    ("get", P + "/risks"): (
        "listRisks",
        "The project's risk register, filtered and sorted (by default highest score first).",
    ),
    ("post", P + "/risks"): (
        "createRisk",
        "Raise a risk (member). Its score is probability x impact; a cost impact needs the "
        "project's currency.",
    ),
    ("get", P + "/risks/{risk_id}"): ("getRisk", "One risk; the ETag is the risk's version."),
    ("patch", P + "/risks/{risk_id}"): (
        "updateRisk",
        "Change a risk (member) with a JSON merge-patch; a new probability or impact is also "
        "recorded as an assessment.",
    ),
    ("get", P + "/risks/{risk_id}/assessments"): (
        "listRiskAssessments",
        "A risk's assessment history, newest first: each change of probability and impact.",
    ),
    ("post", P + "/risks/{risk_id}/assessments"): (
        "assessRisk",
        "Re-assess a risk (member); If-Match names the risk's version. Location is the risk.",
    ),
    ("post", P + "/risks/{risk_id}/occurrence"): (
        "recordRiskOccurrence",
        "Record that the risk occurred (member): the risk is marked occurred and an issue "
        "linked to it is opened; the response is that issue.",
    ),
    ("get", P + "/risk-matrix"): (
        "getRiskMatrix",
        "5 x 5 counts of open and mitigating risks by probability and impact, the suggested "
        "contingency and the risks whose review is overdue.",
    ),
    ("get", P + "/issues"): ("listIssues", "The project's issues, newest first, filtered."),
    ("post", P + "/issues"): ("createIssue", "Log an issue (member)."),
    ("get", P + "/issues/{issue_id}"): ("getIssue", "One issue; the ETag is its version."),
    ("patch", P + "/issues/{issue_id}"): (
        "updateIssue",
        "Change an issue (member) with a JSON merge-patch; resolving needs a resolution.",
    ),
    # milestones and schedule
    ("get", P + "/milestones"): ("listMilestones", "The project's milestones by start date."),
    ("post", P + "/milestones"): (
        "createMilestone",
        "Add a milestone (manager) with its dates and planned value (in the project's currency).",
    ),
    ("get", M): ("getMilestone", "One milestone; the ETag is its version."),
    ("patch", M): (
        "updateMilestone",
        "Change a milestone with a JSON merge-patch: members may report progress and "
        "status, managers re-plan dates and value.",
    ),
    ("delete", M): (
        "deleteMilestone",
        "Delete a milestone (manager); 409 while other milestones depend on it.",
    ),
    ("get", M + "/dependencies"): (
        "listMilestoneDependencies",
        "What the milestone depends on: its predecessors, with type and lag.",
    ),
    ("post", M + "/dependencies"): (
        "createMilestoneDependency",
        "Make the milestone depend on a predecessor of the same project (manager); "
        "422 dependency_cycle names the cycle it would close.",
    ),
    ("get", M + "/dependencies/{predecessor_id}"): (
        "getMilestoneDependency",
        "One dependency of the milestone on a predecessor.",
    ),
    ("delete", M + "/dependencies/{predecessor_id}"): (
        "deleteMilestoneDependency",
        "Remove the dependency on a predecessor (manager).",
    ),
    ("get", P + "/schedule"): (
        "getSchedule",
        "The critical-path schedule: early and late dates, float, the critical path and the "
        "forecast finish, compared with the latest baseline.",
    ),
    ("get", P + "/forecast"): (
        "getForecast",
        "The Monte Carlo forecast (viewer): finish percentiles, the chance of finishing by the "
        "target end date, cost percentiles, each milestone's criticality and sensitivity, and "
        "a 20-bin histogram of finish dates, from the milestones' three-point estimates and the "
        "live risks' schedule and cost impacts. The same seed gives the same result.",
    ),
    ("get", P + "/baselines"): ("listBaselines", "The project's baselines, oldest first."),
    ("post", P + "/baselines"): (
        "createBaseline",
        "Take a baseline (manager): a numbered snapshot of every milestone's dates and "
        "planned value.",
    ),
    ("get", P + "/baselines/{number}"): (
        "getBaseline",
        "One baseline, by number, with its milestones.",
    ),
    # ledger
    ("get", P + "/ledger/entries"): (
        "listLedgerEntries",
        "The project's ledger entries, newest first, filtered by kind, category and dates.",
    ),
    ("post", P + "/ledger/entries"): (
        "createLedgerEntry",
        "Post a ledger entry: budget or commitment (manager) or actual (member). The ledger is "
        "append-only; 422 ledger_negative_total when a kind's total would go negative. "
        "Send an Idempotency-Key so a retry never posts twice.",
    ),
    ("get", P + "/ledger/entries/{entry_id}"): ("getLedgerEntry", "One ledger entry."),
    ("post", P + "/ledger/entries/{entry_id}/reversal"): (
        "reverseLedgerEntry",
        "Reverse an entry (the role its kind needs to post): post its negation, linked to "
        "it; 409 already_reversed.",
    ),
    ("get", P + "/ledger/summary"): (
        "getLedgerSummary",
        "Budget, open commitments, actual, remaining and burn rate, by category and month.",
    ),
    ("get", P + "/earned-value"): (
        "getEarnedValue",
        "Earned value and earned schedule figures as of the end of a date (default today).",
    ),
    # objectives
    ("get", P + "/objectives"): ("listObjectives", "The project's objectives, oldest first."),
    ("post", P + "/objectives"): ("createObjective", "Define an objective (manager)."),
    ("get", O): ("getObjective", "One objective with its key results."),
    ("patch", O): ("updateObjective", "Change an objective (manager) with a JSON merge-patch."),
    ("delete", O): ("deleteObjective", "Delete an objective and its key results (manager)."),
    ("get", O + "/key-results"): (
        "listKeyResults",
        "An objective's key results (at most 25, so always one page).",
    ),
    ("post", O + "/key-results"): (
        "createKeyResult",
        "Add a key result (manager); its target must differ from its baseline.",
    ),
    ("get", KR): ("getKeyResult", "One key result."),
    ("patch", KR): (
        "updateKeyResult",
        "Redefine a key result (manager) with a JSON merge-patch; the current value moves "
        "only by check-ins.",
    ),
    ("delete", KR): ("deleteKeyResult", "Delete a key result (manager)."),
    ("get", KR + "/check-ins"): ("listCheckIns", "A key result's check-ins, newest first."),
    ("post", KR + "/check-ins"): (
        "createCheckIn",
        "Check in a new current value of the key result (member).",
    ),
    # deliverables
    ("get", P + "/deliverables"): ("listDeliverables", "The project's deliverables, oldest first."),
    ("post", P + "/deliverables"): ("createDeliverable", "Record a deliverable (manager)."),
    ("get", P + "/deliverables/{deliverable_id}"): ("getDeliverable", "One deliverable."),
    ("patch", P + "/deliverables/{deliverable_id}"): (
        "updateDeliverable",
        "Change a deliverable's description (manager); its status moves only by decisions.",
    ),
    ("get", P + "/deliverables/{deliverable_id}/decisions"): (
        "listDeliverableDecisions",
        "A deliverable's decisions, newest first.",
    ),
    ("post", P + "/deliverables/{deliverable_id}/decisions"): (
        "decideDeliverable",
        "Accept, reject, waive or reopen a deliverable (a manager or the project's sponsor).",
    ),
    # closure
    ("get", P + "/closure-report"): (
        "getClosureReport",
        "The project's closure report (404 until one is written).",
    ),
    ("put", P + "/closure-report"): (
        "writeClosureReport",
        "Write or rewrite the closure report in the closing phase (manager; 409 wrong_phase "
        "otherwise); it snapshots the final figures.",
    ),
    ("get", "/api/v1/lessons"): (
        "listLessons",
        "What went well and what to improve in the organization's closure reports, "
        "searchable by text and business area.",
    ),
    # team
    ("get", P + "/assignments"): ("listAssignments", "The project's assignments by start date."),
    ("post", P + "/assignments"): (
        "createAssignment",
        "Assign a person to the project for a date range at a percent of their capacity (manager).",
    ),
    ("get", P + "/assignments/{assignment_id}"): ("getAssignment", "One assignment."),
    ("patch", P + "/assignments/{assignment_id}"): (
        "updateAssignment",
        "Change an assignment (manager) with a JSON merge-patch.",
    ),
    ("delete", P + "/assignments/{assignment_id}"): (
        "deleteAssignment",
        "Remove an assignment (manager).",
    ),
    ("get", P + "/stakeholders"): ("listStakeholders", "The project's stakeholders by name."),
    ("post", P + "/stakeholders"): (
        "createStakeholder",
        "Add a stakeholder (manager); influence and interest place them in a quadrant.",
    ),
    ("get", P + "/stakeholders/{stakeholder_id}"): ("getStakeholder", "One stakeholder."),
    ("patch", P + "/stakeholders/{stakeholder_id}"): (
        "updateStakeholder",
        "Change a stakeholder (manager) with a JSON merge-patch.",
    ),
    ("delete", P + "/stakeholders/{stakeholder_id}"): (
        "deleteStakeholder",
        "Remove a stakeholder (manager).",
    ),
    ("get", P + "/meetings"): ("listMeetings", "The project's meetings, newest first."),
    ("post", P + "/meetings"): (
        "createMeeting",
        "Record a meeting with its decisions and action items (manager); attending "
        "stakeholders count as contacted that day.",
    ),
    ("get", P + "/meetings/{meeting_id}"): ("getMeeting", "One meeting with its action items."),
    ("patch", P + "/meetings/{meeting_id}"): (
        "updateMeeting",
        "Change a meeting (manager) with a JSON merge-patch; lists are replaced whole.",
    ),
    ("post", P + "/meetings/{meeting_id}/action-items"): (
        "createActionItem",
        "Add an action item to a meeting (manager).",
    ),
    ("get", P + "/action-items"): (
        "listActionItems",
        "The project's action items by due date, filtered by status, owner or overdue.",
    ),
    ("get", P + "/action-items/{item_id}"): ("getActionItem", "One action item."),
    ("patch", P + "/action-items/{item_id}"): (
        "updateActionItem",
        "Change an action item (manager; its owner may report the status as a member).",
    ),
    # webhooks
    ("get", W + "/event-types"): (
        "listEventTypes",
        "The event types an endpoint can subscribe to.",
    ),
    ("get", W + "/endpoints"): ("listWebhookEndpoints", "The organization's endpoints (admin)."),
    ("post", W + "/endpoints"): (
        "createWebhookEndpoint",
        "Register an endpoint (admin); the response carries its signing secret, only once.",
    ),
    ("get", W + "/endpoints/{endpoint_id}"): ("getWebhookEndpoint", "One endpoint (admin)."),
    ("patch", W + "/endpoints/{endpoint_id}"): (
        "updateWebhookEndpoint",
        "Change the URL or event types (admin); disabled: false re-enables an endpoint.",
    ),
    ("delete", W + "/endpoints/{endpoint_id}"): (
        "deleteWebhookEndpoint",
        "Delete an endpoint and its delivery log (admin).",
    ),
    ("get", W + "/endpoints/{endpoint_id}/deliveries"): (
        "listWebhookDeliveries",
        "The endpoint's deliveries, newest first, with every attempt (admin).",
    ),
    ("post", W + "/deliveries/{delivery_id}/replay"): (
        "replayWebhookDelivery",
        "Send the delivery's event again with the same webhook-id (admin).",
    ),
    # operations
    ("get", "/healthz"): ("getLiveness", "The process is alive; never touches the database."),
    ("get", "/readyz"): (
        "getReadiness",
        "The database is reachable and its migrations are current (503 otherwise).",
    ),
    ("get", "/metrics"): ("getMetrics", "Prometheus metrics in the text exposition format."),
}


def operation_id(route: APIRoute) -> str:
    """FastAPI's ``generate_unique_id_function``: the table's id for the route."""
    method = sorted(route.methods or {"GET"})[0].lower()
    try:
        return OPERATIONS[(method, route.path_format)][0]
    except KeyError:
        raise LookupError(
            f"{method.upper()} {route.path_format} has no operationId: add it to "
            "app/api/openapi_operations.py"
        ) from None


SUCCESS = {
    ("get", "200"): "OK: what was asked for",
    ("post", "200"): "OK: the resource as it now is",
    ("put", "200"): "OK: the resource as it now is",
    ("patch", "200"): "OK: the resource as it now is",
    ("post", "201"): "Created: Location names it (or, for a repeated Idempotency-Key with "
    "the same body, the first answer again)",
    ("put", "201"): "Created",
    ("post", "202"): "Accepted: queued",
    ("delete", "204"): "Deleted; no body",
}


def describe_operations(doc: dict[str, Any]) -> None:
    """Give every operation its description from the table, and its success a meaning."""
    for path, methods in doc.get("paths", {}).items():
        for method, operation in methods.items():
            for status, response in operation.get("responses", {}).items():
                if response.get("description") == "Successful Response":
                    response["description"] = SUCCESS.get((method, status), "OK")
            entry = OPERATIONS.get((method, path))
            if entry is not None:
                operation["description"] = entry[1]
            if "/action-items" in path:  # served by the meetings router, a resource of its own
                operation["tags"] = ["action-items"]
