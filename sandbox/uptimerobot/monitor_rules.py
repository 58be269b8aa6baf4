"""Monitor creation and update: validation, business rules and the vendor's read-back quirks."""

import re
import secrets
from typing import Any

from sandbox.clock import iso
from sandbox.uptimerobot import links, repo, schemas
from sandbox.uptimerobot.accounts import Account
from sandbox.uptimerobot.errors import BadRequest

Doc = dict[str, Any]

CREATE_SCHEMAS = {
    "HTTP": "CreateHttpMonitorDto",
    "KEYWORD": "CreateKeywordMonitorDto",
    "PING": "CreatePingMonitorDto",
    "PORT": "CreatePortMonitorDto",
    "HEARTBEAT": "CreateHeartbeatMonitorDto",
}
WEB_TYPES = ("HTTP", "KEYWORD")
DEDUPLICATED_METHODS = ("GET", "HEAD")
DEFAULT_RESPONSE_CODES = ["2xx", "3xx"]
CASE_TYPES = ("CaseSensitive", "CaseInsensitive")  # read back as their index: 0 / 1
DEFAULT_REGIONS = ["na"]
# A heartbeat monitor's `url` reads back as the token of its URL only, not the whole URL (verified live by
# GoSuccessHQ/uptimerobot-api, tools/config/uptimerobot.php); jobs call https://heartbeat.uptimerobot.com/<it>.
HEARTBEAT_URL = "m{id}-{token}"
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*://")

# PATCH fields that are stored exactly as sent.
_PLAIN_UPDATES = (
    "friendlyName",
    "port",
    "keywordType",
    "keywordCaseType",
    "interval",
    "timeout",
    "gracePeriod",
    "httpUsername",
    "httpPassword",
    "httpMethodType",
    "authType",
    "postValueData",
    "postValueType",
    "customHttpHeaders",
    "checkSSLErrors",
    "domainExpirationReminder",
    "sslExpirationReminder",
    "followRedirections",
    "groupId",
    "customFields",
)


def create(account: Account, body: Any, *, checked: bool = True) -> Doc:
    """Create a monitor from a ``POST /monitors`` body; ``checked=False`` skips validation and limits."""
    if not isinstance(body, dict):
        raise BadRequest("body must be an object")
    body = {**body, "type": str(body.get("type", "")).upper()}
    if body["type"] not in CREATE_SCHEMAS:
        raise BadRequest("type must be one of the following values: " + ", ".join(CREATE_SCHEMAS))
    if checked:
        schemas.validate(CREATE_SCHEMAS[body["type"]], body)
        _check_create(account, body)
    record = _build(account, body)
    links.assign_windows(account.id, record["id"], body.get("maintenanceWindowsIds", []))
    return repo.save(repo.MONITORS, account.id, record)


def _check_create(account: Account, body: Doc) -> None:
    plan = account.plan
    if repo.count(repo.MONITORS, account.id) >= account.monitor_limit:
        raise BadRequest(
            f"monitor_limit_exceeded: the {plan.label} plan allows {account.monitor_limit} monitors"
        )
    _check_interval(account, body["interval"])
    if body["type"] in WEB_TYPES:
        _check_web_url(body["url"])
        _check_duplicate(account, body["url"], body.get("httpMethodType", "HEAD"), None)
    _check_common(account, body)


def _build(account: Account, body: Doc) -> Doc:
    kind = body["type"]
    monitor_id = repo.new_id()
    now = repo.now()
    keyword = kind == "KEYWORD"
    return {
        "id": monitor_id,
        "type": kind,
        "friendlyName": body.get("friendlyName", ""),
        "url": _initial_url(kind, body.get("url", ""), monitor_id),
        "interval": body.get("interval"),
        "timeout": None if kind == "HEARTBEAT" else body.get("timeout"),
        "status": "STARTED",
        # Quirks: HEAD is the default method of HTTP/keyword monitors; new monitors read HTTP_BASIC auth.
        "httpMethodType": body.get("httpMethodType", "HEAD") if kind in WEB_TYPES else None,
        "authType": body.get("authType", "HTTP_BASIC"),
        "httpUsername": body.get("httpUsername", ""),
        "httpPassword": body.get("httpPassword", ""),
        "customHttpHeaders": body.get("customHttpHeaders", {}),
        "successHttpResponseCodes": body.get("successHttpResponseCodes") or DEFAULT_RESPONSE_CODES,
        "postValueData": body.get("postValueData"),
        "postValueType": body.get("postValueType"),
        "port": body.get("port"),
        "gracePeriod": body.get("gracePeriod", 0) if kind == "HEARTBEAT" else None,
        "keywordValue": str(body.get("keywordValue", "")).strip() if keyword else None,
        "keywordCaseType": _case_type(body.get("keywordCaseType")) if keyword else None,
        "keywordType": body.get("keywordType") if keyword else None,
        "config": body.get("config") or {},
        "regionalData": _regions({}, body),
        "checkSSLErrors": body.get("checkSSLErrors", False),
        "sslExpirationReminder": body.get("sslExpirationReminder", False),
        "domainExpirationReminder": body.get("domainExpirationReminder", False),
        "followRedirections": body.get("followRedirections", True),
        "sslBrand": None,
        "sslExpiryDateTime": None,
        "domainExpireDate": None,
        "lastIncidentId": None,
        "lastIncident": None,
        "userId": account.id,
        "assignedAlertContacts": links.contacts(account, body.get("assignedAlertContacts", [])),
        "tagIds": links.tag_ids(account.id, body.get("tagNames", [])),
        "createDateTime": iso(now),
        "apiKey": None,
        "groupId": body.get("groupId", 0),
        "customFields": body.get("customFields", {}),
        "_stateSince": now,
    }


