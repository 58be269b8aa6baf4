"""The project's program as `pulumi preview` runs it, without the engine.

Pulumi's mocks stand in for the engine, and each resource's inputs go through its dynamic provider's
`check`, as the engine's preview does (it calls only `check` and `diff`, and `diff` only for resources in
state). What a preview would refuse comes back as the lines the engine prints: the program's error, or
`<type> resource '<name>': property <field> ... has a problem: <reason>` per failed check. This is fast
enough for every case of the bad-stack corpus; tests/e2e/test_bad_input.py runs a handful of the same
cases through the real CLI, which keeps this model honest.
"""

from __future__ import annotations

import json
from typing import Any
from unittest import mock

import pulumi
from pulumi.runtime import config as runtime_config

from harness.sandbox_process import SandboxProcess, sandbox_settings
from providers import registry
from stacks import program

# Endpoints nobody listens on: a preview never sends a request (guarded below).
NOWHERE = SandboxProcess("http://127.0.0.1:9")
# Pulumi's wire marker of a secret (pulumi/runtime/rpc.py): the provider's Check receives the plain value.
SIG_KEY, SECRET_SIG = "4dabf18193072939515e22adb298388d", "1b47061264138c4ac30d75fd1eb44270"


def unwrapped(value: Any) -> Any:
    if isinstance(value, dict):
        if value.get(SIG_KEY) == SECRET_SIG:
            return unwrapped(value.get("value"))
        return {k: unwrapped(v) for k, v in value.items()}
    if isinstance(value, list):
        return [unwrapped(v) for v in value]
    return value


class PreviewEngine(pulumi.runtime.Mocks):
    def __init__(self) -> None:
        self.refusals: list[str] = []
        self.made = 0

    def new_resource(self, args: pulumi.runtime.MockResourceArgs) -> tuple[str, dict[str, Any]]:
        provider = registry.BY_KIND.get(registry.kind_of(args.typ))
        if provider is not None:
            result = provider().check({}, unwrapped(dict(args.inputs)))
            self.refusals += [
                f"{args.typ} resource '{args.name}': property {f.property} has a problem: {f.reason}"
                for f in result.failures or []
            ]
        self.made += 1
        return str(self.made), dict(args.inputs)  # ids as some vendors give them: numbers (UptimeRobot)

    def call(self, args: pulumi.runtime.MockCallArgs) -> tuple[dict[str, Any], list[tuple[str, str]]]:
        return {}, []


def sandbox_secrets(stack: str = "dev") -> dict[str, str]:
    return dict(sandbox_settings(NOWHERE, stack)["secrets"])


def refusals(config: dict[str, Any], stack: str = "dev") -> list[str]:
    """What a preview of a stack file with `config` (plus the sandbox's endpoints and secrets) refuses;
    [] when it would pass. An unexpected exception propagates: a preview would show it as a traceback."""
    settings = sandbox_settings(NOWHERE, stack)
    secrets = settings["secrets"]
    engine_config = {**config, **settings["endpoints"], **secrets}
    as_sent = {key: v if isinstance(v, str) else json.dumps(v) for key, v in engine_config.items()}
    engine = PreviewEngine()
    pulumi.runtime.set_mocks(engine, project="lookout", stack=stack, preview=True)
    runtime_config.set_all_config(as_sent, list(secrets))

    @pulumi.runtime.test
    def run() -> None:
        program.main()

    def offline(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("a preview sent a request")

    with mock.patch("requests.adapters.HTTPAdapter.send", offline):
        try:
            run()
        except pulumi.RunError as refused:
            return [str(refused)]
        finally:
            runtime_config.set_all_config({}, [])
    return engine.refusals
