"""The uptime part of the plan: one e-mail contact, one monitor per URL, SSL-expiry reminders."""

from __future__ import annotations

from typing import Any

import pulumi

from providers.uptimerobot.resources import AlertContact, Monitor

from .dialect import StackConfig


def build(config: StackConfig) -> dict[str, Any]:
    env, uptime = config.environment, config.uptime
    adopt = uptime.adopt_existing
    contact = AlertContact(
        f"{env}-alert-email", name=f"Lookout {env} alerts", email=uptime.alert_email, adopt=adopt
    )
    monitors = {}
    for spec in uptime.monitors:
        https = spec.url.startswith("https://")
        monitors[spec.name] = Monitor(
            spec.name,
            name=spec.name,
            type="KEYWORD" if spec.keyword else "HTTP",
            url=spec.url,
            keyword_type="ALERT_NOT_EXISTS" if spec.keyword else None,
            keyword_value=spec.keyword,
            interval=spec.interval or uptime.interval,
            timeout=uptime.timeout,
            http_method="GET",
            check_ssl_errors=https,
            ssl_expiration_reminder=https,
            ssl_expiration_days=uptime.ssl_expiry_days if https else [],
            tags=[env, "lookout"],
            alert_contacts=[{"id": contact.id, "threshold": 0, "recurrence": 0}],
            adopt=adopt,
        )
    pulumi.export("alert_contact_id", contact.id)
    pulumi.export("monitors", {name: m.id for name, m in monitors.items()})
    return {"contact": contact, "monitors": monitors}
