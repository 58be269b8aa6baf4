"""Custom dashboards: ``/organizations/{org}/dashboards/`` (list, create) and ``.../dashboards/{id}/`` (get,
put, delete), as specs/sentry-openapi.json describes them (listOrganizationDashboards and the four others).

Rules beyond the spec, from Sentry's server code (SRV = getsentry/sentry ``src/sentry/``):

* Titles are unique in an organization (SRV models/dashboard.py, constraint
  ``sentry_dashboard_organization_title_uniq``). A create under a taken title is **not** refused: Sentry
  retries it under ``Dashboard.incremental_title`` ("health" -> "health copy" -> "health copy 1"; "x copy 3"
  -> "x copy 4") and answers 201 (SRV dashboards/endpoints/organization_dashboards.py, post, at getsentry/
  sentry 03d95d2f; getsentry/sentry#107023 dropped the ``duplicate`` flag that once limited this to
  copies). Its 409 ``"Dashboard title already taken"`` is left for concurrent creates, which a sandbox
  does not have. A rename onto a taken title is 409 ``{"detail": "Dashboard with that title already
  exists."}`` (SRV organization_dashboard_details.py, put, at 04e30c61).
* A create past the plan's dashboard limit (custom dashboards only) is 400 with the bare JSON string
  ``"You may not exceed <n> dashboards on your current plan."``, checked after the body's validation and
  before the title (organization_dashboards.py, post: ``quotas.backend.get_dashboard_limit``, negative for
  none). The limit is the vendor setting ``dashboardLimit`` (sandbox/sentry/orgs.py).
* The organization's last dashboard cannot be deleted: 409 ``{"detail": "Cannot delete last Dashboard."}``
  (organization_dashboard_details.py, delete, at 04e30c61). It counts every dashboard row, prebuilt ones
  included, and an AM2/AM3 organization has Sentry's prebuilt dashboards as rows (getsentry/sentry#114373),
  so there its last custom dashboard can go; the vendor setting ``prebuiltDashboards`` (default true) says
  whether the organization has them.
* The list is ordered by title and filtered by ``query`` (title contains, case-insensitive)
  (organization_dashboards.py, get). Sentry also lists the prebuilt dashboards first; the sandbox lists
  none (the spec's list example shows none either).
* A PUT replaces the widget list: widgets it does not name are deleted, widgets with an ``id`` updated in
  place, the others created, in the order given; an id of another dashboard is 400 "You cannot update
  widgets that are not part of this dashboard."; the same for a widget's queries ("You cannot use a query
  not owned by this widget"). A field a widget or query leaves out keeps its value. A new widget needs
  ``title``, ``displayType`` and queries, a new query ``fields`` and ``conditions``; ``interval`` must be
  a stats period (SRV api/serializers/rest_framework/dashboard.py, DashboardDetailsSerializer.update_widgets,
  DashboardWidgetSerializer.validate, DashboardWidgetQuerySerializer.validate, validate_interval).
* ``projects`` are ids of the organization's projects; another id is 403 (SRV api/bases/organization.py,
  get_projects, as for every organization endpoint that takes projects).

Bodies come camelCase (deviation sentry-camel-dashboards). Answers follow the spec's DashboardGETResponse
example (read-only fields included: ``dateCreated``, ``dashboardId``, ``widgetId``, ``onDemand``...).
"""

import re
from typing import Any

from flask import Blueprint, Response, request

from sandbox.collection import Controlled
from sandbox.sentry import orgs, repo
from sandbox.sentry.errors import ApiError, forbidden, not_found
from sandbox.sentry.web import body, json_response, no_content, paginate

DASHBOARDS = "dashboards"
TITLE_EXISTS = "Dashboard with that title already exists."
OVER_LIMIT = "You may not exceed {} dashboards on your current plan."
LAST = "Cannot delete last Dashboard."
_COPY = re.compile(r" copy ?(\d+)?")
_PERIOD = re.compile(r"^\d+[smhdw]?$")  # SRV utils/dates.py parse_stats_period
_WIDGET_FIELDS = (
    "title", "description", "displayType", "thresholds", "interval", "limit", "widgetType", "layout",
    "axisRange", "legendType",
)  # fmt: skip
_QUERY_FIELDS = (
    "name", "fields", "aggregates", "columns", "fieldAliases", "conditions", "orderby", "isHidden",
    "selectedAggregate", "linkedDashboards",
)  # fmt: skip

_PAGE_FILTERS = ("environment", "period", "start", "end", "utc")

Doc = dict[str, Any]
routes = Blueprint("sentry_dashboards", __name__)


