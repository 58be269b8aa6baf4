"""The registry lists every spec, and the classes derived from a spec behave as hand-written ones did."""

from __future__ import annotations

import importlib
import pkgutil

import dill
import pytest

import providers
from providers import registry
from providers.spec import ResourceSpec


def spec_instances() -> set[str]:
    """Every ResourceSpec a module under providers/ defines at module level, by kind."""
    found = set()
    for info in pkgutil.walk_packages(providers.__path__, "providers."):
        module = importlib.import_module(info.name)
        found |= {v.kind for v in vars(module).values() if isinstance(v, ResourceSpec)}
    return found


def test_every_spec_is_registered_once():
    kinds = [provider.spec.kind for provider in registry.PROVIDERS]
    assert len(kinds) == len(set(kinds))
    assert set(kinds) == spec_instances()


@pytest.mark.parametrize("provider", registry.PROVIDERS, ids=lambda p: p.spec.kind)
def test_a_provider_pickles_by_reference_under_its_stable_name(provider):
    vendor, name = provider.spec.kind.split(":")
    where = (provider.__module__, provider.__qualname__)
    assert where == (f"providers.{vendor}.resources", f"{name}Provider")
    pickled = dill.dumps(provider(), recurse=True)  # as pulumi.dynamic serialises it into state
    assert type(dill.loads(pickled)) is provider
    assert b"def " not in pickled and len(pickled) < 200  # a reference, not the class's code


@pytest.mark.parametrize("provider", registry.PROVIDERS, ids=lambda p: p.spec.kind)
def test_the_resource_class_has_the_type_token_of_its_kind(provider):
    vendor, name = provider.spec.kind.split(":")
    resource = getattr(importlib.import_module(provider.__module__), name)
    assert resource._resource_type_name == f"dynamic/{vendor}:{name}"
    assert resource.provider_class is provider
