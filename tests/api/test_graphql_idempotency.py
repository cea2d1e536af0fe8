"""``idempotencyKey`` on every GraphQL create mutation, in REST's store (real PostgreSQL)."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
from graphql import GraphQLEnumType, GraphQLNonNull, GraphQLObjectType, GraphQLScalarType

from tests.api.helpers import gql, make_person, make_project, unique_key
from tests.conftest import Org

POST = """
mutation($input: PostLedgerEntryInput!) {
  postLedgerEntry(input: $input) {
    entry { id amount kind createdAt }
    userErrors { field code message }
  }
}
"""
COUNT = """query($id: ID!) { project(id: $id) { ledgerEntries { totalCount } } }"""


def _entry(project_id: str, key: str | None, amount: str = "1000.00") -> dict[str, Any]:
    body: dict[str, Any] = {
        "projectId": project_id,
        "kind": "BUDGET",
        "category": "LABOUR",
        "amount": amount,
        "occurredOn": "2027-01-04",
    }
    if key is not None:
        body["idempotencyKey"] = key
    return body


async def _count(client: httpx.AsyncClient, org: Org, project_id: str) -> int:
    data = await gql(client, COUNT, org.viewer, id=project_id)
    return int(data["data"]["project"]["ledgerEntries"]["totalCount"])


async def test_the_same_key_twice_posts_one_ledger_entry(
    client: httpx.AsyncClient, org: Org
) -> None:
    project = await make_project(client, org)
    key = uuid.uuid4().hex
    first = await gql(client, POST, org.manager, input=_entry(project["id"], key))
    again = await gql(client, POST, org.manager, input=_entry(project["id"], key))
    assert first["data"]["postLedgerEntry"]["userErrors"] == []
    assert again == first  # the same entry, id and creation time included
    assert await _count(client, org, project["id"]) == 1
    # Without a key, each call posts.
    await gql(client, POST, org.manager, input=_entry(project["id"], None))
    await gql(client, POST, org.manager, input=_entry(project["id"], None))
    assert await _count(client, org, project["id"]) == 3


async def test_the_same_key_with_another_input_is_refused_and_changes_nothing(
    client: httpx.AsyncClient, org: Org
) -> None:
    project = await make_project(client, org)
    key = uuid.uuid4().hex
    await gql(client, POST, org.manager, input=_entry(project["id"], key))
    other = await gql(client, POST, org.manager, input=_entry(project["id"], key, "2000.00"))
    assert other["data"]["postLedgerEntry"] == {
        "entry": None,
        "userErrors": [
            {
                "field": "idempotencyKey",
                "code": "IDEMPOTENCY_KEY_REUSED",
                "message": "was already used with a different request",
            }
        ],
    }
    # Another mutation with the key is another request too.
    create = """mutation($i: CreateObjectiveInput!) {
      createObjective(input: $i) { objective { id } userErrors { field code } } }"""
    objective = await gql(
        client,
        create,
        org.manager,
        i={"projectId": project["id"], "name": "O", "idempotencyKey": key},
    )
    assert objective["data"]["createObjective"]["userErrors"] == [
        {"field": "idempotencyKey", "code": "IDEMPOTENCY_KEY_REUSED"}
    ]
    assert await _count(client, org, project["id"]) == 1


# Keys shared with REST (a REST key replays here and the other way round):
# tests/api/test_idempotency_across_adapters.py.


async def test_keys_are_per_organization_and_a_replay_needs_the_same_rights(
    client: httpx.AsyncClient, org: Org, other_org: Org
) -> None:
    project = await make_project(client, org)
    theirs = await make_project(client, other_org)
    key = uuid.uuid4().hex
    mine = await gql(client, POST, org.manager, input=_entry(project["id"], key))
    other = await gql(client, POST, other_org.manager, input=_entry(theirs["id"], key))
    assert other["data"]["postLedgerEntry"]["userErrors"] == []
    assert (
        other["data"]["postLedgerEntry"]["entry"]["id"]
        != mine["data"]["postLedgerEntry"]["entry"]["id"]
    )
    # A viewer sending the manager's key and input gets the viewer's answer, not a replay.
    viewer = await gql(client, POST, org.viewer, input=_entry(project["id"], key))
    assert viewer["data"] is None
    assert viewer["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    blank = await gql(client, POST, org.manager, input=_entry(project["id"], "  "))
    assert blank["data"]["postLedgerEntry"]["userErrors"][0]["field"] == "idempotencyKey"
    assert blank["data"]["postLedgerEntry"]["userErrors"][0]["code"] == "VALIDATION_FAILED"
    assert await _count(client, org, project["id"]) == 1


def _selection(schema: Any, type_name: str) -> str:
    """Every scalar and enum field without arguments of a payload's objects, so a replay is
    compared field for field with the first answer."""
    payload = schema.get_type(type_name)
    parts = []
    for name, field in payload.fields.items():
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


async def test_every_create_mutation_replays_its_first_result(
    app: Any, client: httpx.AsyncClient, org: Org
) -> None:
    schema = app.state.graphql_schema._schema
    project = await make_project(client, org)
    person = await make_person(client, org)
    pid = project["id"]
    found: dict[str, Any] = {}

    async def twice(mutation: str, input: dict[str, Any]) -> dict[str, Any]:
        field = schema.mutation_type.fields[mutation]
        input_type = field.args["input"].type.of_type.name
        payload_type = field.type.of_type.name
        assert "idempotencyKey" in schema.get_type(input_type).fields, mutation
        query = (
            f"mutation($i: {input_type}!) {{ {mutation}(input: $i) "
            f"{{ {_selection(schema, payload_type)} }} }}"
        )
        keyed = {**input, "idempotencyKey": f"{mutation}-{uuid.uuid4().hex}"}
        first = await gql(client, query, org.admin, i=keyed)
        assert "errors" not in first and first["data"][mutation]["userErrors"] == [], first
        again = await gql(client, query, org.admin, i=keyed)
        assert again == first, mutation
        found[mutation] = first["data"][mutation]
        return dict(first["data"][mutation])

    await twice("createPerson", {"name": "Grace", "email": f"{uuid.uuid4().hex[:8]}@ex.com"})
    await twice(
        "createProject",
        {"key": unique_key(), "name": "Twice", "businessArea": "OTHER", "currency": "EUR"},
    )
    risk = await twice(
        "createRisk",
        {
            "projectId": pid, "title": "R", "category": "TECHNICAL", "probability": 2,
            "impact": 3, "response": "MITIGATE", "status": "OPEN", "reviewOn": "2027-03-01",
        },
    )  # fmt: skip
    await twice("assessRisk", {"id": risk["risk"]["id"], "probability": 4, "impact": 4})
    await twice("recordRiskOccurrence", {"id": risk["risk"]["id"], "severity": "HIGH"})
    await twice(
        "createIssue",
        {"projectId": pid, "title": "I", "severity": "LOW", "status": "OPEN"},
    )
    milestones = []
    for name in ("M1", "M2"):
        made = await twice(
            "createMilestone",
            {
                "projectId": pid, "name": name, "startDate": "2027-01-04",
                "dueDate": "2027-02-01", "status": "PLANNED", "plannedValue": "100.00",
            },
        )  # fmt: skip
        milestones.append(made["milestone"]["id"])
    await twice(
        "addMilestoneDependency",
        {
            "milestoneId": milestones[1], "predecessorId": milestones[0],
            "type": "FINISH_TO_START", "lagDays": 0,
        },
    )  # fmt: skip
    await twice("takeBaseline", {"projectId": pid, "name": "B"})
    entry = await twice(
        "postLedgerEntry",
        {
            "projectId": pid, "kind": "BUDGET", "category": "LABOUR", "amount": "500.00",
            "occurredOn": "2027-01-04",
        },
    )  # fmt: skip
    await twice("reverseLedgerEntry", {"id": entry["entry"]["id"], "reason": "typo"})
    objective = await twice("createObjective", {"projectId": pid, "name": "O"})
    kr = await twice(
        "addKeyResult",
        {
            "objectiveId": objective["objective"]["id"], "name": "K", "unit": "%",
            "baseline": "0", "target": "100",
        },
    )  # fmt: skip
    await twice("checkInKeyResult", {"keyResultId": kr["keyResult"]["id"], "value": "50"})
    deliverable = await twice("createDeliverable", {"projectId": pid, "name": "D"})
    await twice("decideDeliverable", {"id": deliverable["deliverable"]["id"], "decision": "ACCEPT"})
    await twice(
        "createAssignment",
        {
            "projectId": pid, "personId": person["id"], "role": "Dev", "allocationPercent": 50,
            "startDate": "2027-01-04", "endDate": "2027-03-01",
        },
    )  # fmt: skip
    stakeholder = await twice(
        "createStakeholder",
        {
            "projectId": pid, "name": "S", "influence": "HIGH", "interest": "LOW",
            "contactFrequency": "MONTHLY",
        },
    )  # fmt: skip
    meeting = await twice(
        "recordMeeting",
        {
            "projectId": pid, "title": "Kick-off", "kind": "KICKOFF", "heldOn": "2027-01-05",
            "attendeePersonIds": [person["id"]],
            "attendeeStakeholderIds": [stakeholder["stakeholder"]["id"]],
            "decisions": ["Go"],
            "actionItems": [{"title": "A", "ownerId": person["id"], "dueOn": "2027-01-12"}],
        },
    )  # fmt: skip
    await twice(
        "addActionItem",
        {
            "meetingId": meeting["meeting"]["id"], "title": "B", "ownerId": person["id"],
            "dueOn": "2027-01-19", "status": "OPEN",
        },
    )  # fmt: skip
    await twice("createStatusReport", {"projectId": pid, "summary": "On track"})
    # Every mutation with an idempotencyKey argument was exercised.
    keyed = {
        name
        for name, field in schema.mutation_type.fields.items()
        if "idempotencyKey" in field.args["input"].type.of_type.fields
    }
    assert keyed == set(found)
