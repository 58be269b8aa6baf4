"""UptimeRobot: one contact or integration per channel, a monitor per uptime/health/heartbeat check."""

from __future__ import annotations

from typing import Any

import pulumi

from providers.resource import SpecResource
from providers.uptimerobot import AlertContact, Integration, MaintenanceWindow, Monitor

from .. import names
from ..checks import Check
from ..payloads import Heartbeat, Keyword, Reachable, SslExpiry
from ..plan import Plan


def channels(plan: Plan, used: set[str], opts: pulumi.ResourceOptions) -> dict[str, pulumi.Output[str]]:
    """Contact ids per channel. SSL-expiry reminders (info) go to e-mail only."""
    env, ids = plan.environment, {}
    email = AlertContact(
        f"{env}-email",
        opts,
        name=names.email_contact(plan),
        email=plan.channels.email,
        ssl_expiration_reminder=True,
        adopt_id=plan.adopt.get("uptimerobot:email"),
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
    if "pagerduty" in used and plan.channels.pagerduty:
        key = config.require_secret(plan.channels.pagerduty.key_secret)
        pager = Integration(
            f"{env}-pagerduty", opts, name=f"Lookout {env} PagerDuty", kind="pagerduty", integration_key=key
        )
        ids["pagerduty"] = pager.id
    return ids


def build(plan: Plan, checks: list[Check], opts: pulumi.ResourceOptions) -> dict[str, SpecResource]:
    mine = [c for c in checks if c.vendor == "uptimerobot"]
    ids = channels(plan, {ch for c in mine for ch in c.channels}, opts)
    windows = [
        MaintenanceWindow(f"{plan.environment}-{w.name}", opts, **w.model_dump()).id
        for w in plan.maintenance_windows
    ]
    ssl = {c.service: c.payload.days for c in mine if isinstance(c.payload, SslExpiry)}
    monitors: dict[str, SpecResource] = {}
    for check in mine:
        watched = check.payload
        if not isinstance(watched, Reachable | Keyword | Heartbeat):
            continue  # SSL expiry: a setting of the service's HTTP monitor
        threshold = 0 if isinstance(watched, Heartbeat) else watched.threshold
        props: dict[str, Any] = {
            "name": names.monitor(plan, check),
            "interval": watched.interval,
            "tags": [plan.environment, "lookout"],
            "alert_contacts": [
                {"id": ids[ch], "threshold": threshold, "recurrence": 0} for ch in check.channels
            ],
            "maintenance_window_ids": windows,
        }
        if isinstance(watched, Heartbeat):
            props.update(type="HEARTBEAT", grace_period=watched.grace)
        else:
            days = ssl.get(check.service) if isinstance(watched, Reachable) else None
            props.update(
                type="KEYWORD" if isinstance(watched, Keyword) else "HTTP",
                url=watched.url,
                http_method="GET",
                check_ssl_errors=watched.url.startswith("https://"),
                ssl_expiration_reminder=days is not None,
                ssl_expiration_days=[days] if days else [],
            )
            if isinstance(watched, Keyword):
                props.update(keyword_type="ALERT_NOT_EXISTS", keyword_value=watched.keyword)
        monitors[check.key] = Monitor(
            check.key.replace(":", "-"), opts, adopt_id=plan.adopt.get(check.key), **props
        )
    return monitors
