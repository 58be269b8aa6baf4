"""UptimeRobot runs its monitors: each active monitor is checked at its `interval` on the sandbox clock, and
goes down (an incident opens, its contacts are told) or comes back (the incident resolves) as the verdicts
say (sandbox/uptimerobot/verdict.py; sources in docs/vendors/uptimerobot.md, "How a monitor is checked").

- A check that fails is confirmed by as many more checks as the failure allows (`Verdict.retries`) before
  the monitor is down: the vendor's checker nodes confirm within the same check (help.uptimerobot.com
  11358522: three nodes, an incident only when all fail), so the retries are made at once.
- The first check is made when the monitor is created or started (ASSUMED, deviation
  uptimerobot-first-check: no source says whether it waits one interval); until then it reads STARTED.
- Heartbeat monitors are not probed: one is down once `interval` + `gracePeriod` seconds pass without a
  request to its URL (sandbox/uptimerobot/heartbeat.py), counted from its last request or, before the
  first, from when it was created or started (ASSUMED, deviation uptimerobot-heartbeat-start).
- Paused monitors are not checked; nor are monitors while a maintenance window covers them, which read UP
  (help.uptimerobot.com 11360884).
- PING monitors are up when their host resolves (no ICMP here); DNS monitors are not run.
- A check that finds an HTTP, keyword or port monitor up records how long its probe took, the monitor's
  response time (sandbox/uptimerobot/response_times.py).

Checks run when the sandbox is told to run them (sandbox/checks.py), in time order, each dated when it was
due (`Clock.at`), so an incident found after the clock jumped an hour starts when the failing check ran.
"""

from __future__ import annotations

import base64
import heapq
import json
from typing import Any
from urllib.parse import urlsplit

from sandbox import hosts, probe
from sandbox.probe import Answer
from sandbox.state import sandbox
from sandbox.uptimerobot import alerts, certificates, incidents, repo, response_times, verdict, windows
from sandbox.uptimerobot.accounts import VENDOR
from sandbox.uptimerobot.verdict import UP, Verdict

Doc = dict[str, Any]

PROBED = ("HTTP", "KEYWORD", "PORT", "PING")
TIMED = ("HTTP", "KEYWORD", "PORT")  # checks whose probe's time is a response time (response_times.py)
DEFAULT_TIMEOUT = 30.0  # seconds, when a monitor has none (the official provider's default)
# What a check changes in the monitor's record.
KEPT = (
    *("status", "_stateSince", "_lastCheck", "_lastPing", "_checkedFrom", "lastIncidentId"),
    *("sslExpiryDateTime", "_sslCheckedAt", "_sslCertificate", "_sslReminded"),
)


def run(until: float) -> None:
    """Every check due by `until`, in time order, and the alerts that follow."""
    clock = sandbox().clock
    monitors = {m["id"]: m for m in repo.find_all(repo.MONITORS) if m["status"] != "PAUSED"}
    due = [(_next(m), m["id"]) for m in monitors.values()]
    heapq.heapify(due)
    while due and due[0][0] <= until:
        at, monitor_id = heapq.heappop(due)
        monitor = monitors[monitor_id]
        with clock.at(at):
            if monitor["type"] == "HEARTBEAT":
                _heartbeat(monitor, at)
            elif monitor["type"] in PROBED:
                _check(monitor, at)
        nxt = _next(monitor)
        if nxt > at:
            heapq.heappush(due, (nxt, monitor_id))
    for incident in incidents.ongoing():  # thresholds and recurrences reached meanwhile
        down = monitors.get(incident["monitorId"])
        if down is not None and down["status"] == "DOWN":
            with clock.at(until):
                alerts.remind(down, incident, until)


def ping(monitor: Doc, at: float) -> None:
    """A request reached the heartbeat monitor's URL `at`."""
    monitor["_lastPing"] = at
    if monitor["status"] != "PAUSED":
        _settle(monitor, at, UP, "")
    _keep(monitor)


