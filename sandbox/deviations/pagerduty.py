"""Where the PagerDuty API departs from its official spec (rows of the table in sandbox/deviations)."""

from __future__ import annotations

from typing import Any

from .base import Deviation, Spec, walk

PLACEHOLDER = "YYYY-MM-DDThh:mm:ssZ"


def _writable_ids_and_types(spec: Spec) -> None:
    base = spec["components"]["schemas"]["Tag"]["allOf"][0]["properties"]
    for name in ("id", "type"):
        base[name].pop("readOnly", None)


def _nullable_timeouts(spec: Spec) -> None:
    for part in spec["components"]["schemas"]["Service"]["allOf"]:
        for name in ("auto_resolve_timeout", "acknowledgement_timeout"):
            if name in part.get("properties", {}):
                part["properties"][name]["nullable"] = True


def _placeholder_patterns(spec: Spec) -> None:
    def visit(node: dict[str, Any]) -> None:
        if node.get("pattern") == PLACEHOLDER:
            del node["pattern"]

    walk(spec, visit)


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
    Deviation(
        "pagerduty-placeholder-pattern",
        "pagerduty",
        "GET /*change_events*",
        f"`since` and `until` carry `pattern: {PLACEHOLDER}`, a picture of the format, which as the regular "
        "expression it is declared to be matches no date",
        'the parameters\' own description ("a UTC ISO 8601 datetime string") and `format: date-time`, '
        "which the sandbox still enforces",
        "specs/pagerduty-rest-openapi.json (components.parameters.change_since, change_until)",
        patch=_placeholder_patterns,
    ),
]
