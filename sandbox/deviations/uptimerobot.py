"""Where the UptimeRobot API departs from its official spec (rows of the table in sandbox/deviations)."""

from __future__ import annotations

from typing import Any

from .base import Deviation, Spec, walk


def _unslash_patterns(spec: Spec) -> None:
    def visit(node: dict[str, Any]) -> None:
        pattern = node.get("pattern")
        if isinstance(pattern, str) and len(pattern) > 1 and pattern[0] == pattern[-1] == "/":
            node["pattern"] = pattern[1:-1]

    walk(spec, visit)


def _null_in_nullable_enums(spec: Spec) -> None:
    def visit(node: dict[str, Any]) -> None:
        if node.get("nullable") and isinstance(node.get("enum"), list) and None not in node["enum"]:
            node["enum"].append(None)

    walk(spec, visit)


def _nullable_monitor_config(spec: Spec) -> None:
    spec["components"]["schemas"]["UpdateMonitorDto"]["properties"]["config"]["nullable"] = True


def _lower_case_page_design(spec: Spec) -> None:
    page = spec["components"]["schemas"]["PageCustomSettingsDto"]["properties"]
    page["layout"]["enum"] = ["logo_on_left", "logo_on_center"]
    page["theme"]["enum"] = ["light", "dark"]
    page["density"]["enum"] = ["normal", "compact"]


def _empty_branch_any_of(spec: Spec) -> None:
    def visit(node: dict[str, Any]) -> None:
        if any(branch == {} for branch in node.get("oneOf", [])):
            node["anyOf"] = node.pop("oneOf")

    walk(spec, visit)


def _null_branch_for_untyped_nullables(spec: Spec) -> None:
    def visit(node: dict[str, Any]) -> None:
        if node.get("nullable") and "type" not in node and "oneOf" in node:
            node["oneOf"].append({"enum": [None]})

    walk(spec, visit)


def _status_pages_take_json(spec: Spec) -> None:
    for path, method in (("/psps", "post"), ("/psps/{id}", "patch")):
        content = spec["paths"][path][method]["requestBody"]["content"]
        content.setdefault("application/json", {"schema": content["multipart/form-data"]["schema"]})


def _integration_updates_name_their_type(spec: Spec) -> None:
    for name, schema in spec["components"]["schemas"].items():
        if name.startswith("Update") and name.endswith("IntegrationSchema"):
            schema["required"] = sorted({*schema.get("required", []), "type"})


def _pagerduty_spelt_both_ways(spec: Spec) -> None:
    schemas = spec["components"]["schemas"]
    for name in ("CreatePagerdutyIntegrationDto", "UpdatePagerdutyIntegrationSchema"):
        schemas[name]["properties"]["type"]["enum"] = ["Pagerduty", "PagerDuty"]


