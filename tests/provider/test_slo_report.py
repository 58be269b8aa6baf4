"""`lookout slo` against the sandbox: the statistics the vendors keep (UptimeRobot uptime statistics, Sentry
span statistics), seeded through the control API, become the budgets computed here by hand."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from matplotlib import image

from harness.sandbox_process import SandboxProcess
from lookout import slo_chart, slo_report, stackfile

DAY = 86400


def _iso(epoch: float) -> str:
    return datetime.fromtimestamp(epoch, UTC).isoformat().replace("+00:00", "Z")


@pytest.fixture
def prod(configured: SandboxProcess) -> dict[str, Any]:
    """The prod plan's HTTP monitors and Sentry projects, as a deploy leaves them."""
    plan = stackfile.load("prod")
    monitors = {}
    for svc in plan.services:
        body = {"type": "HTTP", "friendlyName": svc.name, "url": svc.url, "interval": 300}
        monitors[svc.name] = configured.control("POST", "/uptimerobot/monitors", json=body).json()["id"]
    configured.control("POST", "/sentry/teams", json={"slug": plan.team})
    for svc in plan.services:
        slug = plan.project_slug(svc)
        configured.control("POST", "/sentry/projects", json={"team": plan.team, "name": slug, "slug": slug})
    now = configured.control("GET", "/clock").json()["now"]
    return {"plan": plan, "monitors": monitors, "now": now}


def outage(api: SandboxProcess, monitor: int, start: float, minutes: float) -> None:
    body = {"monitor": monitor, "start": _iso(start), "end": _iso(start + minutes * 60)}
    api.control("POST", "/uptimerobot/outages", json=body)


def spans(
    api: SandboxProcess, project: str, at: float, count: int, failed: int, ms: float, **more: Any
) -> None:
    body = {"project": project, "timestamp": _iso(at), "count": count, "failed": failed, "duration_ms": ms}
    api.control("POST", "/sentry/spans", json={"op": "http.server", "is_transaction": True, **body, **more})


def test_budgets_from_seeded_statistics_match_the_hand_computed_values(configured: SandboxProcess, prod):
    now, ids = prod["now"], prod["monitors"]
    outage(configured, ids["backend"], now - 3 * DAY, 20)
    outage(configured, ids["backend"], now - 10 * DAY, 10)
    outage(configured, ids["backend"], now - 40 * DAY, 600)  # before the 30-day window
    outage(configured, ids["frontend"], now - 5 * DAY, 50)
    backend, frontend = "optio-prod-backend", "optio-prod-frontend"
    spans(configured, backend, now - 2 * DAY, 99_000, 50, 120)
    spans(configured, backend, now - 1 * DAY, 1_000, 10, 3000)
    spans(configured, backend, now - 1 * DAY, 50_000, 500, 5, op="db", is_transaction=False)  # not requests
    spans(configured, backend, now - 45 * DAY, 1_000_000, 1_000_000, 9000)  # before the window
    spans(configured, frontend, now - 1 * DAY, 10_000, 0, 1500, op="pageload")
    spans(configured, frontend, now - 1 * DAY, 1_000, 0, 2500, op="pageload")

    rows = {
        (a.service, a.kind): a for a in slo_report.measure(prod["plan"], datetime.fromtimestamp(now, UTC))
    }

    up = rows[("backend", "availability")]  # 30 min down of a 43.2-minute budget
    assert (up.total, up.bad) == (30 * DAY, 1800)
    assert up.budget_left == pytest.approx(1 - 1800 / 2592) and up.status == "within budget"
    down = rows[("frontend", "availability")]  # 50 min down: overspent
    assert down.bad == 3000 and down.budget_left == pytest.approx(1 - 3000 / 2592)
    assert down.status == "exhausted"
    errors = rows[("backend", "errors")]  # 60 failed of 100,000 requests; the budget is 100
    assert (errors.total, errors.bad) == (100_000, 60) and errors.budget_left == pytest.approx(0.4)
    api_latency = rows[("backend", "latency")]  # 1,000 over 2 s of 100,000; the budget is 5,000
    assert (api_latency.total, api_latency.bad) == (100_000, 1_000)
    assert api_latency.budget_left == pytest.approx(0.8)
    page_load = rows[("frontend", "latency")]  # 1,000 over 2 s of 11,000; the budget is 550
    assert page_load.budget_left == pytest.approx(1 - 1000 / 550) and page_load.status == "exhausted"
    printed = slo_report.markdown("prod", list(rows.values()))
    assert "| backend | errors | 99.9% | 99.940% | 100 spans | 60 spans | 40.0% | within budget |" in printed
    assert printed.endswith("exhausted: frontend availability, frontend latency")


