"""What a plan makes, computed once: the fan-out itself, run under Pulumi's mocks.

No engine and no vendor request: every resource the MonitoringStack declares is recorded as it was declared
(kind, logical name, `lookout:adopt` key, inputs), and stands in for the engine's answer with an id. So
`lookout adopt` looks for exactly what `pulumi up` would make, under the same conditions, never a second
description of the plan that could drift from the fan-out.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Collection, Mapping
from typing import Any

import pulumi
from pulumi.runtime import config as runtime_config

from providers.resource import Declaration, recording

from . import source
from .checks import compile_plan
from .monitoring import MonitoringStack
from .plan import Plan


class Engine(pulumi.runtime.Mocks):
    """Makes each resource at once, with the number of its creation as its id (UptimeRobot's ids are
    numbers, and the provider checks them as such)."""

    def __init__(self) -> None:
        self.made = 0

    def new_resource(self, args: pulumi.runtime.MockResourceArgs) -> tuple[str, dict[str, Any]]:
        self.made += 1
        return str(self.made), dict(args.inputs)

    def call(self, args: pulumi.runtime.MockCallArgs) -> tuple[dict[str, Any], list[tuple[str, str]]]:
        return {}, []


def run_offline(
    main: Callable[[], object],
    engine: pulumi.runtime.Mocks,
    config: dict[str, Any],
    secrets: Collection[str],
    stack: str,
) -> None:
    """Run `main` (a Pulumi program) as a preview of `stack` under `engine`, with `config` (`lookout:...`
    keys; `secrets` among them) as the engine would send it. A pulumi.RunError propagates."""
    as_sent = {key: v if isinstance(v, str) else json.dumps(v) for key, v in config.items()}
    pulumi.runtime.set_mocks(engine, project="lookout", stack=stack, preview=True)
    runtime_config.set_all_config(as_sent, list(secrets))

    @pulumi.runtime.test
    def run() -> None:
        main()

    try:
        run()
    finally:
        runtime_config.set_all_config({}, [])


def planned(plan: Plan, config: dict[str, Any], secrets: Collection[str]) -> list[Declaration]:
    """Every resource `plan` makes, in the order the fan-out declares them."""
    with recording() as declared:
        run_offline(
            lambda: MonitoringStack(plan.environment, plan), Engine(), config, secrets, plan.environment
        )
    return declared


def planned_from_file(config: Mapping[str, Any]) -> list[Declaration]:
    """What a stack file's plan makes, read from the file alone: the secrets it names but keeps elsewhere
    (`pulumi config set --secret`) stand in as placeholders; nothing here reads their values."""
    return _from_file(config)[1]


def checks_served(config: Mapping[str, Any]) -> dict[str, str]:
    """Resource name -> the catalog check it serves (`uptime:backend`, as the catalog lists it)."""
    plan, made = _from_file(config)
    keys = {check.key for check in compile_plan(plan)}
    return {d.name: d.adopt_key for d in made if d.adopt_key in keys}


def _from_file(config: Mapping[str, Any]) -> tuple[Plan, list[Declaration]]:
    values = source.lookout_values(config)
    secrets = [f"{source.NAMESPACE}{name}" for name in source.secret_names(values)]
    sent = {**config, **{name: "placeholder" for name in secrets if name not in config}}
    plan = source.plan_of(config)
    return plan, planned(plan, sent, secrets)
