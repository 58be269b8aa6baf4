"""UptimeRobot integrations on `/integrations`: Slack, generic webhook, PagerDuty.

The API returns every integration in one flat shape (value, customValue..customValue4); which input
lands where is listed in `FIELDS`. Webhook URLs and PagerDuty keys are secrets.
"""

from __future__ import annotations

from typing import Any, ClassVar, Literal

from pydantic import Field

from ..spec import Failure, Inputs
from . import client as api
from .collection import CollectionSpec

Kind = Literal["slack", "webhook", "pagerduty"]
API_TYPE = {"slack": "Slack", "webhook": "Webhook", "pagerduty": "Pagerduty"}
REQUIRED = {"slack": ("webhook_url",), "webhook": ("url",), "pagerduty": ("integration_key",)}


class IntegrationInputs(Inputs):
    name: str = Field(min_length=1, max_length=60)
    kind: Kind
    notify_on: Literal["UpAndDown", "Down", "Up", "None"] = "UpAndDown"
    ssl_expiration_reminder: bool = False
    webhook_url: str | None = Field(None, max_length=1500, description="slack: incoming-webhook URL (secret)")
    channel: str = Field("", max_length=5000, description="slack: custom message value / channel")
    url: str | None = Field(None, max_length=1500, description="webhook: URL to notify (secret)")
    post_value: str = ""
    send_as_json: bool = True
    send_as_query_string: bool = False
    send_as_post_parameters: bool = False
    custom_headers: dict[str, str] = Field(default_factory=dict)
    integration_key: str | None = Field(
        None, min_length=32, description="pagerduty: integration key (secret)"
    )
    location: Literal["us", "eu"] = "us"
    auto_resolve: bool = True


def _flag(value: bool) -> str:
    return "1" if value else "0"


class IntegrationSpec(CollectionSpec[IntegrationInputs]):
    kind = "uptimerobot:Integration"
    path = "/integrations"
    model = IntegrationInputs
    replace_on: ClassVar[frozenset[str]] = frozenset({"kind"})
    secret_fields: ClassVar[frozenset[str]] = frozenset({"webhook_url", "url", "integration_key"})

    def semantic_failures(self, model: IntegrationInputs) -> list[Failure]:
        return [
            (name, f"{name}: required for {model.kind} integrations")
            for name in REQUIRED[model.kind]
            if not getattr(model, name)
        ]

    def data(self, m: IntegrationInputs) -> dict[str, Any]:
        common = {
            "friendlyName": m.name,
            "enableNotificationsFor": m.notify_on,
            "sslExpirationReminder": m.ssl_expiration_reminder,
        }
        if m.kind == "slack":
            return {**common, "webhookURL": m.webhook_url, "customValue": m.channel}
        if m.kind == "webhook":
            return {
                **common,
                "urlToNotify": m.url,
                "postValue": m.post_value,
                "sendAsJSON": m.send_as_json,
                "sendAsQueryString": m.send_as_query_string,
                "sendAsPostParameters": m.send_as_post_parameters,
                "customHeaders": m.custom_headers,
            }
        return {
            **common,
            "integrationKey": m.integration_key,
            "location": m.location,
            "autoResolve": m.auto_resolve,
        }

    def project(self, obj: dict[str, Any]) -> dict[str, Any]:
        kind = {v: k for k, v in API_TYPE.items()}.get(str(obj.get("type")), str(obj.get("type")).lower())
        out: dict[str, Any] = {
            "name": api.text(obj.get("friendlyName")),
            "kind": kind,
            "notify_on": api.notify_on(obj.get("enableNotificationsFor")),
            "ssl_expiration_reminder": bool(obj.get("sslExpirationReminder")),
        }
        if kind == "slack":
            out.update(webhook_url=obj.get("value"), channel=obj.get("customValue") or "")
        elif kind == "webhook":
            out.update(
                url=obj.get("value"),
                post_value=obj.get("customValue") or "",
                send_as_json=obj.get("customValue2") == "1",
                send_as_query_string=obj.get("customValue3") == "1",
                send_as_post_parameters=obj.get("customValue4") == "1",
                custom_headers=obj.get("customHeaders") or {},
            )
        elif kind == "pagerduty":
            out.update(
                integration_key=obj.get("value"),
                location=obj.get("customValue") or "us",
                auto_resolve=obj.get("customValue2") != "0",
            )
        return out

    def create_body(self, inputs: IntegrationInputs) -> dict[str, Any]:
        # PATCH must repeat the type too (live behaviour, shared/reference/uptimerobot.md §2.4).
        return {"type": API_TYPE[inputs.kind], "data": self.data(inputs)}

    update_body = create_body

    def refuses_duplicates(self, inputs: IntegrationInputs) -> bool:
        return True  # 409 "Integration already exists"

    def same(self, obj: dict[str, Any], inputs: IntegrationInputs) -> bool:
        secret = inputs.webhook_url or inputs.url or inputs.integration_key
        return obj.get("type") == API_TYPE[inputs.kind] and obj.get("value") == secret


SPEC = IntegrationSpec()
