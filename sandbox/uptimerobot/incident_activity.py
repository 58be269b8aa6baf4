"""What happened during an incident: ``GET /incidents/{id}/alerts`` and ``GET /incidents/{id}/activity-log``
(specs/uptimerobot-openapi.yaml, IncidentsController_getAlerts / _getActivityLog, PublicSentAlertsResponseDto
and ActivityLogResponseDto), derived from the incident the checker opened, the alerts it sent
(sandbox/uptimerobot/alerts.py keeps them on the incident) and the incident's comments
(sandbox/uptimerobot/comments.py).

Alerts, as read live (GoSuccessHQ/uptimerobot-api docs/incidents/alerts.md, src/Model/SentAlert.php): every
alert of the incident, down and up, **oldest first**, all in one answer (``{"data": [...]}``, no paging),
empty if none was sent; ``channelType`` is the contact's type (``Email``, ``Slack``, ``PagerDuty``, ...),
``recipientValue`` the address it went to, ``status`` ``SUCCESS`` or ``NOT_DELIVERED``.

Activity log, as read live (GoSuccessHQ/uptimerobot-api docs/incidents/activityLog.md,
src/Model/StatusUpdateActivity.php, tests/Integration/IncidentsReadOnlyTest.php): entries **newest first**,
``nextLink`` always null (the API ignores a cursor):

* ``STATUS_UPDATE``: ``alertLogType`` ``Down`` when the incident started, with its ``cause`` and ``reason``;
  ``Up`` when it resolved, ``cause`` 0 and ``reason`` "Monitor is UP". ``incidentStatus`` is absent on every
  entry read live, and ``responseTime`` is only on ``Slow`` entries (the sandbox has none). The live API's
  ``remoteNode`` (the checker node) is left out: the sandbox has no checker nodes, and the null the live
  API sends on Up entries breaks the spec, which types it as an object. ``region``: the monitor's first
  region (regionalData), ASSUMED to be where the check ran;
* ``NOTIFICATION``: one per alert sent, ``sentToFullName``/``sentToValue``/``notificationType``/
  ``notificationStatus`` as the alert's name, value, channel and status (the official CLI's table reads these
  fields, uptimerobot/uptimerobot-cli@48cf89d src/output/columns.ts, test/columns.test.ts); ``region`` null;
* ``COMMENT``: one per comment, with ``commentId``, ``commentFullName`` and ``commentEmail`` (the author: the
  account's owner).

At the same instant, later events come first (an alert after the status update that caused it). An unknown
incident answers 404 ``Incident <id> not found`` (000-004).
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, jsonify

from sandbox.uptimerobot import accounts, incidents, repo
from sandbox.uptimerobot.accounts import Account

Doc = dict[str, Any]

UP_REASON = (
    "Monitor is UP"  # the reason of the Up entry (verified live, GoSuccessHQ StatusUpdateActivity.php)
)

routes = Blueprint("uptimerobot_incident_activity", __name__)


@routes.get("/incidents/<id>/alerts")
def sent_alerts(id: str) -> Response:
    incident = incidents.find_or_404(accounts.current().id, id)
    return jsonify({"data": [_alert(sent) for sent in incident.get("_sent", [])]})


@routes.get("/incidents/<id>/activity-log")
def activity_log(id: str) -> Response:
    account = accounts.current()
    incident = incidents.find_or_404(account.id, id)
    entries = _entries(account, incident)
    return jsonify({"data": list(reversed(entries)), "nextLink": None})


def _alert(sent: Doc) -> Doc:
    return {
        "timestamp": sent["at"],
        "recipientName": sent["name"],
        "recipientValue": sent["value"],
        "channelType": sent["channel"],
        "status": sent["status"],
    }


def _entries(account: Account, incident: Doc) -> list[Doc]:
    """Every entry, oldest first (a stable sort keeps the order things happened in at one instant)."""
    monitor = repo.get(repo.MONITORS, account.id, int(incident["monitorId"]))
    regions = ((monitor or {}).get("regionalData") or {}).get("REGION") or []
    region = regions[0] if regions else None
    sent = incident.get("_sent", [])
    entries = [_status(incident["startedAt"], region, "Down", incident["cause"], incident["reason"])]
    entries += [_notification(alert) for alert in sent if alert["event"] != "up"]
    if incident["resolvedAt"]:
        entries.append(_status(incident["resolvedAt"], region, "Up", 0, UP_REASON))
    entries += [_notification(alert) for alert in sent if alert["event"] == "up"]
    comments = repo.find(repo.COMMENTS, account.id, {"incidentId": str(incident["id"])})
    entries += [_comment(comment, account) for comment in comments]
    return sorted(entries, key=lambda entry: str(entry["date"]))


def _status(date: str, region: str | None, kind: str, cause: int, reason: str) -> Doc:
    return {
        "type": "STATUS_UPDATE",
        "date": date,
        "region": region,
        "alertLogType": kind,
        "cause": cause,
        "reason": reason,
    }


def _notification(sent: Doc) -> Doc:
    return {
        "type": "NOTIFICATION",
        "date": sent["at"],
        "region": None,
        "sentToFullName": sent["name"],
        "sentToValue": sent["value"],
        "notificationType": sent["channel"],
        "notificationStatus": sent["status"],
    }


def _comment(comment: Doc, account: Account) -> Doc:
    return {
        "type": "COMMENT",
        "date": comment["created"],
        "region": None,
        "commentId": comment["id"],
        "commentFullName": account.full_name,
        "commentEmail": account.email,
    }
