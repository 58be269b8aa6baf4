"""``GET /monitor-groups`` and ``GET /monitor-groups/{id}`` (specs/uptimerobot-openapi.yaml,
MonitorGroupsController_list / _get, MonitorGroupPaginationDto, MonitorGroupDto): ``{id, name, createdAt,
updatedAt}``, listed in cursor pages of ``{data, nextLink}`` like the other collections.

As read live (GoSuccessHQ/uptimerobot-api src/Model/MonitorGroup.php, docs/monitorGroups/*.md): a monitor
names its group in ``groupId``; the monitors in no group report 0, for which there is no group to read (GET
``/monitor-groups/0`` is a 404, and 0 is never listed); a group carries neither its monitors nor their
number (``GET /monitors?groupId=`` lists them). The official provider reads the same four fields
(uptimerobot/terraform-provider-uptimerobot internal/client/monitor_group.go).

The API also writes groups (POST, PATCH, DELETE); the sandbox does not serve those yet. Tests seed groups
out of band (no validation)::

    POST   /_control/uptimerobot/monitor-groups  {"name", "monitorIds"?: [id, ...]} ?apiKey= -> 201 DTO;
                                                 the listed monitors move into the group
    GET    /_control/uptimerobot/monitor-groups  -> 200 [MonitorGroupDto, ...]
    DELETE /_control/uptimerobot/monitor-groups/<id>  its monitors move to no group (0), as the API's delete
                                                 does without ``monitorsNewGroupId`` (spec)
"""

from __future__ import annotations

from typing import Any

from sandbox.clock import iso
from sandbox.collection import Controlled
from sandbox.uptimerobot import repo, web
from sandbox.uptimerobot.accounts import Account

Doc = dict[str, Any]

NO_GROUP = 0


def view(record: Doc) -> Doc:
    return {key: record[key] for key in ("id", "name", "createdAt", "updatedAt")}


def create(account: Account, body: Doc, *, checked: bool = False) -> Doc:
    """A group named ``body["name"]`` holding the account's monitors ``body["monitorIds"]``."""
    now = iso(repo.now())
    group: Doc = {"id": repo.new_id(), "name": str(body.get("name", "")), "createdAt": now, "updatedAt": now}
    saved = repo.save(repo.GROUPS, account.id, group)
    for monitor_id in body.get("monitorIds") or []:
        _move(account.id, int(monitor_id), int(group["id"]))
    return saved


def delete(account_id: int, group_id: int) -> None:
    for monitor in repo.find(repo.MONITORS, account_id, {"groupId": group_id}):
        _move(account_id, int(monitor["id"]), NO_GROUP)
    repo.remove(repo.GROUPS, group_id)


def _move(account_id: int, monitor_id: int, group_id: int) -> None:
    monitor = repo.get_or_404(repo.MONITORS, account_id, monitor_id)
    monitor["groupId"] = group_id
    repo.save(repo.MONITORS, account_id, monitor)


COLLECTION = web.collection("monitor_groups", "/monitor-groups", repo.GROUPS, lambda account_id: view)
# Out of band (sandbox/uptimerobot/control.py): not Lookout's to make (names None: not in the inventory).
CONTROLLED = Controlled(repo.GROUPS, lambda record, _: view(record), delete, names=None, create=create)
