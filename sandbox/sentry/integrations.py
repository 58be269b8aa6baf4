"""Installed integrations (docs/vendors/sentry.md, alerts): the lookups that Slack and PagerDuty alert
actions reference, and the PagerDuty integration's service table.

The sandbox seeds a Slack workspace and a PagerDuty account with one service; more can be seeded through
the control API. Installing an integration is an OAuth-like flow in the web app, never an API call.

A PagerDuty integration's services are rows of ``configData.service_table`` (``{service, integration_key,
id}``), changed with a POST of the whole table to the integration (a private endpoint, absent from the spec:
deviation ``sentry-integration-config``). Rows are matched by their integer id (an id sent as a string
matches nothing); a row whose id is falsy (0, null) is new and gets one; a row left out is deleted; a row
without a service name or key refuses the whole update with 400 ``{"detail": "Name and key are required"}``;
success is 200 without a body (getsentry/sentry src/sentry/integrations/pagerduty/integration.py
update_organization_config; src/sentry/integrations/api/endpoints/organization_integration_details.py post;
jianyuan/terraform-provider-sentry internal/provider/resource_integration_pagerduty.go and
internal/apiclient/api.yaml updateOrganizationIntegration).
"""

from typing import Any

from flask import Blueprint, Response, request

from sandbox.collection import Controlled
from sandbox.sentry import orgs, repo
from sandbox.sentry.errors import ApiError, not_found
from sandbox.sentry.web import body, json_response, paginate, route
from sandbox.store import Store

routes = Blueprint("sentry_integrations", __name__)

SLACK_ID, PAGERDUTY_ID = 24817, 24818
PAGERDUTY_SERVICE = {
    "id": 1,  # rows are PagerDutyService models: integer ids (get_config_data serialises `s.id`)
    "service": "optio-backend",
    "integration_key": "5f3e2d1c0b9a88776655443322110ffe",
}
PROVIDERS: dict[str, dict[str, Any]] = {
    "slack": {
        "name": "Slack",
        "features": ["alert-rule", "chat-unfurl"],
        "domain": "lookout-sandbox.slack.com",
    },
    "pagerduty": {
        "name": "PagerDuty",
        "features": ["alert-rule", "incident-management"],
        "domain": "lookout.pagerduty.com",
    },
}

# The channels of the seeded Slack workspace (Slack's ids are C + 10 characters). A Slack action names a
# channel; Sentry looks its id up through Slack, so a name Slack does not know is refused.
SLACK_CHANNELS = {
    name: f"C0SANDBOX{index:02d}"
    for index, name in enumerate(("general", "alerts", "alerts-dev", "alerts-prod", "ops", "monitoring"))
}

Doc = dict[str, Any]


def seed(store: Store) -> None:
    store.put(
        orgs.VENDOR,
        repo.INTEGRATIONS,
        orgs.ORG_ID,
        document(SLACK_ID, "Lookout Slack", "slack", {"installationType": "born_as_bot"}),
    )
    config = {"service_table": [PAGERDUTY_SERVICE]}
    store.put(
        orgs.VENDOR,
        repo.INTEGRATIONS,
        orgs.ORG_ID,
        document(PAGERDUTY_ID, "Lookout PagerDuty", "pagerduty", config),
    )


def document(integration_id: int, name: str, provider: str, config: Doc) -> Doc:
    return {
        "id": integration_id,
        "name": name,
        "provider": provider,
        "configData": config,
        "externalId": f"E{integration_id}",
        "status": "active",
    }


def dto(integration: Doc, include_config: bool) -> Doc:
    key = integration["provider"]
    provider = PROVIDERS.get(key, {"name": key.title(), "features": [], "domain": None})
    return {
        "id": str(integration["id"]),
        "name": integration["name"],
        "icon": None,
        "domainName": provider["domain"],
        "accountType": None,
        "scopes": None,
        "outOfDate": False,
        "status": integration["status"],
        "provider": {
            "key": key,
            "slug": key,
            "name": provider["name"],
            "canAdd": True,
            "canDisable": False,
            "features": provider["features"],
            "aspects": {},
        },
        "configOrganization": [],
        "configData": integration["configData"] if include_config else None,
        "externalId": integration["externalId"],
        "organizationId": orgs.ORG_ID,
        "organizationIntegrationStatus": "active",
        "gracePeriodEnd": None,
    }


