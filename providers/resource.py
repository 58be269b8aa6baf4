"""Helpers for the Pulumi resource classes: one per spec, a few lines each."""

from __future__ import annotations

from typing import Any

import pulumi
from pulumi.dynamic import Resource

from .base import SpecProvider

COMMON_OUTPUTS = ("target",)


def register(
    resource: Resource,
    provider: SpecProvider,
    resource_name: str,
    props: dict[str, Any],
    opts: pulumi.ResourceOptions | None,
    outputs: tuple[str, ...] = (),
    secret_outputs: tuple[str, ...] = (),
) -> None:
    """Register `resource` with every input and output as a property; secrets stay encrypted in state."""
    spec = provider.spec
    inputs = {k: v for k, v in props.items() if v is not None}
    for name in spec.secret_fields & inputs.keys():
        inputs[name] = pulumi.Output.secret(inputs[name])
    declared = dict.fromkeys((*spec.input_fields(), *outputs, *COMMON_OUTPUTS))
    secret_opts = pulumi.ResourceOptions(
        additional_secret_outputs=sorted({*spec.secret_fields, *secret_outputs})
    )
    Resource.__init__(
        resource,
        provider,
        resource_name,
        {**declared, **inputs},
        pulumi.ResourceOptions.merge(secret_opts, opts),
    )
