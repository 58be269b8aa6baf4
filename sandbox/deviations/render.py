"""Where the Render API departs from its official spec (rows of the table in sandbox/deviations)."""

from __future__ import annotations

from .base import Deviation, Spec


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