def of_provider(integration_id: Any, provider: str) -> Doc | None:
    """The integration with this id if it is one of ``provider`` (``slack``, ``pagerduty``)."""
    found = repo.by_id(repo.INTEGRATIONS, integration_id)
    return found if found is not None and found["provider"] == provider else None


def slack_channel(integration: Doc, name: str) -> str | None:
    """The id of channel `name` (without ``#``) in the workspace of a Slack integration."""
    return SLACK_CHANNELS.get(name)


def service(integration: Doc, service_id: str) -> Doc | None:
    """A row of a PagerDuty integration's ``service_table``."""
    table = (integration.get("configData") or {}).get("service_table") or []
    return next((row for row in table if str(row.get("id")) == service_id), None)


@route(routes, "/organizations/<org>/integrations/", "GET")
def list_integrations(org: str) -> Response:
    orgs.resolve(org)
    provider = request.args.get("providerKey")
    found = [item for item in repo.find(repo.INTEGRATIONS) if provider in (None, item["provider"])]
    include = request.args.get("includeConfig", "").lower() in ("1", "true")
    return paginate(found, lambda item: dto(item, include))


@route(routes, "/organizations/<org>/integrations/<id>/", "GET")
def get_integration(org: str, id: str) -> Response:
    orgs.resolve(org)
    found = repo.by_id(repo.INTEGRATIONS, id)
    if found is None:
        raise not_found()
    return json_response(dto(found, include_config=True))


@route(routes, "/organizations/<org>/integrations/<id>/", "POST")
def update_config(org: str, id: str) -> Response:
    orgs.resolve(org)
    found = repo.by_id(repo.INTEGRATIONS, id)
    if found is None:
        raise not_found()
    data = body()
    if found["provider"] == "pagerduty" and "service_table" in data:
        found["configData"] = {"service_table": _service_table(found, data["service_table"])}
        repo.save(repo.INTEGRATIONS, found)
    return Response(status=200)


def _service_table(integration: Doc, rows: Any) -> list[Doc]:
    if not isinstance(rows, list) or any(
        not isinstance(r, dict) or not r.get("service") or not r.get("integration_key") for r in rows
    ):
        raise ApiError(400, {"detail": "Name and key are required"})
    existing = (integration.get("configData") or {}).get("service_table") or []
    kept = []
    for row in existing:  # matched by id, the stored integer (`x["id"] == service_item.id`); else deleted
        match = next((r for r in rows if _same_id(r.get("id"), row["id"])), None)
        if match is not None:
            kept.append(
                {"service": match["service"], "integration_key": match["integration_key"], "id": row["id"]}
            )
    for row in rows:
        if not row.get("id"):  # "new rows don't have an id": 0, null or "" (`not x["id"]`)
            kept.append(
                {"service": row["service"], "integration_key": row["integration_key"], "id": repo.new_id()}
            )
    return kept


def _same_id(sent: Any, stored: int) -> bool:
    """Python's `==` as Sentry's filter applies it: the integer only (a bool is not an id); "1" is not 1."""
    return isinstance(sent, int) and not isinstance(sent, bool) and sent == stored


def _seed(data: Doc) -> Doc:
    provider = data.get("provider")
    key = provider.get("key") if isinstance(provider, dict) else provider
    config = data.get("configData") or {}
    return repo.save(repo.INTEGRATIONS, document(repo.new_id(), str(data.get("name", key)), str(key), config))


def _rows(view: Doc) -> list[str]:
    """The PagerDuty integration's service rows: each is an object Lookout makes (a PagerDutyService)."""
    return [
        f"{view['name']} {row['service']}"
        for row in (view.get("configData") or {}).get("service_table") or []
    ]


# Out of band (sandbox/sentry/control.py): shown as the API shows it; seeded without validation.
CONTROLLED = Controlled(
    repo.INTEGRATIONS,
    lambda integration: dto(integration, True),
    lambda integration: repo.remove(repo.INTEGRATIONS, integration["id"]),
    names=_rows,
    create=_seed,
)
