"""The risk register through REST on real PostgreSQL: raise, list, update, assess, history."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.api.helpers import assert_problem, make_person, make_project
from tests.conftest import Org


def risks_url(project: dict[str, Any]) -> str:
    return f"/api/v1/projects/{project['id']}/risks"


async def make_risk(
    client: httpx.AsyncClient, org: Org, project: dict[str, Any], **fields: Any
) -> dict[str, Any]:
    body = {"title": "Vendor API late", "category": "vendor", "probability": 3, "impact": 4}
    r = await client.post(risks_url(project), json={**body, **fields}, headers=org.member)
    assert r.status_code == 201, r.text
    return dict(r.json())


async def test_member_raises_a_risk_with_computed_score_severity_and_emv(
    client: httpx.AsyncClient, org: Org
) -> None:
    project = await make_project(client, org, currency="GBP")
    owner = await make_person(client, org)
    r = await client.post(
        risks_url(project),
        headers=org.member,
        json={
            "title": "Key engineer leaves",
            "category": "resource",
            "probability": 4,
            "impact": 4,
            "owner_id": owner["id"],
            "response": "mitigate",
            "mitigation": "Pair on the critical modules",
            "review_on": "2026-01-15",
            "cost_impact": "1000.05",
            "currency": "GBP",
        },
    )
    assert r.status_code == 201, r.text
    risk = r.json()
    assert r.headers["location"] == f"{risks_url(project)}/{risk['id']}"
    assert r.headers["etag"] == '"1"'
    assert (risk["score"], risk["severity"], risk["status"]) == (16, "critical", "open")
    assert risk["cost_impact"] == "1000.05"
    # 70% of 1000.05 is 700.035: at the minor unit, half to even.
    assert risk["expected_monetary_value"] == "700.04"
    assert risk["currency"] == "GBP"
    got = await client.get(r.headers["location"], headers=org.viewer)
    assert got.json() == risk
    assert got.headers["etag"] == '"1"'


async def test_review_on_defaults_to_thirty_days_and_response_to_accept(
    client: httpx.AsyncClient, org: Org
) -> None:
    from datetime import UTC, datetime, timedelta

    project = await make_project(client, org)
    risk = await make_risk(client, org, project)
    expected = (datetime.now(UTC).date() + timedelta(days=30)).isoformat()
    assert risk["review_on"] == expected
    assert risk["response"] == "accept"
    assert risk["cost_impact"] is None and risk["expected_monetary_value"] is None


async def test_score_and_severity_are_never_accepted_from_the_client(
    client: httpx.AsyncClient, org: Org
) -> None:
    project = await make_project(client, org)
    body = {"title": "T", "category": "other", "probability": 1, "impact": 1}
    for extra in ({"score": 25}, {"severity": "critical"}, {"expected_monetary_value": "1"}):
        r = await client.post(risks_url(project), json={**body, **extra}, headers=org.member)
        assert_problem(r, 422, "validation_failed", f"body.{next(iter(extra))}")
    risk = await make_risk(client, org, project)
    r = await client.patch(
        f"{risks_url(project)}/{risk['id']}", json={"score": 1}, headers=org.member
    )
    assert_problem(r, 422, "validation_failed", "body.score")


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"probability": 0}, "body.probability"),
        ({"probability": 6}, "body.probability"),
        ({"impact": 0}, "body.impact"),
        ({"impact": 6}, "body.impact"),
        ({"probability": 2.5}, "body.probability"),
        ({"probability": 2.0}, "body.probability"),
        ({"impact": "3"}, "body.impact"),
        ({"impact": True}, "body.impact"),
        ({"category": "weather"}, "body.category"),
        ({"response": "pray"}, "body.response"),
        ({"status": "forgotten"}, "body.status"),
        ({"status": "occurred"}, "body.status"),
        ({"status": "closed"}, "body.status"),
        ({"cost_impact": 100}, "body.cost_impact"),
        ({"cost_impact": "10.005"}, "body.cost_impact"),
        ({"cost_impact": "-5.00"}, "body.cost_impact"),
        ({"review_on": "2026-02-30"}, "body.review_on"),
        ({"owner_id": "not-a-uuid"}, "body.owner_id"),
        ({"title": ""}, "body.title"),
        ({"title": "x" * 201}, "body.title"),
        ({"mitigation": "x" * 10_001}, "body.mitigation"),
    ],
)
async def test_bad_risk_input_is_a_422_naming_the_field(
    client: httpx.AsyncClient, org: Org, fields: dict[str, Any], field: str
) -> None:
    project = await make_project(client, org)
    body = {"title": "T", "category": "other", "probability": 3, "impact": 3, **fields}
    r = await client.post(risks_url(project), json=body, headers=org.member)
    assert_problem(r, 422, "validation_failed", field)
    listed = await client.get(risks_url(project), headers=org.viewer)
    assert listed.json()["items"] == []


async def test_cost_impact_in_another_currency_is_refused(
    client: httpx.AsyncClient, org: Org
) -> None:
    project = await make_project(client, org, currency="EUR")
    body = {"title": "T", "category": "budget", "probability": 3, "impact": 3}
    r = await client.post(
        risks_url(project),
        json={**body, "cost_impact": "10.00", "currency": "USD"},
        headers=org.member,
    )
    assert_problem(r, 422, "currency_mismatch", "body.currency")
    jpy = await make_project(client, org, currency="JPY")
    r = await client.post(risks_url(jpy), json={**body, "cost_impact": "10.5"}, headers=org.member)
    assert_problem(r, 422, "validation_failed", "body.cost_impact")
    risk = await make_risk(client, org, project)
    r = await client.patch(
        f"{risks_url(project)}/{risk['id']}",
        json={"cost_impact": "5.00", "currency": "GBP"},
        headers=org.member,
    )
    assert_problem(r, 422, "currency_mismatch", "body.currency")


async def test_owner_must_be_a_person_of_the_same_organization(
    client: httpx.AsyncClient, org: Org, other_org: Org
) -> None:
    project = await make_project(client, org)
    stranger = await make_person(client, other_org)
    body = {"title": "T", "category": "other", "probability": 3, "impact": 3}
    r = await client.post(
        risks_url(project), json={**body, "owner_id": stranger["id"]}, headers=org.member
    )
    assert_problem(r, 422, "validation_failed", "body.owner_id")


async def test_viewer_may_not_raise_or_update_risks(client: httpx.AsyncClient, org: Org) -> None:
    project = await make_project(client, org)
    body = {"title": "T", "category": "other", "probability": 3, "impact": 3}
    assert_problem(
        await client.post(risks_url(project), json=body, headers=org.viewer), 403, "forbidden"
    )
    risk = await make_risk(client, org, project)
    url = f"{risks_url(project)}/{risk['id']}"
    assert_problem(
        await client.patch(url, json={"impact": 1}, headers=org.viewer), 403, "forbidden"
    )
    assert_problem(
        await client.post(
            f"{url}/assessments", json={"probability": 1, "impact": 1}, headers=org.viewer
        ),
        403,
        "forbidden",
    )
    assert_problem(
        await client.post(f"{url}/occurrence", json={"severity": "high"}, headers=org.viewer),
        403,
        "forbidden",
    )
    r = await client.patch(url, json={"impact": 1}, headers=org.manager)
    assert r.status_code == 200, r.text
    assert (await client.get(url)).status_code == 401


async def test_risks_of_another_organization_are_not_found(
    client: httpx.AsyncClient, org: Org, other_org: Org
) -> None:
    project = await make_project(client, org)
    risk = await make_risk(client, org, project)
    url = f"{risks_url(project)}/{risk['id']}"
    h = other_org.admin
    assert_problem(await client.get(url, headers=h), 404, "not_found")
    assert_problem(await client.get(risks_url(project), headers=h), 404, "not_found")
    assert_problem(await client.patch(url, json={"impact": 1}, headers=h), 404, "not_found")
    assert_problem(await client.get(f"{url}/assessments", headers=h), 404, "not_found")
    assert_problem(
        await client.post(f"{url}/assessments", json={"probability": 1, "impact": 1}, headers=h),
        404,
        "not_found",
    )
    assert_problem(
        await client.post(f"{url}/occurrence", json={"severity": "low"}, headers=h),
        404,
        "not_found",
    )
    assert_problem(
        await client.get(f"/api/v1/projects/{project['id']}/risk-matrix", headers=h),
        404,
        "not_found",
    )
    body = {"title": "T", "category": "other", "probability": 3, "impact": 3}
    assert_problem(await client.post(risks_url(project), json=body, headers=h), 404, "not_found")
    # A risk id of one project is not found under another project of the same organization.
    other_project = await make_project(client, org)
    assert_problem(
        await client.get(f"{risks_url(other_project)}/{risk['id']}", headers=org.viewer),
        404,
        "not_found",
    )


async def test_update_is_a_merge_patch_with_if_match(client: httpx.AsyncClient, org: Org) -> None:
    project = await make_project(client, org)
    risk = await make_risk(client, org, project, mitigation="Weekly vendor call")
    url = f"{risks_url(project)}/{risk['id']}"
    r = await client.patch(
        url,
        headers={**org.member, "If-Match": '"1"', "Content-Type": "application/merge-patch+json"},
        content=b'{"status": "mitigating", "trigger": "Missed drop"}',
    )
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "mitigating"
    assert r.json()["mitigation"] == "Weekly vendor call"
    assert r.json()["version"] == 2 and r.headers["etag"] == '"2"'
    stale = await client.patch(url, headers={**org.member, "If-Match": '"1"'}, json={"impact": 1})
    assert_problem(stale, 412, "version_conflict")
    assert (await client.get(url, headers=org.viewer)).json()["impact"] == 4
    cleared = await client.patch(url, headers=org.member, json={"trigger": None})
    assert cleared.json()["trigger"] is None
    for field in ("title", "probability", "category", "review_on", "status"):
        r = await client.patch(url, headers=org.member, json={field: None})
        assert_problem(r, 422, "validation_failed", f"body.{field}")
    r = await client.patch(url, headers=org.member, json={"status": "occurred"})
    assert_problem(r, 422, "validation_failed", "body.status")


async def test_every_change_of_probability_or_impact_is_an_assessment(
    client: httpx.AsyncClient, org: Org
) -> None:
    project = await make_project(client, org)
    risk = await make_risk(client, org, project, probability=2, impact=2)
    url = f"{risks_url(project)}/{risk['id']}"
    r = await client.patch(url, headers={**org.member, "If-Match": '"1"'}, json={"impact": 5})
    assert (r.json()["score"], r.json()["severity"]) == (10, "high")
    # Not a change of probability or impact: nothing appended.
    await client.patch(url, headers=org.member, json={"description": "More detail"})
    await client.patch(url, headers=org.member, json={"impact": 5})
    posted = await client.post(
        f"{url}/assessments",
        headers={**org.member, "If-Match": '"3"'},
        json={"probability": 5, "impact": 4, "note": "Vendor confirmed the slip"},
    )
    assert posted.status_code == 201, posted.text
    assert posted.headers["location"] == url
    assert posted.headers["etag"] == '"4"'
    assessment = posted.json()
    assert assessment["from_probability"] == 2 and assessment["from_impact"] == 5
    assert assessment["to_score"] == 20 and assessment["to_severity"] == "critical"
    assert assessment["assessed_by"] == "user-member"
    history = (await client.get(f"{url}/assessments", headers=org.viewer)).json()["items"]
    assert [
        (a["from_probability"], a["from_impact"], a["to_probability"], a["to_impact"])
        for a in history
    ] == [
        (2, 5, 5, 4),
        (2, 2, 2, 5),
        (None, None, 2, 2),
    ]
    assert history[0]["note"] == "Vendor confirmed the slip"
    current = (await client.get(url, headers=org.viewer)).json()
    assert (current["probability"], current["impact"], current["severity"]) == (5, 4, "critical")
    stale = await client.post(
        f"{url}/assessments",
        headers={**org.member, "If-Match": '"1"'},
        json={"probability": 1, "impact": 1},
    )
    assert_problem(stale, 412, "version_conflict")
    page = (await client.get(f"{url}/assessments?limit=1", headers=org.viewer)).json()
    assert len(page["items"]) == 1 and page["next_cursor"]
    rest = await client.get(
        f"{url}/assessments?limit=5&cursor={page['next_cursor']}", headers=org.viewer
    )
    assert [a["to_impact"] for a in rest.json()["items"]] == [5, 2]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"probability": 0, "impact": 3}, "body.probability"),
        ({"probability": 3, "impact": 6}, "body.impact"),
        ({"probability": 3.5, "impact": 3}, "body.probability"),
        ({"probability": 3}, "body.impact"),
        ({"probability": 3, "impact": 3, "from_probability": 1}, "body.from_probability"),
    ],
)
async def test_bad_assessment_is_a_422_and_changes_nothing(
    client: httpx.AsyncClient, org: Org, body: dict[str, Any], field: str
) -> None:
    project = await make_project(client, org)
    risk = await make_risk(client, org, project)
    url = f"{risks_url(project)}/{risk['id']}"
    assert_problem(
        await client.post(f"{url}/assessments", json=body, headers=org.member),
        422,
        "validation_failed",
        field,
    )
    assert len((await client.get(f"{url}/assessments", headers=org.viewer)).json()["items"]) == 1


async def test_list_filters_and_sorts_by_score_then_review_date(
    client: httpx.AsyncClient, org: Org
) -> None:
    project = await make_project(client, org)
    owner = await make_person(client, org)
    low = await make_risk(
        client, org, project, probability=1, impact=2, review_on="2020-01-01", category="technical"
    )
    crit = await make_risk(
        client, org, project, probability=5, impact=5, review_on="2030-01-01", owner_id=owner["id"]
    )
    med = await make_risk(
        client, org, project, probability=3, impact=3, review_on="2025-06-01", category="technical"
    )
    closed = await make_risk(client, org, project, probability=4, impact=3, review_on="2020-01-01")
    await client.patch(
        f"{risks_url(project)}/{closed['id']}", json={"status": "closed"}, headers=org.member
    )
    base = risks_url(project)

    async def ids(query: str) -> list[str]:
        r = await client.get(f"{base}?{query}", headers=org.viewer)
        assert r.status_code == 200, r.text
        return [i["id"] for i in r.json()["items"]]

    assert await ids("") == [crit["id"], closed["id"], med["id"], low["id"]]
    by_review = await ids("sort=review_on")
    assert set(by_review[:2]) == {low["id"], closed["id"]}  # same date: ties by id
    assert by_review[2:] == [med["id"], crit["id"]]
    assert await ids("sort=-review_on") == by_review[::-1]
    assert await ids("severity=critical") == [crit["id"]]
    assert await ids("severity=low") == [low["id"]]
    assert await ids("status=closed") == [closed["id"]]
    assert await ids("category=technical") == [med["id"], low["id"]]
    assert await ids(f"owner_id={owner['id']}") == [crit["id"]]
    # A closed risk is never overdue for review.
    assert await ids("overdue_review=true") == [med["id"], low["id"]]
    assert await ids("overdue_review=false") == [crit["id"], closed["id"]]
    listed = (await client.get(base, headers=org.viewer)).json()["items"]
    assert {i["id"]: i["review_overdue"] for i in listed} == {
        crit["id"]: False,
        closed["id"]: False,
        med["id"]: True,
        low["id"]: True,
    }
    first = (await client.get(f"{base}?limit=2", headers=org.viewer)).json()
    second = (
        await client.get(f"{base}?limit=2&cursor={first['next_cursor']}", headers=org.viewer)
    ).json()
    assert [i["id"] for i in first["items"] + second["items"]] == await ids("")
    assert second["next_cursor"] is None
    for bad, field in (
        ("severity=huge", "query.severity"),
        ("status=gone", "query.status"),
        ("category=weather", "query.category"),
        ("sort=title", "query.sort"),
        ("overdue_review=maybe", "query.overdue_review"),
        ("owner_id=nope", "query.owner_id"),
        ("cursor=%%%", "query.cursor"),
        ("limit=101", "query.limit"),
    ):
        assert_problem(
            await client.get(f"{base}?{bad}", headers=org.viewer), 422, "validation_failed", field
        )


async def test_malformed_ids_in_paths_are_422(client: httpx.AsyncClient, org: Org) -> None:
    project = await make_project(client, org)
    r = await client.get(f"{risks_url(project)}/not-a-uuid", headers=org.viewer)
    assert_problem(r, 422, "validation_failed", "path.risk_id")


async def test_every_risk_change_lands_in_the_activity_history(
    client: httpx.AsyncClient, org: Org
) -> None:
    project = await make_project(client, org)
    risk = await make_risk(client, org, project)
    url = f"{risks_url(project)}/{risk['id']}"
    await client.patch(url, json={"title": "Vendor API very late"}, headers=org.member)
    await client.post(
        f"{url}/assessments", json={"probability": 4, "impact": 4}, headers=org.member
    )
    await client.post(f"{url}/occurrence", json={"severity": "high"}, headers=org.member)
    activity = (
        await client.get(f"/api/v1/projects/{project['id']}/activity", headers=org.viewer)
    ).json()
    actions = [(e["action"], e["actor"]) for e in activity["items"]][:5]
    assert actions == [
        ("issue.created", "user-member"),
        ("risk.occurred", "user-member"),
        ("risk.assessed", "user-member"),
        ("risk.updated", "user-member"),
        ("risk.created", "user-member"),
    ]
    updated = activity["items"][3]
    assert updated["changes"] == {
        "title": {"from": "Vendor API late", "to": "Vendor API very late"}
    }
    assert updated["entity_id"] == risk["id"]


async def test_idempotent_risk_creation_replays(client: httpx.AsyncClient, org: Org) -> None:
    project = await make_project(client, org)
    body = {"title": "T", "category": "other", "probability": 3, "impact": 3}
    headers = {**org.member, "Idempotency-Key": "risk-1"}
    first = await client.post(risks_url(project), json=body, headers=headers)
    again = await client.post(risks_url(project), json=body, headers=headers)
    assert first.status_code == again.status_code == 201
    assert again.headers["idempotent-replayed"] == "true"
    assert again.json() == first.json()
    assert len((await client.get(risks_url(project), headers=org.viewer)).json()["items"]) == 1
