"""`lookout deploy-event ENV --service NAME`: tell PagerDuty that a service was deployed.

The plan's deploy notifications go to e-mail through Render; with `lookout:oncall` they also go on the
on-call service's timeline as a PagerDuty change event (Events API v2 `/change/enqueue`), so whoever is
paged next sees what changed just before. It pages nobody. Run it from the deploy pipeline once Render has
the new version; it sends with the same integration key the alerts use (a stack output) and confirms the
event through the REST API (`GET /services/{id}/change_events`).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from providers import settings
from providers.pagerduty import client as pagerduty
from providers.pagerduty import events
from stacks import names
from stacks.plan import Plan
from transport import Expected

from . import printer, stack_values, stackfile
from .exits import Exit
from .review import Runner
from .runners import runner

CONFIRM_ATTEMPTS = 6


class Refused(Exception):
    """The plan does not send deploys to PagerDuty, or the stack holds no key to send them with."""


def payload(plan: Plan, service: str, version: str, when: datetime) -> dict[str, Any]:
    """What is sent: a summary people read on the timeline, and the details a search can find."""
    if plan.oncall is None or not plan.oncall.deploy_events:
        raise Refused(
            f"the {plan.environment} plan sends no deploys to PagerDuty (that needs lookout:oncall with "
            "deploy_events); its deploy notifications go by e-mail through Render"
        )
    svc = next((s for s in plan.services if s.name == service), None)
    if svc is None or not svc.render_service:
        deployed = ", ".join(s.name for s in plan.services if s.render_service) or "none"
        raise Refused(f"--service {service}: not a Render service of the plan (deployed ones: {deployed})")
    return {
        "summary": f"Deployed {svc.render_service} {version} to {plan.environment}",
        "timestamp": when.isoformat(timespec="seconds").replace("+00:00", "Z"),
        "source": svc.render_service,
        "custom_details": {
            "service": svc.name,
            "version": version,
            "environment": plan.environment,
            "sent_by": "lookout deploy-event",
        },
        "links": [{"href": svc.url, "text": f"{svc.name} ({plan.environment})"}],
    }


def send(run: Runner, stack: str, plan: Plan, service: str, version: str, when: datetime) -> tuple[str, str]:
    """Send the change event and read it back: the id of the event on the service's timeline, and its
    summary."""
    fields = payload(plan, service, version, when)
    settings.use_config(stack_values.config(run, stack))
    key = stack_values.outputs(run, stack).get("pagerduty_integration_key")
    if not key:
        raise Refused(f"the {stack} stack has no PagerDuty integration key yet: run `pulumi up` first")
    summary = fields.pop("summary")
    events.change(events.client(), str(key), summary, **fields)
    return _confirm(plan, fields["custom_details"]), summary


def _confirm(plan: Plan, details: dict[str, Any]) -> str:
    """The event as PagerDuty shows it. Events are processed after the 202, so it is asked for again with
    growing pauses (on the transport's clock), about half a minute in all."""
    rest = pagerduty.client()
    name = names.pagerduty_service(plan)
    services = [s for s in pagerduty.list_all(rest, "/services", "services", query=name) if s["name"] == name]
    if not services:
        raise Refused(f"PagerDuty has no service “{name}”: run `pulumi up` first")
    delay = 1.0
    for _ in range(CONFIRM_ATTEMPTS):
        timeline = pagerduty.list_all(rest, f"/services/{services[0]['id']}/change_events", "change_events")
        found = [c for c in timeline if _same(c.get("custom_details") or {}, details)]
        if found:
            return str(found[0]["id"])
        rest.clock.sleep(delay)
        delay = min(delay * 2, 8.0)
    raise Refused(f"PagerDuty accepted the change event but “{name}” does not show it yet")


def _same(shown: dict[str, Any], sent: dict[str, Any]) -> bool:
    return all(str(shown.get(k)) == str(v) for k, v in sent.items())


def command(stack: str, service: str, version: str | None, dry_run: bool, sandbox: bool) -> int:
    """Exit 0: the change event is on the service's timeline (or --dry-run); 1: refused or not confirmed."""
    plan = stackfile.load(stack)
    version = version or plan.app_version
    when = datetime.now(UTC)
    try:
        fields = payload(plan, service, version, when)  # refused before anything runs
        if dry_run:
            printer.result(f"would send to PagerDuty: {fields['summary']} (a change event: pages nobody)")
            return Exit.OK
        with runner(sandbox) as run:
            change_id, summary = send(run, stack, plan, service, version, when)
    except (Refused, Expected) as exc:
        printer.problem(f"lookout deploy-event: {exc}")
        return Exit.FAILED
    printer.result(f"PagerDuty change event {change_id} on “{names.pagerduty_service(plan)}”: {summary}")
    return Exit.OK
