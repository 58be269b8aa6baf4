"""A Render cron job: a service of type `cron_job` that runs its start command on a cron schedule (UTC),
with the env vars it runs with (docs/vendors/render.md, "Cron jobs").

* Created with `POST /services` (`cronJobDetails`: runtime, schedule, plan, region, build and start
  commands) and every env var in the same request, so the first build already has them; updated with
  `PATCH /services/{id}` and the single-key env var endpoints (never the bulk PUT), then one deploy, since
  a build takes its env vars with it (render.com/docs/cronjobs). `region` cannot be changed: a new region
  is a new job (Terraform's `render_cron_job` replaces it too).
* The job's env vars are the complete set: a key added outside Lookout is drift, and the next update
  removes it. Their values are secrets in state.
* Found by name among the workspace's cron jobs (adopt, interrupted creates): the natural key.
"""

from __future__ import annotations

import datetime as dt
from itertools import pairwise
from typing import Any, ClassVar, Literal

from cronsim import CronSim, CronSimError
from pydantic import Field

from transport import Transport

from ..spec import Failure, Inputs, ResourceSpec
from . import client as api

PATH = "/services"
Runtime = Literal["python", "node", "go", "ruby", "rust", "elixir"]
Plan = Literal["starter", "standard", "pro", "pro_plus", "pro_max", "pro_ultra"]
Region = Literal["oregon", "frankfurt", "ohio", "singapore", "virginia"]
_EPOCH = dt.datetime(2026, 1, 1)


def schedule_failure(schedule: str) -> str | None:
    """Why `schedule` is not a five-field cron expression (Render evaluates it in UTC), or None."""
    fields = len(schedule.split())
    if fields != 5:
        return f"'{schedule}' has {fields} fields; a cron schedule has 5 (minute hour day month weekday)"
    try:
        CronSim(schedule, _EPOCH)
    except (CronSimError, ValueError) as exc:
        return f"'{schedule}' is not a cron expression ({exc})"
    return None


def longest_gap(schedule: str) -> float:
    """The longest wait between two runs of `schedule`, in seconds. Every day a cron schedule runs on, it
    runs at the same times (its minute and hour fields), so the wait is the longer of the longest gap within
    a day and the longest from one run day's last run to the next run day's first. Run days are walked over
    eight years from a fixed date when the schedule names days of the month or months (a monthly job; one
    on February 29 runs every fourth year), else over eight days (a weekday-only schedule shows its
    weekend)."""
    minute, hour, dom, month, dow = schedule.split()
    times = _runs(f"{minute} {hour} * * *", dt.timedelta(days=1))
    seconds = [(run - _EPOCH).total_seconds() for run in times if run < _EPOCH + dt.timedelta(days=1)]
    days = _runs(f"0 0 {dom} {month} {dow}", dt.timedelta(days=8 if dom == month == "*" else 8 * 366))
    within = max((b - a for a, b in pairwise(seconds)), default=0.0)
    across = max((b - a).total_seconds() - seconds[-1] + seconds[0] for a, b in pairwise(days))
    return max(within, across)


def _runs(schedule: str, span: dt.timedelta) -> list[dt.datetime]:
    """The runs of `schedule` from the fixed date over `span`, and the first after it (at least two)."""
    runs: list[dt.datetime] = []
    for run in CronSim(schedule, _EPOCH - dt.timedelta(seconds=1)):
        runs.append(run)
        if run >= _EPOCH + span and len(runs) >= 2:
            return runs
    return runs


class CronJobInputs(Inputs):
    name: str = Field(min_length=1, description="Unique among the workspace's cron jobs")
    owner: str | None = Field(None, description="Workspace id; default: render:ownerId")
    schedule: str = Field(min_length=1, description="Cron expression, UTC, e.g. */5 * * * *")
    repo: str = Field(pattern=r"^https://", description="Git repository Render builds the job from")
    branch: str | None = Field(None, description="Default: the repository's default branch")
    root_dir: str = ""
    runtime: Runtime = "python"
    build_command: str = Field(min_length=1)
    start_command: str = Field(min_length=1)
    plan: Plan = Field("starter", description="Instance type; cron jobs have no free plan")
    region: Region = Field("oregon", description="Cannot change: a new region replaces the job")
    auto_deploy: bool = Field(True, description="Build and deploy on every push to the branch")
    env_vars: dict[str, str] = Field(
        default_factory=dict, description="Every env var of the job (secret in state)"
    )


