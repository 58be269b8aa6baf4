"""The Pulumi classes of a spec, derived from it: a provider (pickled into state by reference) and a
resource whose properties are the spec's inputs and declared outputs."""

from __future__ import annotations

import contextlib
import contextvars
import types
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

import pulumi
from pulumi.dynamic import Resource
from pulumi.dynamic.dynamic import serialize_provider

from .base import PROVIDER_KEY, SpecProvider
from .spec import ResourceSpec

COMMON_OUTPUTS = ("target",)


@dataclass(frozen=True)
class Declaration:
    """A resource as a program declared it."""

    kind: str
    name: str  # the logical name
    adopt_key: str | None  # its key in `lookout:adopt`, if it can be adopted
    inputs: dict[str, Any]  # as given: another resource's output is a pulumi.Output


# What is declared while `recording()`, in order (a program's inventory: stacks/inventory.py).
_RECORDED: contextvars.ContextVar[list[Declaration] | None] = contextvars.ContextVar("recorded", default=None)


class SpecResource(Resource):
    """A resource of one spec; `derive` makes one subclass per spec."""

    provider_class: ClassVar[type[SpecProvider]]

    def __init__(
        self,
        resource_name: str,
        opts: pulumi.ResourceOptions | None = None,
        *,
        adopt_key: str | None = None,
        **props: Any,
    ) -> None:
        """`adopt_key` names the object in `lookout:adopt` (`lookout adopt` writes it); never an input.

        Every input and output is a property; secrets stay encrypted in state. This registers through
        `CustomResource.__init__` itself, as the dynamic `Resource.__init__` would (the provider pickled
        into `__provider`, by reference: `derive`): the SDK takes the third `__init__` on the stack to be
        the resource class and records the frames above it as the resource's source position and stack
        trace (pulumi/runtime/resource.py `_get_stack_trace`), so going through the dynamic class as well
        would record this file for every resource instead of the program's line, and two more frames in
        every resource's state."""
        provider = self.provider_class()
        spec = provider.spec
        inputs = {k: v for k, v in props.items() if v is not None}
        for name in spec.secret_fields & inputs.keys():
            inputs[name] = pulumi.Output.secret(inputs[name])
        # Attributes: the inputs given and the declared outputs. Not every input field: the SDK makes an
        # Output per property and waits on all of them together, over and over (pulumi/runtime/stack.py
        # `wait_for_rpcs`), so a property nobody reads costs every resource of the program time.
        declared = dict.fromkeys((*spec.output_names, *COMMON_OUTPUTS))
        secret_opts = pulumi.ResourceOptions(
            additional_secret_outputs=sorted({*spec.secret_fields, *spec.secret_outputs})
        )
        pulumi.CustomResource.__init__(
            self,
            f"pulumi-python:{self._resource_type_name}",
            resource_name,
            {**declared, **inputs, PROVIDER_KEY: serialize_provider(provider)},
            pulumi.ResourceOptions.merge(secret_opts, opts),
        )
        recorded = _RECORDED.get()
        if recorded is not None:
            recorded.append(Declaration(self.provider_class.spec.kind, resource_name, adopt_key, props))

    if TYPE_CHECKING:  # outputs are set by the engine, one attribute per declared property

        def __getattr__(self, name: str) -> pulumi.Output[Any]: ...


@contextlib.contextmanager
def recording() -> Iterator[list[Declaration]]:
    """Every SpecResource declared inside the block, as it was declared."""
    recorded: list[Declaration] = []
    token = _RECORDED.set(recorded)
    try:
        yield recorded
    finally:
        _RECORDED.reset(token)


def derive(spec: ResourceSpec[Any], module: str) -> tuple[type[SpecProvider], type[SpecResource]]:
    """`<Name>Provider` and `<Name>` for the spec of kind `<vendor>:<Name>`, to be bound to those names in
    `module`: the engine pickles the provider by reference (module and name), so both must stay importable
    there (providers of resources already deployed are found by these names at delete)."""
    vendor, name = spec.kind.split(":")
    provider = types.new_class(
        f"{name}Provider",
        (SpecProvider,),
        {},
        lambda ns: ns.update(_names(module, f"{name}Provider"), spec=spec),
    )
    resource = types.new_class(
        name,
        (SpecResource,),
        {"module": vendor, "name": name},
        lambda ns: ns.update(_names(module, name), provider_class=provider, __doc__=type(spec).__doc__),
    )
    return provider, resource


def _names(module: str, name: str) -> dict[str, str]:
    return {"__module__": module, "__qualname__": name}
