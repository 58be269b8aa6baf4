"""Service objects as the API returns them (spec ``service``), and the seeded workspace.

Unset values are empty, never null (render.md, services): ``healthCheckPath`` is ``""`` and
``maintenanceMode`` is
``{"enabled": false, "uri": ""}`` even if never set.
"""

import copy
from typing import Any

from sandbox.clock import Clock, iso
from sandbox.render import repo
from sandbox.render.accounts import OWNER, OWNER_ID
from sandbox.store import Store

Doc = dict[str, Any]

SERVICE_TYPES = ("static_site", "web_service", "private_service", "background_worker", "cron_job")
_DASHBOARD_KIND = {
    "web_service": "web",
    "private_service": "pserv",
    "background_worker": "worker",
    "cron_job": "cron",
    "static_site": "static",
}
_COMMANDS = {
    "python": ("pip install -r requirements.txt", "gunicorn app:app"),
    "node": ("npm ci && npm run build", "npm start"),
}
SEEDED = (
    ("optio-dev-frontend", "node"),
    ("optio-dev-backend", "python"),
    ("optio-prod-frontend", "node"),
    ("optio-prod-backend", "python"),
)
PREVIEW = ("optio-dev-backend-pr-7", "optio-dev-backend")  # a PR preview of the dev backend
SEEDED_ENV_VARS = {
    "optio-dev-backend": {"DATABASE_URL": "postgres://optio:dev@db.dev.optio.test/optio", "FLASK_ENV": "dev"},
    "optio-prod-backend": {"DATABASE_URL": "postgres://optio:prod@db.optio.test/optio", "FLASK_ENV": "prod"},
}


def service_details(service_type: str, runtime: str, slug: str) -> Doc:
    """Spec-complete ``serviceDetails`` for a new service of ``service_type``."""
    build, start = _COMMANDS.get(runtime, ("make build", "make start"))
    native = {"buildCommand": build, "startCommand": start}
    base = {
        "buildPlan": "starter",
        "env": runtime,  # deprecated alias of runtime, still required by the spec
        "envSpecificDetails": native,
        "maxShutdownDelaySeconds": 30,
        "numInstances": 1,
        "plan": "starter",
        "previews": {"generation": "off"},
        "pullRequestPreviewsEnabled": "no",
        "region": "frankfurt",
        "runtime": runtime,
    }
    if service_type == "web_service":
        return {
            **base,
            "healthCheckPath": "",
            "maintenanceMode": {"enabled": False, "uri": ""},
            "openPorts": [{"port": 10000, "protocol": "TCP"}],
            "renderSubdomainPolicy": "enabled",
            "url": f"https://{slug}.onrender.com",
        }
    if service_type == "private_service":
        return {**base, "openPorts": [{"port": 10000, "protocol": "TCP"}], "url": f"{slug}:10000"}
    if service_type == "background_worker":
        return base
    if service_type == "cron_job":
        keep = ("buildPlan", "env", "envSpecificDetails", "plan", "region", "runtime")
        return {**{key: base[key] for key in keep}, "schedule": "0 * * * *"}
    return {
        "buildCommand": build,
        "buildPlan": "starter",
        "previews": {"generation": "off"},
        "publishPath": "dist",
        "pullRequestPreviewsEnabled": "no",
        "renderSubdomainPolicy": "enabled",
        "url": f"https://{slug}.onrender.com",
    }


def new_service(seq: int, data: Doc, created: str) -> Doc:
    """A service document from a seed/control body: ``name`` plus optional ``type``, ``runtime``,
    ``ownerId``, ``parentServer`` ({id, name}) and any top-level or ``serviceDetails`` overrides."""
    name = str(data["name"])
    service_type = str(data.get("type", "web_service"))
    runtime = str(data.get("runtime", "python"))
    prefix = "crn" if service_type == "cron_job" else "srv"  # render.md, conventions: id prefixes
    service_id = str(data.get("id") or repo.render_id(prefix, f"{name}:{seq}"))
    details = service_details(service_type, runtime, name)
    if data.get("parentServer"):
        details["parentServer"] = dict(data["parentServer"])
    details.update(copy.deepcopy(data.get("serviceDetails", {})))
    doc: Doc = {
        "id": service_id,
        "autoDeploy": "yes",
        "branch": "main",
        "createdAt": created,
        "dashboardUrl": f"https://dashboard.render.com/{_DASHBOARD_KIND[service_type]}/{service_id}",
        "name": name,
        "notifyOnFail": "default",
        "ownerId": OWNER_ID,
        "repo": f"https://github.com/optio/{name}",
        "rootDir": "",
        "serviceDetails": details,
        "slug": name,
        "suspended": "not_suspended",
        "suspenders": [],
        "type": service_type,
        "updatedAt": created,
    }
    extra = {
        key: value for key, value in data.items() if key not in ("runtime", "parentServer", "serviceDetails")
    }
    doc.update(copy.deepcopy(extra))
    doc["serviceDetails"] = details
    doc["autoDeployTrigger"] = trigger_of(doc["autoDeploy"])
    return doc


def trigger_of(auto_deploy: str) -> str:
    """``autoDeployTrigger`` as recorded beside ``autoDeploy``: "commit" for yes, "off" for no (TF cassettes,
    internal/provider/cronjob/resource/testdata/git_cassette.yaml interactions 0 and 31; render.md)."""
    return "commit" if auto_deploy == "yes" else "off"


def seed(store: Store) -> None:
    """The workspace, its notification settings, four web services, one PR preview and backend env vars."""
    created = iso(Clock(store).now())
    repo.save(repo.OWNERS, {"id": repo.next_seq(store), "doc": dict(OWNER)}, store)
    settings = {
        "ownerId": OWNER_ID,
        "slackEnabled": False,
        "emailEnabled": True,
        "previewNotificationsEnabled": False,
        "notificationsToSend": "failure",
    }
    repo.save(repo.OWNER_NOTIFICATIONS, {"id": repo.next_seq(store), **settings}, store)
    ids: dict[str, str] = {}
    for name, runtime in SEEDED:
        seq = repo.next_seq(store)
        doc = new_service(seq, {"name": name, "runtime": runtime, "id": repo.render_id("srv", name)}, created)
        ids[name] = doc["id"]
        repo.save(repo.SERVICES, {"id": seq, "doc": doc}, store)
    preview_name, parent = PREVIEW
    seq = repo.next_seq(store)
    preview = {
        "name": preview_name,
        "id": repo.render_id("srv", preview_name),
        "branch": "feature/pr-7",
        "parentServer": {"id": ids[parent], "name": parent},
    }
    repo.save(repo.SERVICES, {"id": seq, "doc": new_service(seq, preview, created)}, store)
    for name, variables in SEEDED_ENV_VARS.items():
        for key, value in variables.items():
            record = {"id": repo.next_seq(store), "serviceId": ids[name], "key": key, "value": value}
            repo.save(repo.ENV_VARS, record, store)