class CronJobSpec(ResourceSpec[CronJobInputs]):
    kind = "render:CronJob"
    natural_key = ("name",)
    described_by = ("schedule",)
    creates = (("POST", PATH),)
    output_names: ClassVar[tuple[str, ...]] = ("dashboard_url",)
    model = CronJobInputs
    replace_on: ClassVar[frozenset[str]] = frozenset({"owner", "region"})
    secret_fields: ClassVar[frozenset[str]] = frozenset({"env_vars"})
    unset_is_unmanaged: ClassVar[frozenset[str]] = frozenset({"branch"})  # none: the repo's default

    def semantic_failures(self, model: CronJobInputs) -> list[Failure]:
        failures: list[Failure] = []
        why = schedule_failure(model.schedule)
        if why:
            failures.append(("schedule", f"schedule: {why}"))
        for key in model.env_vars:
            if not key or "=" in key or any(c.isspace() for c in key):
                failures.append(
                    ("env_vars", f"env_vars: key {key!r} must be non-empty, without '=' or blanks")
                )
        return failures

    def client(self) -> Transport:
        return api.client()

    def details(self, inputs: CronJobInputs) -> dict[str, Any]:
        commands = {"buildCommand": inputs.build_command, "startCommand": inputs.start_command}
        return {
            "runtime": inputs.runtime,
            "schedule": inputs.schedule,
            "plan": inputs.plan,
            "envSpecificDetails": commands,
        }

    def top(self, inputs: CronJobInputs) -> dict[str, Any]:
        body = {
            "name": inputs.name,
            "repo": inputs.repo,
            "rootDir": inputs.root_dir,
            "autoDeploy": "yes" if inputs.auto_deploy else "no",
        }
        return {**body, **({"branch": inputs.branch} if inputs.branch else {})}

    def project(self, obj: dict[str, Any]) -> dict[str, Any]:
        details = obj.get("serviceDetails") or {}
        commands = details.get("envSpecificDetails") or {}
        found = {
            "name": obj.get("name"),
            "schedule": details.get("schedule"),
            "repo": obj.get("repo"),
            "branch": obj.get("branch"),
            "root_dir": obj.get("rootDir") or "",
            "runtime": details.get("runtime"),
            "build_command": commands.get("buildCommand"),
            "start_command": commands.get("startCommand"),
            "plan": details.get("plan"),
            "region": details.get("region"),
            "auto_deploy": obj.get("autoDeploy") == "yes",
        }
        if "_env_vars" in obj:
            found["env_vars"] = obj["_env_vars"]
        return found

    def outputs(self, obj: dict[str, Any]) -> dict[str, Any]:
        return {"dashboard_url": obj.get("dashboardUrl")}

    def create(self, client: Transport, inputs: CronJobInputs) -> dict[str, Any]:
        body = {
            "type": "cron_job",
            "ownerId": api.owner_id(inputs.owner),
            **self.top(inputs),
            "serviceDetails": {**self.details(inputs), "region": inputs.region},
            "envVars": [{"key": k, "value": v} for k, v in inputs.env_vars.items()],
        }
        created = client.request("POST", PATH, json_body=body, recover=lambda: self.find(client, inputs))
        service = created.get("service", created)  # {service, deployId}; a recovered create: the service
        return {**service, "_env_vars": dict(inputs.env_vars)}

    def get(self, client: Transport, id_: str) -> dict[str, Any]:
        service = client.request("GET", f"{PATH}/{id_}")
        return {**service, "_env_vars": self.env_vars(client, id_)}

    def env_vars(self, client: Transport, id_: str) -> dict[str, str]:
        return {e["key"]: e["value"] for e in api.pages(client, f"{PATH}/{id_}/env-vars", "envVar")}

    def update(self, client: Transport, current: dict[str, Any], inputs: CronJobInputs) -> dict[str, Any]:
        id_ = str(current["id"])
        live = self.get(client, id_)
        api.writable(live)
        changed = False
        wanted = {**self.top(inputs), "serviceDetails": self.details(inputs)}
        if self.unreflected(live, inputs) - {"env_vars"}:
            live = {
                **client.request("PATCH", f"{PATH}/{id_}", json_body=wanted),
                "_env_vars": live["_env_vars"],
            }
            changed = True
        had = live["_env_vars"]
        for key, value in inputs.env_vars.items():
            if had.get(key) != value:
                client.request("PUT", f"{PATH}/{id_}/env-vars/{key}", json_body={"value": value})
                changed = True
        for key in had.keys() - inputs.env_vars.keys():
            client.request("DELETE", f"{PATH}/{id_}/env-vars/{key}")
            changed = True
        if changed:  # a build takes the job's commands and env vars: deploy once for all of them
            client.request("POST", f"{PATH}/{id_}/deploys", json_body={"clearCache": "do_not_clear"})
        return {**live, "_env_vars": dict(inputs.env_vars)}

    def delete(self, client: Transport, id_: str, props: dict[str, Any]) -> None:
        client.request("DELETE", f"{PATH}/{id_}")

    def every(self, client: Transport) -> list[dict[str, Any]]:
        owner = api.owner_id(None)
        return api.pages(client, PATH, "service", type="cron_job", ownerId=owner, includePreviews="false")

    def find(self, client: Transport, inputs: CronJobInputs) -> dict[str, Any] | None:
        match = named(client, inputs.name, inputs.owner)
        return self.get(client, match["id"]) if match else None

    def listing(self, client: Transport, inputs: CronJobInputs) -> tuple[tuple[str, ...], Any]:
        owner = api.owner_id(inputs.owner)
        return (owner,), lambda: api.pages(client, PATH, "service", type="cron_job", ownerId=owner)


def named(client: Transport, name: str, owner: str | None = None) -> dict[str, Any] | None:
    """The workspace's cron job of this exact name (the name filter matches prefixes), if any."""
    owner = api.owner_id(owner)
    found = api.pages(client, PATH, "service", name=name, type="cron_job", ownerId=owner)
    return next((s for s in found if s.get("name") == name), None)


SPEC = CronJobSpec()
