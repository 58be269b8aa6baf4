"""The Pulumi classes of a spec, derived from it: a provider (pickled into state by reference) and a
resource whose properties are the spec's inputs and declared outputs."""

from __future__ import annotations

import types
from typing import TYPE_CHECKING, Any, ClassVar

import pulumi
from pulumi.dynamic import Resource

from .base import SpecProvider
from .spec import ResourceSpec

COMMON_OUTPUTS = ("target",)


class SpecResource(Resource):
    """A resource of one spec; `derive` makes one subclass per spec."""

    provider_class: ClassVar[type[SpecProvider]]

    def __init__(self, resource_name: str, opts: pulumi.ResourceOptions | None = None, **props: Any) -> None:
        register(self, self.provider_class(), resource_name, props, opts)

    if TYPE_CHECKING:  # outputs are set by the engine, one attribute per declared property

        def __getattr__(self, name: str) -> pulumi.Output[Any]: ...


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


def register(
    resource: Resource,
    provider: SpecProvider,
    resource_name: str,
    props: dict[str, Any],
    opts: pulumi.ResourceOptions | None,
) -> None:
    """Register `resource` with every input and output as a property; secrets stay encrypted in state."""
    spec = provider.spec
    inputs = {k: v for k, v in props.items() if v is not None}
    for name in spec.secret_fields & inputs.keys():
        inputs[name] = pulumi.Output.secret(inputs[name])
    declared = dict.fromkeys((*spec.input_fields(), *spec.output_names, *COMMON_OUTPUTS))
    secret_opts = pulumi.ResourceOptions(
        additional_secret_outputs=sorted({*spec.secret_fields, *spec.secret_outputs})
    )
    Resource.__init__(
        resource,
        provider,
        resource_name,
        {**declared, **inputs},
        pulumi.ResourceOptions.merge(secret_opts, opts),
    )