def update(account: Account, record: Doc, body: Any) -> Doc:
    """Apply a ``PATCH /monitors/{id}`` body (UpdateMonitorDto) to a stored monitor."""
    body = schemas.validate("UpdateMonitorDto", body)
    _check_update(account, record, body)
    record.update({name: body[name] for name in _PLAIN_UPDATES if name in body})
    if "keywordValue" in body:
        record["keywordValue"] = None if body["keywordValue"] is None else body["keywordValue"].strip()
    if "url" in body and record["type"] != "HEARTBEAT":  # the heartbeat URL is server-generated
        record["url"] = _initial_url(record["type"], body["url"], record["id"])
    if "successHttpResponseCodes" in body:  # replaces; [] resets to the default
        record["successHttpResponseCodes"] = body["successHttpResponseCodes"] or DEFAULT_RESPONSE_CODES
    if "config" in body:
        record["config"] = _merge_config(record.get("config") or {}, body["config"])
    record["regionalData"] = _regions(record.get("regionalData") or {}, body)
    if "tagNames" in body:
        record["tagIds"] = links.tag_ids(account.id, body["tagNames"])
    if "assignedAlertContacts" in body:
        record["assignedAlertContacts"] = links.contacts(account, body["assignedAlertContacts"])
    if "maintenanceWindowsIds" in body:
        links.assign_windows(account.id, record["id"], body["maintenanceWindowsIds"])
    return repo.save(repo.MONITORS, account.id, record)


def _check_update(account: Account, record: Doc, body: Doc) -> None:
    if "type" in body and body["type"] != record["type"]:
        raise BadRequest("type can not be changed; delete the monitor and create a new one")
    if "interval" in body:
        _check_interval(account, body["interval"])
    if record["type"] in WEB_TYPES and ("url" in body or "httpMethodType" in body):
        url = str(body.get("url", record["url"]))
        method: str | None = body.get("httpMethodType", record["httpMethodType"])
        _check_web_url(url)
        _check_duplicate(account, url, method, record["id"])
    _check_common(account, body)


def set_status(account: Account, record: Doc, status: str) -> Doc:
    """Pause (``PAUSED``) or start (``STARTED``) a monitor; idempotent."""
    if record["status"] != status:
        record["status"] = status
        record["_stateSince"] = repo.now()
        for key in ("_lastCheck", "_checkedFrom"):  # a started monitor is checked afresh (checker.py)
            record.pop(key, None)
        repo.save(repo.MONITORS, account.id, record)
    return record


def _check_interval(account: Account, interval: float) -> None:
    minimum = account.plan.min_interval
    if interval < minimum:
        raise BadRequest(
            f"interval must not be less than {minimum} "
            f"(subscription_limit_exceeded: the {account.plan.label} plan's minimum interval)"
        )


def _check_web_url(url: str) -> None:
    if not url.lower().startswith(("http://", "https://")):
        raise BadRequest("url must be a URL address")


def _check_duplicate(account: Account, url: str, method: str | None, own_id: int | None) -> None:
    # "API deduplication validations for GET and HEAD monitors": same URL and method -> rejected.
    if method not in DEDUPLICATED_METHODS:
        return
    for other in repo.find(repo.MONITORS, account.id, where={"url": url, "httpMethodType": method}):
        if other["type"] in WEB_TYPES and other["id"] != own_id:
            raise BadRequest(f"url: a monitor with this URL already exists for method {method}")


def _check_common(account: Account, body: Doc) -> None:
    """Rules shared by create and update: a non-empty name, existing contacts and maintenance windows."""
    if "friendlyName" in body and not str(body["friendlyName"]).strip():
        raise BadRequest("friendlyName should not be empty")
    links.check_contacts(account.id, body.get("assignedAlertContacts", []))
    links.check_ids(repo.WINDOWS, account.id, body.get("maintenanceWindowsIds", []), "maintenanceWindowsIds")


def _initial_url(kind: str, url: str, monitor_id: int) -> str:
    if kind == "HEARTBEAT":
        return HEARTBEAT_URL.format(id=monitor_id, token=secrets.token_hex(16))
    if kind in ("PING", "PORT"):  # "A protocol prefix is stripped if provided"
        return _SCHEME.sub("", url)
    return url


def _case_type(value: Any) -> int | None:
    if value in (0, 1):
        return int(value)
    return CASE_TYPES.index(value) if value in CASE_TYPES else None


def _regions(current: Doc, body: Doc) -> Doc:
    """``regionData`` wins over the deprecated ``regionalData``; ``responseTimeThreshold`` fills THRESHOLD."""
    regions = dict(current) or {"REGION": DEFAULT_REGIONS}
    if isinstance(body.get("regionData"), dict):
        regions = dict(body["regionData"])
    elif isinstance(body.get("regionalData"), str):
        regions = {**regions, "REGION": [body["regionalData"]]}
    if body.get("responseTimeThreshold") is not None:
        regions["THRESHOLD"] = {region: body["responseTimeThreshold"] for region in regions["REGION"]}
    return regions


def _merge_config(current: Doc, patch: Doc | None) -> Doc:
    """Shallow merge; a ``null`` value removes the key and ``config: null`` clears everything."""
    if patch is None:
        return {}
    merged = {**current, **patch}
    return {key: value for key, value in merged.items() if value is not None}
