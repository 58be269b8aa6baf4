"""Installed integrations (docs/vendors/sentry.md, alerts): read-only lookups that Slack and PagerDuty
alert actions reference.

The sandbox seeds a Slack workspace and a PagerDuty account with one service; more can be seeded through
the control API.
"""

from typing import Any

from flask import Blueprint, Response, request

from sandbox.sentry import orgs, repo
from sandbox.sentry.errors import not_found
from sandbox.sentry.web import json_response, paginate, route
from sandbox.store import Store

routes = Blueprint("sentry_integrations", __name__)

SLACK_ID, PAGERDUTY_ID = 24817, 24818
PAGERDUTY_SERVICE = {
    "id": "1",
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
