"""Stored records -> response DTOs (MonitorDto, AlertContactDto, IntegrationDto, ...).

Records keep the API's field names; keys starting with ``_`` are internal and never returned.
"""

import html
import json
from dataclasses import dataclass, field
from typing import Any

from sandbox.uptimerobot import repo
from sandbox.uptimerobot.accounts import Account

Doc = dict[str, Any]

LAST_DAY_UPTIMES = {"bucketSize": 3600, "totalChanges": 0, "histogram": []}

CONTACT_DEFAULTS: Doc = {
    "friendlyName": None,
    "value": None,
    "customValue": None,
    "enableNotificationsFor": "UpAndDown",
    "sslExpirationReminder": False,
    "httpUsername": None,
    "httpPassword": None,
    "authType": None,
    "customHeaders": None,
    "mobileProviderId": None,
    "status": "NotActivated",
    "orgAlertContactId": None,
    "config": None,
}

INTEGRATION_DEFAULTS: Doc = {
    "friendlyName": None,
    "enableNotificationsFor": "UpAndDown",
    "status": "Active",
    "sslExpirationReminder": False,
    "value": None,
    "customValue": None,
    "customValue2": None,
    "customValue3": None,
    "customValue4": None,
    "customHeaders": None,
}

NOTIFY_EVENTS = ("UpAndDown", "Down", "Up", "None")


def public(record: Doc) -> Doc:
    return {key: value for key, value in record.items() if not key.startswith("_")}


@dataclass
class Relations:
    """The account-wide objects a MonitorDto embeds (tags, maintenance windows, status pages)."""

    account_id: int
    tags: dict[int, Doc] = field(default_factory=dict)
    windows: list[Doc] = field(default_factory=list)
    psps: list[Doc] = field(default_factory=list)
    monitor_count: int = 0

    @classmethod
    def load(cls, account_id: int) -> "Relations":
        return cls(
            account_id=account_id,
            tags={tag["id"]: tag for tag in repo.find(repo.TAGS, account_id)},
            windows=repo.find(repo.WINDOWS, account_id),
            psps=repo.find(repo.PSPS, account_id),
            monitor_count=repo.count(repo.MONITORS, account_id),
        )


def monitor(record: Doc, relations: Relations) -> Doc:
    dto = public(record)
    dto.pop("tagIds", None)
    monitor_id = record["id"]
    dto.update(
        # Quirk: the API returns the name and URL HTML-escaped.
        friendlyName=html.escape(str(record["friendlyName"])),
        url=html.escape(str(record["url"])),
        # Quirk: always reads back as 0 (the value lives in regionalData.THRESHOLD).
        responseTimeThreshold=0,
        currentStateDuration=max(0, int(repo.now() - float(record.get("_stateSince", repo.now())))),
        tags=[tag(relations.tags[tag_id]) for tag_id in record.get("tagIds", []) if tag_id in relations.tags],
        maintenanceWindows=[window(w) for w in relations.windows if window_covers(w, monitor_id)],
        psps=[psp(p, relations.monitor_count) for p in relations.psps if psp_shows(p, monitor_id)],
        lastDayUptimes=LAST_DAY_UPTIMES,
    )
    return dto


def window_covers(record: Doc, monitor_id: int) -> bool:
    return bool(record.get("autoAddMonitors")) or monitor_id in record.get("monitorIds", [])


def psp_shows(record: Doc, monitor_id: int) -> bool:
    ids = record.get("monitorIds") or []
    return bool(record.get("_autoAddMonitors")) or ids == [0] or monitor_id in ids


def contact(record: Doc) -> Doc:
    return {**CONTACT_DEFAULTS, **public(record)}


# Reads spell the type "PagerDuty" (the official provider's mocks and the CLI's; the spec says "Pagerduty").
READ_TYPE = {"Pagerduty": "PagerDuty"}


def integration(record: Doc) -> Doc:
    """IntegrationDto: webhook options packed into customValue as a JSON string; PagerDuty keys hidden
    (see sandbox/uptimerobot/integrations.py for the mapping and its source)."""
    fields = {**INTEGRATION_DEFAULTS, **public(record)}
    fields["type"] = READ_TYPE.get(record["type"], record["type"])
    if record["type"] == "Webhook":
        options = {
            "postValue": record.get("_postValue", ""),
            "sendJSON": record.get("_sendJSON", "0"),
            "sendQuery": record.get("_sendQuery", "0"),
            "sendPost": record.get("_sendPost", "0"),
        }
        fields["customValue"] = json.dumps(options)
    if record["type"] == "Pagerduty":
        fields["value"] = ""
    return fields


def window(record: Doc) -> Doc:
    return public(record)


def psp(record: Doc, monitor_count: int) -> Doc:
    dto = public(record)
    ids = record.get("monitorIds") or []
    everything = bool(record.get("_autoAddMonitors")) or ids == [0]
    dto["isPasswordSet"] = bool(record.get("_password"))
    dto["monitorsCount"] = monitor_count if everything else len(ids)
    return dto


def tag(record: Doc) -> Doc:
    return {"id": record["id"], "name": record["name"], "color": record["color"]}


def user(account: Account, monitor_count: int) -> Doc:
    plan = account.plan
    return {
        "email": account.email,
        "fullName": account.full_name,
        "monitorsCount": monitor_count,
        "monitorLimit": account.monitor_limit,
        "smsCredits": 0,
        "activeSubscription": {"plan": plan.label, "monitorLimit": account.monitor_limit, "status": "active"},
    }
