"""Render at work on the sandbox clock: each web service's health check, its deploys, and the e-mails its
notification settings send (sources in docs/vendors/render.md, "How Render checks and tells").

* **Health check** (render.com/docs/health-checks): GET ``healthCheckPath`` on the service "every few
  seconds", with ``Host`` its custom domain or its onrender.com name (here: the host of
  ``serviceDetails.url``, resolved by the sandbox's name service); 2xx/3xx passes, anything else or no answer
  within 5 s fails. Failing 15 s, the instance gets no traffic; failing 60 s, Render restarts the service:
  a ``server_failed`` event (reason ``unhealthy``) and ``server_restarted``; the first pass after that is
  ``server_available``. The sandbox probes once each time the clock runs (the game day changes the app only
  between steps, so one answer holds for the step) and dates the failure from the first probe due after the
  last pass (every ``PROBE_SECONDS``).
* **Deploys** (``POST /services/{id}/deploys``, and a new service's first) of web services and cron jobs
  build for ``BUILD_SECONDS`` (ASSUMED, deviation
  render-build-time), then fail (``build_failed``) when the control API says the service's builds fail
  (``PUT /_control/render/builds``: the sandbox runs no code), else go live once the health check passes;
  a new instance failing it for 15 minutes cancels the deploy (``update_failed``) and the old one keeps
  serving; one that goes live makes the previous live deploy ``deactivated`` (the spec's deploy statuses).
  A cron job has no health check: its deploy goes live once built. Its runs are not made: the sandbox
  runs no code (deviation render-cron-runs; the game day runs the job itself, with the deployed env vars).
  Each step is a service event (``build_started``/``build_ended``, ``deploy_started``/``deploy_ended``
  with ``deployStatus`` succeeded, failed or canceled).
* **Notifications**: a failed deploy and a failed server are *failures*; a finished deploy is not
  (ASSUMED, deviation render-notification-kinds: Render documents the setting's values, not the events
  each sends). The service's override decides unless it is ``default``, then the workspace's
  ``notificationsToSend`` (none, failure, all); e-mail goes to the workspace's owner when ``emailEnabled``.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from sandbox import deliveries, probe
from sandbox.clock import iso, parse_instant
from sandbox.render import events, notifications, repo
from sandbox.render.accounts import OWNER
from sandbox.state import sandbox

PROBE_SECONDS = 5.0
TIMEOUT_SECONDS = 5.0
NO_TRAFFIC_AFTER = 15.0
RESTART_AFTER = 60.0
DEPLOY_GIVES_UP_AFTER = 15 * 60.0
BUILD_SECONDS = 120.0
HEALTH = "render-health"  # {"id": seq, "serviceId", "lastProbe", "failingSince", "restarted"}
BUILDS = "render-builds"  # {"id": seq, "serviceId", "fails": bool}
FAILURE_EVENTS = ("server_failed",)

Doc = dict[str, Any]


def run(until: float) -> None:
    for record in repo.find(repo.SERVICES):
        service = record["doc"]
        if service["type"] not in ("web_service", "cron_job") or service["suspended"] == "suspended":
            continue
        healthy = _check(service, until)
        _advance_deploys(service, until, healthy)


def builds_fail(service_id: str, fails: bool) -> None:
    record = repo.first_by(BUILDS, "serviceId", service_id) or {
        "id": repo.next_seq(),
        "serviceId": service_id,
    }
    repo.save(BUILDS, {**record, "fails": fails})


def _check(service: Doc, until: float) -> bool:
    """Probe the service's health path (if it has one); whether it passes."""
    details = service.get("serviceDetails") or {}
    path, url = details.get("healthCheckPath") or "", details.get("url") or ""
    if not path or not url:
        return True
    state = repo.first_by(HEALTH, "serviceId", service["id"]) or {
        "id": repo.next_seq(),
        "serviceId": service["id"],
        "lastProbe": until,
        "failingSince": None,
        "restarted": False,
    }
    host = urlsplit(url).hostname or ""
    answer = probe.fetch(
        f"https://{host}{path}", timeout=sandbox().clock.wall_seconds(TIMEOUT_SECONDS), follow=False
    )
    passed = answer.status is not None and 200 <= answer.status < 400
    if passed:
        if state["restarted"]:
            events.record(service["id"], "server_available", {}, until)
        state.update(failingSince=None, restarted=False)
    else:
        since = state["failingSince"] or min(float(state["lastProbe"]) + PROBE_SECONDS, until)
        state["failingSince"] = since
        if not state["restarted"] and until - since >= RESTART_AFTER:
            got = f"returned {answer.status}" if answer.status else str(answer.error)
            why = f"health check {got} on {path}"
            at = since + RESTART_AFTER
            instance = f"{service['id']}-{service['id'][-5:]}"
            events.record(
                service["id"], "server_failed", {"instanceID": instance, "reason": _reason(why)}, at
            )
            events.record(service["id"], "server_restarted", {"triggeredByUser": None}, at)
            notify(service, "failure", "server_failed", at, reason=why)
            state["restarted"] = True
    state["lastProbe"] = until
    repo.save(HEALTH, state)
    return passed