def _next(monitor: Doc) -> float:
    """When the monitor is next due (for a heartbeat: when it is overdue)."""
    interval = float(monitor.get("interval") or 300)
    if monitor["type"] == "HEARTBEAT":
        marks = [float(monitor[k]) for k in ("_lastPing", "_checkedFrom") if monitor.get(k) is not None]
        since = max(marks) if marks else float(monitor["_stateSince"])
        return since + interval + float(monitor.get("gracePeriod") or 0)
    last = monitor.get("_lastCheck")
    return float(monitor["_stateSince"]) if last is None else float(last) + interval


def _heartbeat(monitor: Doc, at: float) -> None:
    monitor["_checkedFrom"] = at  # overdue now; the next verdict waits for another interval + grace
    if not windows.covering(monitor, at) and monitor["status"] != "DOWN":
        _settle(monitor, at, verdict.Verdict(False, "No heartbeat received"), str(monitor["url"]))
    _keep(monitor)


def _check(monitor: Doc, at: float) -> None:
    monitor["_lastCheck"] = at
    if windows.covering(monitor, at):
        _settle(monitor, at, UP, "")
    else:
        seen = _probe(monitor)
        result = verdict.judge(monitor, seen)
        for _ in range(result.retries(monitor)):
            if result.up:
                break
            seen = _probe(monitor)
            result = verdict.judge(monitor, seen)
        if seen.certificate_expires is not None:
            certificates.note(monitor, seen.certificate_expires, at)
        if result.up and monitor["type"] in TIMED:
            response_times.record(monitor, at, seen.elapsed_ms)
        _settle(monitor, at, result, seen.url)
    _keep(monitor)


def _settle(monitor: Doc, at: float, result: Verdict, url: str) -> None:
    """Move the monitor to what `result` says, opening or resolving its incident."""
    status = "UP" if result.up else "DOWN"
    if monitor["status"] == status:
        return
    was_down = monitor["status"] == "DOWN"
    monitor.update(status=status, _stateSince=at)
    if status == "DOWN":
        opened = incidents.open_incident(monitor, at, result, url)
        monitor["lastIncidentId"] = opened["id"]
        alerts.down(monitor, opened, at)
        return
    ended = incidents.of(monitor) if was_down else None
    if ended is not None:
        incidents.resolve(ended, at)
        alerts.up(monitor, ended)


def _probe(monitor: Doc) -> Answer:
    timeout = sandbox().clock.wall_seconds(float(monitor.get("timeout") or DEFAULT_TIMEOUT))
    kind, url = monitor["type"], str(monitor["url"])
    if kind == "PING":
        host = url.split("/")[0]
        return Answer(host) if hosts.known(host) else Answer(host, error=probe.NO_SUCH_HOST)
    if kind == "PORT":
        return probe.connect(url.split("/")[0].split(":")[0], int(monitor.get("port") or 80), timeout)
    method = str(monitor.get("httpMethodType") or "HEAD")
    headers = {str(k): str(v) for k, v in (monitor.get("customHttpHeaders") or {}).items()}
    if monitor.get("httpUsername"):
        pair = f"{monitor['httpUsername']}:{monitor.get('httpPassword') or ''}".encode()
        headers.setdefault("Authorization", "Basic " + base64.b64encode(pair).decode())
    body = monitor.get("postValueData") if method in ("POST", "PUT", "PATCH") else None
    if body is not None:
        headers.setdefault("Content-Type", "application/json")
    return probe.fetch(
        url if urlsplit(url).scheme else f"http://{url}",
        method=method,
        timeout=timeout,
        headers=headers,
        body=None if body is None else (body if isinstance(body, str) else json.dumps(body)).encode(),
        follow=bool(monitor.get("followRedirections", True)),
        verify=bool(monitor.get("checkSSLErrors")),
    )


def _keep(monitor: Doc) -> None:
    """Save what a check changed, as the vendor's own bookkeeping: not a write through the API, so the
    object's read replica does not lag behind it (sandbox/uptimerobot/repo.py)."""
    stored = repo.get(repo.MONITORS, int(monitor["userId"]), int(monitor["id"]))
    if stored is None:  # deleted meanwhile
        return
    for key in KEPT:
        if key in monitor:
            stored[key] = monitor[key]
    sandbox().store.put(VENDOR, repo.MONITORS, int(monitor["userId"]), stored)
