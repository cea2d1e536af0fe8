"""The closure report and lessons through REST on real PostgreSQL."""

from __future__ import annotations

import httpx

from tests.api.helpers import assert_problem, make_project
from tests.api.test_walk_rest import walk_to_closing
from tests.conftest import Org


async def test_the_report_is_written_only_in_closing(client: httpx.AsyncClient, org: Org) -> None:
    project = await make_project(client, org)
    url = f"/api/v1/projects/{project['id']}/closure-report"
    r = await client.put(url, json={"summary": "Early"}, headers=org.manager)
    body = assert_problem(r, 409, "wrong_phase")
    assert "initiation" in body["detail"]
    assert_problem(await client.get(url, headers=org.viewer), 404, "not_found")


async def test_writing_snapshots_figures_and_rewrites_honour_if_match(
    client: httpx.AsyncClient, org: Org, other_org: Org
) -> None:
    w, _, _ = await walk_to_closing(client, org)
    url = f"{w.base}/closure-report"
    assert_problem(await client.put(url, json={"summary": " "}, headers=org.manager), 422,
                   "validation_failed", "body.summary")  # fmt: skip
    assert_problem(
        await client.put(url, json={"summary": "x"}, headers=org.member), 403, "forbidden"
    )
    first = await client.put(
        url, json={"summary": "Done", "went_well": ["Pairing"]}, headers=org.manager
    )
    assert (first.status_code, first.headers["etag"]) == (200, '"1"')
    f = first.json()["final_figures"]
    assert (f["budget"], f["actual"], f["currency"]) == ("1000.00", "0.00", "EUR")
    assert f["objectives_progress"] == "0.0000"
    assert (f["deliverables_total"], f["deliverables_accepted"], f["deliverables_waived"]) == (
        0,
        0,
        0,
    )
    assert f["forecast_finish"] is not None and f["target_end_date"] is not None
    assert f["finish_variance_days"] is not None
    stale = await client.put(
        url, json={"summary": "Again"}, headers={**org.manager, "If-Match": '"7"'}
    )
    assert_problem(stale, 412, "version_conflict")
    second = await client.put(
        url, json={"summary": "Again"}, headers={**org.manager, "If-Match": '"1"'}
    )
    assert (second.json()["version"], second.json()["went_well"]) == (2, [])
    read = (await client.get(url, headers=org.viewer)).json()
    assert (read["summary"], read["written_by"]) == ("Again", "user-manager")
    assert_problem(await client.get(url, headers=other_org.admin), 404, "not_found")
    assert_problem(
        await client.put(url, json={"summary": "x"}, headers=other_org.admin), 404, "not_found"
    )


async def test_lessons_are_searchable_across_closed_projects_only(
    client: httpx.AsyncClient, org: Org, other_org: Org
) -> None:
    w, _, _ = await walk_to_closing(client, org)
    report = {"summary": "S", "went_well": ["Daily stand-ups kept scope honest"],
              "to_improve": ["Involve security earlier", "Book the STAND-UP room"]}  # fmt: skip
    await client.put(f"{w.base}/closure-report", json=report, headers=org.manager)
    assert (await client.get("/api/v1/lessons", headers=org.viewer)).json()[
        "items"
    ] == []  # not closed
    d = await w.post("/deliverables", {"name": "D"})
    await w.post(f"/deliverables/{d['id']}/decisions", {"decision": "accept"})
    await w.move("closed")
    found = (await client.get("/api/v1/lessons?q=stand-up", headers=org.viewer)).json()
    assert [(x["kind"], x["text"]) for x in found["items"]] == [  # by project, kind, position
        ("to_improve", "Book the STAND-UP room"),
        ("went_well", "Daily stand-ups kept scope honest"),
    ]
    first = (await client.get("/api/v1/lessons?limit=1", headers=org.viewer)).json()
    rest = (
        await client.get(
            f"/api/v1/lessons?limit=5&cursor={first['next_cursor']}", headers=org.viewer
        )
    ).json()
    assert len(first["items"]) + len(rest["items"]) == 3 and rest["next_cursor"] is None
    assert (await client.get("/api/v1/lessons?q=%25", headers=org.viewer)).json()["items"] == []
    assert (await client.get("/api/v1/lessons?business_area=databases", headers=org.viewer)).json()[
        "items"
    ] == []
    assert (await client.get("/api/v1/lessons", headers=other_org.viewer)).json()["items"] == []