def creator() -> Doc:
    """The dashboard's ``createdBy``: the token's user, in the spec's user shape."""
    member = orgs.user(str(orgs.USER_ID)) or {}
    email, joined = member.get("email", ""), member.get("dateCreated", repo.now())
    return {
        "id": str(orgs.USER_ID),
        "name": member.get("name", ""),
        "username": email,
        "email": email,
        "avatarUrl": "",
        "isActive": True,
        "isSuspended": False,
        "hasPasswordAuth": True,
        "isManaged": False,
        "dateJoined": joined,
        "lastLogin": None,
        "has2fa": False,
        "lastActive": None,
        "isSuperuser": False,
        "isStaff": False,
        "experiments": {},
        "emails": [{"id": str(orgs.USER_ID), "email": email, "is_verified": True}],
        "avatar": {"avatarType": "letter_avatar", "avatarUuid": None, "avatarUrl": None},
    }


def dto(board: Doc) -> Doc:
    """The saved page filters (``environment``, ``period``) only when set (SRV
    api/serializers/models/dashboard.py, DashboardDetailsModelSerializer; the spec requires neither)."""
    unset = {k for k in _PAGE_FILTERS if board.get(k) in (None, [])}
    shown = {k: v for k, v in board.items() if not k.startswith("_") and k not in unset}
    return {**shown, "id": str(board["id"]), "createdBy": creator()}


def listed(board: Doc) -> Doc:
    """A list item (SRV api/serializers/models/dashboard.py, DashboardListSerializer)."""
    widgets = board["widgets"]
    return {
        "id": str(board["id"]),
        "title": board["title"],
        "dateCreated": board["dateCreated"],
        "lastVisited": board["dateCreated"],
        "createdBy": creator(),
        "projects": board["projects"],
        "environment": board["environment"] or [],
        "filters": board["filters"],
        "widgetDisplay": [w["displayType"] for w in widgets],
        "widgetPreview": [{"displayType": w["displayType"]} for w in widgets],  # the spec: strings only
        "permissions": board["permissions"],
        "isFavorited": board["isFavorited"],
        "prebuiltId": None,
    }


def create(data: Doc, *, checked: bool = True) -> Doc:
    if checked:
        _check_board(data, None)
        limit = orgs.settings()["dashboardLimit"]
        if 0 <= limit <= len(repo.find(DASHBOARDS)):
            raise ApiError(400, OVER_LIMIT.format(limit))
        data = {**data, "title": incremental_title(data["title"])}
    now = repo.now()
    board: Doc = {
        "id": repo.new_id(),
        "title": data.get("title", ""),
        "dateCreated": now,
        "widgets": [],
        "projects": [],
        "filters": {},
        "environment": [],
        "period": None,
        "permissions": None,
        "isFavorited": bool(data.get("isFavorited", False)),
        "prebuiltId": None,
    }
    _apply(board, data)
    return repo.save(DASHBOARDS, board)


def update(board: Doc, data: Doc) -> Doc:
    _check_board(data, board)
    title = data.get("title")
    if any(b["title"] == title and b["id"] != board["id"] for b in repo.find(DASHBOARDS)):
        raise ApiError(409, {"detail": TITLE_EXISTS})
    _apply(board, data)
    return repo.save(DASHBOARDS, board)


def remove(board: Doc) -> None:
    prebuilt = 1 if orgs.settings()["prebuiltDashboards"] else 0  # at least one row, however many it has
    if len(repo.find(DASHBOARDS)) + prebuilt <= 1:
        raise ApiError(409, {"detail": LAST})
    repo.remove(DASHBOARDS, board["id"])


def incremental_title(name: str) -> str:
    """``name``, or when taken the next free "<name> copy [n]" (SRV models/dashboard.py,
    Dashboard.incremental_title)."""
    titles = {b["title"] for b in repo.find(DASHBOARDS)}
    if name not in titles:
        return name
    base = re.sub(r" ?copy ?(\d+)?$", "", name)
    family = re.compile(rf"^{re.escape(base)} ?(copy)? ?(\d+)?$")
    copies = [_COPY.search(t) for t in titles if family.search(t)]
    following = max((int(m.group(1) or 0) + 1 for m in copies if m), default=0)
    return f"{base} copy {following}" if following else f"{base} copy"


def _check_board(data: Doc, board: Doc | None) -> None:
    if board is None and not data.get("title"):
        raise ApiError(400, {"title": ["This field is required."]})
    known = {p["id"] for p in repo.find(repo.PROJECTS)}
    if any(not str(p).lstrip("-").isdigit() or int(p) not in known for p in data.get("projects") or []):
        raise forbidden()
    widgets = data.get("widgets")
    if widgets is None:
        return
    owned = {w["id"]: w for w in (board or {}).get("widgets", [])}
    errors = [_widget_errors(w, owned) for w in widgets]
    if any(errors):
        raise ApiError(400, {"widgets": errors})


