"""Where the Render API departs from its official spec (rows of the table in sandbox/deviations)."""

from __future__ import annotations

import copy
from typing import Any

from .base import Deviation, Spec, walk


def _service_details_any_of(spec: Spec) -> None:
    schemas = spec["components"]["schemas"]
    for name in ("service", "servicePATCH", "servicePOST"):
        details = schemas[name]["properties"]["serviceDetails"]
        details["anyOf"] = details.pop("oneOf")
    for name in ("envSpecificDetails", "envSpecificDetailsPATCH", "envSpecificDetailsPOST"):
        schemas[name]["anyOf"] = schemas[name].pop("oneOf")


_EVENT_DETAILS = "#/components/schemas/serviceEventWithCursor/properties/event/properties/details/oneOf/"


def _event_details_any_of(spec: Spec) -> None:
    """`anyOf` for the details' `oneOf`; the spec's references into the list are inlined first."""
    event = spec["components"]["schemas"]["serviceEventWithCursor"]["properties"]["event"]
    branches = event["properties"]["details"]["oneOf"]

    def target(ref: str) -> Any:
        node: Any = branches
        for part in ref[len(_EVENT_DETAILS) :].split("/"):
            node = node[int(part)] if isinstance(node, list) else node[part]
        return node

    def inline(node: dict[str, Any]) -> None:
        while isinstance(node.get("$ref"), str) and node["$ref"].startswith(_EVENT_DETAILS):
            found = copy.deepcopy(target(node.pop("$ref")))
            node.update(found)

    for _ in range(3):  # references may lead to references
        walk(spec, inline)
    event["properties"]["details"]["anyOf"] = event["properties"]["details"].pop("oneOf")


def _override_list_without_type(spec: Spec) -> None:
    override = spec["components"]["schemas"]["notificationOverrideWithCursor"]["properties"]["override"]
    override["required"] = [name for name in override["required"] if name != "type"]


def _metric_values_without_unit(spec: Spec) -> None:
    value = spec["paths"]["/metrics/cpu"]["get"]["responses"]["200"]["content"]["application/json"]
    value = value["schema"]["items"]["properties"]["values"]["items"]
    value["required"] = [name for name in value["required"] if name != "unit"]


def _null_create_arrays(spec: Spec) -> None:
    schemas = spec["components"]["schemas"]
    schemas["envVarInputArray"]["nullable"] = True
    schemas["servicePOST"]["properties"]["secretFiles"]["nullable"] = True


RENDER = [
    Deviation(
        "render-override-list-type",
        "render",
        "GET /notification-settings/overrides",
        "list items' `override` requires a property `type` it never defines",
        "the single-service override (the same object) does not require it, and recorded answers carry none",
        "specs/render-openapi.json notificationOverrideWithCursor; render-oss/terraform-provider-render "
        "internal/provider/notifications/resource/testdata/notifications_resource_cassette.yaml",
        patch=_override_list_without_type,
    ),
    Deviation(
        "render-undocumented-errors",
        "render",
        "* /notification-settings/*",
        "400 and 404 happen but the notification operations document neither",
        "response-side: the sandbox answers them with Render's error body",
        "specs/render-openapi.json (200/401/406/429/500/503 only); render-oss/terraform-provider-render "
        "internal/provider/common/client.go (handles 404)",
    ),
    Deviation(
        "render-service-details-oneof",
        "render",
        "*",
        "`serviceDetails` is a `oneOf` of per-type schemas that overlap (`{healthCheckPath}` fits several)",
        "a `oneOf` refuses a body that fits two branches; the live API reads it by the service's type",
        "specs/render-openapi.json servicePATCH; render-oss/terraform-provider-render (sends "
        "webServiceDetailsPATCH bodies such a oneOf refuses)",
        patch=_service_details_any_of,
    ),
    Deviation(
        "render-event-details-oneof",
        "render",
        "GET /services/*/events",
        "an event's `details` is a `oneOf` of per-type schemas that overlap (`Server Available` is any "
        "object), so no event's details fit exactly one",
        "a `oneOf` refuses every answer; the type beside the details says which schema they follow",
        "specs/render-openapi.json serviceEventWithCursor (event.details); render-oss/cli "
        "pkg/client/client_gen.go (reads details by the event's type)",
        patch=_event_details_any_of,
    ),
    # What the sandbox assumes where no source settles how Render runs a service (`where` "check":
    # sandbox/render/runtime.py).
    Deviation(
        "render-build-time",
        "render",
        "check",
        "a build takes 2 minutes of the sandbox clock, then fails or succeeds as the control API says",
        "builds take as long as the code takes; the sandbox builds no code",
        "docs/vendors/render.md (How Render checks and tells)",
    ),
    Deviation(
        "render-cron-runs",
        "render",
        "check",
        "a cron job's deploys build and go live, but its runs are not made: no `cron_job_run_*` events, no "
        "`lastSuccessfulRunAt`",
        "Render runs the start command on schedule; the sandbox runs no code (the game day runs the "
        "system-health job itself, with the env vars the cron job was deployed with)",
        "render.com/docs/cronjobs; specs/render-openapi.json cronJobDetails, cronJobRun",
    ),
    Deviation(
        "render-notification-kinds",
        "render",
        "check",
        "`failure` notifications are sent for a failed deploy or server, `all` adds finished deploys; the "
        "workspace owner is e-mailed",
        "Render documents the setting's values, not which events each sends",
        "specs/render-openapi.json (notificationsToSend); render-oss/terraform-provider-render "
        "docs/resources/notification_setting.md",
    ),
    Deviation(
        "render-repeated-ratelimit-headers",
        "render",
        "PATCH /notification-settings/owners/*",
        "some answers carry each `Ratelimit-*` header twice, from two limiters, and the values may differ "
        "(a client joining them reads `496, 498`)",
        "response-side: the sandbox repeats them where they were recorded; clients take the lower remaining",
        "render-oss/terraform-provider-render internal/provider/notifications/resource/testdata/"
        "notifications_resource_cassette.yaml (interactions 0 and 3)",
    ),
    Deviation(
        "render-null-create-arrays",
        "render",
        "POST /services",
        "a create takes `envVars: null` and `secretFiles: null` (no env vars, no secret files), which the "
        "spec types as arrays only",
        "Terraform sends null for an empty list and the live API answers 201",
        "render-oss/terraform-provider-render internal/provider/cronjob/resource/testdata/git_cassette.yaml "
        "and env_var_cassette.yaml (interaction 0)",
        patch=_null_create_arrays,
    ),
    Deviation(
        "render-metric-value-unit",
        "render",
        "GET /metrics/*",
        "a metric's datapoint is `{timestamp, value}`: the spec also requires `unit` in it, which it does "
        "not declare (the unit is the series')",
        "a schema defect: every answer would fail it; Render's current spec's generated clients model the "
        "datapoint without it",
        "render-oss/cli pkg/client/metrics/metrics_gen.go (TimeSeriesValue); render-oss/render-mcp-server "
        "pkg/metrics",
        patch=_metric_values_without_unit,
    ),
    Deviation(
        "render-metric-units",
        "render",
        "check",
        "CPU series are in cores (unit `cpu`), memory in bytes (`bytes`); a service idles at 5% CPU and 30% "
        "memory of its instance type until the control API sets its usage",
        "no recorded live answer of the metrics routes was found: the units are those of Render's own MCP "
        "server's models",
        "render-oss/render-mcp-server pkg/metrics/test_helpers.go; render-oss/skills "
        "skills/render-monitor/references/metrics-guide.md",
    ),
]
