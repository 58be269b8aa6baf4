"""Make a sandbox account look like the user's before a run: what the stack config expects to exist
already (apps installed in Sentry) is installed, as an administrator would have done by hand."""

from __future__ import annotations

from typing import Any

from stacks import source
from stacks.validation import ConfigError

from .sandbox_process import SandboxProcess


def wanted(config: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Integrations the config names, per provider: `{integration, service?}`, from either config shape.
    A plan that does not validate names nothing: it never reaches the API."""
    if "lookout:services" in config:
        try:
            channels = source.plan_of(config).channels
        except ConfigError:
            return {}
        found: dict[str, dict[str, Any]] = {}
        if channels.slack:
            found["slack"] = {"integration": channels.slack.sentry_integration}
        if channels.pagerduty:
            pd = channels.pagerduty
            found["pagerduty"] = {"integration": pd.sentry_integration, "service": pd.service}
        return found
    notify = (config.get("lookout:sentry") or {}).get("notify") or {}
    return {p: notify[p] for p in ("slack", "pagerduty") if notify.get(p)}


def seed(sandbox: SandboxProcess, config: dict[str, Any]) -> None:
    notify = wanted(config)
    installed = {
        ((i.get("provider") or {}).get("key"), i.get("name"))
        for i in sandbox.control("GET", "/sentry/integrations").json()
    }
    for provider in ("slack", "pagerduty"):
        target = notify.get(provider)
        if not target or (provider, target["integration"]) in installed:
            continue
        integration: dict[str, Any] = {
            "name": target["integration"],
            "provider": {"key": provider, "name": provider.title()},
            "status": "active",
        }
        if provider == "pagerduty":
            service = {"id": target["service"], "service": target["service"], "integration_key": "0" * 32}
            integration["configData"] = {"service_table": [service]}
        sandbox.control("POST", "/sentry/integrations", json=integration)
