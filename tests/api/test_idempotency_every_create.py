"""Every creating operation builds the same command from REST and from GraphQL, so one key
runs it once across both (real stack, real PostgreSQL).

For each of the 21 operations that take a key: a REST call with key K, then the
equivalent mutation with K answers the REST call's result (not IDEMPOTENCY_KEY_REUSED,
not a second record), and REST again with K replays its first 201 byte for byte from the
stored domain result (body, Location, ETag).
"""

from __future__ import annotations

import uuid
from typing import Any

import httpx
from graphql import GraphQLEnumType, GraphQLNonNull, GraphQLObjectType, GraphQLScalarType

from tests.api.helpers import gql, make_person, make_project, unique_key
from tests.conftest import Org


def _selection(schema: Any, type_name: str) -> str:
    parts = []
    for name, field in schema.get_type(type_name).fields.items():
        of_type = field.type.of_type if isinstance(field.type, GraphQLNonNull) else field.type
        if isinstance(of_type, GraphQLObjectType) and name != "userErrors":
            leaves = [
                n
                for n, f in of_type.fields.items()
                if not f.args
                and isinstance(
                    f.type.of_type if isinstance(f.type, GraphQLNonNull) else f.type,
                    GraphQLScalarType | GraphQLEnumType,
                )
            ]
            parts.append(f"{name} {{ {' '.join(leaves)} }}")
    return " ".join(parts) + " userErrors { field code message }"


