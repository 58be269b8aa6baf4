"""UptimeRobot: one contact or integration per channel, a monitor per uptime/health/heartbeat check."""

from __future__ import annotations

from typing import Any

import pulumi

from providers.resource import SpecResource
from providers.uptimerobot.resources import AlertContact, Integration, MaintenanceWindow, Monitor, StatusPage

from .. import names
from ..checks import Check
from ..payloads import Heartbeat, Keyword, Reachable, SslExpiry
from ..plan import Plan
from .pagerduty import Paging, paging_key


def contact_fields(plan: Plan) -> dict[str, Any]:
    """The e-mail contact every channel falls back to (`lookout adopt` matches hand-made ones on these)."""
    return {"name": names.email_contact(plan), "email": plan.channels.email, "ssl_expiration_reminder": True}


def monitor_fields(plan: Plan, check: Check, checks: list[Check]) -> dict[str, Any] | None:
    """What the monitor of `check` declares apart from other resources' ids; None for a check that makes
    no monitor of its own (SSL expiry is a setting of the service's HTTP monitor). `lookout adopt` matches
    hand-made monitors on these fields, through the monitor spec's own natural key."""
    watched = check.payload
    if not isinstance(watched, Reachable | Keyword | Heartbeat):
        return None
    fields: dict[str, Any] = {
        "name": names.monitor(plan, check),
        "interval": watched.interval,
        "tags": [plan.environment, "lookout"],
    }
    if isinstance(watched, Heartbeat):
        return fields | {"type": "HEARTBEAT", "grace_period": watched.grace}
    days = next(
        (
            c.payload.days
            for c in checks
            if isinstance(c.payload, SslExpiry) and c.service == check.service and c.vendor == check.vendor
        ),
        None,
    )
    if isinstance(watched, Keyword):
        days = None  # reminders are a setting of the service's one HTTP monitor
        fields |= {"keyword_type": "ALERT_NOT_EXISTS", "keyword_value": watched.keyword}
    return fields | {
        "type": "KEYWORD" if isinstance(watched, Keyword) else "HTTP",
        "url": watched.url,
        "http_method": watched.method if isinstance(watched, Reachable) else "GET",
        "check_ssl_errors": watched.url.startswith("https://"),
        "ssl_expiration_reminder": days is not None,
        "ssl_expiration_days": [days] if days else [],
    }


def channels(
    plan: Plan, used: set[str], opts: pulumi.ResourceOptions, paging: Paging | None = None
) -> dict[str, pulumi.Output[str]]:
    """Contact ids per channel. SSL-expiry reminders (info) go to e-mail only."""
    env, ids = plan.environment, {}
    email = AlertContact(
        f"{env}-email", opts, **contact_fields(plan), **names.adoption(plan, "uptimerobot:email")
    )
    ids["email"] = email.id
    config = pulumi.Config("lookout")
    if "slack" in used and plan.channels.slack:
        webhook = config.require_secret(plan.channels.slack.webhook_secret)
        slack = Integration(
            f"{env}-slack",
            opts,
            name=f"Lookout {env} Slack",
            kind="slack",
            webhook_url=webhook,
            channel=plan.channels.slack.channel,
        )
        ids["slack"] = slack.id
    if "pagerduty" in used and (key := paging_key(plan, paging)) is not None:
        pager = Integration(
            f"{env}-pagerduty", opts, name=f"Lookout {env} PagerDuty", kind="pagerduty", integration_key=key
        )
        ids["pagerduty"] = pager.id
    return ids


def build(
    plan: Plan, checks: list[Check], opts: pulumi.ResourceOptions, paging: Paging | None = None
) -> dict[str, SpecResource]:
    mine = [c for c in checks if c.vendor == "uptimerobot"]
    ids = channels(plan, {ch for c in mine for ch in c.channels}, opts, paging)
    windows = [
        MaintenanceWindow(f"{plan.environment}-{w.name}", opts, **w.model_dump()).id
        for w in plan.maintenance_windows
    ]
    monitors: dict[str, SpecResource] = {}
    for check in mine:
        fields = monitor_fields(plan, check, mine)
        if fields is None:
            continue
        threshold = check.payload.threshold if isinstance(check.payload, Reachable | Keyword) else 0
        contacts = [{"id": ids[ch], "threshold": threshold, "recurrence": 0} for ch in check.channels]
        monitors[check.key] = Monitor(
            check.key.replace(":", "-"),
            opts,
            alert_contacts=contacts,
            maintenance_window_ids=windows,
            **names.adoption(plan, check.key),
            **fields,
        )
    if plan.dashboards.status_page and monitors:
        StatusPage(
            f"{plan.environment}-status-page",
            opts,
            name=names.status_page(plan),
            monitor_ids=[m.id for m in monitors.values()],
            **names.adoption(plan, "uptimerobot:status-page"),
        )
    return monitors
