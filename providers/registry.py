"""Every resource Lookout manages: the providers each vendor's resources.py derives from its specs, in the
order they are written there. Reports, adoption, the fault suite, the property tests and the coverage
checks read this list; a new resource is its spec module and a line in its vendor's resources.py."""

from __future__ import annotations

from types import ModuleType
from typing import Any

from .base import SpecProvider
from .pagerduty import resources as pagerduty
from .render import resources as render
from .sentry import resources as sentry
from .uptimerobot import resources as uptimerobot

VENDORS: tuple[ModuleType, ...] = (uptimerobot, sentry, render, pagerduty)


def _derived(module: ModuleType) -> list[type[SpecProvider]]:
    return [
        value
        for value in vars(module).values()
        if isinstance(value, type) and issubclass(value, SpecProvider) and value.__module__ == module.__name__
    ]


PROVIDERS: tuple[type[SpecProvider], ...] = tuple(p for module in VENDORS for p in _derived(module))
BY_KIND: dict[str, type[SpecProvider]] = {provider.spec.kind: provider for provider in PROVIDERS}


def specs() -> dict[str, Any]:
    """Every kind's ResourceSpec, in the order above."""
    return {kind: provider.spec for kind, provider in BY_KIND.items()}


def kind_of(type_token: str) -> str:
    """`pulumi-python:dynamic/uptimerobot:Monitor` (a type in state or a preview) -> `uptimerobot:Monitor`."""
    return type_token.rsplit("/", 1)[-1]


def spec_of(kind: str) -> Any:
    """The ResourceSpec of `kind` (`uptimerobot:Monitor`), or None for a kind Lookout does not manage."""
    provider = BY_KIND.get(kind)
    return provider.spec if provider else None
