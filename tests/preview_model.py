"""The project's program as `pulumi preview` runs it, without the engine.

Pulumi's mocks stand in for the engine, and each resource's inputs go through its dynamic provider's
`check`, as the engine's preview does (it calls only `check` and `diff`, and `diff` only for resources in
state). What a preview would refuse comes back as the lines the engine prints: the program's error, or
`<type> resource '<name>': property <field> ... has a problem: <reason>` per failed check. This is fast
enough for every case of the bad-stack corpus; tests/e2e/test_bad_input.py runs a handful of the same
cases through the real CLI, which keeps this model honest.
"""

from __future__ import annotations

from typing import Any
from unittest import mock

import pulumi

from harness.sandbox_process import SandboxProcess, sandbox_settings
from providers import registry
from stacks import inventory, program

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


class PreviewEngine(inventory.Engine):
    """The inventory's stand-in engine, calling each resource's provider `check` as a preview does."""

    def __init__(self) -> None:
        super().__init__()
        self.refusals: list[str] = []

    def new_resource(self, args: pulumi.runtime.MockResourceArgs) -> tuple[str, dict[str, Any]]:
        provider = registry.BY_KIND.get(registry.kind_of(args.typ))
        if provider is not None:
            result = provider().check({}, unwrapped(dict(args.inputs)))
            self.refusals += [
                f"{args.typ} resource '{args.name}': property {f.property} has a problem: {f.reason}"
                for f in result.failures or []
            ]
        return super().new_resource(args)


def sandbox_secrets(stack: str = "dev") -> dict[str, str]:
    return dict(sandbox_settings(NOWHERE, stack)["secrets"])


def refusals(config: dict[str, Any], stack: str = "dev") -> list[str]:
    """What a preview of a stack file with `config` (plus the sandbox's endpoints and secrets) refuses;
    [] when it would pass. An unexpected exception propagates: a preview would show it as a traceback."""
    settings = sandbox_settings(NOWHERE, stack)
    secrets = settings["secrets"]
    engine_config = {**config, **settings["endpoints"], **secrets}
    engine = PreviewEngine()

    def offline(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("a preview sent a request")

    with mock.patch("requests.adapters.HTTPAdapter.send", offline):
        try:
            inventory.run_offline(program.main, engine, engine_config, list(secrets), stack)
        except pulumi.RunError as refused:
            return [str(refused)]
    return engine.refusals
