"""Creates never duplicate (natural-key claims) and refresh reads share list pages (issue #7)."""

from __future__ import annotations

import math
from typing import Any

import pytest

from harness.sandbox_process import SandboxProcess
from providers.base import SpecProvider
from providers.claims import AlreadyExists
from providers.sentry.resources import (
    AlertProvider,
    ClientKeyProvider,
    MetricMonitorProvider,
    ProjectProvider,
)
from providers.uptimerobot.resources import AlertContactProvider, MonitorProvider
from tests.fakes import FakeClock
from transport import shared

from .conftest import checked, count, fault, wire
from .test_sentry_provider import create, monitor_props, project  # noqa: F401 (fixture)

MONITOR = {"name": "api", "url": "https://api.example.test/health"}


def new_process(clock: FakeClock) -> None:
    """What a second `pulumi up` starts with: no transports, no cached listings."""
    shared.use_clock(clock)


def live(api: SandboxProcess, collection: str, vendor: str = "uptimerobot") -> list[dict[str, Any]]:
    return list(api.control("GET", f"/{vendor}/{collection}").json())


@pytest.mark.parametrize(
    ("provider_cls", "props", "collection", "posts"),
    [
        (MonitorProvider, MONITOR, "monitors", 2),  # the API refuses the second POST; then it is claimed
        (MonitorProvider, {"name": "beat", "type": "HEARTBEAT"}, "monitors", 1),  # listed first
        (AlertContactProvider, {"name": "ops", "email": "ops@example.test"}, "alert-contacts", 1),
    ],
)
def test_identical_leftover_is_taken_over_not_duplicated(
    configured: SandboxProcess, clock: FakeClock, provider_cls: type[SpecProvider], props, collection, posts
):
    provider = provider_cls()
    first = provider.create(checked(provider, props))  # then the run died before state recorded it
    before = len(live(configured, collection))
    new_process(clock)
    second = provider.create(checked(provider, props))
    assert second.id == first.id
    assert len(live(configured, collection)) == before
    assert count(configured, f"POST /{collection}") == posts


def test_a_create_interrupted_between_its_two_requests_is_finished_not_duplicated(
    configured: SandboxProcess, clock: FakeClock
):
    provider = AlertContactProvider()  # ssl_expiration_reminder needs a PATCH after the POST
    props = {"name": "ops", "email": "ops@example.test", "ssl_expiration_reminder": True}
    before = len(live(configured, "alert-contacts"))
    half = {"type": "Email", "friendlyName": "ops", "value": "ops@example.test"}
    seeded = configured.control("POST", "/uptimerobot/alert-contacts", json=half).json()  # the POST alone
    new_process(clock)
    created = provider.create(checked(provider, props))
    assert created.id == str(seeded["id"])
    assert len(live(configured, "alert-contacts")) == before + 1
    assert (created.outs or {}).get("ssl_expiration_reminder") is True


def test_same_key_but_different_object_is_someone_elses_where_duplicates_are_allowed(
    configured: SandboxProcess, clock: FakeClock
):
    provider = AlertContactProvider()
    first = provider.create(checked(provider, {"name": "dev-ops", "email": "ops@example.test"}))
    new_process(clock)
    second = provider.create(checked(provider, {"name": "prod-ops", "email": "ops@example.test"}))
    assert second.id != first.id  # two stacks, one address: each keeps its own contact


def test_different_object_under_a_key_the_api_refuses_twice_is_reported_not_overwritten(
    configured: SandboxProcess, clock: FakeClock
):
    provider = MonitorProvider()
    provider.create(checked(provider, MONITOR))
    new_process(clock)
    with pytest.raises(AlreadyExists, match=r"differs in interval.*adopt") as info:
        provider.create(checked(provider, {**MONITOR, "interval": 600}))
    assert "adopt_id" in str(info.value)
    assert count(configured, "POST /monitors") == 2  # the second was refused by the API
    assert count(configured, "PATCH /monitors/{id}") == 0
    assert [m["interval"] for m in live(configured, "monitors")] == [300]


def test_replacement_does_not_claim_the_object_it_supersedes(configured: SandboxProcess, project):  # noqa: F811
    provider = MetricMonitorProvider()
    old_id, _ = create(provider, monitor_props(project))
    other = create(
        ProjectProvider(),
        {"team": "core", "slug": "web", "name": "Web", "platform": "python", "default_key": "keep"},
    )[1]
    new_id, _ = create(provider, monitor_props(other))  # `project` is a replace_on field: a new scope
    assert new_id != old_id


@pytest.mark.parametrize(
    ("provider_cls", "props_of", "collection"),
    [
        (MetricMonitorProvider, monitor_props, "detectors"),
        (ClientKeyProvider, lambda p: {"project": p["project_id"], "name": "backend"}, "keys"),
        (
            AlertProvider,
            lambda p: {
                "name": "errors",
                "project": p["project_id"],
                "default_detectors": ["error"],
                "actions": [{"type": "email", "target_type": "user", "target_id": "1"}],
            },
            "workflows",
        ),
    ],
)
def test_sentry_leftovers_are_taken_over(
    configured: SandboxProcess,
    clock: FakeClock,
    project,  # noqa: F811
    provider_cls: type[SpecProvider],
    props_of,
    collection,
):
    provider = provider_cls()
    props = props_of(project)
    first_id, _ = create(provider, props)
    before = len(live(configured, collection, "sentry"))
    new_process(clock)
    second_id, _ = create(provider, props)
    assert second_id == first_id
    assert len(live(configured, collection, "sentry")) == before


def test_lost_sentry_create_is_recovered_in_the_same_run(configured: SandboxProcess, project):  # noqa: F811
    fault(configured, "lost", "POST", "/organizations/{org}/projects/{project}/detectors/", vendor="sentry")
    created, _ = create(MetricMonitorProvider(), monitor_props(project))
    names = [d["name"] for d in live(configured, "detectors", "sentry")]
    assert names.count("error rate") == 1
    assert created


@pytest.mark.parametrize("total", [1, 250])
def test_refresh_reads_share_list_pages(configured: SandboxProcess, clock: FakeClock, total: int):
    states = []
    for i in range(total):
        body = {"type": "HTTP", "friendlyName": f"m{i}", "url": f"https://m{i}.example.test", "interval": 300}
        seeded = configured.control("POST", "/uptimerobot/monitors", json=body).json()
        states.append((str(seeded["id"]), {"name": f"m{i}", "url": f"https://m{i}.example.test"}))
    provider = MonitorProvider()
    for id_, props in states:
        read = provider.read(id_, wire(props))
        assert read.id == id_ and (read.inputs or {}).get("name") == props["name"]
    requests = count(configured, "GET /monitors") + count(configured, "GET /monitors/{id}")
    assert requests <= math.ceil(total / 200) + 1


def test_a_read_of_an_object_missing_from_the_listing_asks_for_it(configured: SandboxProcess):
    provider = MonitorProvider()
    a = provider.create(checked(provider, MONITOR))
    b = provider.create(checked(provider, {"name": "web", "url": "https://web.example.test"}))
    configured.control("DELETE", f"/uptimerobot/monitors/{b.id}")
    assert provider.read(a.id, wire(a.outs)).id == a.id
    assert provider.read(b.id, wire(b.outs)).id is None  # gone: refresh drops it
