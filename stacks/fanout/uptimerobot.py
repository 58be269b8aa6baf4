"""UptimeRobot: one contact or integration per channel, a monitor per uptime/health/heartbeat check."""

from __future__ import annotations

from typing import Any

import pulumi

from providers.resource import SpecResource
from providers.uptimerobot import AlertContact, Integration, MaintenanceWindow, Monitor

from .. import names
from ..checks import Check
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
    ssl = {c.service: c.detail["days"] for c in mine if c.kind == "ssl-expiry"}
    monitors: dict[str, SpecResource] = {}
    for check in mine:
        if check.kind == "ssl-expiry":
            continue  # a setting of the service's HTTP monitor
        props: dict[str, Any] = {
            "name": names.monitor(plan, check),
            "interval": check.detail.get("interval", plan.thresholds.check_interval),
            "tags": [plan.environment, "lookout"],
            "alert_contacts": [
                {"id": ids[ch], "threshold": check.detail.get("threshold", 0), "recurrence": 0}
                for ch in check.channels
            ],
            "maintenance_window_ids": windows,
        }
        if check.kind == "heartbeat":
            props.update(type="HEARTBEAT", grace_period=check.detail["grace"])
        else:
            days = ssl.get(check.service) if check.kind == "http" else None
            props.update(
                type="KEYWORD" if check.kind == "keyword" else "HTTP",
                url=check.detail["url"],
                http_method="GET",
                check_ssl_errors=check.detail["url"].startswith("https://"),
                ssl_expiration_reminder=days is not None,
                ssl_expiration_days=[days] if days else [],
            )
            if check.kind == "keyword":
                props.update(keyword_type="ALERT_NOT_EXISTS", keyword_value=check.detail["keyword"])
        monitors[check.key] = Monitor(
            check.key.replace(":", "-"), opts, adopt_id=plan.adopt.get(check.key), **props
        )
    return monitors
