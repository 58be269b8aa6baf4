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


def test_a_live_objects_natural_key_is_read_once_however_often_it_is_asked(monkeypatch: pytest.MonkeyPatch):
    """A create looks its key up among every object of its listing; N creates would project N objects
    each (N^2 projections in one up) if a live key were not kept."""
    spec = registry.spec_of("sentry:MetricMonitor")
    projected: list[str] = []
    real = spec.project

    def counted(obj):
        projected.append(obj["name"])
        return real(obj)

    monkeypatch.setattr(spec, "project", counted)
    listing = [{"id": str(i), "name": f"monitor {i}"} for i in range(3)]
    for wanted in range(5):
        found = [o["id"] for o in listing if spec.matches(o, {"name": f"monitor {wanted}"})]
        assert found == ([str(wanted)] if wanted < 3 else [])
    assert sorted(projected) == ["monitor 0", "monitor 1", "monitor 2"]
    twin = dict(listing[0])  # another object with the same content is read for itself
    assert spec.matches(twin, {"name": "monitor 0"}) and projected.count("monitor 0") == 2
