"""The status report as a self-contained HTML page for the business: no external assets,
inline SVG charts (PV / EV / AC S-curve, 5 x 5 risk matrix and, for reports written since
the forecast, the histogram of simulated finish dates), every user text escaped."""

from __future__ import annotations

from decimal import Decimal
from html import escape
from typing import Any

from app.domain.projects.model import Project
from app.domain.reporting.reports import StatusReport

COLOURS = {"green": "#2e7d32", "amber": "#f9a825", "red": "#c62828"}
SERIES = (("pv", "Planned value (PV)", "#1565c0"), ("ev", "Earned value (EV)", "#2e7d32"),
          ("ac", "Actual cost (AC)", "#c62828"))  # fmt: skip
W, H, PAD = 560, 280, 48
CELL = 56
# A small inline script records each chart's rendered size on the element, so a headless
# browser's DOM dump shows whether the charts were laid out (the CI browser check reads it).
MEASURE = (
    "<script>for(const s of document.querySelectorAll('svg.chart')){"
    "const b=s.getBoundingClientRect();s.dataset.rendered=b.width+'x'+b.height;}</script>"
)


def _e(value: object) -> str:
    return escape("" if value is None else str(value), quote=True)


def _badge(colour: str) -> str:
    return (
        f'<span class="badge" style="background:{COLOURS.get(colour, "#777")}">{_e(colour)}</span>'
    )


def s_curve(points: list[dict[str, Any]], currency: str) -> str:
    """Polylines of PV, EV and AC over the report's sample days, scaled to the largest value."""
    top = max((Decimal(p[k]) for p in points for k in ("pv", "ev", "ac")), default=Decimal(0))
    top = top if top > 0 else Decimal(1)
    n = max(len(points) - 1, 1)

    def xy(i: int, v: str) -> str:
        x = PAD + (W - 2 * PAD) * i / n
        y = H - PAD - float(Decimal(v) / top) * (H - 2 * PAD)
        return f"{x:.1f},{y:.1f}"

    lines = [
        f'<polyline fill="none" stroke="{colour}" stroke-width="2.5" '
        f'points="{" ".join(xy(i, p[key]) for i, p in enumerate(points))}"/>'
        for key, _, colour in SERIES
    ]
    legend = "".join(
        f'<rect x="{PAD + 190 * i}" y="8" width="12" height="12" fill="{c}"/>'
        f'<text x="{PAD + 190 * i + 16}" y="19">{_e(label)}</text>'
        for i, (_, label, c) in enumerate(SERIES)
    )
    axes = (
        f'<line x1="{PAD}" y1="{H - PAD}" x2="{W - PAD}" y2="{H - PAD}" stroke="#999"/>'
        f'<line x1="{PAD}" y1="{PAD}" x2="{PAD}" y2="{H - PAD}" stroke="#999"/>'
        f'<text x="{PAD}" y="{H - PAD + 18}">{_e(points[0]["date"]) if points else ""}</text>'
        f'<text x="{W - PAD}" y="{H - PAD + 18}" text-anchor="end">'
        f"{_e(points[-1]['date']) if points else ''}</text>"
        f'<text x="{PAD + 4}" y="{PAD - 6}">{_e(top)}</text>'
        f'<text x="{PAD - 4}" y="{H - PAD}" text-anchor="end">0</text>'
        f'<text x="{W - PAD}" y="{PAD - 10}" text-anchor="end">{_e(currency)}</text>'
    )
    return (
        f'<svg class="chart" id="s-curve" role="img" aria-label="PV, EV and AC over time" '
        f'xmlns="http://www.w3.org/2000/svg" width="{W}" height="{H}" viewBox="0 0 {W} {H}">'
        f"{legend}{axes}{''.join(lines)}</svg>"
    )


def _cell_colour(score: int) -> str:
    return "#ef9a9a" if score >= 15 else "#ffcc80" if score >= 10 else (
        "#fff59d" if score >= 5 else "#c8e6c9")  # fmt: skip


def risk_matrix(cells: list[list[int]]) -> str:
    """5 x 5 grid: probability up, impact across, each cell the count of live risks."""
    size = PAD + 5 * CELL + 8
    parts = []
    for p in range(1, 6):
        for i in range(1, 6):
            x, y = PAD + (i - 1) * CELL, 8 + (5 - p) * CELL
            count = cells[p - 1][i - 1] if len(cells) >= p and len(cells[p - 1]) >= i else 0
            parts.append(
                f'<rect x="{x}" y="{y}" width="{CELL}" height="{CELL}" '
                f'fill="{_cell_colour(p * i)}" stroke="#fff" stroke-width="2"/>'
                f'<text x="{x + CELL / 2}" y="{y + CELL / 2 + 6}" text-anchor="middle" '
                f'font-size="18">{count or ""}</text>'
            )
        parts.append(f'<text x="{PAD - 8}" y="{8 + (5 - p) * CELL + CELL / 2 + 5}" '
                     f'text-anchor="end">{p}</text>')  # fmt: skip
    labels = "".join(
        f'<text x="{PAD + (i - 1) * CELL + CELL / 2}" y="{8 + 5 * CELL + 18}" '
        f'text-anchor="middle">{i}</text>'
        for i in range(1, 6)
    )
    return (
        f'<svg class="chart" id="risk-matrix" role="img" aria-label="Risk matrix" '
        f'xmlns="http://www.w3.org/2000/svg" width="{size}" height="{size}" '
        f'viewBox="0 0 {size} {size}">{"".join(parts)}{labels}'
        f'<text x="{PAD + 5 * CELL / 2}" y="{size - 2}" text-anchor="middle">impact</text>'
        f'<text x="12" y="{8 + 5 * CELL / 2}" transform="rotate(-90 12 {8 + 5 * CELL / 2})" '
        f'text-anchor="middle">probability</text></svg>'
    )


