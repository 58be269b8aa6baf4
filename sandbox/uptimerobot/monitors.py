"""``/monitors`` routes."""

from collections.abc import Callable
from typing import Any

from flask import Blueprint, Response, jsonify, request

from sandbox.uptimerobot import accounts, links, monitor_rules, pagination, repo, serialize
from sandbox.uptimerobot.errors import BadRequest

monitors = Blueprint("monitors", __name__)

STATUSES = ("PAUSED", "STARTED", "UP", "LOOKS_DOWN", "DOWN")


def _dto(record: dict[str, Any], account_id: int) -> dict[str, Any]:
    return serialize.monitor(record, serialize.Relations.load(account_id))


@monitors.get("/monitors")
def list_monitors() -> Response:
    account = accounts.current()
    limit = pagination.limit_arg()
    keep = _filter(account.id)
    records = [record for record in repo.find(repo.MONITORS, account.id) if keep(record)]
    relations = serialize.Relations.load(account.id)
    return jsonify(pagination.page(records, lambda record: serialize.monitor(record, relations), limit))


def _filter(account_id: int) -> Callable[[dict[str, Any]], bool]:
    """The list filters, combined with AND: name/url substrings (any case), tags and statuses (OR each)."""
    args = request.args
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
        )

    return keep


def _csv(name: str, upper: bool = False) -> list[str]:
    values = [value.strip() for value in request.args.get(name, "").split(",") if value.strip()]
    return [value.upper() for value in values] if upper else values


@monitors.post("/monitors")
def create_monitor() -> tuple[dict[str, Any], int]:
    account = accounts.current()
    record = monitor_rules.create(account, request.get_json(silent=True))
    return _dto(record, account.id), 201


@monitors.get("/monitors/<int:id>")
def get_monitor(id: int) -> Response:
    account = accounts.current()
    return jsonify(_dto(repo.read_or_404(repo.MONITORS, account.id, id), account.id))


@monitors.patch("/monitors/<int:id>")
def update_monitor(id: int) -> Response:
    account = accounts.current()
    record = repo.get_or_404(repo.MONITORS, account.id, id)
    record = monitor_rules.update(account, record, request.get_json(silent=True))
    return jsonify(_dto(record, account.id))


@monitors.delete("/monitors/<int:id>")
def delete_monitor(id: int) -> Response:
    account = accounts.current()
    repo.get_or_404(repo.MONITORS, account.id, id)
    delete(account.id, id)
    return Response(status=200)  # the spec documents no body


def delete(account_id: int, monitor_id: int) -> None:
    links.detach_monitor(account_id, monitor_id)
    repo.remove(repo.MONITORS, monitor_id)


@monitors.post("/monitors/<int:id>/pause")
def pause_monitor(id: int) -> tuple[dict[str, Any], int]:
    return _set_status(id, "PAUSED")


@monitors.post("/monitors/<int:id>/start")
def start_monitor(id: int) -> tuple[dict[str, Any], int]:
    return _set_status(id, "STARTED")


def _set_status(monitor_id: int, status: str) -> tuple[dict[str, Any], int]:
    account = accounts.current()
    record = repo.get_or_404(repo.MONITORS, account.id, monitor_id)
    return _dto(monitor_rules.set_status(account, record, status), account.id), 201
