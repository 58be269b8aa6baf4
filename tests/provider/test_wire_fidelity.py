"""What the real APIs refuse or read back differently (issue #11), through the providers against the sandbox.

Each test fails on a provider that sends what the vendor refuses (the sandbox checks every request against
the official spec, and the `api` fixture fails a test that broke it) or reads back what the vendor returns
as a change.
"""

from __future__ import annotations

from harness.sandbox_process import SandboxProcess
from providers.render.resources import LogStreamProvider
from providers.sentry.resources import ClientKeyProvider, ProjectProvider, TeamProvider
from providers.uptimerobot.resources import (
    AlertContactProvider,
    IntegrationProvider,
    MonitorProvider,
    StatusPageProvider,
)
from tests.fakes import FakeClock
from transport import shared

from .conftest import checked, count, wire


class SandboxLinkedClock(FakeClock):
    """The provider's clock; its waits also move the sandbox's virtual clock, on which read lag is kept."""

    def __init__(self, api: SandboxProcess) -> None:
        super().__init__()
        self.api = api

    def sleep(self, seconds: float) -> None:
        super().sleep(seconds)
        self.api.control("POST", "/clock", json={"advance": max(seconds, 0)})


def test_create_and_update_wait_until_lagging_reads_show_the_write(configured: SandboxProcess):
    """UptimeRobot reads lag writes: without waiting, a refresh right after `up` loses a new monitor (404)
    or reports the old interval as drift."""
    shared.use_clock(SandboxLinkedClock(configured))
    configured.control("PUT", "/uptimerobot/settings", json={"readAfterWriteLagSeconds": 4})
    provider = MonitorProvider()
    props = checked(provider, {"name": "api", "url": "https://lag.example.test"})
    created = provider.create(props)
    state = wire(created.outs)
    refreshed = provider.read(created.id, state)  # at once, as `pulumi refresh` after `up`
    assert refreshed.id == created.id
    assert provider.diff(created.id, wire(refreshed.outs), props).changes is False

    news = checked(provider, {"name": "api", "url": "https://lag.example.test", "interval": 600})
    updated = provider.update(created.id, state, news)
    refreshed = provider.read(created.id, wire(updated.outs))
    assert wire(refreshed.outs)["interval"] == 600
    assert count(configured, "GET /monitors/{id}") > 3  # it did read back until the reads caught up


def test_an_alert_contact_setting_the_create_skips_is_applied_after_it(configured: SandboxProcess):
    provider = AlertContactProvider()
    props = checked(provider, {"name": "Ops", "email": "ops@example.test", "notify_on": "Down"})
    created = provider.create(props)
    live = configured.control("GET", "/uptimerobot/alert-contacts").json()
    assert [c["enableNotificationsFor"] for c in live if c["value"] == "ops@example.test"] == ["Down"]
    assert (
        provider.diff(created.id, wire(provider.read(created.id, wire(created.outs)).outs), props).changes
        is False
    )


def test_integrations_read_back_as_declared(configured: SandboxProcess):
    """Webhook options come back packed in customValue; a PagerDuty key never comes back."""
    provider = IntegrationProvider()
    for props in (
        {
            "name": "hook",
            "kind": "webhook",
            "url": "https://hooks.example.test/a",
            "post_value": '{"b": 1, "a": "x"}',
            "send_as_query_string": True,
        },
        {"name": "pager", "kind": "pagerduty", "integration_key": "0123456789abcdef0123456789abcdef"},
    ):
        news = checked(provider, props)
        created = provider.create(news)
        read = provider.read(created.id, wire(created.outs))
        assert provider.diff(created.id, wire(read.outs), news).changes is False, props["kind"]


def test_a_pagerduty_integration_is_adopted_by_name_without_its_key(configured: SandboxProcess):
    configured.control(
        "POST",
        "/uptimerobot/integrations",
        json={"type": "Pagerduty", "data": {"friendlyName": "pager", "integrationKey": "f" * 32}},
    )
    provider = IntegrationProvider()
    news = checked(
        provider, {"name": "pager", "kind": "pagerduty", "integration_key": "f" * 32, "adopt": True}
    )
    adopted = provider.create(news)
    assert len(configured.control("GET", "/uptimerobot/integrations").json()) == 1
    assert provider.diff(adopted.id, wire(adopted.outs), news).changes is False


def test_a_status_page_with_one_monitor_then_none(configured: SandboxProcess):
    monitor = MonitorProvider().create(
        checked(MonitorProvider(), {"name": "m", "url": "https://one.example.test"})
    )
    provider = StatusPageProvider()
    one = checked(provider, {"name": "Status", "monitor_ids": [monitor.id]})
    created = provider.create(one)
    assert [p["monitorIds"] for p in configured.control("GET", "/uptimerobot/psps").json()] == [
        [int(monitor.id)]
    ]
    none = checked(provider, {"name": "Status", "monitor_ids": []})
    provider.update(created.id, wire(created.outs), none)
    assert [p["monitorIds"] for p in configured.control("GET", "/uptimerobot/psps").json()] == [[]]


def test_capital_tags_do_not_differ_forever_and_heartbeats_get_a_whole_url(configured: SandboxProcess):
    provider = MonitorProvider()
    tagged = checked(provider, {"name": "api", "url": "https://tags.example.test", "tags": ["Prod", "API"]})
    created = provider.create(tagged)
    read = provider.read(created.id, wire(created.outs))
    assert provider.diff(created.id, wire(read.outs), tagged).changes is False
    heartbeat = provider.create(checked(provider, {"name": "cron", "type": "HEARTBEAT", "interval": 300}))
    token = configured.control("GET", "/uptimerobot/monitors").json()[-1]["url"]
    assert "://" not in token
    assert wire(heartbeat.outs)["heartbeat_url"] == f"https://heartbeat.uptimerobot.com/{token}"


def test_a_key_without_a_rate_limit_is_created_without_the_field(configured: SandboxProcess):
    """Sentry's create serializer refuses `rateLimit: null` (the sandbox answers it 400)."""
    TeamProvider().create(checked(TeamProvider(), {"slug": "core"}))
    project = ProjectProvider().create(
        checked(ProjectProvider(), {"team": "core", "slug": "api", "name": "API", "default_key": "remove"})
    )
    provider = ClientKeyProvider()
    props = checked(provider, {"project": wire(project.outs)["project_id"], "name": "lookout"})
    assert wire(provider.create(props).outs)["rate_limit"] is None
    keys = [k for k in configured.control("GET", "/sentry/keys").json() if k["name"] == "lookout"]
    assert [k["rateLimit"] for k in keys] == [None]


def test_a_log_stream_needs_no_token(configured: SandboxProcess):
    provider = LogStreamProvider()
    props = checked(provider, {"endpoint": "logs.example.test:6514"})
    created = provider.create(props)
    read = provider.read(created.id, wire(created.outs))
    assert provider.diff(created.id, wire(read.outs), props).changes is False
