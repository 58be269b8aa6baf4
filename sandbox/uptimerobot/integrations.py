"""``/integrations`` routes: Slack, Webhook and PagerDuty (other types are plan-gated, 403 ``021-003``).

IntegrationDto field mapping (the spec leaves it undocumented; this is how the official provider reads it,
uptimerobot/terraform-provider-uptimerobot ``internal/provider/integration/resource.go`` and its live
acceptance tests):

* Slack: value = webhookURL, customValue = the channel
* Webhook: value = urlToNotify; customValue = a JSON *string* ``{"postValue", "sendJSON", "sendQuery",
  "sendPost"}`` with "1"/"0" flags; customHeaders = customHeaders
* PagerDuty: type reads back ``PagerDuty`` (created as ``Pagerduty``, the spec's spelling); customValue =
  autoResolve "1"/"0", customValue2 = location; the integration key is never returned (value is empty)
"""

from typing import Any

from sandbox.collection import Controlled
from sandbox.uptimerobot import accounts, links, repo, schemas, serialize, web
from sandbox.uptimerobot.accounts import Account
from sandbox.uptimerobot.errors import (
    INTEGRATION_EXISTS_CODE,
    INTEGRATION_NOT_IN_PLAN_CODE,
    ApiError,
    BadRequest,
)

ALL_TYPES = (
    "Slack",
    "Telegram",
    "MSTeams",
    "Webhook",
    "Zapier",
    "Pagerduty",
    "GoogleChat",
    "Discord",
    "Splunk",
    "PushBullet",
    "Pushover",
    "Mattermost",
)
# type -> (create data schema, update data schema, {data field: DTO field})
SUPPORTED: dict[str, tuple[str, str, dict[str, str]]] = {
    "Slack": (
        "SlackBaseIntegrationDto",
        "UpdateSlackIntegrationDataDto",
        {"webhookURL": "value", "customValue": "customValue"},
    ),
    "Webhook": (
        "WebhookBaseIntegrationDto",
        "UpdateWebhookIntegrationDataDto",
        {
            "urlToNotify": "value",
            "postValue": "_postValue",
            "sendAsJSON": "_sendJSON",
            "sendAsQueryString": "_sendQuery",
            "sendAsPostParameters": "_sendPost",
            "customHeaders": "customHeaders",
        },
    ),
    "Pagerduty": (
        "CreatePagerdutyBaseIntegrationDto",
        "UpdatePagerdutyIntegrationDataDto",
        {"integrationKey": "_integrationKey", "autoResolve": "customValue", "location": "customValue2"},
    ),
}
# The official provider sends "PagerDuty" (deviation uptimerobot-pagerduty-spelling); stored as the spec's.
ACCEPTED_SPELLINGS = {"PagerDuty": "Pagerduty"}
_CREATE_DEFAULTS: dict[str, dict[str, Any]] = {
    "Webhook": {"sendAsJSON": False, "sendAsQueryString": False, "sendAsPostParameters": False},
    "Pagerduty": {"location": "us", "autoResolve": False},
}
_COMMON_FIELDS = ("friendlyName", "enableNotificationsFor", "sslExpirationReminder")


def create(account: Account, body: Any, *, checked: bool = True) -> dict[str, Any]:
    """Create an integration from a ``POST /integrations`` body (``{type, data}``)."""
    kind = _type_of(body)
    if checked:
        schemas.validate(SUPPORTED[kind][0], body.get("data"), prefix="data.")
    data = {**_CREATE_DEFAULTS.get(kind, {}), **(body.get("data") or {})}
    record = {"id": repo.new_id(), "type": kind, "status": "Active", "value": "", **_fields(kind, data)}
    if checked:
        _check_unique(account, record)
    return repo.save(repo.INTEGRATIONS, account.id, record)


def _type_of(body: Any) -> str:
    if not isinstance(body, dict):
        raise BadRequest("body must be an object")
    sent = str(body.get("type"))
    kind = ACCEPTED_SPELLINGS.get(sent, sent)
    if kind not in ALL_TYPES:
        raise BadRequest("type must be one of the following values: " + ", ".join(ALL_TYPES))
    if kind not in SUPPORTED:
        raise ApiError(
            403, f"The {kind} integration is not available on your plan", INTEGRATION_NOT_IN_PLAN_CODE
        )
    return str(kind)


def _fields(kind: str, data: dict[str, Any]) -> dict[str, Any]:
    """DTO fields for the ``data`` keys present."""
    fields = {name: data[name] for name in _COMMON_FIELDS if name in data}
    for source, target in SUPPORTED[kind][2].items():
        if source in data:
            value = data[source]
            fields[target] = ("1" if value else "0") if isinstance(value, bool) else value
    return fields


def _check_unique(account: Account, record: dict[str, Any]) -> None:
    def key(item: dict[str, Any]) -> tuple[Any, Any]:
        return item["type"], item.get("value") or item.get("_integrationKey")

    for other in repo.find(repo.INTEGRATIONS, account.id):
        if other["id"] != record["id"] and key(other) == key(record):
            raise ApiError(409, "Integration already exists", INTEGRATION_EXISTS_CODE)


def delete(account_id: int, integration_id: int) -> None:
    links.detach_contact(account_id, integration_id)
    repo.remove(repo.INTEGRATIONS, integration_id)


def update(account: Account, record: dict[str, Any], body: Any) -> dict[str, Any]:
    """Apply a ``PATCH /integrations/{id}`` body."""
    if not isinstance(body, dict):
        raise BadRequest("body must be an object")
    if "type" not in body:
        # Live: an update must name the type, although the spec makes it optional.
        raise BadRequest("type should not be empty")
    kind = _type_of(body)
    if kind != record["type"]:
        raise BadRequest(f"type must be {record['type']}: the type of an integration can not be changed")
    data = schemas.validate(SUPPORTED[kind][1], body.get("data"), prefix="data.")
    record.update(_fields(kind, data))
    _check_unique(account, record)
    return repo.save(repo.INTEGRATIONS, account.id, record)


COLLECTION = web.collection(
    "integrations",
    "/integrations",
    repo.INTEGRATIONS,
    lambda account_id: serialize.integration,
    create=lambda args, body: create(accounts.current(), body),
    update=lambda args, record, body: update(accounts.current(), record, body),
    delete=lambda args, record: delete(record["_account"], record["id"]),
)
# Out of band (sandbox/uptimerobot/control.py): shown as the API shows it to the record's account.
CONTROLLED = Controlled(
    repo.INTEGRATIONS,
    lambda record, _: serialize.integration(record),
    delete,
    names=lambda view: [view["friendlyName"]],
    create=create,
)
