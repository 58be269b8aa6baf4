"""Who UptimeRobot tells when a monitor goes down or comes back, through the sandbox's sinks
(sandbox/deliveries.py) and PagerDuty's Events API (sandbox/pagerduty/events.py).

The rules (docs/vendors/uptimerobot.md, "How a monitor is checked"; specs/uptimerobot-openapi.yaml L4657,
L4723): each of a monitor's `assignedAlertContacts` is told once the incident has lasted `threshold`
minutes, and again every `recurrence` minutes while it lasts (0: once; both are 0 on the free plan); on
down and up as the contact's `enableNotificationsFor` says. Only an `Active` contact is told: a paused one
gets nothing, and an e-mail address gets nothing until its owner confirms it (`NotActivated`). ASSUMED
(deviation uptimerobot-up-alerts): the up alert goes to the contacts whose threshold the incident reached.

Channels: an alert contact is an e-mail address; integrations are Slack (to the channel the integration
names, its webhook URL being a secret), webhooks and PagerDuty (a trigger with the integration key, and
a resolve on up when `autoResolve` is on: the spec's "Auto-resolve incidents after up event").

Every alert sent is also kept on its incident (`_sent`), as the vendor keeps them for
``GET /incidents/{id}/alerts`` and the activity log (sandbox/uptimerobot/incident_activity.py): when, to
whom (the contact's name and value as the API reads them back), through which channel (the contact's
type), and whether it was delivered (a PagerDuty event the Events API refuses is NOT_DELIVERED).
"""

from __future__ import annotations

from typing import Any

from sandbox import deliveries
from sandbox.clock import iso
from sandbox.pagerduty import events as pagerduty_events
from sandbox.state import sandbox
from sandbox.uptimerobot import incidents, integrations, repo, serialize
from sandbox.uptimerobot.serialize import NOTIFY_EVENTS

Doc = dict[str, Any]

DOWN, UP = "down", "up"


def down(monitor: Doc, incident: Doc, at: float) -> None:
    """The monitor went down `at`: tell the contacts whose threshold is 0."""
    remind(monitor, incident, at)


def remind(monitor: Doc, incident: Doc, at: float) -> None:
    """Tell each contact whose threshold or next recurrence the ongoing incident has reached by `at`."""
    started = float(incident["_started"])
    reached, told = incident["_reached"], incident["_told"]
    for assigned in monitor.get("assignedAlertContacts") or []:
        key = str(assigned["alertContactId"])
        threshold = 60 * float(assigned.get("threshold") or 0)
        recurrence = 60 * float(assigned.get("recurrence") or 0)
        if key not in reached:
            if at < started + threshold:
                continue
            reached[key] = at
        last = told.get(key)
        if last is not None and (recurrence <= 0 or at < float(last) + recurrence):
            continue
        told[key] = at
        _tell(assigned["alertContactId"], monitor, incident, DOWN)
    incidents.keep(incident)


def up(monitor: Doc, incident: Doc) -> None:
    """The monitor came back: tell the contacts the incident reached."""
    for key in incident["_reached"]:
        _tell(int(key), monitor, incident, UP)
    incidents.keep(incident)


def _tell(contact_id: int, monitor: Doc, incident: Doc, event: str) -> None:
    contact = repo.contact(int(monitor["userId"]), contact_id)
    if contact is None or contact.get("status") != "Active" or not _wants(contact, event):
        return
    details = {
        "via": "uptimerobot",
        "monitor": monitor["friendlyName"],
        "event": event,
        "reason": incident["reason"],
        "incident": str(incident["id"]),
    }
    kind = contact.get("type")
    delivered = True
    if kind == "Email":
        deliveries.record("email", str(contact["value"]), **details)
    elif kind == "Slack":
        channel = str(contact.get("customValue") or "").lstrip("#")
        deliveries.record("slack", f"#{channel}" if channel else str(contact.get("friendlyName")), **details)
    elif kind == "Webhook":
        deliveries.record("webhook", str(contact["value"]), **details)
    elif kind == "Pagerduty":
        if event == UP and str(contact.get("customValue")) not in ("1", "True", "true"):
            return  # no resolve without autoResolve: nothing is sent
        delivered = _page(contact, monitor, incident, event)
    else:
        return
    _keep_sent(incident, contact, event, delivered)


def _keep_sent(incident: Doc, contact: Doc, event: str, delivered: bool) -> None:
    """Note the alert on the incident, the contact as the API reads it back (an integration's type spelt
    as reads spell it, its secret values hidden)."""
    integration = contact.get("type") in integrations.ALL_TYPES
    shown = serialize.integration(contact) if integration else serialize.contact(contact)
    incident.setdefault("_sent", []).append(
        {
            "at": iso(sandbox().clock.now()),
            "event": event,
            "name": str(shown.get("friendlyName") or shown.get("value") or ""),
            "value": str(shown.get("value") or ""),
            "channel": str(shown.get("type") or ""),
            "status": "SUCCESS" if delivered else "NOT_DELIVERED",
        }
    )


def _wants(contact: Doc, event: str) -> bool:
    value = contact.get("enableNotificationsFor", "UpAndDown")
    if isinstance(value, int) and 0 <= value < len(NOTIFY_EVENTS):
        value = NOTIFY_EVENTS[value]
    return value == "UpAndDown" or str(value).lower() == event


def _page(integration: Doc, monitor: Doc, incident: Doc, event: str) -> bool:
    """ASSUMED (deviation uptimerobot-pagerduty-events): no source shows the event UptimeRobot sends; this
    is the Events v2 trigger any integration sends, deduplicated per monitor so that up resolves it.
    Whether the Events API took it."""
    action = "trigger" if event == DOWN else "resolve"
    payload = {
        "summary": f"Monitor is {event.upper()}: {monitor['friendlyName']} ({incident['reason']})"[:1024],
        "source": str(monitor.get("url") or monitor["friendlyName"]),
        "severity": "critical",
    }
    message = {
        "routing_key": integration.get("_integrationKey"),
        "event_action": action,
        "dedup_key": f"uptimerobot-monitor-{monitor['id']}",
        "client": "UptimeRobot",
        **({"payload": payload} if action == "trigger" else {}),
    }
    try:
        pagerduty_events.process(message)
    except pagerduty_events.EventError as refused:  # the vendor logs it; nobody is paged
        deliveries.record("pagerduty", "", status="failed", reason=refused.message, via="uptimerobot")
        return False
    return True
