"""A create killed between any two of its requests is finished by the next run, never duplicated (#12).

A `pulumi up` killed mid-create leaves a half-made object that the state does not know; `lookout recover`
clears the pending create and the next `up` calls `create` again, in a fresh process, with the same inputs.
For every create that sends more than one write, each case kills it after each write was applied and
answered (a BaseException, as SIGKILL stops everything: no retry or handler runs), then creates again and
expects the half-made object finished: one object under the natural key, the same id, matching the plan.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
import requests

from harness.sandbox_process import SandboxProcess
from providers.base import SpecProvider
from providers.pagerduty.resources import EscalationPolicyProvider, ServiceProvider
from providers.sentry.resources import ClientKeyProvider, ProjectProvider, TeamProvider
from providers.uptimerobot.resources import AlertContactProvider, MaintenanceWindowProvider, MonitorProvider
from tests.fakes import FakeClock

from .conftest import checked
from .test_claims import new_process

WINDOW = {"name": "deploys", "interval": "once", "date": "2026-01-05", "time": "03:00:00", "duration": 30}


class Killed(BaseException):
    """The process died: nothing after this point of the create ran."""


@dataclass
class KillSwitch:
    """Counts the writes sent through `requests`; raises Killed once the `after`-th one was answered."""

    after: int | None = None
    writes: list[str] = field(default_factory=list)

    def wrap(self, send: Callable[..., requests.Response]) -> Callable[..., requests.Response]:
        def request(session: requests.Session, method: str, url: str, *args: Any, **kwargs: Any) -> Any:
            response = send(session, method, url, *args, **kwargs)
            if method.upper() != "GET":
                self.writes.append(f"{method.upper()} {url.split('?')[0]}")
                if len(self.writes) == self.after:
                    raise Killed(self.writes[-1])
            return response

        return request


@dataclass(frozen=True)
class Case:
    name: str
    provider: type[SpecProvider]
    props: Callable[[SandboxProcess], dict[str, Any]]
    listed: str  # the sandbox collection (/_control/<listed>) that holds the objects
    key: Callable[[dict[str, Any]], bool]  # the natural key, on a listed object


def pagerduty_service(api: SandboxProcess) -> dict[str, Any]:
    ada = api.control("POST", "/pagerduty/users", json={"email": "ada@optio.test", "name": "Ada"}).json()[
        "id"
    ]
    provider = EscalationPolicyProvider()
    policy = provider.create(
        checked(provider, {"name": "p", "rules": [{"delay_minutes": 5, "users": [ada]}]})
    )
    return {"name": "optio prod", "escalation_policy": policy.id, "enabled": False}


def sentry_project(api: SandboxProcess) -> dict[str, Any]:
    TeamProvider().create(checked(TeamProvider(), {"slug": "core"}))
    return {"team": "core", "slug": "api", "name": "API", "platform": "python", "default_key": "remove"}


def client_key(api: SandboxProcess) -> dict[str, Any]:
    TeamProvider().create(checked(TeamProvider(), {"slug": "core"}))
    props = {"team": "core", "slug": "api", "name": "API", "platform": "python", "default_key": "keep"}
    project = ProjectProvider().create(checked(ProjectProvider(), props))
    return {"project": project.id, "name": "lookout dev", "active": False}


CASES = [
    Case(
        "AlertContact-with-ssl-reminder-paused",
        AlertContactProvider,
        lambda api: {
            "name": "ops",
            "email": "ops@example.test",
            "ssl_expiration_reminder": True,
            "active": False,
        },
        "uptimerobot/alert-contacts",
        lambda obj: obj["value"] == "ops@example.test",
    ),
    Case(
        "Monitor-declared-paused",
        MonitorProvider,
        lambda api: {"name": "api", "url": "https://api.example.test/health", "active": False},
        "uptimerobot/monitors",
        lambda obj: obj["url"] == "https://api.example.test/health",
    ),
    Case(
        "Heartbeat-declared-paused",
        MonitorProvider,
        lambda api: {"name": "nightly job", "type": "HEARTBEAT", "active": False},
        "uptimerobot/monitors",
        lambda obj: obj["friendlyName"] == "nightly job",
    ),
    Case(
        "MaintenanceWindow-declared-paused",
        MaintenanceWindowProvider,
        lambda api: {**WINDOW, "status": "paused"},
        "uptimerobot/maintenance-windows",
        lambda obj: obj["name"] == "deploys",
    ),
    Case(
        "Project-without-its-default-key",
        ProjectProvider,
        sentry_project,
        "sentry/projects",
        lambda obj: obj["slug"] == "api",
    ),
    Case(
        "ClientKey-declared-inactive",
        ClientKeyProvider,
        client_key,
        "sentry/keys",
        lambda obj: obj["name"] == "lookout dev",
    ),
    Case(
        "PagerDuty-Service-declared-disabled",  # POST takes only status active: a PUT disables it
        ServiceProvider,
        pagerduty_service,
        "pagerduty/services",
        lambda obj: obj["name"] == "optio prod",
    ),
]


@pytest.fixture
def kill_switch(monkeypatch: pytest.MonkeyPatch) -> Iterator[KillSwitch]:
    switch = KillSwitch()
    monkeypatch.setattr(requests.Session, "request", switch.wrap(requests.Session.request))
    yield switch


def matching(api: SandboxProcess, case: Case) -> list[dict[str, Any]]:
    return [obj for obj in api.control("GET", f"/{case.listed}").json() if case.key(obj)]


def writes_of_a_clean_create(api: SandboxProcess, case: Case, switch: KillSwitch, clock: FakeClock) -> int:
    api.control("POST", "/reset")
    new_process(clock)
    provider = case.provider()
    inputs = checked(provider, case.props(api))
    switch.writes.clear()
    provider.create(inputs)
    return len(switch.writes)


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_a_create_killed_after_any_of_its_writes_is_finished_by_the_next_run(
    configured: SandboxProcess, clock: FakeClock, kill_switch: KillSwitch, case: Case
):
    writes = writes_of_a_clean_create(configured, case, kill_switch, clock)
    assert writes >= 2, f"{case.name}: a single-request create ({kill_switch.writes})"
    for k in range(1, writes + 1):
        configured.control("POST", "/reset")
        new_process(clock)
        provider = case.provider()
        inputs = checked(provider, case.props(configured))
        kill_switch.writes.clear()
        kill_switch.after = k
        with pytest.raises(Killed):
            provider.create(inputs)
        half_made = matching(configured, case)
        assert len(half_made) == 1, f"killed after write {k}/{writes}: {kill_switch.writes}"

        kill_switch.after = None
        new_process(clock)  # the next `pulumi up`, after `lookout recover` cleared the pending create
        finished = case.provider().create(inputs)
        live = matching(configured, case)
        assert len(live) == 1, f"killed after write {k}/{writes}: duplicated"
        assert finished.id.rpartition("/")[2] == str(half_made[0]["id"])
        read = case.provider().read(finished.id, finished.outs or {})
        diff = case.provider().diff(finished.id, read.outs or {}, inputs)
        assert diff.changes is False, f"killed after write {k}/{writes}: not finished ({read.outs})"