def _widget_errors(widget: Doc, owned: dict[str, Doc]) -> Doc:
    errors: Doc = {}
    interval = widget.get("interval")
    if interval is not None and not _PERIOD.match(str(interval)):
        errors["interval"] = ["Invalid interval"]
    wid = widget.get("id")
    if wid is not None and str(wid) not in owned:
        return {"non_field_errors": ["You cannot update widgets that are not part of this dashboard."]}
    if wid is None:
        if not widget.get("queries"):
            errors["queries"] = ["One or more queries are required to create a widget"]
        elif not widget.get("title"):
            errors["title"] = ["Title is required during creation."]
        elif widget.get("displayType") is None:
            errors["displayType"] = ["displayType is required during creation."]
    queries = {q["id"] for q in owned.get(str(wid), {}).get("queries", [])}
    for query in widget.get("queries") or []:
        qid = query.get("id")
        if qid is not None and str(qid) not in queries:
            errors["queries"] = ["You cannot use a query not owned by this widget"]
        elif qid is None and not {"fields", "conditions"} <= set(query):
            errors["queries"] = [
                {
                    "fields": ["fields are required during creation."],
                    "conditions": ["conditions are required during creation."],
                }
            ]
    return errors


def _apply(board: Doc, data: Doc) -> None:
    for key in ("title", "environment", "period", "filters", "permissions"):
        if key in data:
            board[key] = data[key]
    if "projects" in data:
        board["projects"] = [int(p) for p in data["projects"]]
    if "widgets" in data:
        owned = {w["id"]: w for w in board["widgets"]}
        board["widgets"] = [_widget(board, owned.get(str(w.get("id"))), w) for w in data["widgets"]]


def _widget(board: Doc, old: Doc | None, new: Doc) -> Doc:
    widget: Doc = dict(old) if old else _new_widget(board)
    for key in _WIDGET_FIELDS:
        if key in new:
            widget[key] = new[key]
    if "queries" in new:
        owned = {q["id"]: q for q in widget["queries"]}
        widget["queries"] = [_query(widget, owned.get(str(q.get("id"))), q) for q in new["queries"]]
    return widget


def _new_widget(board: Doc) -> Doc:
    return {
        "id": str(repo.new_id()),
        "title": "",
        "description": None,
        "displayType": None,
        "thresholds": None,
        "interval": "5m",
        "dateCreated": repo.now(),
        "dashboardId": str(board["id"]),
        "datasetSource": "user",
        "queries": [],
        "limit": None,
        "widgetType": None,
        "layout": None,
        "exploreUrls": None,
        "changedReason": None,
        "axisRange": None,
        "legendType": None,
    }


def _query(widget: Doc, old: Doc | None, new: Doc) -> Doc:
    query: Doc = dict(old) if old else _new_query(widget)
    for key in _QUERY_FIELDS:
        if key in new:
            query[key] = new[key]
    if "fields" in new and "aggregates" not in new and not old:
        query["aggregates"] = [f for f in new["fields"] if "(" in f]
        query["columns"] = [f for f in new["fields"] if "(" not in f]
    query["fieldAliases"] = query["fieldAliases"] or ["" for _ in query["fields"]]
    return query


def _new_query(widget: Doc) -> Doc:
    qid = repo.new_id()
    return {
        "id": str(qid),
        "name": "",
        "fields": [],
        "aggregates": [],
        "columns": [],
        "fieldAliases": [],
        "conditions": "",
        "orderby": "",
        "widgetId": widget["id"],
        "onDemand": [
            {"enabled": False, "extractionState": "disabled:not-applicable", "dashboardWidgetQueryId": qid}
        ],
        "isHidden": False,
        "selectedAggregate": None,
        "linkedDashboards": [],
    }


def _get(org: str, board_id: str) -> Doc:
    orgs.resolve(org)
    found = repo.by_id(DASHBOARDS, board_id)
    if found is None:
        raise not_found()
    return found


@routes.route("/organizations/<org>/dashboards/", methods=["GET"], strict_slashes=False)
def list_dashboards(org: str) -> Response:
    orgs.resolve(org)
    query = (request.args.get("query") or "").lower()
    boards = sorted(
        (b for b in repo.find(DASHBOARDS) if query in b["title"].lower()), key=lambda b: b["title"]
    )
    return paginate(boards, listed)


@routes.route("/organizations/<org>/dashboards/", methods=["POST"], strict_slashes=False)
def create_dashboard(org: str) -> Response:
    orgs.resolve(org)
    return json_response(dto(create(body())), 201)


@routes.route("/organizations/<org>/dashboards/<board_id>/", methods=["GET"], strict_slashes=False)
def get_dashboard(org: str, board_id: str) -> Response:
    return json_response(dto(_get(org, board_id)))


@routes.route("/organizations/<org>/dashboards/<board_id>/", methods=["PUT"], strict_slashes=False)
def put_dashboard(org: str, board_id: str) -> Response:
    return json_response(dto(update(_get(org, board_id), body())))


@routes.route("/organizations/<org>/dashboards/<board_id>/", methods=["DELETE"], strict_slashes=False)
def delete_dashboard(org: str, board_id: str) -> Response:
    remove(_get(org, board_id))
    return no_content()


# Out of band (sandbox/sentry/control.py): shown as the API shows it; seeded without validation.
CONTROLLED = Controlled(
    DASHBOARDS,
    dto,
    lambda board: repo.remove(DASHBOARDS, board["id"]),
    names=lambda view: [view["title"]],
    create=lambda data: create(data, checked=False),
)
