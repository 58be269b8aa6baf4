"""The error-budget report's arithmetic and its verdict (exit 4 when a budget is exhausted), checked against
numbers computed by hand. The statistics it reads are tested against the sandbox (tests/provider)."""

from __future__ import annotations

import contextlib
import json

import pytest

from lookout import slo_report
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
    monkeypatch.setattr(slo_report, "measure", lambda plan: rows)
    assert main(["slo", "prod"]) == code
    assert "| backend | errors |" in capsys.readouterr().out