UPTIMEROBOT = [
    Deviation(
        "uptimerobot-js-patterns",
        "uptimerobot",
        "*",
        "some `pattern`s are JavaScript regex literals (`/^...$/`)",
        "as written no value could match; the live validator applies the regex between the slashes",
        "specs/uptimerobot-openapi.yaml (e.g. MaintenanceWindow `time`); GoSuccessHQ/uptimerobot-api README",
        patch=_unslash_patterns,
    ),
    Deviation(
        "uptimerobot-nullable-enums",
        "uptimerobot",
        "*",
        "`nullable` enums do not list `null`",
        "OpenAPI 3.0.3 needs null in the enum; the live API takes null to clear such fields",
        "OpenAPI 3.0.3 §4.7.25 (nullable); GoSuccessHQ/uptimerobot-api README (PATCH null clears)",
        patch=_null_in_nullable_enums,
    ),
    Deviation(
        "uptimerobot-empty-oneof-branch",
        "uptimerobot",
        "*",
        "date fields are `oneOf: [{}, {type: string}]`",
        "`{}` matches every value, so a string matches both branches and `oneOf` refuses every date; read "
        "as `anyOf`",
        "specs/uptimerobot-openapi.yaml (createDateTime, sslExpiryDateTime, lastIncident.startedAt, ...)",
        patch=_empty_branch_any_of,
    ),
    Deviation(
        "uptimerobot-untyped-nullables",
        "uptimerobot",
        "*",
        "`nullable` next to a `oneOf` without `type` (postValueData, keywordCaseType)",
        "OpenAPI 3.0.3 ignores `nullable` without `type`, so the null the API returns would be refused",
        "OpenAPI 3.0.3 §4.7.25; GoSuccessHQ/uptimerobot-api README (null fields in monitor reads)",
        patch=_null_branch_for_untyped_nullables,
    ),
    Deviation(
        "uptimerobot-psps-json",
        "uptimerobot",
        "* /psps*",
        "status pages are created and updated with JSON bodies; the spec lists only multipart/form-data",
        "multipart is needed only to upload a logo or icon; the official provider always sends JSON",
        "uptimerobot/terraform-provider-uptimerobot internal/client/psp.go (JSON create/update, "
        "multipart only for logo/icon uploads), CHANGELOG 1.4.0",
        patch=_status_pages_take_json,
    ),
    Deviation(
        "uptimerobot-integration-update-type",
        "uptimerobot",
        "PATCH /integrations/*",
        "an integration update must name its `type`; the spec makes it optional",
        "the live API refuses a PATCH without it; the official provider always sends `{type, data}`",
        "GoSuccessHQ/uptimerobot-api README (live-verified); uptimerobot/terraform-provider-uptimerobot "
        "internal/client/integration.go",
        patch=_integration_updates_name_their_type,
    ),
    Deviation(
        "uptimerobot-pagerduty-spelling",
        "uptimerobot",
        "* /integrations*",
        "PagerDuty integrations are read back as type `PagerDuty`; the spec spells it `Pagerduty`",
        "the official provider sends and reads `PagerDuty` and passes its live acceptance test; the API "
        "takes both spellings",
        "uptimerobot/terraform-provider-uptimerobot internal/provider/integration/types.go "
        "(TransformIntegrationTypeToAPI), resource_acc_test.go (PagerDuty)",
        patch=_pagerduty_spelt_both_ways,
    ),
    Deviation(
        "uptimerobot-webhook-custom-value",
        "uptimerobot",
        "GET /integrations*",
        "a webhook's options come back packed in `customValue` as a JSON string "
        "(`postValue`, `sendJSON`, `sendQuery`, `sendPost`), not in the fields they were sent as",
        "response-side: the spec's IntegrationDto names only customValue..customValue4",
        "uptimerobot/terraform-provider-uptimerobot internal/provider/integration/resource.go "
        "(webhookConfig, parseWebhookStateFields)",
    ),
    Deviation(
        "uptimerobot-config-null",
        "uptimerobot",
        "PATCH /monitors/*",
        "`config: null` clears every config key, but the schema is not nullable",
        "UpdateMonitorDto's own description says so; verified live",
        "specs/uptimerobot-openapi.yaml UpdateMonitorDto.config; GoSuccessHQ/uptimerobot-api README",
        patch=_nullable_monitor_config,
    ),
    Deviation(
        "uptimerobot-page-design",
        "uptimerobot",
        "* /psps*",
        "status-page design values are lower-case (`light`, `logo_on_left`, `compact`)",
        "the live validator refuses the spec's `Light`/`LogoOnLeft`/`Compact` and answers lower-case",
        "GoSuccessHQ/uptimerobot-api README (customSettings, live-verified)",
        patch=_lower_case_page_design,
    ),
    # What the sandbox assumes where no source settles how a monitor is run (`where` "check": the vendor's
    # own checks, not a route; sandbox/uptimerobot/checker.py). Each says why the choice is the likely one.
    Deviation(
        "uptimerobot-first-check",
        "uptimerobot",
        "check",
        "a new or restarted monitor is checked at once, then every `interval`",
        "no source says whether the first check waits one interval; the dashboard shows a new monitor's "
        "first result within moments",
        "docs/vendors/uptimerobot.md (How a monitor is checked); uptimerobot/ai AGENTS.md (STARTED until "
        "its first check)",
    ),
    Deviation(
        "uptimerobot-heartbeat-start",
        "uptimerobot",
        "check",
        "a heartbeat monitor that never received a request goes down `interval` + `gracePeriod` after it "
        "was created or started",
        "the sources say down when no request arrives within interval + grace, not from when",
        "uptimerobot/ai skills/create-heartbeat-monitor/SKILL.md; specs/uptimerobot-openapi.yaml gracePeriod",
    ),
    Deviation(
        "uptimerobot-heartbeat-answer",
        "uptimerobot",
        "check",
        "a heartbeat URL takes GET, HEAD and POST and answers 200; an unknown token 404",
        "the vendor documents only that a GET reaches the monitor",
        "uptimerobot/ai skills/create-heartbeat-monitor/SKILL.md",
    ),
    Deviation(
        "uptimerobot-check-reasons",
        "uptimerobot",
        "check",
        "an incident without an HTTP status has `cause` 0 and a `reason` such as `Host not found` or "
        "`Connection refused`",
        "the official CLI's fixtures show `503 Service Unavailable` (cause 503) and `Connection timeout`; no "
        "source lists the others",
        "uptimerobot/uptimerobot-cli test/columns.test.ts, src/output/style.ts",
    ),
    Deviation(
        "uptimerobot-response-time-points",
        "uptimerobot",
        "GET /monitors/*/stats/response-time*",
        "response times are what the sandbox's checks measured while up; points are 1-, 5- or 30-minute "
        "means by the range's length",
        "live answers show points of those spacings and `data_points` counting points, not checks; no "
        "source gives the rule",
        "GoSuccessHQ/uptimerobot-api docs/monitors/responseTimeStats.md, "
        "tests/Integration/MonitorsReadOnlyTest.php",
    ),
    Deviation(
        "uptimerobot-uptime-stats-frames",
        "uptimerobot",
        "GET /monitors/uptime-stats",
        "time frames end now; MONTH starts on the 1st (UTC), ALL at the account's first monitor or downtime",
        "the spec names the frames without their bounds",
        "specs/uptimerobot-openapi.yaml (MonitorsController_getUptimeStats, UptimeStatsDto)",
    ),
    Deviation(
        "uptimerobot-plan-features",
        "uptimerobot",
        "GET /incidents/*/comments",
        "incident comments (and status-page announcements) need the Team or Enterprise plan (403 `000-003` "
        "otherwise)",
        "the 403 was read live on the Solo plan; no source says which plans have the features",
        "GoSuccessHQ/uptimerobot-api docs/incidentComments/list.md",
    ),
    Deviation(
        "uptimerobot-up-alerts",
        "uptimerobot",
        "check",
        "the up alert goes to the contacts whose `threshold` the incident reached",
        "a contact never told of a short outage is not told it ended; undocumented",
        "specs/uptimerobot-openapi.yaml (assignedAlertContacts threshold, recurrence)",
    ),
    Deviation(
        "uptimerobot-pagerduty-events",
        "uptimerobot",
        "check",
        "a PagerDuty integration sends an Events v2 trigger per monitor (dedup key per monitor, severity "
        "critical) and, with `autoResolve`, a resolve on up",
        'the spec names only the key, location and "Auto-resolve incidents after up event"',
        "specs/uptimerobot-openapi.yaml (CreatePagerdutyBaseIntegrationDto); "
        "uptimerobot/terraform-provider-uptimerobot docs/resources/integration.md",
    ),
    Deviation(
        "uptimerobot-window-time-zone",
        "uptimerobot",
        "check",
        "maintenance windows start at `time` UTC",
        "the account's time zone applies and is not in the API; the sandbox's accounts are on UTC",
        "help.uptimerobot.com/en/articles/11360884; docs/vendors/uptimerobot.md (Maintenance windows)",
    ),
    Deviation(
        "uptimerobot-redirects",
        "uptimerobot",
        "check",
        "a check follows at most 10 redirects (with `followRedirections`)",
        "the limit is undocumented; 10 is what common HTTP clients allow at most by default",
        "help.uptimerobot.com/en/articles/11360863 (followRedirections)",
    ),
]
