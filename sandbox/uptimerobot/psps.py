"""``/psps``: public status pages (create/update take ``multipart/form-data`` or JSON)."""

import secrets
from collections.abc import Callable
from typing import Any

from flask import request

from sandbox.collection import Controlled
from sandbox.uptimerobot import accounts, forms, links, repo, schemas, serialize, web
from sandbox.uptimerobot.accounts import Account
from sandbox.uptimerobot.errors import BadRequest

ASSET_URL = "https://static.sandbox.test/psp/{id}/{field}/{name}"
DEFAULT_SETTINGS: dict[str, dict[str, Any]] = {
    "font": {"family": None},
    "page": {"layout": "logo_on_center", "theme": "light", "density": "normal"},
    "colors": {"main": "#131a26", "text": "#ffffff", "link": "#3bd671"},
    "features": {
        "showBars": "true",
        "showUptimePercentage": "true",
        "enableFloatingStatus": "false",
        "showOverallUptime": "true",
        "showOutageUpdates": "true",
        "showOutageDetails": "true",
        "enableDetailsPage": "true",
        "showMonitorURL": "false",
        "hidePausedMonitors": "false",
    },
}
_DEFAULTS: dict[str, Any] = {
    "customDomain": None,
    "monitorIds": [],
    "tagIds": [],
    "status": "ENABLED",
    "homepageLink": "https://uptimerobot.com",
    "gaCode": None,
    "shareAnalyticsConsent": False,
    "useSmallCookieConsentModal": False,
    "icon": None,
    "noIndex": False,
    "logo": None,
    "hideUrlLinks": False,
    "subscription": False,
    "showCookieBar": False,
    "pinnedAnnouncementId": None,
}
# Write-only fields, kept but never returned (``password`` reads back as ``isPasswordSet``).
_INTERNAL = {"password": "_password", "autoAddMonitors": "_autoAddMonitors", "sort": "_sort"}


def create(account: Account, body: Any, *, checked: bool = True) -> dict[str, Any]:
    """Create a status page from a ``POST /psps`` body."""
    if checked:
        schemas.validate("CreatePsPDto", body)
        _check(account, body)
    record: dict[str, Any] = {"id": repo.new_id(), "friendlyName": body.get("friendlyName", ""), **_DEFAULTS}
    record["urlKey"] = secrets.token_hex(5)
    record["customSettings"] = DEFAULT_SETTINGS
    _apply(record, body)
    return repo.save(repo.PSPS, account.id, record)


def _check(account: Account, body: dict[str, Any]) -> None:
    monitor_ids = body.get("monitorIds", [])
    if monitor_ids != [0]:  # [0] alone means every monitor
        links.check_ids(repo.MONITORS, account.id, monitor_ids, "monitorIds")
    links.check_ids(repo.TAGS, account.id, body.get("tagIds", []), "tagIds")
    if "friendlyName" in body and not body["friendlyName"].strip():
        raise BadRequest("friendlyName should not be empty")


def _apply(record: dict[str, Any], body: dict[str, Any]) -> None:
    for name, value in body.items():
        if name in _INTERNAL:
            record[_INTERNAL[name]] = value
        elif name == "customSettings":
            record["customSettings"] = _merge_settings(record["customSettings"], value or {})
        elif name not in ("logo", "icon"):
            record[name] = value
    for field in ("logo", "icon"):
        upload = request.files.get(field)
        if upload is not None and upload.filename:
            record[field] = ASSET_URL.format(id=record["id"], field=field, name=upload.filename)


def _merge_settings(current: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    """Section-wise merge; feature flags are sent as booleans and read back as "true"/"false"."""
    merged = {section: dict(values or {}) for section, values in current.items()}
    for section, values in changes.items():
        for key, value in (values or {}).items():
            if isinstance(value, bool):
                value = "true" if value else "false"
            merged.setdefault(section, {})[key] = value
    return merged


def update(account: Account, record: dict[str, Any], body: Any) -> dict[str, Any]:
    """Apply a ``PATCH /psps/{id}`` body."""
    body = schemas.validate("UpdatePspDto", body)
    _check(account, body)
    _apply(record, body)
    return repo.save(repo.PSPS, account.id, record)


def view(account_id: int) -> Callable[[dict[str, Any]], dict[str, Any]]:
    monitors = repo.count(repo.MONITORS, account_id)
    return lambda record: serialize.psp(record, monitors)


COLLECTION = web.collection(
    "psps",
    "/psps",
    repo.PSPS,
    view,
    # multipart/form-data (with a logo or icon) or JSON; a form is typed by the schema of its request
    body=lambda: forms.request_body("CreatePsPDto" if request.method == "POST" else "UpdatePspDto"),
    create=lambda args, body: create(accounts.current(), body),
    update=lambda args, record, body: update(accounts.current(), record, body),
    delete=lambda args, record: repo.remove(repo.PSPS, record["id"]),
)
# Out of band (sandbox/uptimerobot/control.py): shown as the API shows it to the record's account.
CONTROLLED = Controlled(
    repo.PSPS,
    lambda record, account_id: view(account_id)(record),
    lambda _, doc_id: repo.remove(repo.PSPS, doc_id),
    names=lambda view: [view["friendlyName"]],
    create=create,
)
