"""The Supabase account's projects, as the sandbox keeps them: what the Management API shows of each
(health per service, disk, backups, pooler) and what its Postgres's statistics views hold (connections,
statements). One organization, one account; refs are 20 lowercase letters as the spec requires.

Defaults are a Pro-plan project on the smallest compute (Supabase's "Compute and Disk" page: Micro,
60 direct connections, a pooler of 200 clients and pool size 15; Pro includes an 8 GB disk).
"""

from __future__ import annotations

import copy
from typing import Any

from sandbox.clock import iso
from sandbox.state import sandbox
from sandbox.store import Store
from sandbox.supabase.errors import forbidden

VENDOR = "supabase"
ACCOUNT = 1
PROJECTS = "projects"
ORGANIZATION = "optio"
SERVICES = ("auth", "db", "db_postgres_user", "pooler", "realtime", "rest", "storage", "pg_bouncer")
HEALTHY = "ACTIVE_HEALTHY"
GB = 1_000_000_000
# The plan's two environments, each with its own database (docs/monitoring-plan.txt: dev + prod).
SEEDED = (("optio-dev", "optiodevqwhzkxbnrtpl"), ("optio-prod", "optioprodmvkfjwhzqbx"))
BACKUP_DAYS = 7  # Pro keeps 7 days of daily backups (Supabase docs, "Database Backups")

Doc = dict[str, Any]


def new_project(name: str, ref: str, now: float) -> Doc:
    return {
        "ref": ref,
        "name": name,
        "region": "us-west-1",
        "created_at": iso(now - 90 * 86400),
        "status": HEALTHY,
        "services": {service: {"status": HEALTHY, "error": None} for service in SERVICES},
        "disk": {"size_bytes": 8 * GB, "used_bytes": int(1.6 * GB)},
        "backups": {"walg_enabled": True, "pitr_enabled": False, "failing": False, "items": []},
        "pooler": {"default_pool_size": 15, "max_client_conn": 200, "pool_mode": "transaction"},
        "db": {
            "max_connections": 60,
            "connections": {"active": 2, "idle": 9},
            "statements": [
                {"query": "SELECT * FROM public.users WHERE id = $1", "calls": 48210, "mean_exec_time": 0.8},
                {
                    "query": "SELECT * FROM public.quests WHERE user_id = $1",
                    "calls": 9120,
                    "mean_exec_time": 3.1,
                },
            ],
        },
    }


def seed(store: Store, now: float) -> None:
    from sandbox.supabase import backups  # the backups module reads projects through this one

    for name, ref in SEEDED:
        project = new_project(name, ref, now)
        backups.seed(project, now)
        store.put(VENDOR, PROJECTS, ACCOUNT, {"id": store.next_id(VENDOR), **project})


def every() -> list[Doc]:
    return sandbox().store.find(VENDOR, PROJECTS, ACCOUNT)


def load(ref: str) -> Doc:
    """The project `ref`; one the token cannot see is a 403, as the API answers (never a 404)."""
    found = [p for p in every() if p["ref"] == ref]
    if not found:
        raise forbidden()
    return found[0]


def save(project: Doc) -> Doc:
    return sandbox().store.put(VENDOR, PROJECTS, ACCOUNT, project)


def merge(into: Doc, edit: Doc) -> Doc:
    """`edit` deep-merged into a copy of `into` (lists and scalars replace)."""
    merged = copy.deepcopy(into)
    for key, value in edit.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = merge(merged[key], value)
        else:
            merged[key] = value
    return merged