def finish_histogram(forecast: dict[str, Any]) -> str:
    """Bars of the simulated finish dates (20 bins), the target end date as a line."""
    bins = forecast.get("histogram", [])
    top = max((int(b["count"]) for b in bins), default=0) or 1
    n = max(len(bins), 1)
    width = (W - 2 * PAD) / n
    target = forecast.get("target_end_date")
    bars, marker = [], ""
    for i, b in enumerate(bins):
        height = int(b["count"]) / top * (H - 2 * PAD)
        x = PAD + i * width
        late = target is not None and str(b["from"]) > str(target)
        bars.append(
            f'<rect x="{x:.1f}" y="{H - PAD - height:.1f}" width="{max(width - 2, 1):.1f}" '
            f'height="{height:.1f}" fill="{"#ef9a9a" if late else "#90caf9"}">'
            f"<title>{_e(b['from'])} to {_e(b['to'])}: {_e(b['count'])}</title></rect>"
        )
        if target is not None and str(b["from"]) <= str(target) <= str(b["to"]):
            marker = (
                f'<line x1="{x + width / 2:.1f}" y1="{PAD}" x2="{x + width / 2:.1f}" '
                f'y2="{H - PAD}" stroke="#c62828" stroke-dasharray="4 3"/>'
                f'<text x="{x + width / 2 + 4:.1f}" y="{PAD + 10}">target {_e(target)}</text>'
            )
    axes = (
        f'<line x1="{PAD}" y1="{H - PAD}" x2="{W - PAD}" y2="{H - PAD}" stroke="#999"/>'
        f'<text x="{PAD}" y="{H - PAD + 18}">{_e(bins[0]["from"]) if bins else ""}</text>'
        f'<text x="{W - PAD}" y="{H - PAD + 18}" text-anchor="end">'
        f"{_e(bins[-1]['to']) if bins else ''}</text>"
        f'<text x="{PAD - 4}" y="{PAD}" text-anchor="end">{top}</text>'
    )
    return (
        f'<svg class="chart" id="forecast-histogram" role="img" '
        f'aria-label="Simulated finish dates" xmlns="http://www.w3.org/2000/svg" '
        f'width="{W}" height="{H}" viewBox="0 0 {W} {H}">{axes}{"".join(bars)}{marker}</svg>'
    )


def _forecast(s: dict[str, Any]) -> tuple[str, str]:
    """The forecast's figures and chart; reports written before the forecast have neither."""
    f = s.get("forecast")
    if not isinstance(f, dict):
        return "", ""
    finish, cost, c = f.get("finish", {}), f.get("cost", {}), s.get("currency", "")
    chance = f.get("probability_on_time")
    items = [
        ("P50 finish", finish.get("p50") or "—"), ("P80 finish", finish.get("p80") or "—"),
        ("Target end date", f.get("target_end_date") or "—"),
        ("Chance of finishing on time", "—" if chance is None else f"{float(chance):.0%}"),
        ("P50 cost", f"{c} {cost.get('p50')}"), ("P80 cost", f"{c} {cost.get('p80')}"),
        ("P90 cost", f"{c} {cost.get('p90')}"),
        ("Iterations (seed)", f"{f.get('iterations')} ({f.get('seed')})"),
    ]  # fmt: skip
    figures = "<h2>Forecast (Monte Carlo)</h2><dl class='figures'>" + "".join(
        f"<div><dt>{_e(k)}</dt><dd>{_e(v)}</dd></div>" for k, v in items
    ) + "</dl>"  # fmt: skip
    chart = (f"<figure>{finish_histogram(f)}<figcaption>Simulated finish dates "
             f"(red: after the target end date)</figcaption></figure>")  # fmt: skip
    return figures, chart


def _reasons(health: dict[str, Any]) -> str:
    rows = []
    for name in ("schedule", "budget", "risk"):
        d = health.get(name, {})
        reasons = "".join(f"<li>{_e(r['message'])} <code>{_e(r['code'])}</code></li>"
                          for r in d.get("reasons", []))  # fmt: skip
        rows.append(f"<tr><th>{name}</th><td>{_badge(d.get('status', ''))}</td>"
                    f"<td><ul>{reasons or '<li>No rule fired</li>'}</ul></td></tr>")  # fmt: skip
    return "<table class='health'>" + "".join(rows) + "</table>"


