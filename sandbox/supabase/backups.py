"""Daily backups: `GET /v1/projects/{ref}/database/backups` (operation `v1-list-all-backups`).

Supabase backs every project up once a day and Pro keeps 7 days of them (docs: "Database Backups"). The
time of day is not documented (assumption supabase-backup-time: 02:00 UTC). A backup is taken when its
time comes, whether or not anyone reads the list: the list catches up on the sandbox clock when read and
when the clock advances. The control API makes the coming backups fail (`"failing": true`), as a broken
WAL-G upload would: each is listed with status FAILED. Items are `{id, is_physical_backup, status,
inserted_at}` with `inserted_at` in ISO 8601 with milliseconds and `Z`, as recorded on real projects.
"""

from __future__ import annotations

import math
from typing import Any

from flask import Blueprint, Response, jsonify

from sandbox.clock import iso
from sandbox.state import sandbox
from sandbox.supabase import repo

DAY = 86400.0
BACKUP_AT = 2 * 3600.0  # seconds after midnight UTC (assumption supabase-backup-time)

Doc = dict[str, Any]
routes = Blueprint("supabase_backups", __name__)


def _due_after(instant: float) -> float:
    """The first backup time strictly after `instant`."""
    day = math.floor((instant - BACKUP_AT) / DAY) + 1
    return day * DAY + BACKUP_AT


def seed(project: Doc, now: float) -> None:
    """The project as it is after `BACKUP_DAYS` days of successful backups."""
    state = project["backups"]
    state["next_at"] = _due_after(now - repo.BACKUP_DAYS * DAY)
    catch_up(project, now)


def catch_up(project: Doc, until: float) -> bool:
    """Take every backup due by `until`; whether any was."""
    state = project["backups"]
    taken = False
    while state["next_at"] <= until:
        state["last_id"] = state.get("last_id", 1130516000) + 1  # real ids are large integers
        status = "FAILED" if state["failing"] else "COMPLETED"
        state["items"].append(
            {"id": state["last_id"], "is_physical_backup": False, "status": status, "at": state["next_at"]}
        )
        state["next_at"] += DAY
        taken = True
    kept = until - repo.BACKUP_DAYS * DAY
    state["items"] = [item for item in state["items"] if item["at"] > kept]
    return taken


def run(until: float) -> None:
    for project in repo.every():
        if catch_up(project, until):
            repo.save(project)


@routes.get("/v1/projects/<ref>/database/backups")
def list_backups(ref: str) -> Response:
    project = repo.load(ref)
    if catch_up(project, sandbox().clock.now()):
        repo.save(project)
    state = project["backups"]
    items = [
        {k: v for k, v in item.items() if k != "at"} | {"inserted_at": iso(item["at"])}
        for item in state["items"]
    ]
    return jsonify(
        {
            "region": project["region"],
            "walg_enabled": state["walg_enabled"],
            "pitr_enabled": state["pitr_enabled"],
            "backups": sorted(items, key=lambda item: item["inserted_at"], reverse=True),
            "physical_backup_data": {},  # recorded as {} when there is none
        }
    )
