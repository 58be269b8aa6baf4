"""Make a sandbox account look like the user's before a run: what the stack config expects to exist
already (apps installed in Sentry) is installed, as an administrator would have done by hand."""

from __future__ import annotations

from typing import Any

from .sandbox_process import SandboxProcess


def seed(sandbox: SandboxProcess, config: dict[str, Any]) -> None:
    notify = (config.get("lookout:sentry") or {}).get("notify") or {}
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