def _figures(s: dict[str, Any]) -> str:
    ev, ledger, c = s.get("earned_value", {}), s.get("ledger", {}), s.get("currency", "")
    items = [
        ("Budget", f"{c} {ledger.get('budget')}"), ("Actual", f"{c} {ledger.get('actual')}"),
        ("Open commitments", f"{c} {ledger.get('open_commitments')}"),
        ("EAC", f"{c} {ev.get('eac')}" if ev.get("eac") else "—"),
        ("CPI", ev.get("cpi") or "—"), ("SPI", ev.get("spi") or "—"),
        ("Forecast finish", s.get("forecast_finish") or "—"),
        ("Target end date", s.get("target_end_date") or "—"),
    ]  # fmt: skip
    return "<dl class='figures'>" + "".join(
        f"<div><dt>{_e(k)}</dt><dd>{_e(v)}</dd></div>" for k, v in items
    ) + "</dl>"  # fmt: skip


def _list(title: str, rows: list[str]) -> str:
    body = "".join(f"<li>{r}</li>" for r in rows) or "<li>None</li>"
    return f"<section><h3>{_e(title)}</h3><ul>{body}</ul></section>"


def render_page(project: Project, r: StatusReport) -> str:
    """Render the report as one HTML document (styles and charts inline)."""
    s = r.snapshot
    health = s.get("health", {})
    override = (f"<p class='override'>Overall set to {_badge(r.overall.value)} by the manager "
                f"(computed {_badge(r.computed_overall.value)}): {_e(r.override_reason)}</p>"
                if r.override_reason else "")  # fmt: skip
    narrative = "".join(
        f"<section><h3>{title}</h3><p>{_e(text)}</p></section>"
        for title, text in (("Achievements", r.achievements), ("Next steps", r.next_steps),
                            ("Escalations", r.escalations)) if text
    )  # fmt: skip
    lists = "".join([
        _list("Milestones done since the previous report",
              [f"{_e(m['name'])} ({_e(m['completed_on'])})"
               for m in s.get("milestones_done_since_previous", [])]),
        _list("Due in the next 30 days",
              [f"{_e(m['name'])} ({_e(m['due_date'])})"
               for m in s.get("milestones_due_next_30_days", [])]),
        _list("Top risks", [f"{_e(x['title'])} — score {_e(x['score'])} ({_e(x['severity'])})"
                            for x in s.get("top_risks", [])]),
        _list("Overdue action items", [f"{_e(a['title'])} (due {_e(a['due_on'])})"
                                       for a in s.get("overdue_action_items", [])]),
    ])  # fmt: skip
    trend = f" · trend: {_e(r.trend.value)}" if r.trend else ""
    forecast_figures, forecast_chart = _forecast(s)
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{_e(project.key)} status report {_e(s.get("as_of"))}</title>
<style>
body{{font:15px/1.45 system-ui,sans-serif;margin:24px auto;max-width:980px;color:#222;padding:0 16px}}
h1{{margin:0 0 4px}} .meta{{color:#666;margin:0 0 16px}}
.badge{{color:#fff;border-radius:4px;padding:1px 8px;font-weight:600;text-transform:uppercase;font-size:12px}}
.big .badge{{font-size:16px;padding:3px 12px}}
table.health{{border-collapse:collapse;width:100%}} .health th{{text-align:left;width:90px;text-transform:capitalize}}
.health td,.health th{{border-top:1px solid #eee;padding:6px 8px;vertical-align:top}} .health ul{{margin:0;padding-left:18px}}
dl.figures{{display:grid;grid-template-columns:repeat(4,1fr);gap:8px}} dl.figures div{{background:#f5f5f5;padding:8px;border-radius:6px}}
dt{{color:#666;font-size:12px}} dd{{margin:0;font-weight:600}}
figure{{margin:0}} .charts{{display:flex;gap:24px;flex-wrap:wrap;align-items:flex-start}} svg text{{font-size:12px;fill:#444}}
.lists{{display:grid;grid-template-columns:1fr 1fr;gap:0 24px}} code{{color:#888;font-size:11px}}
</style></head><body>
<h1>{_e(project.name)} <small>({_e(project.key)})</small></h1>
<p class="meta">Status report as of {_e(s.get("as_of"))} · written by {_e(r.written_by)}{trend}</p>
<p class="big">Overall: {_badge(r.overall.value)}</p>{override}
<section><h3>Summary</h3><p>{_e(r.summary)}</p></section>{narrative}
<h2>Health</h2>{_reasons(health)}
<h2>Key figures</h2>{_figures(s)}{forecast_figures}
<h2>Charts</h2><div class="charts"><figure>{s_curve(s.get("s_curve", []), s.get("currency", ""))}
<figcaption>PV / EV / AC up to the report date</figcaption></figure>
<figure>{risk_matrix(s.get("risk_matrix", []))}<figcaption>Open and mitigating risks</figcaption></figure>
{forecast_chart}</div>
<div class="lists">{lists}</div>
{MEASURE}
</body></html>
"""