def test_a_service_without_its_monitor_is_one_clear_message(configured: SandboxProcess):
    plan = stackfile.load("prod")
    with pytest.raises(slo_report.Missing, match="backend: no UptimeRobot HTTP monitor of https://"):
        slo_report.measure(plan, datetime.fromtimestamp(0, UTC))


def test_the_series_over_the_window_from_seeded_statistics(configured: SandboxProcess, prod, tmp_path):
    now, ids = prod["now"], prod["monitors"]
    outage(configured, ids["backend"], now - 15 * DAY, 20)  # between the 2nd and 3rd points
    spans(configured, "optio-prod-frontend", now - 25 * DAY, 1_000, 0, 2500, op="pageload")  # all slow
    spans(configured, "optio-prod-frontend", now - 5 * DAY, 19_000, 0, 100, op="pageload")
    at = datetime.fromtimestamp(now, UTC)
    plan = prod["plan"]
    configured.control("DELETE", "/requests")
    stats = slo_report.Statistics(plan)  # as `lookout slo --chart` reads them: the report, then the series
    rows = {(a.service, a.kind): a.budget_left for a in slo_report.measure(plan, at, stats)}
    lines = slo_report.series(plan, 3, at, stats)

    up = lines[("backend", "availability")]  # where it changed: the outage's start and end, read once
    down = datetime.fromtimestamp(now - 15 * DAY, UTC).replace(microsecond=0)  # the API's instants: ms
    expected = [at - timedelta(days=30), down, down + timedelta(minutes=20), at]
    assert all(
        abs(moment - when) < timedelta(seconds=1) for (moment, _), when in zip(up, expected, strict=True)
    )
    assert [left for _, left in up] == pytest.approx([1, 1, 1 - 1200 / 2592, 1 - 1200 / 2592])
    page = [left for _, left in lines[("frontend", "latency")]]
    # no spans at the start; 1,000 slow of 1,000 (budget 50), still so at -10 d, then of 20,000 (budget 1,000)
    assert page[0] is None and page[1:] == pytest.approx([1 - 1000 / 50, 1 - 1000 / 50, 0])
    assert [left for _, left in lines[("backend", "errors")]] == [None] * 4  # no spans at all
    assert {key: line[-1][1] for key, line in lines.items()} == rows  # the last point is the report's figure

    # Each service's monitor and project looked up once; one statistics request per objective for the
    # report; then each monitor's incidents once, and one request per point of a span objective but the
    # last, the report's window: 3 per span objective in all.
    assert sorted(lines) == [
        ("backend", "availability"),
        ("backend", "errors"),
        ("backend", "latency"),
        ("frontend", "availability"),
        ("frontend", "latency"),
    ]
    assert configured.control("GET", "/requests").json()["byRoute"] == {
        "uptimerobot GET /monitors": 2,
        "uptimerobot GET /monitors/{id}/stats/uptime": 2,
        "uptimerobot GET /incidents": 2,
        "sentry GET /projects/{org}/{proj}/": 2,
        "sentry GET /organizations/{org}/events/": 3 * 3,
    }

    chart = tmp_path / "prod.png"
    slo_chart.render("prod", lines, chart)
    header = chart.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n" and header[12:16] == b"IHDR"
    assert image.imread(chart).shape[:2] == (520, 800)  # a panel of 260 pixels per service, 800 wide
