"""Objectives, key results and check-ins through REST on real PostgreSQL."""

from __future__ import annotations

import httpx

from tests.api.closing_helpers import define_objective
from tests.api.helpers import assert_problem, make_project
from tests.conftest import Org


def _base(project: dict[str, str]) -> str:
    return f"/api/v1/projects/{project['id']}/objectives"


async def test_define_measure_and_check_in_with_progress_at_every_level(
    client: httpx.AsyncClient, org: Org
) -> None:
    project = await make_project(client, org)
    base = _base(project)
    objective = await define_objective(client, org, project["id"])  # 48h -> 8h: a reduction
    kr = objective["key_results"][0]
    assert (kr["baseline"], kr["target"], kr["current"], kr["progress"]) == (
        "48",
        "8",
        "48",
        "0.0000",
    )
    kr_url = f"{base}/{objective['id']}/key-results/{kr['id']}"
    r = await client.post(f"{kr_url}/check-ins", json={"value": "28", "note": "new triage"},
                          headers=org.member)  # fmt: skip
    assert r.status_code == 201, r.text
    assert (r.json()["value"], r.json()["previous_value"], r.json()["by"]) == (
        "28",
        "48",
        "user-member",
    )
    await client.post(f"{kr_url}/check-ins", json={"value": "60"}, headers=org.member)  # worse
    read = (await client.get(kr_url, headers=org.viewer)).json()
    assert (read["current"], read["progress"], read["version"]) == ("60", "0.0000", 3)  # clamped
    second = await client.post(
        f"{base}/{objective['id']}/key-results",
        json={"name": "CSAT", "unit": "%", "baseline": "70.5", "target": "90.5", "current": "85.5"},
        headers=org.manager,
    )
    assert second.status_code == 201, second.text
    assert second.json()["progress"] == "0.7500"
    got = await client.get(f"{base}/{objective['id']}", headers=org.viewer)
    assert got.headers["etag"] == '"1"'
    assert got.json()["progress"] == "0.3750"  # mean of 0 and 0.75
    history = (await client.get(f"{kr_url}/check-ins", headers=org.viewer)).json()
    assert [(c["value"], c["note"]) for c in history["items"]] == [
        ("60", None),
        ("28", "new triage"),
    ]
    listed = (await client.get(base, headers=org.viewer)).json()
    assert [o["id"] for o in listed["items"]] == [objective["id"]]
    activity = (
        await client.get(f"/api/v1/projects/{project['id']}/activity", headers=org.viewer)
    ).json()
    checked = [e for e in activity["items"] if e["action"] == "key_result.checked_in"]
    assert checked[0]["changes"]["current"] == {"from": "28", "to": "60"}


async def test_objectives_change_and_delete_with_versions_and_roles(
    client: httpx.AsyncClient, org: Org
) -> None:
    project = await make_project(client, org)
    base = _base(project)
    r = await client.post(base, json={"name": "O"}, headers=org.member)
    assert_problem(r, 403, "forbidden")
    objective = await define_objective(client, org, project["id"])
    url = f"{base}/{objective['id']}"
    stale = await client.patch(url, json={"name": "X"}, headers={**org.manager, "If-Match": '"9"'})
    assert_problem(stale, 412, "version_conflict")
    r = await client.patch(
        url, json={"description": "Why"}, headers={**org.manager, "If-Match": '"1"'}
    )
    assert (r.status_code, r.json()["version"], r.json()["description"]) == (200, 2, "Why")
    kr = objective["key_results"][0]
    kr_url = f"{url}/key-results/{kr['id']}"
    assert_problem(
        await client.patch(kr_url, json={"target": "48"}, headers=org.manager), 422,
        "validation_failed", "body.target",
    )  # fmt: skip
    assert_problem(
        await client.patch(kr_url, json={"current": "1"}, headers=org.manager), 422,
        "validation_failed", "body.current",
    )  # fmt: skip
    assert (await client.delete(kr_url, headers=org.manager)).status_code == 204
    assert_problem(await client.get(kr_url, headers=org.viewer), 404, "not_found")
    gone = await client.post(f"{kr_url}/check-ins", json={"value": "1"}, headers=org.member)
    assert_problem(gone, 422, "validation_failed", "path.key_result_id")
    assert (await client.delete(url, headers=org.manager)).status_code == 204
    assert_problem(await client.get(url, headers=org.viewer), 404, "not_found")


async def test_another_organization_sees_nothing(
    client: httpx.AsyncClient, org: Org, other_org: Org
) -> None:
    project = await make_project(client, org)
    objective = await define_objective(client, org, project["id"])
    url = f"{_base(project)}/{objective['id']}"
    kr_url = f"{url}/key-results/{objective['key_results'][0]['id']}"
    for r in (
        await client.get(url, headers=other_org.admin),
        await client.patch(url, json={"name": "X"}, headers=other_org.admin),
        await client.get(kr_url, headers=other_org.admin),
        await client.post(f"{kr_url}/check-ins", json={"value": "1"}, headers=other_org.admin),
        await client.get(_base(project), headers=other_org.admin),
    ):
        assert_problem(r, 404, "not_found")
