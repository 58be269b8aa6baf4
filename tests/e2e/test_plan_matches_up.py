"""`plan` predicts what `pulumi up` then does, resource by resource (issue #12): run both on one change.

The plan comes from `pulumi preview --json` through lookout/review.py; what `up` did comes from the engine's
own events (`pulumi up --json`: one resourcePreEvent per step it takes).
"""

from __future__ import annotations

import json
from typing import Any

import yaml

from harness.paths import REPO
from lookout import review

from .conftest import Stack, plan
from .test_review import run_with

REPLACE_STEPS = {"replace", "create-replacement", "delete-replaced"}
UNCHANGED = {"same", "read", "refresh", "discard"}


def documents(text: str) -> list[dict[str, Any]]:
    """`pulumi up --json` writes several JSON documents one after another."""
    decoder, found, at = json.JSONDecoder(), [], 0
    while at < len(text):
        if text[at].isspace():
            at += 1
            continue
        document, at = decoder.raw_decode(text, at)
        found.append(document)
    return found


def done_by_up(stack: Stack) -> dict[tuple[str, str], str]:
    result = stack.pulumi("up", "--yes", "--json")
    steps: dict[tuple[str, str], set[str]] = {}
    for event in documents(result.stdout):
        meta = (event.get("resourcePreEvent") or {}).get("metadata")
        if meta and str(meta.get("type", "")).startswith("pulumi-python:dynamic/"):
            key = (review.kind_of(meta["type"]), meta["urn"].rsplit("::", 1)[-1])
            steps.setdefault(key, set()).add(meta["op"])
    summary = next(e["summaryEvent"] for e in documents(result.stdout) if "summaryEvent" in e)
    assert summary["result"] == "succeeded", summary
    return {
        key: "replace" if ops & REPLACE_STEPS else ops.pop()
        for key, ops in steps.items()
        if not ops <= UNCHANGED
    }


def planned(stack: Stack) -> dict[tuple[str, str], str]:
    _, found = review.report(run_with(stack), ["dev"], {}, drift=False, fmt="markdown")
    return {(c.kind, c.name): c.op for c in found}


def committed_services() -> list[dict[str, Any]]:
    return list(yaml.safe_load((REPO / "Pulumi.dev.yaml").read_text())["config"]["lookout:services"])


def test_a_platform_change_is_planned_as_up_does_it(stack: Stack):
    """The project is updated in place: its DSN key, metric monitors, alerts and SENTRY_DSN keep its id."""
    stack.configure({}, inherit=True)  # the committed dev plan
    stack.pulumi("up", "--yes")
    services = committed_services()
    backend = next(s for s in services if s.get("sentry_platform"))
    backend["sentry_platform"] = (
        "python-django" if backend["sentry_platform"] != "python-django" else "python"
    )
    stack.configure({"lookout:services": services}, inherit=True)

    predicted = planned(stack)
    assert any(kind == "sentry:Project" for kind, _ in predicted)
    assert predicted == done_by_up(stack)


def sentry_plan(projects: list[str], platform: str, monitor_project: str) -> dict[str, Any]:
    block = {
        "team": "match-team",
        "defaultKey": "remove",
        "projects": [
            {"slug": slug, "name": slug, "platform": platform if slug == "match-api" else "python"}
            for slug in projects
        ],
        "monitors": [
            {"name": "api errors", "project": monitor_project, "aggregate": "failure_rate()", "critical": 0.1}
        ],
    }
    return {**plan({"name": "site", "url": "https://match.example.test"}), "lookout:sentry": block}


def test_a_real_replacement_is_still_planned(stack: Stack):
    """The same run updates one project and moves a metric monitor to a new one: the monitor's project is
    unknown at preview either way, but only the move replaces it."""
    stack.configure(sentry_plan(["match-api", "match-web"], "python-flask", "match-api"))
    stack.pulumi("up", "--yes")
    stack.configure(sentry_plan(["match-api", "match-web", "match-jobs"], "python-django", "match-jobs"))

    predicted = planned(stack)
    assert predicted[("sentry:MetricMonitor", "api errors")] == "replace"
    assert predicted[("sentry:Project", "match-api")] == "update"
    assert predicted == done_by_up(stack)
