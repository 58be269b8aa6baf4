"""UptimeRobot integrations on `/integrations`: Slack, generic webhook, PagerDuty.

Bodies go out as `{type, data}`; every integration comes back in one flat shape, read as the official
provider reads it (docs/vendors/uptimerobot.md, integrations):

* Slack: `value` the webhook URL, `customValue` the channel;
* Webhook: `value` the URL; `customValue` a JSON string `{"postValue", "sendJSON", "sendQuery",
  "sendPost"}` (flags "1"/"0" or booleans, postValue a string or an object);
* PagerDuty (read back as type `PagerDuty`): `customValue` autoResolve "1"/"0", `customValue2` the
  location; the integration key is never returned, so it is write-only here (no drift can be seen on it,
  and adoption matches PagerDuty integrations by name).

Webhook URLs and PagerDuty keys are secrets.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any, ClassVar, Literal

from pydantic import Field, field_validator

from ..spec import Failure, Inputs
from . import client as api
from .collection import CollectionSpec

Kind = Literal["slack", "webhook", "pagerduty"]
API_TYPE = {"slack": "Slack", "webhook": "Webhook", "pagerduty": "Pagerduty"}  # as the spec spells them
KIND_OF = {name.lower(): kind for kind, name in API_TYPE.items()}  # reads say "PagerDuty": any case
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

    @field_validator("post_value")
    @classmethod
    def canonical_post_value(cls, value: str) -> str:
        """A JSON post value is kept in one spelling: the API may hand it back re-serialised."""
        return _canonical_json(value)


def _canonical_json(value: Any) -> str:
    if not isinstance(value, str):
        return json.dumps(value, sort_keys=True, separators=(",", ":"))
    try:
        return json.dumps(json.loads(value), sort_keys=True, separators=(",", ":")) if value else value
    except ValueError:
        return value


def _flag(value: Any) -> bool | None:
    """A webhook option as read back: "1"/"0", "true"/"false", a boolean or 1/0; None when absent."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return bool(value)
    if isinstance(value, str) and value.strip().lower() in ("1", "true", "0", "false"):
        return value.strip().lower() in ("1", "true")
    return None


def _webhook_options(obj: dict[str, Any]) -> dict[str, Any]:
    raw = obj.get("customValue")
    try:
        options = json.loads(raw) if isinstance(raw, str) and raw else (raw or {})
    except ValueError:
        options = {}
    if not isinstance(options, dict):
        options = {}

    def flag(key: str, top_level: str, default: bool) -> bool:
        found = _flag(options.get(key))
        found = _flag(obj.get(top_level)) if found is None else found
        return default if found is None else found

    post = options.get("postValue", obj.get("postValue"))
    return {
        "post_value": _canonical_json(post) if post is not None else "",
        "send_as_json": flag("sendJSON", "sendAsJSON", True),
        "send_as_query_string": flag("sendQuery", "sendAsQueryString", False),
        "send_as_post_parameters": flag("sendPost", "sendAsPostParameters", False),
    }


class IntegrationSpec(CollectionSpec[IntegrationInputs]):
    kind = "uptimerobot:Integration"
    natural_key = ("kind", "webhook_url", "url", "name")  # which of them, by kind: see `matches`
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
        kind = KIND_OF.get(str(obj.get("type")).lower(), str(obj.get("type")).lower())
        out: dict[str, Any] = {
            "name": api.text(obj.get("friendlyName")),
            "kind": kind,
            "notify_on": api.notify_on(obj.get("enableNotificationsFor")),
            "ssl_expiration_reminder": bool(obj.get("sslExpirationReminder")),
        }
        if kind == "slack":
            out.update(
                webhook_url=obj.get("value") or obj.get("webhookURL"), channel=obj.get("customValue") or ""
            )
        elif kind == "webhook":
            out.update(
                url=obj.get("value") or obj.get("webhookURL"),
                custom_headers=obj.get("customHeaders") or {},
                **_webhook_options(obj),
            )
        elif kind == "pagerduty":  # integration_key: write-only, never returned
            location = obj.get("customValue2") or obj.get("location") or "us"
            auto_resolve = _flag(obj.get("customValue"))
            out.update(
                location=str(location).lower(),
                auto_resolve=_flag(obj.get("autoResolve")) if auto_resolve is None else auto_resolve,
            )
        return out

    def create_body(self, inputs: IntegrationInputs) -> dict[str, Any]:
        # PATCH must repeat the type too (deviation uptimerobot-integration-update-type).
        return {"type": API_TYPE[inputs.kind], "data": self.data(inputs)}

    update_body = create_body

    def refuses_duplicates(self, inputs: IntegrationInputs) -> bool:
        return True  # 409 "Integration already exists"

    def matches(self, obj: dict[str, Any], fields: Mapping[str, Any]) -> bool:
        """Natural key: type and URL; PagerDuty keys are never returned, so PagerDuty goes by name."""
        if str(obj.get("type")).lower() != API_TYPE[fields["kind"]].lower():
            return False
        if fields["kind"] == "pagerduty":
            return api.text(obj.get("friendlyName")) == fields["name"]
        return (obj.get("value") or obj.get("webhookURL")) == (fields.get("webhook_url") or fields.get("url"))


SPEC = IntegrationSpec()
