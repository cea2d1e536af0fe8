"""An example for every request body of the published OpenAPI, by the body's schema name.

Each one is valid for its schema (tests/unit/test_openapi_document.py checks them with
jsonschema); ids are placeholders for the ones a client has read.
"""

from __future__ import annotations

from typing import Any

PERSON = "8f14e45f-ceea-467f-a0e6-1f3a4b5c6d7e"
PERSON_2 = "c9f0f895-fb98-4b91-9f7e-6b2f3c4d5e6f"
MILESTONE = "45c48cce-2e2d-4fbd-8a1b-7c8d9e0f1a2b"
STAKEHOLDER = "d3d94468-02a4-4a3f-9b5e-2c3d4e5f6a7b"
RISK = "6512bd43-d9ca-4a6e-8f9a-0b1c2d3e4f5a"
COMMITMENT = "c20ad4d7-6fe9-4759-aa27-a0c99bff6710"

EXAMPLES: dict[str, dict[str, Any]] = {
    "PersonCreate": {
        "name": "Ada Lovelace",
        "email": "ada@example.com",
        "title": "Engineering lead",
        "weekly_capacity_hours": "40",
    },
    "PersonUpdate": {"title": "Head of engineering", "weekly_capacity_hours": "32"},
    "ProjectCreate": {
        "key": "CRM",
        "name": "CRM rollout",
        "business_area": "software_development",
        "currency": "EUR",
        "sponsor_id": PERSON,
        "manager_id": PERSON_2,
        "start_date": "2026-01-05",
        "target_end_date": "2026-06-30",
    },
    "ProjectUpdate": {"name": "CRM rollout, phase 1", "target_end_date": "2026-07-31"},
    "TransitionRequest": {"to": "planning", "reason": "Charter approved by the board"},
    "MilestoneCreate": {
        "name": "Pilot live",
        "start_date": "2026-02-02",
        "due_date": "2026-03-27",
        "planned_value": "25000.00",
        "owner_id": PERSON_2,
    },
    "MilestoneUpdate": {"progress": 60, "status": "in_progress"},
    "DependencyCreate": {"predecessor_id": MILESTONE, "type": "finish_to_start", "lag_days": 2},
    "BaselineCreate": {"name": "Approved plan"},
    "RiskCreate": {
        "title": "Vendor API rate limits",
        "category": "vendor",
        "probability": 3,
        "impact": 4,
        "response": "mitigate",
        "mitigation": "Batch the nightly sync",
        "owner_id": PERSON_2,
        "review_on": "2026-03-01",
    },
    "RiskUpdate": {"status": "mitigating", "mitigation": "Batching in place; monitoring"},
    "AssessmentCreate": {"probability": 2, "impact": 4, "note": "Batching halved the calls"},
    "OccurrenceCreate": {
        "severity": "high",
        "title": "Sync throttled by the vendor",
        "note": "Nightly sync failed twice this week",
    },
    "IssueCreate": {
        "title": "Login fails for SSO users",
        "severity": "high",
        "owner_id": PERSON_2,
        "due_on": "2026-02-20",
    },
    "IssueUpdate": {"status": "resolved", "resolution": "Certificate renewed"},
    "EntryCreate": {
        "kind": "actual",
        "category": "services",
        "amount": "1250.00",
        "occurred_on": "2026-02-10",
        "description": "Integration consultancy, January",
        "reference": "INV-2026-014",
        "settles": COMMITMENT,
    },
    "ReversalCreate": {"reason": "Posted to the wrong project"},
    "ObjectiveCreate": {"name": "Faster sales cycle", "description": "Quote to order in a week"},
    "ObjectiveUpdate": {"description": "Quote to order in five working days"},
    "KeyResultCreate": {
        "name": "Median days from quote to order",
        "unit": "days",
        "baseline": "14",
        "target": "5",
    },
    "KeyResultUpdate": {"target": "6"},
    "CheckInCreate": {"value": "11", "note": "After the pilot"},
    "DeliverableCreate": {
        "name": "Data migration runbook",
        "acceptance_criteria": "Reviewed by operations",
        "milestone_id": MILESTONE,
    },
    "DeliverableUpdate": {"acceptance_criteria": "Reviewed and rehearsed by operations"},
    "DecisionCreate": {"decision": "accept", "note": "Rehearsal went well"},
    "ClosureReportWrite": {
        "summary": "Delivered two weeks late within budget",
        "went_well": ["Early pilot with sales"],
        "to_improve": ["Book vendor capacity sooner"],
    },
    "AssignmentCreate": {
        "person_id": PERSON,
        "role": "Developer",
        "allocation_percent": 50,
        "start_date": "2026-02-02",
        "end_date": "2026-04-30",
    },
    "AssignmentUpdate": {"allocation_percent": 80},
    "StakeholderCreate": {
        "name": "Grace Hopper",
        "organization": "Sales",
        "role": "Head of sales",
        "influence": "high",
        "interest": "high",
        "contact_frequency": "biweekly",
        "preferred_channel": "video_call",
    },
    "StakeholderUpdate": {"interest": "medium", "contact_frequency": "monthly"},
    "MeetingCreate": {
        "title": "Steering committee",
        "kind": "steering",
        "held_on": "2026-02-12",
        "attendee_person_ids": [PERSON],
        "attendee_stakeholder_ids": [STAKEHOLDER],
        "decisions": ["Go for the pilot"],
        "action_items": [
            {"title": "Book the pilot room", "owner_id": PERSON, "due_on": "2026-02-19"}
        ],
    },
    "MeetingUpdate": {"decisions": ["Go for the pilot", "Review again in March"]},
    "ActionItemCreate": {"title": "Send the minutes", "owner_id": PERSON, "due_on": "2026-02-13"},
    "ActionItemUpdate": {"status": "done"},
    "StatusReportCreate": {
        "summary": "Pilot on track; vendor risk under watch",
        "achievements": "Pilot environment ready",
        "next_steps": "Train the pilot users",
    },
    "EndpointCreate": {
        "url": "https://hooks.example.com/charter",
        "event_types": ["project.transitioned", "ledger_entry.posted"],
    },
    "EndpointUpdate": {"disabled": False},
}


def _schema_name(body: dict[str, Any]) -> str | None:
    for media in body.get("content", {}).values():
        ref = media.get("schema", {}).get("$ref", "")
        if ref.startswith("#/components/schemas/"):
            return str(ref.rsplit("/", 1)[1])
    return None


def add_examples(doc: dict[str, Any]) -> None:
    """Put the example of each request body's schema on every media type it accepts."""
    for methods in doc.get("paths", {}).values():
        for operation in methods.values():
            body = operation.get("requestBody")
            name = _schema_name(body) if body else None
            if body is None or name not in EXAMPLES:
                continue
            for media in body["content"].values():
                media["example"] = EXAMPLES[name]
