"""``/user/me``, ``/user/alert-contacts``, ``/user/all-alert-contacts`` and ``/tags`` routes.

``GET /user/alert-contacts`` answers a root array of AlertContactDto and ``GET /user/all-alert-contacts`` a
root array of AllAlertContactDto (specs/uptimerobot-openapi.yaml, UserController_getAlertContacts /
_getAllAlertContacts). Both hold the account's personal alert contacts (e-mail, SMS, voice, mobile app),
never its integrations (Slack, webhooks, PagerDuty: ``GET /integrations``)
(uptimerobot/terraform-provider-uptimerobot docs/data-sources/alert_contacts.md, all_alert_contacts.md).
The second groups them by user: the account's
owner is one group, ``notifyOnly`` false and ``orgAlertContactId`` null; notify-only groups and organization
members, which the sandbox's accounts do not have, would be further groups (spec; the official CLI's test,
uptimerobot/uptimerobot-cli@48cf89d test/columns.test.ts, shows such a group). An item's ``threshold`` and
``recurrence`` are 0: the sandbox's contacts have no default delay (the free plan's are always 0).
"""

from typing import Any

from flask import Blueprint, Response, jsonify, request

from sandbox.uptimerobot import accounts, links, repo, serialize
from sandbox.uptimerobot.errors import BadRequest

routes = Blueprint("account", __name__)

TAG_PAGE_SIZE = 50


@routes.get("/user/me")
def me() -> Response:
    account = accounts.current()
    return jsonify(serialize.user(account, repo.count(repo.MONITORS, account.id)))


@routes.get("/user/alert-contacts")
def user_alert_contacts() -> Response:
    account = accounts.current()
    return jsonify([serialize.contact(record) for record in repo.find(repo.CONTACTS, account.id)])


@routes.get("/user/all-alert-contacts")
def all_alert_contacts() -> Response:
    account = accounts.current()
    items = [_contact_item(serialize.contact(record)) for record in repo.find(repo.CONTACTS, account.id)]
    group = {
        "notifyOnly": False,
        "orgAlertContactId": None,
        "user": {"id": account.id, "name": account.full_name},
        "alertContacts": items,
    }
    return jsonify([group])


def _contact_item(contact: dict[str, Any]) -> dict[str, Any]:
    """AllAlertContactDto.alertContacts[]: the contact's name (its friendly name, else its value)."""
    return {
        "id": contact["id"],
        "name": str(contact.get("friendlyName") or contact.get("value") or ""),
        "value": str(contact.get("value") or ""),
        "type": contact["type"],
        "status": contact["status"],
        "threshold": 0,
        "recurrence": 0,
    }


@routes.get("/tags")
def list_tags() -> Response:
    """SimpleTagPaginationDto: unlike the other lists it reports ``nextCursorId``, not ``nextLink``."""
    account = accounts.current()
    raw = request.args.get("cursor", "")
    if raw and not raw.isdigit():
        raise BadRequest("cursor must be a number conforming to the specified constraints")
    cursor = int(raw) if raw else 0
    tags = [tag for tag in repo.find(repo.TAGS, account.id) if tag["id"] > cursor][:TAG_PAGE_SIZE]
    next_cursor = tags[-1]["id"] if len(tags) == TAG_PAGE_SIZE else None
    return jsonify({"data": [serialize.tag(tag) for tag in tags], "nextCursorId": next_cursor})


@routes.delete("/tags/<int:id>")
def delete_tag(id: int) -> Response:
    account = accounts.current()
    repo.get_or_404(repo.TAGS, account.id, id)
    links.detach_tag(account.id, id)
    repo.remove(repo.TAGS, id)
    return Response(status=204)