async def test_every_create_runs_once_across_rest_and_graphql(
    app: Any, client: httpx.AsyncClient, org: Org
) -> None:
    schema = app.state.graphql_schema._schema
    project = await make_project(client, org)
    person = await make_person(client, org)
    pid = project["id"]
    base = f"/api/v1/projects/{pid}"
    seen: set[str] = set()

    async def both(path: str, body: dict[str, Any], mutation: str, input: dict[str, Any]) -> Any:
        key = f"{mutation}-{uuid.uuid4().hex}"
        headers = {**org.admin, "Idempotency-Key": key}
        first = await client.post(path, json=body, headers=headers)
        assert first.status_code == 201, (mutation, first.text)
        assert "idempotent-replayed" not in first.headers
        field = schema.mutation_type.fields[mutation]
        query = (
            f"mutation($i: {field.args['input'].type.of_type.name}!) {{ {mutation}(input: $i) "
            f"{{ {_selection(schema, field.type.of_type.name)} }} }}"
        )
        answer = await gql(client, query, org.admin, i={**input, "idempotencyKey": key})
        assert "errors" not in answer, (mutation, answer)
        payload = answer["data"][mutation]
        assert payload["userErrors"] == [], (mutation, payload)
        if "id" in first.json():
            ids = {v.get("id") for v in payload.values() if isinstance(v, dict)}
            assert first.json()["id"] in ids, (mutation, first.json(), payload)
        replay = await client.post(path, json=body, headers=headers)
        assert replay.status_code == 201, (mutation, replay.text)
        assert replay.headers["idempotent-replayed"] == "true"
        assert replay.json() == first.json(), mutation
        for header in ("location", "etag"):
            assert replay.headers.get(header) == first.headers.get(header), (mutation, header)
        seen.add(mutation)
        return first.json()

    email = f"{uuid.uuid4().hex[:8]}@ex.com"
    await both(
        "/api/v1/people", {"name": "Grace", "email": email, "weekly_capacity_hours": "40.0"},
        "createPerson", {"name": "Grace", "email": email},
    )  # fmt: skip
    key = unique_key()
    await both(
        "/api/v1/projects",
        {"key": key, "name": "Twice", "business_area": "other", "currency": "EUR"},
        "createProject", {"key": key, "name": "Twice", "businessArea": "OTHER", "currency": "EUR"},
    )  # fmt: skip
    risk = await both(
        f"{base}/risks",
        {"title": "R", "category": "technical", "probability": 2, "impact": 3,
         "response": "mitigate", "review_on": "2027-03-01", "cost_impact": "100.0"},
        "createRisk",
        {"projectId": pid, "title": "R", "category": "TECHNICAL", "probability": 2, "impact": 3,
         "response": "MITIGATE", "reviewOn": "2027-03-01", "costImpact": "100"},
    )  # fmt: skip
    await both(
        f"{base}/risks/{risk['id']}/assessments", {"probability": 4, "impact": 4},
        "assessRisk", {"id": risk["id"], "probability": 4, "impact": 4},
    )  # fmt: skip
    await both(
        f"{base}/risks/{risk['id']}/occurrence", {"severity": "high"},
        "recordRiskOccurrence", {"id": risk["id"], "severity": "HIGH"},
    )  # fmt: skip
    await both(
        f"{base}/issues", {"title": "I", "severity": "low"},
        "createIssue", {"projectId": pid, "title": "I", "severity": "LOW"},
    )  # fmt: skip
    milestones = []
    for name in ("M1", "M2"):
        made = await both(
            f"{base}/milestones",
            {"name": name, "start_date": "2027-01-04", "due_date": "2027-02-01",
             "planned_value": "100.00"},
            "createMilestone",
            {"projectId": pid, "name": name, "startDate": "2027-01-04", "dueDate": "2027-02-01",
             "plannedValue": "100"},
        )  # fmt: skip
        milestones.append(made["id"])
    await both(
        f"{base}/milestones/{milestones[1]}/dependencies", {"predecessor_id": milestones[0]},
        "addMilestoneDependency", {"milestoneId": milestones[1], "predecessorId": milestones[0]},
    )  # fmt: skip
    await both(f"{base}/baselines", {"name": "B"}, "takeBaseline", {"projectId": pid, "name": "B"})
    entry = await both(
        f"{base}/ledger/entries",
        {"kind": "budget", "category": "labour", "amount": "500.00", "occurred_on": "2027-01-04"},
        "postLedgerEntry",
        {"projectId": pid, "kind": "BUDGET", "category": "LABOUR", "amount": "500",
         "occurredOn": "2027-01-04"},
    )  # fmt: skip
    await both(
        f"{base}/ledger/entries/{entry['id']}/reversal", {"reason": "typo"},
        "reverseLedgerEntry", {"id": entry["id"], "reason": "typo"},
    )  # fmt: skip
    objective = await both(
        f"{base}/objectives", {"name": "O"}, "createObjective", {"projectId": pid, "name": "O"}
    )
    kr = await both(
        f"{base}/objectives/{objective['id']}/key-results",
        {"name": "K", "unit": "%", "baseline": "0", "target": "100"},
        "addKeyResult",
        {"objectiveId": objective["id"], "name": "K", "unit": "%", "baseline": "0.0",
         "target": "100.00"},
    )  # fmt: skip
    await both(
        f"{base}/objectives/{objective['id']}/key-results/{kr['id']}/check-ins", {"value": "50"},
        "checkInKeyResult", {"keyResultId": kr["id"], "value": "50"},
    )  # fmt: skip
    deliverable = await both(
        f"{base}/deliverables", {"name": "D"}, "createDeliverable", {"projectId": pid, "name": "D"}
    )
    await both(
        f"{base}/deliverables/{deliverable['id']}/decisions", {"decision": "accept"},
        "decideDeliverable", {"id": deliverable["id"], "decision": "ACCEPT"},
    )  # fmt: skip
    await both(
        f"{base}/assignments",
        {"person_id": person["id"], "role": "Dev", "allocation_percent": 50,
         "start_date": "2027-01-04", "end_date": "2027-03-01"},
        "createAssignment",
        {"projectId": pid, "personId": person["id"], "role": "Dev", "allocationPercent": 50,
         "startDate": "2027-01-04", "endDate": "2027-03-01"},
    )  # fmt: skip
    stakeholder = await both(
        f"{base}/stakeholders", {"name": "S", "influence": "high", "interest": "low"},
        "createStakeholder", {"projectId": pid, "name": "S", "influence": "HIGH", "interest": "LOW"},
    )  # fmt: skip
    meeting = await both(
        f"{base}/meetings",
        {"title": "Kick-off", "kind": "kickoff", "held_on": "2027-01-05",
         "attendee_person_ids": [person["id"]], "attendee_stakeholder_ids": [stakeholder["id"]],
         "decisions": ["Go"],
         "action_items": [{"title": "A", "owner_id": person["id"], "due_on": "2027-01-12"}]},
        "recordMeeting",
        {"projectId": pid, "title": "Kick-off", "kind": "KICKOFF", "heldOn": "2027-01-05",
         "attendeePersonIds": [person["id"]], "attendeeStakeholderIds": [stakeholder["id"]],
         "decisions": ["Go"],
         "actionItems": [{"title": "A", "ownerId": person["id"], "dueOn": "2027-01-12"}]},
    )  # fmt: skip
    await both(
        f"{base}/meetings/{meeting['id']}/action-items",
        {"title": "B", "owner_id": person["id"], "due_on": "2027-01-19"},
        "addActionItem",
        {"meetingId": meeting["id"], "title": "B", "ownerId": person["id"], "dueOn": "2027-01-19"},
    )  # fmt: skip
    await both(
        f"{base}/status-reports", {"summary": "On track"},
        "createStatusReport", {"projectId": pid, "summary": "On track"},
    )  # fmt: skip
    keyed = {
        name
        for name, field in schema.mutation_type.fields.items()
        if "idempotencyKey" in field.args["input"].type.of_type.fields
    }
    assert keyed == seen
