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
    """Down 20 minutes on day 10 and 40 minutes on day 25 of the window; 1,000 spans an hour of which 2
    fail and 40 are slow."""

    def __init__(self, plan) -> None:
        self.plan = plan
        self.asked: list[tuple[str, str, datetime, datetime]] = []

    def now(self):
        return NOW

    def outages(self, objective, start, end):
        self.asked.append((objective.service, objective.kind, start, end))
        periods = [(START + timedelta(days=10), 20), (START + timedelta(days=25), 40)]
        found = [(at, at + timedelta(minutes=minutes)) for at, minutes in periods]
        return [(max(a, start), min(b, end)) for a, b in found if b > start and a < end]

    def counts(self, objective, start, end):
        if objective.kind == "availability":
            down = sum((b - a).total_seconds() for a, b in self.outages(objective, start, end))
            return (end - start).total_seconds(), down, "seconds"
        self.asked.append((objective.service, objective.kind, start, end))
        hours = (end - start).total_seconds() / 3600
        return 1000 * hours, (2 if objective.kind == "errors" else 40) * hours, "spans"


NOW = datetime(2026, 12, 1, tzinfo=UTC)
START = NOW - timedelta(days=30)


def same(line, expected) -> bool:
    """The same instants, and the same shares of the budget but for float rounding."""
    return [at for at, _ in line] == [at for at, _ in expected] and [v for _, v in line] == pytest.approx(
        [v for _, v in expected]
    )


def test_availability_is_drawn_where_it_changed_from_the_monitors_outages_read_once():
    """The budget of a 30-day window at 99.9% is 2,592 s, spent from the window's start: flat, then down
    by 1,200 s over the first outage, flat, down by 2,400 s over the second: overspent."""
    plan = stackfile.load("prod")
    stats = FakeStatistics(plan)
    lines = slo_report.series(plan, 10, NOW, stats)
    first, second = START + timedelta(days=10), START + timedelta(days=25)
    assert same(
        lines[("backend", "availability")],
        [
            (START, 1.0),
            (first, 1.0),
            (first + timedelta(minutes=20), 1 - 1200 / 2592),
            (second, 1 - 1200 / 2592),
            (second + timedelta(minutes=40), 1 - 3600 / 2592),
            (NOW, 1 - 3600 / 2592),
        ],
    )
    asked = [a for a in stats.asked if a[1] == "availability"]
    assert asked == [("backend", "availability", START, NOW), ("frontend", "availability", START, NOW)]
    report = {(a.service, a.kind): a.budget_left for a in slo_report.measure(plan, NOW, stats)}
    assert {key: line[-1][1] for key, line in lines.items()} == pytest.approx(report)


def test_an_outage_across_the_windows_start_spends_only_its_part_inside():
    plan = stackfile.load("prod")
    stats = FakeStatistics(plan)
    later = NOW + timedelta(days=10, minutes=10)  # the window now starts 10 minutes into the first outage
    line = slo_report.series(plan, 3, later, stats)[("backend", "availability")]
    expected = [(later - timedelta(days=30), 1.0)] * 2 + [
        (START + timedelta(days=10, minutes=20), 1 - 600 / 2592)
    ]
    assert same(line[:3], expected)


def test_span_objectives_are_asked_at_each_point_from_the_windows_start():
    plan = stackfile.load("prod")  # 30 days; backend errors 99.9%, latency 95%
    stats = FakeStatistics(plan)
    lines = slo_report.series(plan, 5, NOW, stats)  # t_i every 6 days: 0, 6, 12, 18, 24, 30
    assert [at for at, _ in lines[("backend", "errors")]] == [START + timedelta(days=6 * i) for i in range(6)]
    errors = [left for _, left in lines[("backend", "errors")]]
    # no spans in the empty interval at the start; then 0.2% failing of a 0.1% budget
    assert errors[0] is None and errors[1:] == pytest.approx([-1] * 5)
    latency = [left for _, left in lines[("backend", "latency")]]
    assert latency[0] is None and latency[1:] == pytest.approx([0.2] * 5)  # 4% slow of a 5% budget
    spans = [a for a in stats.asked if a[1] != "availability"]
    assert {end for *_, end in spans} == {START + timedelta(days=6 * i) for i in range(1, 6)}
    assert {begin for _, _, begin, _ in spans} == {START}
    assert len(spans) == 5 * len([o for o in plan.objectives() if o.kind != "availability"])


def test_the_last_point_is_the_report_window_even_when_the_window_does_not_divide_evenly():
    plan = stackfile.load("prod")
    stats = FakeStatistics(plan)
    now = NOW + timedelta(microseconds=1)
    lines = slo_report.series(plan, 7, now, stats)  # 30 days / 7 is not a whole number of microseconds
    assert all(line[-1][0] == now for line in lines.values())
    assert max(end for *_, end in stats.asked) == now  # the report's window, not a microsecond past it


def test_the_chart_has_a_panel_per_service():
    from lookout import slo_chart

    plan = stackfile.load("prod")
    lines = slo_report.series(plan, 3, NOW, FakeStatistics(plan))
    shown = slo_chart.panels(lines)
    assert list(shown) == ["backend", "frontend"]
    assert list(shown["backend"]) == ["availability", "errors", "latency"]


def test_the_chart_is_a_png_and_an_unwritable_path_is_one_message(monkeypatch, capsys, tmp_path):
    monkeypatch.setattr(slo_report, "Statistics", FakeStatistics)
    monkeypatch.setattr(slo_report, "runner", lambda sandbox: contextlib.nullcontext(lambda *a, **k: None))
    monkeypatch.setattr(slo_report.stack_values, "config", lambda run, stack: {})
    chart = tmp_path / "budget.png"
    assert main(["slo", "prod", "--chart", str(chart), "--points", "5"]) == 4  # the error budget is spent
    header = chart.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n" and header[12:16] == b"IHDR"
    size = (int.from_bytes(header[16:20], "big"), int.from_bytes(header[20:24], "big"))
    assert size == (800, 520)  # a panel of 260 pixels per service
    capsys.readouterr()
    assert main(["slo", "prod", "--chart", str(tmp_path / "missing" / "x.png")]) == 1
    err = capsys.readouterr().err
    assert "cannot write the chart" in err and "Traceback" not in err
    assert main(["slo", "prod", "--chart", str(chart), "--points", "0"]) == 1
    assert "--points 0: between 1 and 60" in capsys.readouterr().err
