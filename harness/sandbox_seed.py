"""Make a sandbox account look like the user's before a run: what the stack config expects to exist
already (apps installed in Sentry, people in PagerDuty) is there, as an administrator would have done by
hand."""

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
            found["pagerduty"] = {"integration": pd.sentry_integration}
            if pd.service:  # else lookout:oncall adds Sentry's row for the service it makes
                found["pagerduty"]["service"] = pd.service
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
            rows = []
            if target.get("service"):
                rows = [{"id": target["service"], "service": target["service"], "integration_key": "0" * 32}]
            integration["configData"] = {"service_table": rows}
        sandbox.control("POST", "/sentry/integrations", json=integration)
    seed_people(sandbox, config)


def people(config: dict[str, Any]) -> list[str]:
    """The PagerDuty users lookout:oncall names (Lookout looks them up, it never invites anyone)."""
    if "lookout:services" not in config:
        return []  # the end-to-end tests' own program: each test seeds the people it needs
    try:
        oncall = source.plan_of(config).oncall
    except ConfigError:
        return []
    return list(dict.fromkeys([*oncall.people, *oncall.escalate_to])) if oncall else []


def seed_people(sandbox: SandboxProcess, config: dict[str, Any]) -> None:
    known = {u["email"].lower() for u in sandbox.control("GET", "/pagerduty/users").json()}
    for email in people(config):
        if email.lower() not in known:
            name = email.split("@")[0].replace(".", " ").title()
            sandbox.control("POST", "/pagerduty/users", json={"email": email, "name": name})
