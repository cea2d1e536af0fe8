"""Status reports through the real stack: snapshot, override, trend, immutability, events,
the HTML page (escaped), REST and GraphQL alike."""

from __future__ import annotations

import httpx

from tests.api.helpers import assert_problem, gql, make_project
from tests.api.test_health import _days, _money, _worked, critical_risk_open, spi_low
from tests.api.test_milestones import make_milestone
from tests.conftest import Org

BODY = {
    "summary": "Build is on track",
    "achievements": "Design signed off",
    "next_steps": "Start the pilot",
    "escalations": "Vendor contract",
}


def url(project: dict[str, object], sid: str | None = None) -> str:
    base = f"/api/v1/projects/{project['id']}/status-reports"
    return f"{base}/{sid}" if sid else base


async def test_a_report_snapshots_health_and_figures_then_trends(
    client: httpx.AsyncClient, org: Org
) -> None:
    project = await make_project(client, org, target_end_date=_days(10))
    await spi_low(client, org, project)  # schedule red
    await _money(client, org, project, "5000", "700")
    await make_milestone(client, org, project, name="Pilot", start_date=_days(1),
                         due_date=_days(20))  # fmt: skip
    r = await client.post(url(project), json=BODY, headers=org.manager)
    assert r.status_code == 201, r.text
    first = r.json()
    assert r.headers["location"] == url(project, first["id"])
    assert (first["overall"], first["computed_overall"], first["trend"]) == ("red", "red", None)
    assert first["override"] is None
    s = first["snapshot"]
    assert s["health"]["schedule"]["reasons"] == [
        {"code": "spi_low", "message": "SPI 0.7 is below 0.8"}
    ]
    assert (s["ledger"]["budget"], s["ledger"]["actual"]) == ("5000.00", "700.00")
    assert s["earned_value"]["spi"] == "0.7000"
    assert [m["name"] for m in s["milestones_due_next_30_days"]] == ["Design", "Pilot"]
    assert len(s["risk_matrix"]) == 5 and s["s_curve"][-1]["date"] == _days(0)
    assert s["s_curve"][-1]["ev"] == "700.00"

    # The manager says green; the reason is kept and the trend compares the shown colour.
    body = {**BODY, "override": {"overall": "green", "reason": "Recovery plan agreed"}}
    second = (await client.post(url(project), json=body, headers=org.manager)).json()
    assert (second["overall"], second["computed_overall"]) == ("green", "red")
    assert second["override"] == {"overall": "green", "reason": "Recovery plan agreed"}
    assert second["trend"] == "improving"
    third = (await client.post(url(project), json=BODY, headers=org.manager)).json()
    assert third["trend"] == "worsening"
    fourth = (await client.post(url(project), json=BODY, headers=org.manager)).json()
    assert fourth["trend"] == "steady"

    listed = (await client.get(url(project), headers=org.viewer)).json()["items"]
    assert [x["id"] for x in listed] == [fourth["id"], third["id"], second["id"], first["id"]]
    assert (await client.get(url(project, first["id"]), headers=org.viewer)).json() == first
    activity = (await client.get(f"/api/v1/projects/{project['id']}/activity",
                                 headers=org.viewer)).json()["items"]  # fmt: skip
    created = [a for a in activity if a["entity_type"] == "status_report"]
    assert len(created) == 4


async def test_reports_are_immutable_and_writing_needs_a_manager(
    client: httpx.AsyncClient, org: Org, other_org: Org
) -> None:
    project = await make_project(client, org)
    report = (await client.post(url(project), json=BODY, headers=org.manager)).json()
    for method in ("PATCH", "DELETE", "PUT"):
        r = await client.request(method, url(project, report["id"]), json={}, headers=org.admin)
        assert r.status_code == 405, (method, r.text)
    assert_problem(await client.post(url(project), json=BODY, headers=org.member), 403,
                   "forbidden")  # fmt: skip
    assert_problem(await client.get(url(project, report["id"]), headers=other_org.viewer),
                   404, "not_found")  # fmt: skip
    assert_problem(await client.post(url(project), json=BODY, headers=other_org.manager),
                   404, "not_found")  # fmt: skip


async def test_bad_reports_are_422_naming_the_field(client: httpx.AsyncClient, org: Org) -> None:
    project = await make_project(client, org)
    cases = [
        ({**BODY, "override": {"overall": "purple", "reason": "x"}}, "body.override.overall"),
        ({**BODY, "override": {"overall": "green"}}, "body.override.reason"),
        ({**BODY, "override": {"overall": "green", "reason": "  "}}, "body.override.reason"),
        ({**BODY, "summary": ""}, "body.summary"),
        ({**BODY, "summary": "a\x00b"}, "body.summary"),
        ({**BODY, "escalations": "x" * 10_001}, "body.escalations"),
        ({**BODY, "unknown": 1}, "body.unknown"),
    ]
    for body, field in cases:
        r = await client.post(url(project), json=body, headers=org.manager)
        assert r.status_code == 422, (body, r.text)
        assert field in [e["field"] for e in r.json()["errors"]], (field, r.json())
    r = await client.get(url(project) + "?cursor=not-a-cursor", headers=org.viewer)
    assert r.status_code == 422
    r = await client.get(url(project, "not-a-uuid"), headers=org.viewer)
    assert r.status_code == 422


