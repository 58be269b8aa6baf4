"""``/alert-contacts`` routes: personal alert contacts (only e-mail ones can be created here)."""

import re
from typing import Any

from sandbox.collection import Controlled
from sandbox.uptimerobot import accounts, links, repo, schemas, serialize, web
from sandbox.uptimerobot.accounts import Account
from sandbox.uptimerobot.errors import BadRequest

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def create(account: Account, body: Any, *, checked: bool = True) -> dict[str, Any]:
    """Create an alert contact from a ``POST /alert-contacts`` body."""
    if checked:
        schemas.validate("CreatePersonalAlertContactDto", body)
        _check_create(account, body)
    # The create keeps the default notification setting, whatever it was sent: the official provider sets
    # it (and sslExpirationReminder, which only the update takes) with a PATCH right after creating
    # (uptimerobot/terraform-provider-uptimerobot internal/provider/alertcontact/resource.go, Create).
    notify = body.get("enableNotificationsFor", 0) if not checked else 0
    record = {
        "id": repo.new_id(),
        "type": body.get("type", "Email"),
        "friendlyName": body.get("friendlyName") or body.get("value"),
        "value": body.get("value"),
        "enableNotificationsFor": _notify_event(notify),
        "sslExpirationReminder": False,
        # E-mail contacts wait for the activation link the vendor mails out.
        "status": "NotActivated",
    }
    return repo.save(repo.CONTACTS, account.id, record)


def _check_create(account: Account, body: dict[str, Any]) -> None:
    if body["type"] != "Email":
        raise BadRequest("type: only Email alert contacts can be created through the API")
    value = str(body.get("value", ""))
    if not _EMAIL.match(value):
        raise BadRequest("value must be an email")
    if value.casefold() == account.email.casefold():
        raise BadRequest("value: You can not add your e-mail as alert contact.")


def _notify_event(value: Any) -> Any:
    # Written as 0-3, read back as the enum name (UpAndDown, Down, Up, None).
    if isinstance(value, int) and 0 <= value < len(serialize.NOTIFY_EVENTS):
        return serialize.NOTIFY_EVENTS[value]
    return value


def delete(account_id: int, contact_id: int) -> None:
    links.detach_contact(account_id, contact_id)
    repo.remove(repo.CONTACTS, contact_id)


def update(account: Account, record: dict[str, Any], body: Any) -> dict[str, Any]:
    """Apply a ``PATCH /alert-contacts/{id}`` body."""
    body = schemas.validate("UpdatePersonalAlertContactDto", body)
    for name in ("friendlyName", "sslExpirationReminder"):
        if name in body:
            record[name] = body[name]
    if "enableNotificationsFor" in body:
        record["enableNotificationsFor"] = _notify_event(body["enableNotificationsFor"])
    if "isActive" in body:
        # "Activate (true) or pause (false) the alert contact" (specs/uptimerobot-openapi.yaml,
        # UpdatePersonalAlertContactDto.isActive); read back as status Active / Paused
        # (uptimerobot/terraform-provider-uptimerobot internal/provider/alertcontact/resource.go,
        # alertContactIsActiveState).
        record["status"] = "Active" if body["isActive"] else "Paused"
    return repo.save(repo.CONTACTS, account.id, record)


COLLECTION = web.collection(
    "alert_contacts",
    "/alert-contacts",
    repo.CONTACTS,
    lambda account_id: serialize.contact,
    create=lambda args, body: create(accounts.current(), body),
    update=lambda args, record, body: update(accounts.current(), record, body),
    delete=lambda args, record: delete(record["_account"], record["id"]),
)
# Out of band (sandbox/uptimerobot/control.py): shown as the API shows it to the record's account.
CONTROLLED = Controlled(
    repo.CONTACTS,
    lambda record, _: serialize.contact(record),
    delete,
    names=lambda view: [view["friendlyName"]],
    create=create,
)
