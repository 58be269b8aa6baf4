"""The error-budget report's arithmetic and its verdict (exit 4 when a budget is exhausted), checked against
numbers computed by hand. The statistics it reads are tested against the sandbox (tests/provider)."""

from __future__ import annotations

import contextlib
import json
from datetime import UTC, datetime, timedelta

import pytest

from lookout import slo_report, stackfile
from lookout.__main__ import main
from lookout.slo_report import Attainment


def test_availability_budget_by_hand():
    # 30 days = 2,592,000 s; 99.9% leaves 2,592 s (43.2 min); 1,296 s down spends half of it.
    a = Attainment("backend", "availability", 0.999, 30, 2_592_000, 1_296, "seconds")
    assert a.budget == pytest.approx(2592)
    assert a.attained == pytest.approx(1 - 1296 / 2_592_000)
    assert a.budget_left == pytest.approx(0.5)
    assert a.status == "within budget"


def test_an_overspent_budget_is_exhausted_and_an_empty_window_has_no_data():
    overspent = Attainment("backend", "errors", 0.999, 30, 200_000, 300, "spans")  # budget 200 failures
    assert overspent.budget_left == pytest.approx(-0.5) and overspent.status == "exhausted"
    assert Attainment("frontend", "latency", 0.95, 30, 0, 0, "spans").status == "no data"


def test_the_markdown_and_json_say_the_same_thing():
    rows = [
        Attainment("backend", "availability", 0.999, 30, 2_592_000, 1_296, "seconds"),
        Attainment("backend", "errors", 0.999, 30, 200_000, 300, "spans"),
    ]
    text = slo_report.markdown("prod", rows)
    assert (
        "| backend | availability | 99.9% | 99.950% | 43.2 min | 21.6 min | 50.0% | within budget |" in text
    )
    assert "| backend | errors | 99.9% | 99.850% | 200 spans | 300 spans | -50.0% | exhausted |" in text
    assert text.endswith("exhausted: backend errors")
    doc = json.loads(slo_report.as_json("prod", rows))
    assert [(o["kind"], o["status"], o["budget_left"]) for o in doc["objectives"]] == [
        ("availability", "within budget", pytest.approx(0.5)),
        ("errors", "exhausted", pytest.approx(-0.5)),
    ]


@pytest.mark.parametrize(("bad", "code"), [(100, 0), (300, 4)])
def test_the_command_exits_4_only_when_a_budget_is_exhausted(monkeypatch, capsys, bad, code):
    rows = [Attainment("backend", "errors", 0.999, 30, 200_000, bad, "spans")]
    monkeypatch.setattr(slo_report, "runner", lambda sandbox: contextlib.nullcontext(lambda *a, **k: None))
    monkeypatch.setattr(slo_report.stack_values, "config", lambda run, stack: {})
    monkeypatch.setattr(slo_report, "Statistics", FakeStatistics)
    monkeypatch.setattr(slo_report, "measure", lambda plan, now=None, stats=None: rows)
    assert main(["slo", "prod"]) == code
    assert "| backend | errors |" in capsys.readouterr().out


class FakeStatistics:
    """Downtime at a steady 1 s per hour, and 1,000 spans an hour of which 2 fail and 40 are slow."""

    def __init__(self, plan) -> None:
        self.plan = plan

    def now(self):
        return NOW

    def counts(self, objective, start, end):
        hours = (end - start).total_seconds() / 3600
        if objective.kind == "availability":
            return (end - start).total_seconds(), hours, "seconds"
        return 1000 * hours, (2 if objective.kind == "errors" else 40) * hours, "spans"


NOW = datetime(2026, 12, 1, tzinfo=UTC)


def test_the_series_spends_the_budget_from_the_start_of_the_window(monkeypatch):
    plan = stackfile.load("prod")
    monkeypatch.setattr(slo_report, "Statistics", FakeStatistics)
    lines = slo_report.series(plan, 3)
    up = lines[("backend", "availability")]
    assert [at for at, _ in up] == [NOW - timedelta(days=30 - 10 * i) for i in range(4)]
    # 240 s down per 10 days of a 2,592 s budget
    assert [left for _, left in up] == pytest.approx([1, 1 - 240 / 2592, 1 - 480 / 2592, 1 - 720 / 2592])
    errors = [left for _, left in lines[("backend", "errors")]]
    # no spans in the empty interval at the start; then 0.2% failing of a 0.1% budget
    assert errors[0] is None and errors[1:] == pytest.approx([-1, -1, -1])
    latency = [left for _, left in lines[("backend", "latency")]]
    assert latency[0] is None and latency[1:] == pytest.approx([0.2, 0.2, 0.2])  # 4% slow of a 5% budget
    report = {(a.service, a.kind): a.budget_left for a in slo_report.measure(plan, NOW)}
    assert {key: line[-1][1] for key, line in lines.items()} == pytest.approx(report)


