"""Where the live APIs depart from their official specs: the one table, each row with its reason and source.

The sandbox checks every request against the vendor's spec (``sandbox/contract.py``). A row here changes
that check for the requests it names (``where``: ``METHOD /path`` relative to the vendor's base URL, ``*``
matching anything; ``*`` alone: the whole document):

* ``patch`` edits the loaded spec where the document is wrong about what the live API accepts;
* ``rewrite`` turns the body into the spec's form before the check (it is handled as sent);
* ``skip`` leaves the request unchecked: the spec lacks the operation the live API still answers.

Rows with none of the three record a response-side difference: the sandbox answers as the live API does,
and the fidelity tests (``tests/sandbox/test_*_fidelity.py``) name the row when they meet it. The README's
"Fidelity" section lists this table; ``tests/unit/test_deviations.py`` keeps the two in step.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

Spec = dict[str, Any]


@dataclass(frozen=True)
class Deviation:
    key: str  # short, stable name used by tests and the README
    vendor: str
    where: str
    what: str
    reason: str
    source: str
    patch: Callable[[Spec], None] | None = None
    rewrite: Callable[[Any], Any] | None = None
    skip: bool = False

    def applies(self, method: str, path: str) -> bool:
        return self.where == "*" or fnmatch.fnmatchcase(f"{method.upper()} {path}", self.where)


# -- UptimeRobot -----------------------------------------------------------------------------------------


def _walk(node: Any, visit: Callable[[dict[str, Any]], None]) -> None:
    if isinstance(node, list):
        for item in node:
            _walk(item, visit)
    elif isinstance(node, dict):
        children = list(node.values())  # what `visit` puts in is not visited again
        visit(node)
        for value in children:
            _walk(value, visit)


def _unslash_patterns(spec: Spec) -> None:
    def visit(node: dict[str, Any]) -> None:
        pattern = node.get("pattern")
        if isinstance(pattern, str) and len(pattern) > 1 and pattern[0] == pattern[-1] == "/":
            node["pattern"] = pattern[1:-1]

    _walk(spec, visit)


def _null_in_nullable_enums(spec: Spec) -> None:
    def visit(node: dict[str, Any]) -> None:
        if node.get("nullable") and isinstance(node.get("enum"), list) and None not in node["enum"]:
            node["enum"].append(None)

    _walk(spec, visit)


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

    _walk(spec, visit)


def _null_branch_for_untyped_nullables(spec: Spec) -> None:
    def visit(node: dict[str, Any]) -> None:
        if node.get("nullable") and "type" not in node and "oneOf" in node:
            node["oneOf"].append({"enum": [None]})

    _walk(spec, visit)


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
]


# -- Sentry ----------------------------------------------------------------------------------------------

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
            node.clear()
            node["anyOf"] = [{"type": "integer"}, {"type": "string", "pattern": r"^-?\d+$"}]

    for body in _request_bodies(spec):  # a derefed spec: request schemas are copies of their own
        _walk(body, visit)


def _nullable_key_rate_limit(spec: Spec) -> None:
    path = spec["paths"]["/api/0/projects/{organization_id_or_slug}/{project_id_or_slug}/keys/{key_id}/"]
    schema = path["put"]["requestBody"]["content"]["application/json"]["schema"]
    schema["properties"]["rateLimit"]["nullable"] = True


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
        "sentry-retired-alert-rules",
        "sentry",
        "* /*rules/*",
        "the retired issue-alert and metric-alert rule endpoints are gone from the spec",
        "live they still answer, with 410 and deprecation headers, until removed",
        "getsentry/sentry-api-schema commit 0867556 (removal); getsentry/sentry PR 117469 (brownouts)",
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
        "sentry-undocumented-statuses",
        "sentry",
        "*",
        "429 (rate limit) and most 401s are documented nowhere in the spec",
        "response-side: bodies come from the rate-limit middleware and DRF authentication",
        "getsentry/sentry src/sentry/middleware/ratelimit.py; https://docs.sentry.io/api/ratelimits/",
    ),
]


# -- Render ----------------------------------------------------------------------------------------------


def _service_details_any_of(spec: Spec) -> None:
    schemas = spec["components"]["schemas"]
    for name in ("service", "servicePATCH", "servicePOST"):
        details = schemas[name]["properties"]["serviceDetails"]
        details["anyOf"] = details.pop("oneOf")
    for name in ("envSpecificDetails", "envSpecificDetailsPATCH", "envSpecificDetailsPOST"):
        schemas[name]["anyOf"] = schemas[name].pop("oneOf")


def _override_list_without_type(spec: Spec) -> None:
    override = spec["components"]["schemas"]["notificationOverrideWithCursor"]["properties"]["override"]
    override["required"] = [name for name in override["required"] if name != "type"]


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
        "render-repeated-ratelimit-headers",
        "render",
        "PATCH /notification-settings/owners/*",
        "some answers carry each `Ratelimit-*` header twice, from two limiters, and the values may differ "
        "(a client joining them reads `496, 498`)",
        "response-side: the sandbox repeats them where they were recorded; clients take the lower remaining",
        "render-oss/terraform-provider-render internal/provider/notifications/resource/testdata/"
        "notifications_resource_cassette.yaml (interactions 0 and 3)",
    ),
]


# -- PagerDuty -------------------------------------------------------------------------------------------


def _writable_ids_and_types(spec: Spec) -> None:
    base = spec["components"]["schemas"]["Tag"]["allOf"][0]["properties"]
    for name in ("id", "type"):
        base[name].pop("readOnly", None)


def _nullable_timeouts(spec: Spec) -> None:
    for part in spec["components"]["schemas"]["Service"]["allOf"]:
        for name in ("auto_resolve_timeout", "acknowledgement_timeout"):
            if name in part.get("properties", {}):
                part["properties"][name]["nullable"] = True


PAGERDUTY = [
    Deviation(
        "pagerduty-readonly-references",
        "pagerduty",
        "*",
        "`id` and `type` are readOnly in the base schema every object and reference extends, yet references "
        "require both and objects require `type` in request bodies",
        "the spec's own request examples send them (POST /services: `type` and an escalation_policy "
        "reference `{id, type}`); every client must",
        "specs/pagerduty-rest-openapi.json (components.schemas.Tag.allOf[0], Reference.required, the POST "
        "/services request example)",
        patch=_writable_ids_and_types,
    ),
    Deviation(
        "pagerduty-nullable-timeouts",
        "pagerduty",
        "* /services*",
        "a service's `auto_resolve_timeout` and `acknowledgement_timeout` take and read back `null` (the "
        "feature off), but the schema is a plain integer",
        "the fields' own descriptions: \"Value is `null` if the feature is disabled ... Setting this "
        'field to `0`, `null` ... will disable the feature"',
        "specs/pagerduty-rest-openapi.json (components.schemas.Service, auto_resolve_timeout and "
        "acknowledgement_timeout descriptions)",
        patch=_nullable_timeouts,
    ),
    Deviation(
        "pagerduty-integration-delete",
        "pagerduty",
        "DELETE /services/*/integrations/*",
        "a service integration can be deleted; the spec lists no DELETE for it",
        "the official Terraform provider deletes integrations through this undocumented endpoint",
        "PagerDuty/terraform-provider-pagerduty pagerduty/resource_pagerduty_service_integration.go "
        "(resourcePagerDutyServiceIntegrationDelete); hashicorp/terraform#10891",
        skip=True,
    ),
    Deviation(
        "pagerduty-integration-key",
        "pagerduty",
        "GET /services/*/integrations/*",
        "integrations are read back with their `integration_key`, which the Integration schema does not list",
        "response-side: the sandbox answers with the key, as the live API does",
        "PagerDuty/terraform-provider-pagerduty (reads integration_key; pagerdutyplugin/"
        "data_source_pagerduty_integration_test.go outputs it)",
    ),
    Deviation(
        "pagerduty-reference-not-found",
        "pagerduty",
        "* /escalation_policies*",
        "a rule target that does not resolve (unknown id, or the wrong type) is answered 404 `Not Found` "
        "2100, not 400",
        "response-side: the sandbox answers 404 as the server does",
        "heimweh/go-pagerduty#33 (a target of the wrong type: 404, code 2100)",
    ),
]

TABLE: list[Deviation] = [*UPTIMEROBOT, *SENTRY, *RENDER, *PAGERDUTY]


def for_vendor(vendor: str) -> list[Deviation]:
    return [d for d in TABLE if d.vendor == vendor]


def named(key: str) -> Deviation:
    """The row `key` (tests name the deviation they meet, so a removed row fails them)."""
    return next(d for d in TABLE if d.key == key)
