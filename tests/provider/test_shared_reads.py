"""A refresh reads every vendor's objects from shared list pages (issue #16): N reads of a kind cost about
ceil(N / page size) requests, what they return is what single reads return, and an object the listing lacks
is read singly before it is declared gone."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from harness.sandbox_process import RENDER_OWNER, SandboxProcess
from providers.base import SpecProvider
from providers.pagerduty.resources import EscalationPolicyProvider, ServiceProvider
from providers.render.resources import (
    EnvVarProvider,
    NotificationOverrideProvider,
    ServiceHealthCheckProvider,
)
from providers.sentry.resources import (
    AlertProvider,
    ClientKeyProvider,
    MetricMonitorProvider,
    ProjectProvider,
    TeamProvider,
)
from providers.uptimerobot.resources import MonitorProvider
from tests.fakes import FakeClock
from transport import shared

from .conftest import checked, wire

N = 130  # two list pages of 100 (Sentry, Render, PagerDuty), one of 200 (UptimeRobot)
Props = Callable[[int, dict[str, str]], dict[str, Any]]


@dataclass(frozen=True)
class Kind:
    provider: type[SpecProvider]
    vendor: str
    props: Props
    page: int  # the list's page size
    extra: int = 2  # the first read (single) and an empty last page or a second walk (see `listed`)
    single: int = 1  # requests of one single read


def _uptimerobot(api: SandboxProcess) -> dict[str, str]:
    api.control("PUT", "/uptimerobot/settings", json={"monitorLimit": N})  # the free plan's 50 lifted
    return {}


def _sentry(api: SandboxProcess) -> dict[str, str]:
    TeamProvider().create(checked(TeamProvider(), {"slug": "core"}))
    project = ProjectProvider().create(
        checked(
            ProjectProvider(),
            {"team": "core", "slug": "api", "name": "API", "platform": "python", "default_key": "keep"},
        )
    )
    return {"project": str(project.id)}


def _render(api: SandboxProcess) -> dict[str, str]:
    services = [
        api.control("POST", "/render/services", json={"name": f"svc-{i}", "ownerId": RENDER_OWNER}).json()
        for i in range(N)
    ]
    return {f"service{i}": str(s["id"]) for i, s in enumerate(services)}


def _pagerduty(api: SandboxProcess) -> dict[str, str]:
    person = api.control("POST", "/pagerduty/users", json={"email": "ada@optio.test", "name": "ada"}).json()
    policy = EscalationPolicyProvider().create(
        checked(
            EscalationPolicyProvider(),
            {"name": "base", "rules": [{"delay_minutes": 30, "users": [person["id"]]}]},
        )
    )
    return {"person": str(person["id"]), "policy": str(policy.id)}


SETUP: dict[str, Callable[[SandboxProcess], dict[str, str]]] = {
    "uptimerobot": _uptimerobot,
    "sentry": _sentry,
    "render": _render,
    "pagerduty": _pagerduty,
}

KINDS = {
    "uptimerobot-monitor": Kind(
        MonitorProvider, "uptimerobot", lambda i, c: {"name": f"m{i}", "url": f"https://m{i}.test/"}, 200
    ),
    "sentry-metric-monitor": Kind(
        MetricMonitorProvider,
        "sentry",
        lambda i, c: {
            "project": c["project"],
            "name": f"error rate {i}",
            "dataset": "transactions",
            "aggregate": "failure_rate()",
            "critical": 0.05,
        },
        100,
    ),
    "sentry-alert": Kind(
        AlertProvider,
        "sentry",
        lambda i, c: {
            "name": f"route {i}",
            "triggers": ["first_seen_event"],
            "project": c["project"],
            "default_detectors": ["issue_stream"],
            "actions": [{"type": "email", "target_type": "issue_owners"}],
        },
        100,
        extra=3,  # and one page of every detector, for their types
        single=2,  # the workflow, then its detectors' types
    ),
    "sentry-client-key": Kind(
        ClientKeyProvider, "sentry", lambda i, c: {"project": c["project"], "name": f"k{i}"}, 10
    ),
    "sentry-project": Kind(
        ProjectProvider,
        "sentry",
        lambda i, c: {
            "team": "core",
            "slug": f"p{i}",
            "name": f"P{i}",
            "platform": "python",
            "default_key": "keep",
        },
        100,
    ),
    "render-env-var": Kind(
        EnvVarProvider,
        "render",
        lambda i, c: {"service": c["service0"], "key": f"K{i}", "value": f"v{i}"},
        100,
        extra=3,  # the list ends with an empty page
    ),
    "render-health-check": Kind(
        ServiceHealthCheckProvider,
        "render",
        lambda i, c: {"service": c[f"service{i}"], "path": f"/h{i}"},
        100,
        3,
    ),
    "render-notification-override": Kind(
        NotificationOverrideProvider,
        "render",
        lambda i, c: {"service": c[f"service{i}"], "notifications_to_send": "failure"},
        100,
        extra=3,
    ),
    "pagerduty-service": Kind(
        ServiceProvider, "pagerduty", lambda i, c: {"name": f"s{i}", "escalation_policy": c["policy"]}, 100
    ),
    "pagerduty-escalation-policy": Kind(
        EscalationPolicyProvider,
        "pagerduty",
        lambda i, c: {"name": f"p{i}", "rules": [{"delay_minutes": 30, "users": [c["person"]]}]},
        100,
    ),
}


def requests_to(api: SandboxProcess, vendor: str) -> int:
    routes = api.control("GET", "/requests").json()["byRoute"]
    return sum(n for route, n in routes.items() if route.startswith(f"{vendor} "))


def deploy(api: SandboxProcess, kind: Kind, total: int) -> list[tuple[str, dict[str, Any], dict[str, Any]]]:
    context = SETUP[kind.vendor](api)
    provider = kind.provider()
    made = []
    for i in range(total):
        props = checked(provider, kind.props(i, context))
        created = provider.create(props)
        made.append((str(created.id), props, wire(created.outs)))
    return made


@pytest.mark.parametrize("name", sorted(KINDS))
def test_a_refresh_of_n_objects_costs_about_one_request_per_list_page(
    configured: SandboxProcess, clock: FakeClock, name: str
):
    kind = KINDS[name]
    made = deploy(configured, kind, N)
    shared.use_clock(clock)  # a new provider process: no listings yet
    configured.control("DELETE", "/requests")
    provider = kind.provider()
    for id_, props, state in made:
        read = provider.read(id_, state)
        assert read.id == id_
        assert provider.diff(id_, wire(read.outs), props).changes is False, name
        assert {k: (read.outs or {}).get(k) for k in state} == {**state, "target": state.get("target")}
    assert requests_to(configured, kind.vendor) <= math.ceil(N / kind.page) + kind.extra


VANISHING = sorted(set(KINDS) - {"render-health-check", "render-notification-override"})  # they reset


@pytest.mark.parametrize("name", VANISHING)
def test_an_object_missing_from_the_listing_is_read_singly(
    configured: SandboxProcess, clock: FakeClock, name: str
):
    kind = KINDS[name]
    made = deploy(configured, kind, 4)
    provider = kind.provider()
    shared.use_clock(clock)
    (a, _, a_state), (b, _, b_state), (c, _, c_state), (d, d_props, d_state) = made
    assert provider.read(a, a_state).id == a  # the first read is single
    provider.delete(c, c_state)  # gone before the walk
    provider.delete(d, d_state)
    assert provider.read(b, b_state).id == b  # the second walks the listing
    recreated = provider.create(d_props)  # newer than the listing
    configured.control("DELETE", "/requests")
    assert provider.read(c, c_state).id is None  # asked, and the vendor said 404: gone
    assert provider.read(str(recreated.id), wire(recreated.outs)).id == str(recreated.id)
    assert requests_to(configured, kind.vendor) == 1 + kind.single  # single reads, none from the listing