def _reason(why: str) -> Doc:
    return {"evicted": False, "unhealthy": why}


def _advance_deploys(service: Doc, until: float, healthy: bool) -> None:
    builds = repo.first_by(BUILDS, "serviceId", service["id"]) or {}
    for record in repo.find_by(repo.DEPLOYS, "serviceId", service["id"]):
        deploy = record["doc"]
        if deploy["status"] not in ("created", "build_in_progress", "update_in_progress"):
            continue
        before = deploy["status"]
        created = parse_instant(deploy["createdAt"])
        built = created + BUILD_SECONDS
        if deploy["status"] == "created" and until >= created:
            events.record(service["id"], "build_started", _trigger(deploy), created)
            deploy["status"] = "build_in_progress"
        if deploy["status"] == "build_in_progress" and until >= built:
            if builds.get("fails"):
                _end(service, deploy, "build_failed", "failed", built)
            else:
                events.record(service["id"], "build_ended", _build(deploy, "succeeded"), built)
                events.record(service["id"], "deploy_started", _trigger(deploy), built)
                deploy["status"] = "update_in_progress"
        if deploy["status"] == "update_in_progress":
            if healthy:
                _retire(service, deploy)
                _end(service, deploy, "live", "succeeded", max(built, min(until, built + PROBE_SECONDS)))
            elif until >= built + DEPLOY_GIVES_UP_AFTER:
                _end(service, deploy, "update_failed", "failed", built + DEPLOY_GIVES_UP_AFTER)
        if deploy["status"] != before:
            deploy["updatedAt"] = repo.now()
            repo.save(repo.DEPLOYS, record)


def _retire(service: Doc, replacing: Doc) -> None:
    """The deploy that was live steps down for `replacing` (its status becomes ``deactivated``)."""
    for record in repo.find_by(repo.DEPLOYS, "serviceId", service["id"]):
        if record["doc"]["status"] == "live" and record["doc"]["id"] != replacing["id"]:
            record["doc"].update(status="deactivated", updatedAt=repo.now())
            repo.save(repo.DEPLOYS, record)


def _trigger(deploy: Doc) -> Doc:
    flags = ("firstBuild", "envUpdated", "manual", "deployedByRender", "clearCache", "rollback")
    return {"deployId": deploy["id"], "buildId": deploy["id"], "trigger": dict.fromkeys(flags, False)}


def _build(deploy: Doc, outcome: str) -> Doc:
    status = 2 if outcome == "succeeded" else 3  # the deprecated integer beside it
    return {"buildId": deploy["id"], "buildStatus": outcome, "status": status, "reason": {}}


def _end(service: Doc, deploy: Doc, status: str, outcome: str, at: float) -> None:
    if status == "build_failed":
        events.record(service["id"], "build_ended", _build(deploy, "failed"), at)
    ended = {"deployId": deploy["id"], "deployStatus": outcome, "status": 2 if outcome == "succeeded" else 3}
    events.record(service["id"], "deploy_ended", {**ended, "reason": {}}, at)
    deploy.update(status=status, finishedAt=iso(at))
    notify(
        service, "failure" if outcome == "failed" else "success", f"deploy {outcome}", at, deploy=deploy["id"]
    )


def notify(service: Doc, kind: str, what: str, at: float, **details: Any) -> None:
    """E-mail the workspace of `what` (a failure or a success), as the notification settings say."""
    owner = notifications.owner_settings(service["ownerId"])
    sends = notifications.override_view(service["id"])["notificationsToSend"]
    if sends == "default":
        sends = owner["notificationsToSend"]
    if sends == "none" or (sends == "failure" and kind != "failure") or not owner["emailEnabled"]:
        return
    with sandbox().clock.at(at):
        deliveries.record(
            "email", OWNER["email"], via="render", service=service["name"], event=what, **details
        )
