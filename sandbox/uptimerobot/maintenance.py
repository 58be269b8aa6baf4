"""``/maintenance-windows`` routes."""

import re
from datetime import date
from typing import Any

from sandbox.clock import iso
from sandbox.collection import Controlled
from sandbox.uptimerobot import accounts, links, repo, schemas, serialize, web
from sandbox.uptimerobot.accounts import Account
from sandbox.uptimerobot.errors import BadRequest

_DATE = re.compile(r"^(19|20)\d\d-\d\d-\d\d$")
_VALID_DAYS = {"weekly": set(range(1, 8)), "monthly": {*range(1, 32), -1}}
_UPDATABLE = ("name", "interval", "date", "time", "duration", "status", "monitorIds", "days")


def create(account: Account, body: Any, *, checked: bool = True) -> dict[str, Any]:
    """Create a maintenance window from a ``POST /maintenance-windows`` body."""
    if checked:
        schemas.validate("CreateMaintenanceWindowDto", body)
        _check(account, body)
    interval = body.get("interval", "once")
    record = {
        "id": repo.new_id(),
        "userId": account.id,
        "name": body.get("name", ""),
        "interval": interval,
        "date": body.get("date"),
        "time": body.get("time", "00:00:00"),
        "duration": body.get("duration", 1),
        "autoAddMonitors": body.get("autoAddMonitors", False),
        "monitorIds": list(body.get("monitorIds", [])),
        "days": _days(interval, body.get("days", [])),
        "status": "active",
        "created": iso(repo.now()),
    }
    return repo.save(repo.WINDOWS, account.id, record)


def _check(account: Account, body: dict[str, Any]) -> None:
    # MaintenanceWindowDto.name has minLength 3, so a shorter name could never be read back.
    if "name" in body and len(body["name"]) < 3:
        raise BadRequest("name must be longer than or equal to 3 characters")
    if "date" in body and not _valid_date(body["date"]):
        raise BadRequest("date must be a valid date in YYYY-MM-DD format (years 19xx or 20xx)")
    links.check_ids(repo.MONITORS, account.id, body.get("monitorIds", []), "monitorIds")


def _valid_date(value: str) -> bool:
    if not _DATE.match(value):
        return False
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True


def _days(interval: str, days: list[Any]) -> list[Any]:
    # Days that do not fit the interval are silently ignored, as the live API does.
    valid = _VALID_DAYS.get(interval, set())
    return [day for day in days if day in valid]


def update(account: Account, record: dict[str, Any], body: Any) -> dict[str, Any]:
    """Apply a ``PATCH /maintenance-windows/{id}`` body."""
    body = schemas.validate("UpdateMaintenanceWindowDto", body)
    _check(account, body)
    record.update({name: body[name] for name in _UPDATABLE if name in body})
    record["days"] = _days(record["interval"], record["days"])
    return repo.save(repo.WINDOWS, account.id, record)


COLLECTION = web.collection(
    "maintenance_windows",
    "/maintenance-windows",
    repo.WINDOWS,
    lambda account_id: serialize.window,
    create=lambda args, body: create(accounts.current(), body),
    update=lambda args, record, body: update(accounts.current(), record, body),
    delete=lambda args, record: repo.remove(repo.WINDOWS, record["id"]),
    deleted=204,  # specs/uptimerobot-openapi.yaml: DELETE /maintenance-windows/{id} answers 204
)
# Out of band (sandbox/uptimerobot/control.py): shown as the API shows it to the record's account.
CONTROLLED = Controlled(
    repo.WINDOWS,
    lambda record, _: serialize.window(record),
    lambda _, doc_id: repo.remove(repo.WINDOWS, doc_id),
    names=lambda view: [view["name"]],
    create=create,
)