async def test_the_html_page_is_self_contained_and_escapes_user_text(
    client: httpx.AsyncClient, org: Org
) -> None:
    project = await make_project(client, org, name="<script>alert(1)</script>")
    await _worked(client, org, project, 50)
    await critical_risk_open(client, org, project)
    body = {**BODY, "summary": '<img src=x onerror="alert(2)">', "escalations": "a & b"}
    report = (await client.post(url(project), json=body, headers=org.manager)).json()
    r = await client.get(url(project, report["id"]),
                         headers={**org.viewer, "Accept": "text/html,application/xhtml+xml"})  # fmt: skip
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    page = r.text
    assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<img" not in page and "&lt;img src=x onerror=&quot;alert(2)&quot;&gt;" in page
    assert "a &amp; b" in page
    assert 'id="s-curve"' in page and 'id="risk-matrix"' in page
    assert "critical_risk_open" in page
    inline = page.replace('xmlns="http://www.w3.org/2000/svg"', "")
    for external in ("http://", "https://", 'src="', "<link", "@import", "url("):
        assert external not in inline
    json_ = await client.get(url(project, report["id"]), headers=org.viewer)
    assert json_.headers["content-type"].startswith("application/json")


async def test_graphql_writes_and_lists_reports(client: httpx.AsyncClient, org: Org) -> None:
    project = await make_project(client, org)
    mutation = """mutation($input: CreateStatusReportInput!) { createStatusReport(input: $input) {
        statusReport { id overall computedOverall overrideReason trend }
        userErrors { field code } } }"""
    data = await gql(client, mutation, org.manager, input={
        "projectId": project["id"], "summary": "OK",
        "override": {"overall": "AMBER", "reason": "Supplier risk"},
    })  # fmt: skip
    out = data["data"]["createStatusReport"]
    assert out["userErrors"] == []
    assert out["statusReport"]["overall"] == "AMBER"
    assert out["statusReport"]["computedOverall"] == "GREEN"
    bad = await gql(client, mutation, org.manager, input={
        "projectId": project["id"], "summary": "OK",
        "override": {"overall": "AMBER", "reason": ""},
    })  # fmt: skip
    assert bad["data"]["createStatusReport"]["userErrors"] == [
        {"field": "reason", "code": "VALIDATION_FAILED"}
    ]
    denied = await gql(client, mutation, org.member, input={"projectId": project["id"],
                                                           "summary": "OK"})  # fmt: skip
    assert denied.get("errors") or denied["data"]["createStatusReport"]["userErrors"]
    query = """query($id: ID!) { project(id: $id) { statusReports(first: 5) {
        totalCount edges { node { summary overall snapshot } } } } }"""
    reports = (await gql(client, query, org.viewer, id=project["id"]))["data"]["project"]
    assert reports["statusReports"]["totalCount"] == 1
    node = reports["statusReports"]["edges"][0]["node"]
    assert node["summary"] == "OK" and node["snapshot"]["health"]["overall"] == "green"


async def test_a_report_freezes_the_forecast_and_its_page_draws_the_histogram(
    client: httpx.AsyncClient, org: Org
) -> None:
    project = await make_project(client, org, target_end_date=_days(12))
    await make_milestone(client, org, project, name="Build", start_date=_days(1),
                         due_date=_days(10), optimistic_days=8, most_likely_days=10,
                         pessimistic_days=20)  # fmt: skip
    report = (await client.post(url(project), json=BODY, headers=org.manager)).json()
    f = report["snapshot"]["forecast"]
    assert (f["iterations"], f["target_end_date"]) == (10_000, _days(12))
    assert _days(8) <= f["finish"]["p50"] <= f["finish"]["p80"] <= _days(20)
    # Finish day 1 + ceil(d) - 1 <= day 12 when d <= 12 (above the mode 10):
    # 1 - (20 - 12)^2 / ((20 - 8)(20 - 10)) = 1 - 64/120.
    assert abs(f["probability_on_time"] - (1 - 64 / 120)) < 0.03
    assert len(f["histogram"]) == 20 and sum(b["count"] for b in f["histogram"]) == 10_000
    page = (
        await client.get(url(project, report["id"]), headers={**org.viewer, "Accept": "text/html"})
    ).text
    assert 'id="forecast-histogram"' in page
    assert f"<dd>{f['finish']['p80']}</dd>" in page and "Chance of finishing on time" in page
    assert f"<dd>{round(f['probability_on_time'] * 100)}%</dd>" in page
