"""REST and GraphQL offer the same use cases (API.md: "every use case is reachable from
both"): every REST operation of the published OpenAPI document maps to a GraphQL field or
mutation, and every GraphQL root field, mutation and list back to a REST operation, except
the differences allowed below, each with its reason. Shared enums carry one name, and the
fields of a record agree between the two (apart from the links GraphQL resolves).

Read from the published contracts (openapi/openapi.json, openapi/schema.graphql), which
``make contracts`` holds equal to the code."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import graphql
from graphql import GraphQLEnumType, GraphQLObjectType

CONTRACTS = Path(__file__).resolve().parents[2] / "openapi"
P = "/api/v1/projects/{project_id}"

# REST operation -> the GraphQL field ("Type.field") or mutation ("Mutation.name") doing it.
REST_TO_GRAPHQL: dict[tuple[str, str], str] = {
    ("GET", "/api/v1/activity"): "Query.activity",
    ("GET", "/api/v1/lessons"): "Query.lessons",
    ("GET", "/api/v1/people"): "Query.people",
    ("POST", "/api/v1/people"): "Mutation.createPerson",
    ("GET", "/api/v1/people/available"): "Query.availablePeople",
    ("GET", "/api/v1/people/{person_id}"): "Query.person",
    ("PATCH", "/api/v1/people/{person_id}"): "Mutation.updatePerson",
    ("GET", "/api/v1/people/{person_id}/action-items"): "Person.actionItems",
    ("GET", "/api/v1/people/{person_id}/workload"): "Person.workload",
    ("GET", "/api/v1/portfolio"): "Query.portfolio",
    ("GET", "/api/v1/workload"): "Query.workload",
    ("GET", "/api/v1/projects"): "Query.projects",
    ("POST", "/api/v1/projects"): "Mutation.createProject",
    ("GET", P): "Query.project",
    ("PATCH", P): "Mutation.updateProject",
    ("POST", f"{P}/transitions"): "Mutation.transitionProject",
    ("GET", f"{P}/gate"): "Project.gate",
    ("GET", f"{P}/activity"): "Project.activity",
    ("GET", f"{P}/action-items"): "Project.actionItems",
    ("PATCH", f"{P}/action-items/{{item_id}}"): "Mutation.updateActionItem",
    ("GET", f"{P}/assignments"): "Project.assignments",
    ("POST", f"{P}/assignments"): "Mutation.createAssignment",
    ("PATCH", f"{P}/assignments/{{assignment_id}}"): "Mutation.updateAssignment",
    ("DELETE", f"{P}/assignments/{{assignment_id}}"): "Mutation.deleteAssignment",
    ("GET", f"{P}/baselines"): "Project.baselines",
    ("POST", f"{P}/baselines"): "Mutation.takeBaseline",
    ("GET", f"{P}/baselines/{{number}}"): "Project.baseline",
    ("GET", f"{P}/closure-report"): "Project.closureReport",
    ("PUT", f"{P}/closure-report"): "Mutation.writeClosureReport",
    ("GET", f"{P}/deliverables"): "Project.deliverables",
    ("POST", f"{P}/deliverables"): "Mutation.createDeliverable",
    ("GET", f"{P}/deliverables/{{deliverable_id}}"): "Query.deliverable",
    ("PATCH", f"{P}/deliverables/{{deliverable_id}}"): "Mutation.updateDeliverable",
    ("GET", f"{P}/deliverables/{{deliverable_id}}/decisions"): "Deliverable.decisions",
    ("POST", f"{P}/deliverables/{{deliverable_id}}/decisions"): "Mutation.decideDeliverable",
    ("GET", f"{P}/earned-value"): "Project.earnedValue",
    ("GET", f"{P}/health"): "Project.health",
    ("GET", f"{P}/issues"): "Project.issues",
    ("POST", f"{P}/issues"): "Mutation.createIssue",
    ("GET", f"{P}/issues/{{issue_id}}"): "Query.issue",
    ("PATCH", f"{P}/issues/{{issue_id}}"): "Mutation.updateIssue",
    ("GET", f"{P}/ledger/entries"): "Project.ledgerEntries",
    ("POST", f"{P}/ledger/entries"): "Mutation.postLedgerEntry",
    ("GET", f"{P}/ledger/entries/{{entry_id}}"): "Query.ledgerEntry",
    ("POST", f"{P}/ledger/entries/{{entry_id}}/reversal"): "Mutation.reverseLedgerEntry",
    ("GET", f"{P}/ledger/summary"): "Project.ledgerSummary",
    ("GET", f"{P}/meetings"): "Project.meetings",
    ("POST", f"{P}/meetings"): "Mutation.recordMeeting",
    ("GET", f"{P}/meetings/{{meeting_id}}"): "Query.meeting",
    ("PATCH", f"{P}/meetings/{{meeting_id}}"): "Mutation.updateMeeting",
    ("POST", f"{P}/meetings/{{meeting_id}}/action-items"): "Mutation.addActionItem",
    ("GET", f"{P}/milestones"): "Project.milestones",
    ("POST", f"{P}/milestones"): "Mutation.createMilestone",
    ("GET", f"{P}/milestones/{{milestone_id}}"): "Query.milestone",
    ("PATCH", f"{P}/milestones/{{milestone_id}}"): "Mutation.updateMilestone",
    ("DELETE", f"{P}/milestones/{{milestone_id}}"): "Mutation.deleteMilestone",
    ("GET", f"{P}/milestones/{{milestone_id}}/dependencies"): "Milestone.dependencies",
    ("POST", f"{P}/milestones/{{milestone_id}}/dependencies"): "Mutation.addMilestoneDependency",
    (
        "DELETE",
        f"{P}/milestones/{{milestone_id}}/dependencies/{{predecessor_id}}",
    ): "Mutation.removeMilestoneDependency",
    ("GET", f"{P}/objectives"): "Project.objectives",
    ("POST", f"{P}/objectives"): "Mutation.createObjective",
    ("PATCH", f"{P}/objectives/{{objective_id}}"): "Mutation.updateObjective",
    ("DELETE", f"{P}/objectives/{{objective_id}}"): "Mutation.deleteObjective",
    ("GET", f"{P}/objectives/{{objective_id}}/key-results"): "Objective.keyResults",
    ("POST", f"{P}/objectives/{{objective_id}}/key-results"): "Mutation.addKeyResult",
    (
        "PATCH",
        f"{P}/objectives/{{objective_id}}/key-results/{{key_result_id}}",
    ): "Mutation.updateKeyResult",
    (
        "DELETE",
        f"{P}/objectives/{{objective_id}}/key-results/{{key_result_id}}",
    ): "Mutation.deleteKeyResult",
    (
        "GET",
        f"{P}/objectives/{{objective_id}}/key-results/{{key_result_id}}/check-ins",
    ): "KeyResult.checkIns",
    (
        "POST",
        f"{P}/objectives/{{objective_id}}/key-results/{{key_result_id}}/check-ins",
    ): "Mutation.checkInKeyResult",
    ("GET", f"{P}/risk-matrix"): "Project.riskMatrix",
    ("GET", f"{P}/risks"): "Project.risks",
    ("POST", f"{P}/risks"): "Mutation.createRisk",
    ("GET", f"{P}/risks/{{risk_id}}"): "Query.risk",
    ("PATCH", f"{P}/risks/{{risk_id}}"): "Mutation.updateRisk",
    ("GET", f"{P}/risks/{{risk_id}}/assessments"): "Risk.assessments",
    ("POST", f"{P}/risks/{{risk_id}}/assessments"): "Mutation.assessRisk",
    ("POST", f"{P}/risks/{{risk_id}}/occurrence"): "Mutation.recordRiskOccurrence",
    ("GET", f"{P}/schedule"): "Project.schedule",
    ("GET", f"{P}/forecast"): "Project.forecast",
    ("GET", f"{P}/stakeholders"): "Project.stakeholders",
    ("POST", f"{P}/stakeholders"): "Mutation.createStakeholder",
    ("PATCH", f"{P}/stakeholders/{{stakeholder_id}}"): "Mutation.updateStakeholder",
    ("DELETE", f"{P}/stakeholders/{{stakeholder_id}}"): "Mutation.deleteStakeholder",
    ("GET", f"{P}/status-reports"): "Project.statusReports",
    ("POST", f"{P}/status-reports"): "Mutation.createStatusReport",
}

NO_LOOKUP = (
    "One record by id without a GraphQL lookup of its own (API.md names the single "
    "lookups): GraphQL reads it in its parent's list, {via}"
)
WEBHOOKS = (
    "Webhooks are an operator's integration set-up (admin) and REST only by API.md; "
    "GraphQL clients get the same events as subscriptions"
)
OPERATIONS = "Operational endpoint outside /api/v1 (process and scrape checks), no use case"

# REST operations with no GraphQL counterpart of their own: (reason, the field serving the
# same data or None).
REST_ONLY: dict[tuple[str, str], tuple[str, str | None]] = {
    ("GET", f"{P}/action-items/{{item_id}}"): (NO_LOOKUP, "Project.actionItems"),
    ("GET", f"{P}/assignments/{{assignment_id}}"): (NO_LOOKUP, "Project.assignments"),
    (
        "GET",
        f"{P}/milestones/{{milestone_id}}/dependencies/{{predecessor_id}}",
    ): (NO_LOOKUP, "Milestone.dependencies"),
    ("GET", f"{P}/objectives/{{objective_id}}"): (NO_LOOKUP, "Project.objectives"),
    (
        "GET",
        f"{P}/objectives/{{objective_id}}/key-results/{{key_result_id}}",
    ): (NO_LOOKUP, "Objective.keyResults"),
    ("GET", f"{P}/stakeholders/{{stakeholder_id}}"): (NO_LOOKUP, "Project.stakeholders"),
    (
        "GET",
        f"{P}/status-reports/{{report_id}}",
    ): (NO_LOOKUP + "; its HTML rendering is a REST representation", "Project.statusReports"),
    ("GET", "/api/v1/webhooks/endpoints"): (WEBHOOKS, None),
    ("POST", "/api/v1/webhooks/endpoints"): (WEBHOOKS, None),
    ("GET", "/api/v1/webhooks/endpoints/{endpoint_id}"): (WEBHOOKS, None),
    ("PATCH", "/api/v1/webhooks/endpoints/{endpoint_id}"): (WEBHOOKS, None),
    ("DELETE", "/api/v1/webhooks/endpoints/{endpoint_id}"): (WEBHOOKS, None),
    ("GET", "/api/v1/webhooks/endpoints/{endpoint_id}/deliveries"): (WEBHOOKS, None),
    ("POST", "/api/v1/webhooks/deliveries/{delivery_id}/replay"): (WEBHOOKS, None),
    ("GET", "/api/v1/webhooks/event-types"): (WEBHOOKS, "Subscription.projectActivity"),
    ("GET", "/healthz"): (OPERATIONS, None),
    ("GET", "/readyz"): (OPERATIONS, None),
    ("GET", "/metrics"): (OPERATIONS, None),
}

# GraphQL operations with no REST operation of their own, and why.
GRAPHQL_ONLY: dict[str, str] = {
    "Query.viewer": "Who the token says the caller is; a REST client reads its own token",
    "Query.projectByKey": "A lookup by key; REST finds a project by key with GET /projects?q=",
    "Milestone.dependents": (
        "The reverse of Milestone.dependencies (a milestone's successors), a graph convenience; "
        "REST lists each milestone's dependencies"
    ),
    "Person.assignments": (
        "A person's assignments across projects; REST lists them per project and in the "
        "person's workload (GET /people/{person_id}/workload)"
    ),
    "Subscription.projectActivity": (
        "Live events over WebSocket; REST clients read GET /projects/{id}/activity or receive "
        "webhooks"
    ),
    "Subscription.organizationActivity": (
        "Live events over WebSocket; REST clients follow GET /activity?after_seq= or receive "
        "webhooks"
    ),
}

# Enum names: one per enum in both contracts (app/api/openapi_names.py renames REST's).
# Record fields REST has and GraphQL does not (or the other way), and why.
FIELDS_REST_ONLY: dict[str, str] = {
    "StatusReport.override": (
        "REST nests the override {overall, reason}; GraphQL has overall and overrideReason"
    ),
    "PortfolioRow.id": "REST flattens the project into the row; GraphQL links `project`",
    "PortfolioRow.key": "REST flattens the project into the row; GraphQL links `project`",
    "PortfolioRow.name": "REST flattens the project into the row; GraphQL links `project`",
    "PortfolioRow.phase": "REST flattens the project into the row; GraphQL links `project`",
    "PortfolioRow.businessArea": "REST flattens the project into the row; GraphQL links `project`",
    "PortfolioRow.manager": "REST flattens the project into the row; GraphQL links `project`",
}


def _contracts() -> tuple[dict[str, Any], graphql.GraphQLSchema]:
    openapi = json.loads((CONTRACTS / "openapi.json").read_text())
    sdl = graphql.build_schema((CONTRACTS / "schema.graphql").read_text())
    return openapi, sdl


def _rest_operations(openapi: dict[str, Any]) -> set[tuple[str, str]]:
    methods = {"get", "post", "put", "patch", "delete"}
    return {
        (method.upper(), path)
        for path, item in openapi["paths"].items()
        for method in item
        if method in methods
    }


def _exists(schema: graphql.GraphQLSchema, coordinate: str) -> bool:
    type_name, _, field = coordinate.partition(".")
    found = schema.get_type(type_name)
    return isinstance(found, GraphQLObjectType) and field in found.fields


def test_every_rest_operation_has_its_graphql_counterpart_or_a_reason() -> None:
    openapi, schema = _contracts()
    operations = _rest_operations(openapi)
    unmapped = sorted(operations - REST_TO_GRAPHQL.keys() - REST_ONLY.keys())
    assert unmapped == [], f"map these to GraphQL or allow them with a reason: {unmapped}"
    stale = sorted((REST_TO_GRAPHQL.keys() | REST_ONLY.keys()) - operations)
    assert stale == [], f"no longer in the OpenAPI document: {stale}"
    assert not REST_TO_GRAPHQL.keys() & REST_ONLY.keys()
    targets = [*REST_TO_GRAPHQL.values(), *(v for _, v in REST_ONLY.values() if v)]
    assert [t for t in targets if not _exists(schema, t)] == []


def _graphql_operations(schema: graphql.GraphQLSchema) -> set[str]:
    """Root fields, mutations, subscriptions and every list a connection pages."""
    found = set()
    for root in (schema.query_type, schema.mutation_type, schema.subscription_type):
        assert root is not None
        found |= {f"{root.name}.{name}" for name in root.fields}
    for name, type_ in schema.type_map.items():
        if isinstance(type_, GraphQLObjectType) and not name.startswith("__"):
            for field_name, field in type_.fields.items():
                named = graphql.get_named_type(field.type)
                if named is not None and named.name.endswith("Connection"):
                    found.add(f"{name}.{field_name}")
    return found


def test_every_graphql_operation_has_its_rest_counterpart_or_a_reason() -> None:
    _, schema = _contracts()
    served = set(REST_TO_GRAPHQL.values())
    unmapped = sorted(_graphql_operations(schema) - served - GRAPHQL_ONLY.keys())
    # A single lookup may answer several REST reads; a mutation answers exactly one command.
    assert unmapped == [], f"map these to REST or allow them with a reason: {unmapped}"
    assert [c for c in GRAPHQL_ONLY if not _exists(schema, c)] == []
    assert not served & GRAPHQL_ONLY.keys()
    mutations = [v for v in REST_TO_GRAPHQL.values() if v.startswith("Mutation.")]
    assert len(mutations) == len(set(mutations)), "one REST command per mutation"


def test_shared_enums_have_one_name_and_the_same_values() -> None:
    openapi, schema = _contracts()

    def gql_name(value: str) -> str:
        # A REST sort value "-score" is GraphQL's SCORE_DESC (an enum value is a name).
        return value[1:].upper() + "_DESC" if value.startswith("-") else value.upper()

    rest = {
        name: sorted(gql_name(v) for v in spec["enum"])
        for name, spec in openapi["components"]["schemas"].items()
        if "enum" in spec
    }
    gql = {
        name: sorted(type_.values)
        for name, type_ in schema.type_map.items()
        if isinstance(type_, GraphQLEnumType) and not name.startswith("__")
    }
    by_values = {tuple(values): name for name, values in gql.items()}
    renamed = {
        name: by_values[tuple(values)]
        for name, values in rest.items()
        if name not in gql and tuple(values) in by_values
    }
    assert renamed == {}, "an enum is named differently in REST and GraphQL"
    differ = {n: (v, gql[n]) for n, v in rest.items() if n in gql and gql[n] != v}
    assert differ == {}


def _camel(name: str) -> str:
    return re.sub(r"_([a-z0-9])", lambda m: m.group(1).upper(), name)


def test_the_fields_of_a_record_agree() -> None:
    """Every field of a REST representation (``XRead``) is on GraphQL's ``X``."""
    openapi, schema = _contracts()
    missing = []
    for name, spec in openapi["components"]["schemas"].items():
        if not name.endswith("Read"):
            continue
        type_ = schema.get_type(name.removesuffix("Read"))
        if not isinstance(type_, GraphQLObjectType):
            continue
        for field in spec.get("properties", {}):
            coordinate = f"{type_.name}.{_camel(field)}"
            if _camel(field) not in type_.fields and coordinate not in FIELDS_REST_ONLY:
                missing.append(coordinate)
    assert missing == []
