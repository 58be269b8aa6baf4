"""SSL expiry reminders: a monitor with `sslExpirationReminder` reads the certificate its URL serves (once a
day) and reminds the contacts whose own `sslExpirationReminder` is on when the days left reach one of
`config.sslExpirationPeriodDays` (up to 10 values, 0-365; specs/uptimerobot-openapi.yaml L4679, L7749).
Without that list, the vendor's defaults: 30, 14, 7 and 0 days (help.uptimerobot.com/en/articles/11358746).
Each mark is reminded once per certificate; a renewed certificate starts over. (An expired or invalid
certificate also makes a monitor with `checkSSLErrors` DOWN: that is the check's, sandbox/probe.py.)
"""

from __future__ import annotations

from typing import Any

from sandbox import deliveries
from sandbox.clock import iso
from sandbox.uptimerobot import repo

Doc = dict[str, Any]

DEFAULT_DAYS = (30, 14, 7, 0)
CHANNELS = {"Email": "email", "Slack": "slack", "Webhook": "webhook"}  # who can be reminded
DAY = 86400.0


def note(monitor: Doc, expires: float, at: float) -> None:
    """The certificate served `at` expires at `expires`: record it and remind whoever is due."""
    monitor["sslExpiryDateTime"] = iso(expires)
    if not monitor.get("sslExpirationReminder"):
        return
    if monitor.get("_sslCheckedAt") is not None and at - float(monitor["_sslCheckedAt"]) < DAY:
        return  # the expiry check runs once a day
    monitor["_sslCheckedAt"] = at
    if monitor.get("_sslCertificate") != expires:  # a new certificate: every mark again
        monitor["_sslCertificate"], monitor["_sslReminded"] = expires, []
    left = (expires - at) / DAY
    marks = (monitor.get("config") or {}).get("sslExpirationPeriodDays") or DEFAULT_DAYS
    due = [m for m in marks if left <= float(m) and m not in monitor["_sslReminded"]]
    if not due:
        return
    monitor["_sslReminded"] = [*monitor["_sslReminded"], *due]
    for contact in _reminded(monitor):
        kind = contact.get("type")
        if kind not in CHANNELS:
            continue
        to = f"#{str(contact.get('customValue') or '').lstrip('#')}" if kind == "Slack" else contact["value"]
        deliveries.record(
            CHANNELS[kind],
            str(to),
            via="uptimerobot",
            monitor=monitor["friendlyName"],
            event="ssl-expiry",
            days_left=max(0, int(left)),
            expires=iso(expires),
        )


def _reminded(monitor: Doc) -> list[Doc]:
    account = int(monitor["userId"])
    found = []
    for assigned in monitor.get("assignedAlertContacts") or []:
        contact_id = int(assigned["alertContactId"])
        contact = repo.contact(account, contact_id)
        if contact and contact.get("status") == "Active" and contact.get("sslExpirationReminder"):
            found.append(contact)
    return found
