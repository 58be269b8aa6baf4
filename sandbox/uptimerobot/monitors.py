"""``/monitors`` routes."""

from collections.abc import Callable
from typing import Any

from flask import Blueprint, Response, jsonify, request

from sandbox.collection import Args, Controlled, Dto
from sandbox.uptimerobot import accounts, links, monitor_rules, pagination, repo, serialize, web
from sandbox.uptimerobot.errors import BadRequest

routes = Blueprint("monitor_status", __name__)  # beyond the collection routes: pause and start

STATUSES = ("PAUSED", "STARTED", "UP", "LOOKS_DOWN", "DOWN")


def view(account_id: int) -> Callable[[dict[str, Any]], dict[str, Any]]:
    relations = serialize.Relations.load(account_id)
    return lambda record: serialize.monitor(record, relations)


def _records(args: Args) -> list[dict[str, Any]]:
    account = accounts.current()
    keep = _filter(account.id)
    return [record for record in repo.find(repo.MONITORS, account.id) if keep(record)]


def _page(records: list[dict[str, Any]], dto: Dto) -> Response:
    """``?limit=`` (1-200, default 50) is a list argument of monitors only."""
    return jsonify(pagination.page(records, dto, pagination.limit_arg()))


def _filter(account_id: int) -> Callable[[dict[str, Any]], bool]:
    """The list filters, combined with AND: name/url substrings (any case), tags and statuses (OR each), and
    ``customField=key:value`` pairs, each of which the monitor's ``customFields`` must hold (AND; split on
    the first colon only: specs/uptimerobot-openapi.yaml, MonitorsController_list; verified live by
    GoSuccessHQ/uptimerobot-api, README "Reading and filtering"). Keys and values match exactly (ASSUMED: the
    spec says nothing of case)."""
    args = request.args
    fields = _custom_fields(args.getlist("customField"))
    name, url, group = args.get("name", "").casefold(), args.get("url", "").casefold(), args.get("groupId")
    statuses = _csv("status", upper=True)
    invalid = [value for value in statuses if value not in STATUSES]
    if invalid:
        raise BadRequest("status must be one of the following values: " + ", ".join(STATUSES))
    tag_names = _csv("tags")
    tag_ids = {tag["id"] for tag in repo.find(repo.TAGS, account_id) if tag["name"] in tag_names}

    def keep(record: dict[str, Any]) -> bool:
        return (
            name in str(record["friendlyName"]).casefold()
            and url in str(record["url"]).casefold()
            and (group is None or str(record.get("groupId", 0)) == group)
            and (not statuses or record["status"] in statuses)
            and (not tag_names or bool(tag_ids.intersection(record.get("tagIds", []))))
            and all((record.get("customFields") or {}).get(key) == value for key, value in fields)
        )

    return keep


def _custom_fields(raw: list[str]) -> list[tuple[str, str]]:
    """``key:value`` pairs; a value without a colon is a 400 (the sandbox's wording: the spec gives none)."""
    if any(":" not in value for value in raw):
        raise BadRequest("each value in customField must be a key:value pair")
    return [(key, value) for key, _, value in (item.partition(":") for item in raw)]


def _csv(name: str, upper: bool = False) -> list[str]:
    values = [value.strip() for value in request.args.get(name, "").split(",") if value.strip()]
    return [value.upper() for value in values] if upper else values


def delete(account_id: int, monitor_id: int) -> None:
    links.detach_monitor(account_id, monitor_id)
    repo.remove(repo.MONITORS, monitor_id)


COLLECTION = web.collection(
    "monitors",
    "/monitors",
    repo.MONITORS,
    view,
    records=_records,
    page=_page,
    create=lambda args, body: monitor_rules.create(accounts.current(), body),
    update=lambda args, record, body: monitor_rules.update(accounts.current(), record, body),
    delete=lambda args, record: delete(record["_account"], record["id"]),
)


@routes.post("/monitors/<int:id>/pause")
def pause_monitor(id: int) -> tuple[dict[str, Any], int]:
    return _set_status(id, "PAUSED")


@routes.post("/monitors/<int:id>/start")
def start_monitor(id: int) -> tuple[dict[str, Any], int]:
    return _set_status(id, "STARTED")


def _set_status(monitor_id: int, status: str) -> tuple[dict[str, Any], int]:
    account = accounts.current()
    record = repo.get_or_404(repo.MONITORS, account.id, monitor_id)
    return view(account.id)(monitor_rules.set_status(account, record, status)), 201


# Out of band (sandbox/uptimerobot/control.py): shown as the API shows it to the record's account.
CONTROLLED = Controlled(
    repo.MONITORS,
    lambda record, account_id: view(account_id)(record),
    delete,
    names=lambda view: [f"{view['type']} {view['friendlyName']}"],
    create=monitor_rules.create,
)
