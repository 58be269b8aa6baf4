"""Lint over all the stack files linted together (issue #30), one per environment, as the stacks of one
repository share the vendors' accounts (`make demo` deploys dev and prod into one):

* the vendors' plan limits, over what the plans would make, counted from the fan-out itself
  (stacks/inventory.py, under Pulumi's mocks): UptimeRobot counts monitors per account, 50 on the free plan
  (providers/uptimerobot/facts.py); the 51st create is refused with `subscription_limit_exceeded`,
  part-way through an `up`;
* one owner for what is the account's, not a stack's: the Render workspace's notification settings and its
  workspace-wide log stream are one object each; declared by two stacks, each `up` would undo the other's.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from providers.uptimerobot import facts
from stacks import inventory
from stacks.plan import Plan

from .lint_rules import Finding, error

MONITOR = "uptimerobot:Monitor"
# What a Render workspace has one of, and the key that declares it.
WORKSPACE_WIDE: dict[str, tuple[str, Callable[[Plan], object]]] = {
    "render_notifications": (
        "the Render workspace's notification settings",
        lambda plan: plan.render_notifications,
    ),
    "log_stream": (
        "the Render workspace's log stream",
        lambda plan: plan.log_stream and plan.log_stream.scope == "workspace",
    ),
}


def made(config: Mapping[str, Any]) -> int:
    """How many UptimeRobot monitors the stack file's plan makes."""
    return sum(1 for declared in inventory.planned_from_file(config) if declared.kind == MONITOR)


def monitors_fit(plans: Mapping[str, tuple[Plan, Mapping[str, Any]]]) -> dict[str, list[Finding]]:
    """An error on the file whose monitors take the account past its plan's limit, with the counts."""
    counts = {name: made(config) for name, (_, config) in plans.items()}
    found: dict[str, list[Finding]] = {}
    total = 0
    for name, (plan, _) in plans.items():
        total += counts[name]
        limit = facts.PLANS[plan.uptimerobot_plan].monitors
        if total > limit:
            each = " + ".join(f"{n} {c}" for n, c in counts.items())
            found[name] = [
                error(
                    "plan-limits",
                    "services",
                    f"the plans make {total} UptimeRobot monitors ({each}), more than the {limit} of the "
                    f"{plan.uptimerobot_plan} plan: the monitor past it would fail part-way through `up`",
                )
            ]
            break
    return found


def one_owner(plans: Mapping[str, tuple[Plan, Mapping[str, Any]]]) -> dict[str, list[Finding]]:
    """An error on each file after the first that declares a workspace-wide object."""
    found: dict[str, list[Finding]] = {}
    for key, (what, declares) in WORKSPACE_WIDE.items():
        owners = [name for name, (plan, _) in plans.items() if declares(plan)]
        for name in owners[1:]:
            found.setdefault(name, []).append(
                error(
                    "one-owner",
                    key,
                    f"{what}: declared by {owners[0]} too; there is one per workspace, and each stack's `up` "
                    "would undo the other's: keep it in one stack",
                )
            )
    return found
