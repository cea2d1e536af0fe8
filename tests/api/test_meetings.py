"""Stakeholders, meetings and action items over REST, end to end on PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx

from tests.api.helpers import assert_problem, make_person, make_project
from tests.api.team_helpers import add_stakeholder, assign, record_meeting
from tests.conftest import Org

TODAY = datetime.now(UTC).date()


async def test_stakeholders_have_a_quadrant_and_filter_by_it_and_by_overdue_contact(
    client: httpx.AsyncClient, org: Org
) -> None:
    project = await make_project(client, org)
    recent = (TODAY - timedelta(days=3)).isoformat()
    stale = (TODAY - timedelta(days=8)).isoformat()
    await add_stakeholder(client, org, project, name="CFO", contact_frequency="weekly",
                          last_contacted_on=recent)  # fmt: skip
    await add_stakeholder(client, org, project, name="Legal", interest="medium",
                          contact_frequency="weekly", last_contacted_on=stale)  # fmt: skip
    await add_stakeholder(client, org, project, name="Users", influence="medium")
    await add_stakeholder(client, org, project, name="Press", influence="low", interest="low",
                          contact_frequency="quarterly", last_contacted_on=stale)  # fmt: skip
    url = f"/api/v1/projects/{project['id']}/stakeholders"
    every = (await client.get(url, headers=org.viewer)).json()["items"]
    assert [(s["name"], s["quadrant"], s["contact_overdue"]) for s in every] == [
        ("CFO", "manage_closely", False),
        ("Legal", "keep_satisfied", True),
        ("Press", "monitor", False),
        ("Users", "keep_informed", True),
    ]
    r = await client.get(f"{url}?quadrant=keep_informed", headers=org.viewer)
    assert [s["name"] for s in r.json()["items"]] == ["Users"]
    r = await client.get(f"{url}?contact_overdue=true", headers=org.viewer)
    assert [s["name"] for s in r.json()["items"]] == ["Legal", "Users"]
    r = await client.get(f"{url}?contact_overdue=false", headers=org.viewer)
    assert [s["name"] for s in r.json()["items"]] == ["CFO", "Press"]
    assert_problem(await client.get(f"{url}?quadrant=top", headers=org.viewer), 422,
                   "validation_failed", "query.quadrant")  # fmt: skip


async def test_stakeholder_rules_and_permissions(
    client: httpx.AsyncClient, org: Org, other_org: Org
) -> None:
    project = await make_project(client, org)
    url = f"/api/v1/projects/{project['id']}/stakeholders"
    body = {"name": "CIO", "influence": "high", "interest": "low"}
    assert_problem(await client.post(url, json=body, headers=org.member), 403, "forbidden")
    for change, field in [
        ({"preferred_channel": "pigeon"}, "body.preferred_channel"),
        ({"contact_frequency": "daily"}, "body.contact_frequency"),
        ({"influence": "huge"}, "body.influence"),
        ({"email": "not-an-email"}, "body.email"),
        ({"name": ""}, "body.name"),
    ]:
        r = await client.post(url, json={**body, **change}, headers=org.manager)
        assert_problem(r, 422, "validation_failed", field)
    made = await add_stakeholder(client, org, project, preferred_channel="video_call")
    one = f"{url}/{made['id']}"
    r = await client.patch(one, json={"interest": "low"}, headers=org.manager)
    assert r.status_code == 200 and r.json()["quadrant"] == "keep_satisfied"
    assert_problem(await client.patch(one, json={"name": None}, headers=org.manager), 422,
                   "validation_failed", "body.name")  # fmt: skip
    assert_problem(await client.get(one, headers=other_org.viewer), 404, "not_found")
    assert (await client.delete(one, headers=org.manager)).status_code == 204


async def test_a_meeting_records_attendees_decisions_and_action_items(
    client: httpx.AsyncClient, org: Org
) -> None:
    ada = await make_person(client, org, user_sub="ada")
    project = await make_project(client, org)
    await assign(client, org, project, ada)
    cfo = await add_stakeholder(client, org, project, last_contacted_on="2027-01-01")
    past = (TODAY - timedelta(days=2)).isoformat()
    meeting = await record_meeting(
        client, org, project,
        attendee_person_ids=[ada["id"]], attendee_stakeholder_ids=[cfo["id"]],
        notes="Budget review", decisions=["Go live in May"],
        action_items=[
            {"title": "Send minutes", "owner_id": ada["id"], "due_on": past},
            {"title": "Book venue", "owner_id": ada["id"], "due_on": "2999-01-01"},
        ],
    )  # fmt: skip
    assert meeting["decisions"] == ["Go live in May"]
    assert [(a["title"], a["overdue"]) for a in meeting["action_items"]] == [
        ("Send minutes", True),
        ("Book venue", False),
    ]
    s = await client.get(
        f"/api/v1/projects/{project['id']}/stakeholders/{cfo['id']}", headers=org.viewer
    )
    assert s.json()["last_contacted_on"] == "2027-02-20" and s.json()["version"] == 2
    items = f"/api/v1/projects/{project['id']}/action-items"
    overdue = (await client.get(f"{items}?overdue=true", headers=org.viewer)).json()["items"]
    assert [a["title"] for a in overdue] == ["Send minutes"]
    mine = await client.get(f"/api/v1/people/{ada['id']}/action-items?status=open",
                            headers=org.viewer)  # fmt: skip
    assert len(mine.json()["items"]) == 2
    # The owner reports progress as a member; another member may not; nor may she re-plan.
    item = f"{items}/{overdue[0]['id']}"
    ada_member = org.headers("member", sub="ada")
    r = await client.patch(item, json={"status": "done"}, headers=ada_member)
    assert r.status_code == 200 and r.json()["status"] == "done" and not r.json()["overdue"]
    r = await client.patch(item, json={"status": "open"}, headers=org.member)
    assert_problem(r, 403, "forbidden")
    r = await client.patch(item, json={"title": "Mine"}, headers=ada_member)
    assert_problem(r, 403, "forbidden")
    history = await client.get(f"/api/v1/projects/{project['id']}/activity", headers=org.viewer)
    actions = [e["action"] for e in history.json()["items"]]
    assert actions[:5] == ["action_item.updated", "action_item.created", "action_item.created",
                           "meeting.recorded", "stakeholder.updated"]  # fmt: skip
    added = await client.post(
        f"/api/v1/projects/{project['id']}/meetings/{meeting['id']}/action-items",
        json={"title": "Follow up", "owner_id": ada["id"], "due_on": "2999-02-01"},
        headers=org.manager,
    )
    assert added.status_code == 201, added.text
    one = await client.get(
        f"/api/v1/projects/{project['id']}/meetings/{meeting['id']}", headers=org.viewer
    )
    assert len(one.json()["action_items"]) == 3
    r = await client.patch(
        f"/api/v1/projects/{project['id']}/meetings/{meeting['id']}",
        json={"held_on": "2027-03-01", "decisions": ["Go live in June"]},
        headers={**org.manager, "If-Match": '"1"'},
    )
    assert r.status_code == 200 and r.json()["version"] == 2, r.text
    s = await client.get(
        f"/api/v1/projects/{project['id']}/stakeholders/{cfo['id']}", headers=org.viewer
    )
    assert s.json()["last_contacted_on"] == "2027-03-01"


async def test_attendees_and_owners_from_elsewhere_are_422s(
    client: httpx.AsyncClient, org: Org, other_org: Org
) -> None:
    ada, bob = await make_person(client, org), await make_person(client, org)
    stranger = await make_person(client, other_org)
    project, other = await make_project(client, org), await make_project(client, org)
    await assign(client, org, project, ada)
    theirs = await add_stakeholder(client, org, other)
    url = f"/api/v1/projects/{project['id']}/meetings"
    base = {"title": "Status", "kind": "status", "held_on": "2027-02-20"}
    item = {"title": "x", "due_on": "2027-03-01"}
    for change, field in [
        ({"attendee_person_ids": [bob["id"]]}, "body.attendee_person_ids"),
        ({"attendee_person_ids": [stranger["id"]]}, "body.attendee_person_ids"),
        ({"attendee_stakeholder_ids": [theirs["id"]]}, "body.attendee_stakeholder_ids"),
        ({"action_items": [{**item, "owner_id": bob["id"]}]}, "body.action_items[0].owner_id"),
        ({"kind": "party"}, "body.kind"),
        ({"decisions": [""]}, "body.decisions[0]"),
        ({"attendee_person_ids": [ada["id"], ada["id"]]}, "body.attendee_person_ids"),
    ]:
        r = await client.post(url, json={**base, **change}, headers=org.manager)
        assert_problem(r, 422, "validation_failed", field)
    assert_problem(await client.post(url, json=base, headers=org.member), 403, "forbidden")
    assert (await client.get(url, headers=org.viewer)).json()["items"] == []
    assert_problem(await client.get(url, headers=other_org.viewer), 404, "not_found")
