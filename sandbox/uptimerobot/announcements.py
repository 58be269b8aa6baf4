"""A status page's announcements: ``GET /psps/{pspId}/announcements`` and ``GET
/psps/{pspId}/announcements/{id}`` (specs/uptimerobot-openapi.yaml, PspAnnouncementsController_list / _get,
PspAnnouncementPaginationResponseDto, PspAnnouncementResponseDto).

* The list is sorted by creation date, **newest first**, and filtered by ``?status=`` in the spec's
  upper-case values (``PUBLISHED``), while announcements read and are written in title case (``Published``)
  (spec; GoSuccessHQ/uptimerobot-api docs/announcements/list.md). Its pages are ``{data, nextLink}``; the
  cursor is the id of the previous page's last announcement (the official provider pages so,
  uptimerobot/terraform-provider-uptimerobot internal/client/psp_announcement.go), so the next page holds the
  older ones.
* Announcements need the plan feature ``psp-subscribers``: without it the API answers 403 (000-003) before it
  looks at the status page (verified live on the Solo plan, GoSuccessHQ/uptimerobot-api
  docs/announcements/get.md; which plans have it: sandbox/uptimerobot/accounts.py). The message is worded as
  the verified one of incident comments ("Feature psp-subscribers is not enabled in your plan.").
* An unknown status page answers the PSP 404 (``PSP not found``); an unknown announcement, or one of another
  page, 404 ``Announcement not found`` (000-004; the wording is the sandbox's).

The API writes announcements (POST, PATCH, pin, unpin); the sandbox does not serve those yet. Tests seed them
out of band (no validation or plan check), with the fields of CreatePspAnnouncementRequestDto plus the page::

    POST   /_control/uptimerobot/psp-announcements  {"pspId", "title", "content", "status"? = "Offline",
                                                    "type"? = "Info", "startDate"?, "endDate"?} -> 201 DTO
    GET    /_control/uptimerobot/psp-announcements  -> 200 [PspAnnouncementResponseDto, ...]
    DELETE /_control/uptimerobot/psp-announcements/<id>

``creationDate`` is when it was seeded; ``startDate`` defaults to it. ``deliveryStatus``, ``submitDate`` and
``sentCount`` are null (the sandbox's status pages have no subscribers to deliver to); a seeding body may set
any field.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, jsonify, request

from sandbox.clock import iso
from sandbox.collection import Controlled
from sandbox.uptimerobot import accounts, pagination, repo
from sandbox.uptimerobot.accounts import Account

Doc = dict[str, Any]

FIELDS = (
    *("id", "pspId", "userId", "title", "content", "status", "type", "deliveryStatus"),
    *("startDate", "endDate", "creationDate", "submitDate", "sentCount"),
)

routes = Blueprint("uptimerobot_psp_announcements", __name__)


@routes.get("/psps/<int:psp_id>/announcements")
def list_announcements(psp_id: int) -> Response:
    account = accounts.current()
    accounts.require(account, accounts.PSP_SUBSCRIBERS)
    repo.read_or_404(repo.PSPS, account.id, psp_id)
    status = (request.args.get("status") or "").upper()
    found = [
        record
        for record in repo.find(repo.ANNOUNCEMENTS, account.id, {"pspId": psp_id})
        if not status or str(record.get("status") or "").upper() == status
    ]
    return jsonify(pagination.page(found, view, newest_first=True))


@routes.get("/psps/<int:psp_id>/announcements/<int:id>")
def get_announcement(psp_id: int, id: int) -> Response:
    account = accounts.current()
    accounts.require(account, accounts.PSP_SUBSCRIBERS)
    repo.read_or_404(repo.PSPS, account.id, psp_id)
    record = repo.get_or_404(repo.ANNOUNCEMENTS, account.id, id)
    if record.get("pspId") != psp_id:
        raise repo.missing(repo.ANNOUNCEMENTS)
    return jsonify(view(record))


def view(record: Doc) -> Doc:
    return {field: record.get(field) for field in FIELDS}


def create(account: Account, body: Doc, *, checked: bool = False) -> Doc:
    """An announcement on the account's status page ``body["pspId"]`` (404 if there is none)."""
    psp = repo.get_or_404(repo.PSPS, account.id, int(body.get("pspId") or 0))
    now = iso(repo.now())
    record: Doc = {
        "id": repo.new_id(),
        "userId": account.id,
        "title": None,
        "content": None,
        "status": "Offline",
        "type": "Info",
        "deliveryStatus": None,
        "startDate": now,
        "endDate": None,
        "creationDate": now,
        "submitDate": None,
        "sentCount": None,
        **{key: value for key, value in body.items() if key in FIELDS and key != "id"},
        "pspId": int(psp["id"]),
    }
    return repo.save(repo.ANNOUNCEMENTS, account.id, record)


# Out of band (sandbox/uptimerobot/control.py): not Lookout's to make (names None: not in the inventory).
CONTROLLED = Controlled(
    repo.ANNOUNCEMENTS,
    lambda record, _: view(record),
    lambda _, doc_id: repo.remove(repo.ANNOUNCEMENTS, doc_id),
    names=None,
    create=create,
)
