"""Notification settings (docs/vendors/render.md, notifications).

* Owner level: ``previewNotificationsEnabled`` is a **bool**, ``notificationsToSend`` none|failure|all,
  ``slackEnabled`` is read-only (ignored in a PATCH, like every field the API does not know).
* Service overrides: ``previewNotificationsEnabled`` is the **string** "default"|"true"|"false" and
  ``notificationsToSend`` adds "default". An override always exists: a service never overridden answers
  200 with both fields "default". There is no DELETE; PATCH both fields to "default" instead.
* Unknown owners and services answer 404 although the spec documents no 404 for these operations
  (deviation render-undocumented-errors).
"""

from typing import Any

from flask import Blueprint, Response

from sandbox.render import repo, web
from sandbox.render.errors import invalid

routes = Blueprint("render_notifications", __name__)

OWNER_FIELDS = ("emailEnabled", "previewNotificationsEnabled", "notificationsToSend")
OWNER_SENDS = ("none", "failure", "all")
OVERRIDE_PREVIEWS = ("default", "true", "false")
OVERRIDE_SENDS = ("default", "none", "failure", "all")

Doc = dict[str, Any]


def owner_settings(owner_id: str) -> Doc:
    repo.owner_or_404(owner_id)
    record = repo.first_by(repo.OWNER_NOTIFICATIONS, "ownerId", owner_id)
    assert record is not None, "seeded with the owner"
    return record


def owner_view(record: Doc) -> Doc:
    keys = ("ownerId", "slackEnabled", *OWNER_FIELDS)
    return {key: record[key] for key in keys}


def override_view(service_id: str) -> Doc:
    """The stored override of a service, or the default one every service has."""
    record = repo.first_by(repo.OVERRIDES, "serviceId", service_id) or {}
    return {
        "serviceId": service_id,
        "previewNotificationsEnabled": record.get("previewNotificationsEnabled", "default"),
        "notificationsToSend": record.get("notificationsToSend", "default"),
    }


@routes.get("/notification-settings/owners/<ownerId>")
def get_owner_settings(owner_id: str) -> Response:
    return web.json_response(owner_view(owner_settings(owner_id)))


@routes.patch("/notification-settings/owners/<ownerId>")
def patch_owner_settings(owner_id: str) -> Response:
    record = owner_settings(owner_id)
    body = web.body_object()
    for field in ("emailEnabled", "previewNotificationsEnabled"):
        if field in body and not isinstance(body[field], bool):
            raise invalid(f"invalid {field}: must be a boolean")
    if "notificationsToSend" in body and body["notificationsToSend"] not in OWNER_SENDS:
        raise invalid(f"invalid notificationsToSend: must be one of {', '.join(OWNER_SENDS)}")
    record.update({field: body[field] for field in OWNER_FIELDS if field in body})
    repo.save(repo.OWNER_NOTIFICATIONS, record)
    return web.json_response(owner_view(record))


@routes.get("/notification-settings/overrides")
def list_overrides() -> Response:
    owners = web.array_arg("ownerId")
    service_ids = web.array_arg("serviceId")
    records = [
        record
        for record in repo.visible_services()
        if (not owners or record["doc"]["ownerId"] in owners)
        and (not service_ids or record["doc"]["id"] in service_ids)
    ]
    return web.json_response(
        web.page(records, lambda record: {"override": override_view(record["doc"]["id"])})
    )


@routes.get("/notification-settings/overrides/services/<serviceId>")
def get_override(service_id: str) -> Response:
    repo.service_or_404(service_id)
    return web.json_response(override_view(service_id))


@routes.patch("/notification-settings/overrides/services/<serviceId>")
def patch_override(service_id: str) -> Response:
    repo.service_or_404(service_id)
    body = web.body_object()
    if "previewNotificationsEnabled" in body and body["previewNotificationsEnabled"] not in OVERRIDE_PREVIEWS:
        # A JSON boolean lands here too: the override takes the strings "true"/"false" (render.md,
        # notifications).
        raise invalid('invalid previewNotificationsEnabled: must be one of "default", "true", "false"')
    if "notificationsToSend" in body and body["notificationsToSend"] not in OVERRIDE_SENDS:
        raise invalid(f"invalid notificationsToSend: must be one of {', '.join(OVERRIDE_SENDS)}")
    record = repo.first_by(repo.OVERRIDES, "serviceId", service_id) or {
        "id": repo.next_seq(),
        "serviceId": service_id,
    }
    record.update(override_view(service_id))
    for field in ("previewNotificationsEnabled", "notificationsToSend"):
        if field in body:
            record[field] = body[field]
    repo.save(repo.OVERRIDES, record)
    return web.json_response(override_view(service_id))
