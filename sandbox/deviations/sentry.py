"""Where the Sentry API departs from its official spec (rows of the table in sandbox/deviations)."""

from __future__ import annotations

import re
from typing import Any

from .base import Deviation, Spec, walk

_CAMEL = re.compile(r"(?<=[a-z0-9])([A-Z])")


def _snake_keys(value: Any) -> Any:
    if isinstance(value, dict):
        return {_CAMEL.sub(r"_\1", key).lower(): _snake_keys(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_snake_keys(item) for item in value]
    return value


def _request_bodies(spec: Spec) -> list[Any]:
    return [
        operation["requestBody"]
        for item in spec["paths"].values()
        for operation in item.values()
        if isinstance(operation, dict) and "requestBody" in operation
    ]


def _numeric_strings(spec: Spec) -> None:
    def visit(node: dict[str, Any]) -> None:
        if node.get("type") == "integer":
            nullable = node.pop("nullable", False)
            integer = dict(node)  # bounds stay on the integer branch
            node.clear()
            node["anyOf"] = [integer, {"type": "string", "pattern": r"^-?\d+$"}]
            if nullable:
                node["anyOf"].append({"enum": [None]})  # nullable without a type is ignored

    for body in _request_bodies(spec):  # a derefed spec: request schemas are copies of their own
        walk(body, visit)


def _nullable_key_rate_limit(spec: Spec) -> None:
    path = spec["paths"]["/api/0/projects/{organization_id_or_slug}/{project_id_or_slug}/keys/{key_id}/"]
    schema = path["put"]["requestBody"]["content"]["application/json"]["schema"]
    schema["properties"]["rateLimit"]["nullable"] = True


def _partial_issue_update(spec: Spec) -> None:
    path = spec["paths"]["/api/0/organizations/{organization_id_or_slug}/issues/{issue_id}/"]
    path["put"]["requestBody"]["content"]["application/json"]["schema"].pop("required", None)


SENTRY = [
    Deviation(
        "sentry-camel-bodies",
        "sentry",
        "* /organizations/*/*detectors/*",
        "monitor (detector) bodies are camelCase (`dataSources`), the spec names them in snake_case",
        "the spec is generated from a CamelSnakeSerializer: snake_case names, camelCase on the wire",
        "specs/sentry-openapi.json (schema description); jianyuan/terraform-provider-sentry "
        "internal/apiclient/api.yaml",
        rewrite=_snake_keys,
    ),
    Deviation(
        "sentry-camel-workflows",
        "sentry",
        "* /organizations/*/workflows/*",
        "alert (workflow) bodies are camelCase (`actionFilters`), the spec names them in snake_case",
        "as for monitors: CamelSnakeSerializer",
        "specs/sentry-openapi.json (schema description); jianyuan/terraform-provider-sentry "
        "internal/apiclient/api.yaml",
        rewrite=_snake_keys,
    ),
    Deviation(
        "sentry-camel-dashboards",
        "sentry",
        "* /organizations/*/dashboards/*",
        "dashboard bodies are camelCase (`displayType`, `widgetType`, `minH`), the spec names them in "
        "snake_case",
        "the request serializers are CamelSnakeSerializers, as the spec's own descriptions say",
        "specs/sentry-openapi.json (createOrganizationDashboard schema description); getsentry/sentry "
        "src/sentry/api/serializers/rest_framework/dashboard.py",
        rewrite=_snake_keys,
    ),
    Deviation(
        "sentry-numeric-strings",
        "sentry",
        "*",
        'ids the spec types as integers in request bodies are taken as numeric strings too (`"123"`)',
        "Django REST framework's IntegerField converts strings; Sentry returns ids as strings and clients "
        "send them back so",
        "encode/django-rest-framework rest_framework/fields.py (IntegerField.to_internal_value); "
        "jianyuan/terraform-provider-sentry internal/apiclient/api.yaml (string ids in requests)",
        patch=_numeric_strings,
    ),
    Deviation(
        "sentry-key-rate-limit-null",
        "sentry",
        "PUT /projects/*/*/keys/*/",
        "`rateLimit: null` on a key update clears the limit; the update schema is not nullable",
        "the details endpoint treats an explicit null as 'remove the limit' (omitted: unchanged)",
        "getsentry/sentry src/sentry/core/endpoints/project_key_details.py (put), "
        "src/sentry/api/serializers/rest_framework/project_key.py (ProjectKeyPutSerializer)",
        patch=_nullable_key_rate_limit,
    ),
    Deviation(
        "sentry-partial-issue-update",
        "sentry",
        "PUT /organizations/*/issues/*/",
        'an issue update sends only what changes (`{"status": "resolved"}`); the spec marks every field '
        "of the body required",
        "the endpoint validates the body with GroupValidator(partial=True): no field is required",
        "getsentry/sentry src/sentry/api/helpers/group_index/update.py (update_groups, GroupValidator)",
        patch=_partial_issue_update,
    ),
    Deviation(
        "sentry-retired-alert-rules",
        "sentry",
        "* /*rules/*",
        "the retired issue-alert and metric-alert rule endpoints are gone from the spec",
        "live they still answer, with 410 and deprecation headers, until removed",
        "getsentry/sentry-api-schema commit 0867556 (removal); getsentry/sentry PR 117469 (brownouts)",
        skip=True,
    ),
    Deviation(
        "sentry-api-index",
        "sentry",
        "GET /",
        "the API index (version, the token's scopes, its user) is not in the spec",
        "live it answers; sentry-cli info calls it and nothing else",
        "getsentry/sentry src/sentry/api/endpoints/index.py (IndexEndpoint); getsentry/sentry-cli "
        "src/api/mod.rs (get_auth_info)",
        skip=True,
    ),
    Deviation(
        "sentry-integration-config",
        "sentry",
        "POST /organizations/*/integrations/*/",
        "an integration's configuration (a PagerDuty integration's service table) is changed by a POST the "
        "spec does not list (a private endpoint)",
        "Sentry's web app and the official Terraform provider use it; there is no other way",
        "getsentry/sentry src/sentry/integrations/api/endpoints/organization_integration_details.py (post, "
        "PRIVATE); jianyuan/terraform-provider-sentry internal/apiclient/api.yaml "
        "(updateOrganizationIntegration)",
        skip=True,
    ),
    Deviation(
        "sentry-team-conflict",
        "sentry",
        "POST /organizations/*/teams/",
        "a taken team slug is answered 409 with `non_field_errors` and `detail`; the spec says 404",
        "response-side: the sandbox answers 409 as the server does",
        "getsentry/sentry src/sentry/core/endpoints/organization_teams.py (post)",
    ),
    Deviation(
        "sentry-events-unknown-environment",
        "sentry",
        "GET /organizations/*/events/",
        "an `environment` the organization does not have is answered 404 `The requested resource does not "
        "exist`, a status the operation does not document",
        "response-side: get_environments raises ResourceDoesNotExist for names it cannot find",
        "getsentry/sentry src/sentry/api/helpers/environments.py (get_environments)",
    ),
    # What the sandbox assumes where no source settles how Sentry evaluates (`where` "check": Sentry's own
    # work, not a route; sandbox/sentry/evaluation.py, metric_alerts.py, spans.py).
    Deviation(
        "sentry-percentiles",
        "sentry",
        "check",
        "percentiles of span durations (`p95(span.duration)`) are exact, interpolated between ranks",
        "Sentry's storage estimates them; no source gives its method and error, so the sandbox computes "
        "the value the estimate approaches",
        "getsentry/sentry src/sentry/search/eap/spans/aggregates.py (p50-p100 of span.duration)",
    ),
    Deviation(
        "sentry-metric-dedup-key",
        "sentry",
        "check",
        "a metric alert's PagerDuty events share the dedup key `incident_<org id>_<open period id>`, so "
        "the resolve closes what the trigger opened",
        "the PagerDuty handler of the workflow engine was not found; the Opsgenie handler keys alerts by the "
        "open period so, and legacy metric alerts by the incident",
        "getsentry/sentry src/sentry/integrations/opsgenie/utils.py; src/sentry/integrations/pagerduty/"
        "utils.py (legacy `incident_<org>_<identifier>`)",
    ),
    Deviation(
        "sentry-metric-issue-stream",
        "sentry",
        "check",
        "a metric issue runs only the alerts linked to its own monitor, not the project's issue-stream "
        "alerts",
        "Sentry also runs the issue-stream alerts unless an organization option excludes metric issues; "
        "which it does by default is not in the code read",
        "getsentry/sentry src/sentry/workflow_engine/processors/detector.py (get_detectors_for_event_data)",
    ),
    Deviation(
        "sentry-undocumented-statuses",
        "sentry",
        "*",
        "429 (rate limit) and most 401s are documented nowhere in the spec",
        "response-side: bodies come from the rate-limit middleware and DRF authentication",
        "getsentry/sentry src/sentry/middleware/ratelimit.py; https://docs.sentry.io/api/ratelimits/",
    ),
]
