"""Service-level objectives: the plan's defaults, the error budget and the burn-rate arithmetic, checked
against values computed by hand."""

from __future__ import annotations

import copy

import pytest

from lookout import stackfile
from stacks import slo
from stacks.checks import compile_plan
from stacks.payloads import MetricThreshold
from stacks.plan import load_plan
from stacks.slo import Objective, SLOs


def plan_with(**slos: object):
    values = copy.deepcopy(stackfile.lookout_values(stackfile.path_of("prod")))
    values["slos"] = slos
    return load_plan(values)


def test_without_objectives_the_plan_numbers_apply_to_every_service():
    plan = plan_with(window_days=30)
    declared = {(o.service, o.kind): (o.target, o.threshold_ms) for o in plan.objectives()}
    assert declared == {
        ("backend", "availability"): (0.999, None),
        ("backend", "errors"): (0.999, None),
        ("backend", "latency"): (0.95, 2000.0),  # lookout:thresholds.api_p95_ms
        ("frontend", "availability"): (0.999, None),
        ("frontend", "latency"): (0.95, 2000.0),  # the plan's page load under 2 s
    }


def test_budgets_by_hand():
    slos = SLOs(window_days=30)
    uptime = Objective(service="backend", kind="availability", target=0.999)
    assert slo.budget_text(slos, uptime) == "43.2 min down per 30 days"  # 0.001 x 30 x 1440
    errors = Objective(service="backend", kind="errors", target=0.995)
    assert slo.budget_text(SLOs(window_days=7), errors) == "5,000 failed requests per million"


def test_burn_rate_thresholds_and_budget_spent_by_hand():
    errors = Objective(service="backend", kind="errors", target=0.999)
    fast, slow = slo.burns(SLOs(window_days=30), errors)
    assert (fast.severity, fast.threshold, fast.window_minutes) == ("critical", 0.0144, 60)  # 14.4 x 0.1%
    assert fast.budget_spent == pytest.approx(14.4 * 60 / 43200)  # 2% of 30 days
    assert (slow.severity, slow.threshold, slow.window_minutes) == ("warning", 0.006, 240)  # 6 x 0.1%
    assert slow.budget_spent == pytest.approx(6 * 240 / 43200)  # 3.33%
    assert fast.arithmetic == "14.4 x budget = 1.44% bad over 60 min; fires after 2% of the budget is spent"


def test_a_burn_that_could_never_fire_is_left_out():
    loose = Objective(service="backend", kind="errors", target=0.9)  # 14.4 x 10% = 144%: impossible
    assert [b.speed for b in slo.burns(SLOs(), loose)] == ["slow"]  # 6 x 10% = 60%


def test_a_burn_alert_that_spends_the_whole_budget_before_firing_is_refused():
    with pytest.raises(ValueError, match="slow: 200% of the budget would be spent"):
        SLOs(window_days=1, slow={"burn_rate": 12, "window_minutes": 240})


def test_the_errors_objective_compiles_to_a_paging_and_a_warning_monitor_and_dev_never_pages():
    burns = {c.key: c for c in compile_plan(plan_with()) if c.kind == "slo-burn"}
    assert set(burns) == {"slo:backend:errors:fast", "slo:backend:errors:slow"}
    fast = burns["slo:backend:errors:fast"]
    assert isinstance(fast.payload, MetricThreshold)
    assert (fast.severity, fast.payload.critical, fast.payload.time_window) == ("critical", 0.0144, 3600)
    assert "pagerduty" in fast.channels
    dev = load_plan(stackfile.lookout_values(stackfile.path_of("dev")))
    dev_fast = next(c for c in compile_plan(dev) if c.key == "slo:backend:errors:fast")
    assert "pagerduty" not in dev_fast.channels


def test_a_plan_without_slos_compiles_no_burn_alert():
    values = copy.deepcopy(stackfile.lookout_values(stackfile.path_of("prod")))
    values.pop("slos")
    plan = load_plan(values)
    assert plan.objectives() == [] and not [c for c in compile_plan(plan) if c.kind == "slo-burn"]
