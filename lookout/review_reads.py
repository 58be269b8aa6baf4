"""What `lookout plan` reads before the preview (issue #30): the names the plan gives to objects it does not
make, looked up as `pulumi up` would look them up first, read-only. A name that does not exist would show
in the preview as a plan like any other and stop `up` part-way; here it is refused, naming its key.

The lookups are the providers' own (the same requests, the same words): Render services by name
(providers/render/client.py), Sentry's Slack and PagerDuty integrations by name (IntegrationLookupSpec),
PagerDuty people by e-mail address (UserLookupSpec). A vendor without credentials, or whose API does not
answer, is not read here: the preview reports it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from functools import partial
from typing import Any

from providers import settings
from providers.pagerduty.user_lookup import SPEC as PERSON
from providers.pagerduty.user_lookup import UserLookupInputs
from providers.render import client as render
from providers.sentry.lookups import INTEGRATION, IntegrationInputs
from stacks.plan import Plan
from transport import ApiError, Expected

Check = tuple[str, Callable[[], object]]  # (key, a read that raises Expected when the name is wrong)


def problems(plan: Plan, config: Mapping[str, Any]) -> list[str]:
    """`lookout:<key>: <why>` for each name the accounts do not have; [] when all were found (or unread)."""
    settings.use_config(config)
    found = []
    for vendor, checks in (("render", _render), ("sentry", _sentry), ("pagerduty", _people)):
        if settings.unset(vendor):
            continue
        for key, read in checks(plan):
            try:
                read()
            except ApiError:
                break  # the account cannot be read: the preview says why
            except Expected as wrong:
                found.append(f"lookout:{key}: {wrong}")
    return found


def _render(plan: Plan) -> Iterator[Check]:
    for i, svc in enumerate(plan.services):
        if svc.render_service:
            yield f"services[{i}].render_service", partial(_service, svc.render_service)


def _service(name: str) -> object:
    return render.writable(render.service(render.client(), name))


def _routed(plan: Plan) -> set[str]:
    return {channel for severity in ("critical", "warning", "info") for channel in plan.routed(severity)}


def _sentry(plan: Plan) -> Iterator[Check]:
    for channel in ("slack", "pagerduty"):
        name = getattr(getattr(plan.channels, channel, None), "sentry_integration", None)
        if channel in _routed(plan) and name:
            inputs = IntegrationInputs(provider=channel, name=name)
            yield (
                f"channels.{channel}.sentry_integration",
                partial(INTEGRATION.lookup, INTEGRATION.client(), inputs),
            )


def _people(plan: Plan) -> Iterator[Check]:
    if plan.oncall is None or "pagerduty" not in _routed(plan):
        return
    for field in ("people", "escalate_to"):
        for j, email in enumerate(getattr(plan.oncall, field)):
            yield (
                f"oncall.{field}[{j}]",
                partial(PERSON.lookup, PERSON.client(), UserLookupInputs(email=email)),
            )
