"""What the program checks against the accounts before declaring anything (issue #12).

At preview: which vendors lack credentials (a warning: preview needs none, `up` will fail). At `up`,
before the first write: every Render service the plan names exists and is running; a misspelt name
would otherwise plan its env vars and health check as replacements and fail halfway through.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from providers import settings
from providers.render import client as render
from transport import ApiError

from .plan import Plan
from .system_health import watch_project

VENDOR_NAMES = {"uptimerobot": "UptimeRobot", "sentry": "Sentry", "render": "Render"}


def vendors(plan: Plan) -> list[str]:
    used = ["uptimerobot"]
    if any(s.sentry_platform for s in plan.services):
        used.append("sentry")
    if (
        any(s.render_service for s in plan.services)
        or plan.log_stream
        or plan.render_notifications
        or plan.health_job
    ):
        used.append("render")
    return used


def missing_credentials(plan: Plan, config: Mapping[str, Any]) -> list[str]:
    """One warning per vendor the plan uses whose account settings are not set."""
    settings.use_config(config)
    warnings = []
    for vendor in vendors(plan):
        unset = settings.unset(vendor)
        if unset:
            env = ", ".join(settings.env_name(key) for key in unset)
            warnings.append(
                f"{VENDOR_NAMES[vendor]}: {', '.join(unset)} not set (nor {env}): preview reads nothing from "
                f"the account, and `pulumi up` will fail for its resources"
            )
    return warnings


def job_settings(plan: Plan, config: Mapping[str, Any]) -> list[str]:
    """A warning when the system-health job would be deployed without a setting it reads: it would run,
    fail and never ping its heartbeat (which then alerts)."""
    if plan.health_job is None:
        return []
    settings.use_config(config)
    needed = ["render:apiKey", "render:ownerId"] if any(s.render_service for s in plan.services) else []
    if plan.database:
        needed.append("supabase:accessToken")
    if watch_project(plan):
        needed += ["sentry:authToken", "sentry:organization"]
    unset = [key for key in needed if not settings.get(key)]
    if not unset:
        return []
    return [
        f"lookout:health_job: {', '.join(unset)} not set (nor {', '.join(map(settings.env_name, unset))}): "
        "the deployed job gets what this stack has, and could not read what it checks"
    ]


def render_services(plan: Plan, config: Mapping[str, Any]) -> None:
    """Raise `Expected` (with the closest names) unless every named Render service exists and runs."""
    refs = sorted({s.render_service for s in plan.services if s.render_service})
    if not refs:
        return
    settings.use_config(config)
    try:
        transport = render.client()
        for ref in refs:
            render.writable(render.service(transport, ref))
    except (ApiError, settings.MissingCredential):
        return  # a refused key or an unreachable API: each Render resource reports it, beside the others
