"""``GET /incidents/{id}/comments``: an incident's comments (specs/uptimerobot-openapi.yaml,
IncidentsController_listComments, PublicIncidentCommentsPaginationDto): ``{data, nextLink}``, **oldest
first**, ``?cursor=`` the id of the previous page's last comment, ``?limit=`` 1-100 (default 50).

Comments need the plan feature ``incident-comments``: without it the API answers 403 "Feature
incident-comments is not enabled in your plan." (000-003) before it looks at the incident (verified live on
the Solo plan, GoSuccessHQ/uptimerobot-api docs/incidentComments/list.md; which plans have the feature:
sandbox/uptimerobot/accounts.py). An unknown incident: 404 ``Incident <id> not found``.

The API writes comments (``POST /incidents/{id}/comments``, ``PATCH``/``DELETE .../comments/{commentId}``);
the sandbox does not serve those yet. Tests seed comments out of band (no validation, no plan check)::

    POST   /_control/uptimerobot/incident-comments  {"incidentId": "<id>", "content": "..."} ?apiKey=
                                                    -> 201 IncidentCommentDto; 404 for no such incident
    GET    /_control/uptimerobot/incident-comments  -> 200 [IncidentCommentDto, ...]
    DELETE /_control/uptimerobot/incident-comments/<id>

A comment's author is the account's owner (``user``: the account's id and full name). Comments show in the
incident's ``commentsCount`` and activity log (sandbox/uptimerobot/incidents.py, incident_activity.py).
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, jsonify, request

from sandbox.clock import iso
from sandbox.collection import Controlled
from sandbox.state import sandbox
from sandbox.uptimerobot import accounts, incidents, pagination, repo
from sandbox.uptimerobot.accounts import Account

Doc = dict[str, Any]

DEFAULT_LIMIT = 50  # spec: "Number of comments to return (1-100, default 50)"; the contract checks the range

routes = Blueprint("uptimerobot_incident_comments", __name__)


@routes.get("/incidents/<id>/comments")
def list_comments(id: str) -> Response:
    account = accounts.current()
    accounts.require(account, accounts.INCIDENT_COMMENTS)
    incident = incidents.find_or_404(account.id, id)
    found = repo.find(repo.COMMENTS, account.id, {"incidentId": str(incident["id"])})
    limit = int(float(request.args.get("limit") or DEFAULT_LIMIT))
    return jsonify(pagination.page(found, lambda comment: view(comment, account), limit))


def view(comment: Doc, account: Account) -> Doc:
    """IncidentCommentDto."""
    return {
        "id": comment["id"],
        "comment": comment["comment"],
        "created": comment["created"],
        "user": {"id": account.id, "fullName": account.full_name},
    }


def create(account: Account, body: Doc, *, checked: bool = False) -> Doc:
    """A comment on the account's incident ``body["incidentId"]`` (CreateIncidentCommentRequestDto's
    ``content``), written now by the account's owner."""
    incident = incidents.find_or_404(account.id, str(body.get("incidentId", "")))
    comment = {
        "id": repo.new_id(),
        "incidentId": str(incident["id"]),
        "comment": str(body.get("content", "")),
        "created": iso(repo.now()),
    }
    return repo.save(repo.COMMENTS, account.id, comment)


def _owner(account_id: int) -> Account:
    doc = sandbox().store.get(accounts.VENDOR, accounts.ACCOUNTS, account_id)
    assert doc is not None, "a comment's account vanished"
    return Account.from_doc(doc)


# Out of band (sandbox/uptimerobot/control.py): not Lookout's to make (names None: not in the inventory).
CONTROLLED = Controlled(
    repo.COMMENTS,
    lambda record, account_id: view(record, _owner(account_id)),
    lambda _, doc_id: repo.remove(repo.COMMENTS, doc_id),
    names=None,
    create=create,
)