class QuietThenBusy:
    """Nothing for the first 12 days of the window; then 1 h down on day 20 and, from day 12, 500 spans a day
    of which 1 fails and 20 are slow (the window ends on day 30). Records each window asked."""

    def __init__(self, plan) -> None:
        self.plan = plan
        self.asked: list[tuple[str, str, datetime, datetime]] = []

    def now(self):
        return NOW

    def counts(self, objective, start, end):
        self.asked.append((objective.service, objective.kind, start, end))
        days = (end - start).total_seconds() / 86400
        if objective.kind == "availability":
            return (end - start).total_seconds(), 3600 if days > 20 else 0, "seconds"
        busy = max(0.0, days - 12) * 500
        return busy, busy * (1 if objective.kind == "errors" else 20) / 500, "spans"


def test_the_series_by_hand_with_no_events_at_first_and_one_window_per_point(monkeypatch):
    plan = stackfile.load("prod")  # 30 days; backend availability 99.9%, errors 99.9%, latency 95%
    stats = QuietThenBusy(plan)
    lines = slo_report.series(plan, 5, NOW, stats)  # t_i every 6 days: 0, 6, 12, 18, 24, 30
    start = NOW - timedelta(days=30)
    assert [at for at, _ in lines[("backend", "errors")]] == [start + timedelta(days=6 * i) for i in range(6)]
    up = [left for _, left in lines[("backend", "availability")]]
    # the whole window's budget is 2,592 s from the start; 3,600 s down after day 20 overspends it
    assert up == pytest.approx([1, 1, 1, 1, 1 - 3600 / 2592, 1 - 3600 / 2592])
    errors = [left for _, left in lines[("backend", "errors")]]
    # 0 spans until day 12 (the budget of no spans is no figure); then 1 failed of 500 a day, a 0.1% budget:
    # day 18: 6 failed of 3,000 (budget 3); day 24: 12 of 6,000 (budget 6); day 30: 18 of 9,000 (budget 9)
    assert errors[:3] == [None, None, None]
    assert errors[3:] == pytest.approx([1 - 6 / 3, 1 - 12 / 6, 1 - 18 / 9])
    latency = [left for _, left in lines[("backend", "latency")]]
    assert latency[:3] == [None, None, None]
    assert latency[3:] == pytest.approx([1 - 120 / 150, 1 - 240 / 300, 1 - 360 / 450])  # 4% of a 5% budget
    objectives = len(list(plan.objectives()))
    assert len(stats.asked) == 5 * objectives  # one window per point and objective; none for the start
    assert {end for *_, end in stats.asked} == {start + timedelta(days=6 * i) for i in range(1, 6)}
    assert {begin for _, _, begin, _ in stats.asked} == {start}
    report = {(a.service, a.kind): a.budget_left for a in slo_report.measure(plan, NOW, stats)}
    assert {key: line[-1][1] for key, line in lines.items()} == report  # the very same figures


def test_the_last_point_is_the_report_window_even_when_the_window_does_not_divide_evenly():
    plan = stackfile.load("prod")
    stats = QuietThenBusy(plan)
    now = NOW + timedelta(microseconds=1)
    lines = slo_report.series(plan, 7, now, stats)  # 30 days / 7 is not a whole number of microseconds
    assert all(line[-1][0] == now for line in lines.values())
    assert max(end for *_, end in stats.asked) == now  # the report's window, not a microsecond past it


def test_the_chart_is_a_png_and_an_unwritable_path_is_one_message(monkeypatch, capsys, tmp_path):
    monkeypatch.setattr(slo_report, "Statistics", FakeStatistics)
    monkeypatch.setattr(slo_report, "runner", lambda sandbox: contextlib.nullcontext(lambda *a, **k: None))
    monkeypatch.setattr(slo_report.stack_values, "config", lambda run, stack: {})
    chart = tmp_path / "budget.png"
    assert main(["slo", "prod", "--chart", str(chart), "--points", "5"]) == 4  # the error budget is spent
    header = chart.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n" and header[12:16] == b"IHDR"
    assert (int.from_bytes(header[16:20], "big"), int.from_bytes(header[20:24], "big")) == (800, 400)
    capsys.readouterr()
    assert main(["slo", "prod", "--chart", str(tmp_path / "missing" / "x.png")]) == 1
    err = capsys.readouterr().err
    assert "cannot write the chart" in err and "Traceback" not in err
    assert main(["slo", "prod", "--chart", str(chart), "--points", "0"]) == 1
    assert "--points 0: between 1 and 60" in capsys.readouterr().err
