"""UptimeRobot monitor (HTTP, KEYWORD, PING, PORT, HEARTBEAT) on `/monitors`."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar, Literal
from urllib.parse import urlsplit

from pydantic import Field, field_validator

from transport import Transport

from .. import settings
from ..spec import Failure, Inputs, Part
from . import client as api
from . import facts
from .collection import CollectionSpec

MonitorType = Literal["HTTP", "KEYWORD", "PING", "PORT", "HEARTBEAT"]
HttpMethod = Literal["HEAD", "GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]
URL_TYPES = ("HTTP", "KEYWORD")
# Heartbeat monitors read back with `url` as the token only (verified live by GoSuccessHQ); jobs need all.
HEARTBEAT_HOST = "https://heartbeat.uptimerobot.com/"


class AlertAssignment(Part):
    id: api.Id = Field(description="Alert contact or integration id")
    threshold: int = Field(0, ge=0, description="Minutes down before notifying (paid plans; 0 on Free)")
    recurrence: int = Field(0, ge=0, description="Repeat every N minutes while down (paid plans)")


class MonitorInputs(Inputs):
    name: str = Field(min_length=1, max_length=250)
    type: MonitorType = "HTTP"
    url: str | None = Field(None, max_length=10000, description="URL (HTTP/KEYWORD) or host (PING/PORT)")
    interval: int = Field(300, ge=30, le=2678400, description="Seconds between checks")
    timeout: int = Field(30, ge=0, le=60, description="Seconds before a check counts as failed")
    http_method: HttpMethod = Field("GET", description="The API defaults to HEAD; Lookout to GET")
    keyword_type: Literal["ALERT_EXISTS", "ALERT_NOT_EXISTS"] | None = None
    keyword_value: str | None = Field(None, max_length=500)
    keyword_case_sensitive: bool = False
    port: int | None = Field(None, ge=1, le=65535)
    grace_period: int | None = Field(None, ge=0, le=86400, description="HEARTBEAT: seconds of grace")
    check_ssl_errors: bool = False
    ssl_expiration_reminder: bool = False
    ssl_expiration_days: list[int] = Field(default_factory=list, max_length=10)
    follow_redirections: bool = True
    success_http_response_codes: list[str] = Field(default_factory=lambda: ["2xx", "3xx"])
    custom_http_headers: dict[str, str] = Field(default_factory=dict)
    tags: list[str] = Field(default_factory=list, description="Stored lower-case by UptimeRobot")
    alert_contacts: list[AlertAssignment] = Field(default_factory=list)
    maintenance_window_ids: list[api.Id] = Field(default_factory=list)
    active: bool = Field(True, description="Checked and alerting; false keeps the monitor paused")

    @field_validator("tags")
    @classmethod
    def lower_case_tags(cls, value: list[str]) -> list[str]:
        """UptimeRobot keeps tag names lower-case: a capital letter would otherwise differ forever."""
        return [tag.lower() for tag in value]


class MonitorSpec(CollectionSpec[MonitorInputs]):
    kind = "uptimerobot:Monitor"
    natural_key = ("type", "url", "name")  # by type: see `matches`
    output_names: ClassVar[tuple[str, ...]] = ("status", "heartbeat_url")
    path = "/monitors"
    model = MonitorInputs
    replace_on: ClassVar[frozenset[str]] = frozenset({"type"})  # the API cannot change a monitor's type
    unordered: ClassVar[frozenset[str]] = frozenset(
        {"tags", "alert_contacts", "maintenance_window_ids", "ssl_expiration_days"}
    )
    # The old and new monitor may share a URL, which the API rejects as a duplicate.
    delete_before_replace = True
    list_params: ClassVar[dict[str, Any]] = {"limit": 200}
    listed_in_full = True  # MonitorPaginationDto items are MonitorDto
    muted: ClassVar[dict[str, str]] = {"active": "paused outside Lookout"}
    # A monitor declared paused is created started, then paused (POST /monitors/{id}/pause).
    set_after_create: ClassVar[frozenset[str]] = frozenset({"active"})
    # A heartbeat declared without grace_period gets the API's (0 on create); unset, it is not compared.
    unset_is_unmanaged: ClassVar[frozenset[str]] = frozenset({"grace_period"})

    def semantic_failures(self, model: MonitorInputs) -> list[Failure]:
        failures: list[Failure] = []
        if problem := facts.interval_problem(model.interval, api.plan()):
            failures.append(("interval", f"interval: {problem}"))
        if model.type != "HEARTBEAT" and not model.url:
            failures.append(("url", f"url: required for {model.type} monitors"))
        if model.type in URL_TYPES and model.url:
            parts = urlsplit(model.url)
            if parts.scheme not in ("http", "https") or not parts.hostname:
                failures.append(("url", f"url: '{model.url}' is not an http(s) URL with a host"))
        if model.type == "KEYWORD" and (not model.keyword_type or not model.keyword_value):
            failures.append(
                ("keyword_value", "keyword_value: KEYWORD monitors need keyword_type and keyword_value")
            )
        if model.type == "PORT" and model.port is None:
            failures.append(("port", "port: required for PORT monitors"))
        if any(not 0 <= d <= 365 for d in model.ssl_expiration_days):
            failures.append(("ssl_expiration_days", "ssl_expiration_days: each value must be 0-365"))
        return failures

    # -- API mapping ------------------------------------------------------------------------------

    def body(self, m: MonitorInputs, *, create: bool) -> dict[str, Any]:
        body: dict[str, Any] = {
            "friendlyName": m.name,
            "interval": m.interval,
            "tagNames": m.tags,
            "assignedAlertContacts": [
                {"alertContactId": int(a.id), "threshold": a.threshold, "recurrence": a.recurrence}
                for a in m.alert_contacts
            ],
            "maintenanceWindowsIds": [int(i) for i in m.maintenance_window_ids],
        }
        if create:
            body["type"] = m.type
        if m.type == "HEARTBEAT":
            if m.grace_period is not None:
                body["gracePeriod"] = m.grace_period
            return body
        body.update(url=m.url, timeout=m.timeout)
        if m.type == "PORT":
            body["port"] = m.port
        if m.type in URL_TYPES:
            body.update(
                httpMethodType=m.http_method,
                checkSSLErrors=m.check_ssl_errors,
                sslExpirationReminder=m.ssl_expiration_reminder,
                followRedirections=m.follow_redirections,
                successHttpResponseCodes=m.success_http_response_codes,
                customHttpHeaders=m.custom_http_headers,
                config={"sslExpirationPeriodDays": m.ssl_expiration_days},
            )
        if m.type == "KEYWORD":
            # keywordCaseType is a name on create but 0/1 on update (0 = case sensitive).
            case = (
                ("CaseSensitive" if m.keyword_case_sensitive else "CaseInsensitive")
                if create
                else (0 if m.keyword_case_sensitive else 1)
            )
            body.update(keywordType=m.keyword_type, keywordValue=m.keyword_value, keywordCaseType=case)
        return body

    def project(self, obj: dict[str, Any]) -> dict[str, Any]:
        kind = obj.get("type")
        out: dict[str, Any] = {
            "name": api.text(obj.get("friendlyName")),
            "type": kind,
            "interval": obj.get("interval"),
            "tags": [str(t["name"]).lower() for t in obj.get("tags") or []],
            "alert_contacts": [
                {
                    "id": str(int(a["alertContactId"])),
                    "threshold": a["threshold"],
                    "recurrence": a["recurrence"],
                }
                for a in obj.get("assignedAlertContacts") or []
            ],
            "maintenance_window_ids": api.ids(w["id"] for w in obj.get("maintenanceWindows") or []),
        }
        if obj.get("status") is not None:
            out["active"] = is_active(obj["status"])
        if kind == "HEARTBEAT":
            out["grace_period"] = obj.get("gracePeriod")
            return out
        out.update(url=api.text(obj.get("url")), timeout=obj.get("timeout"))
        if kind == "PORT":
            out["port"] = obj.get("port")
        if kind in URL_TYPES:
            out.update(
                http_method=obj.get("httpMethodType") or "HEAD",  # unset reads as null; HEAD is used
                check_ssl_errors=obj.get("checkSSLErrors"),
                ssl_expiration_reminder=bool(obj.get("sslExpirationReminder")),
                follow_redirections=obj.get("followRedirections"),
                success_http_response_codes=obj.get("successHttpResponseCodes"),
                # header values may come back as numbers ("X-Num": 2; GoSuccessHQ, live)
                custom_http_headers={k: str(v) for k, v in (obj.get("customHttpHeaders") or {}).items()},
                ssl_expiration_days=(obj.get("config") or {}).get("sslExpirationPeriodDays") or [],
            )
        if kind == "KEYWORD":
            out.update(
                keyword_type=obj.get("keywordType"),
                keyword_value=obj.get("keywordValue"),
                keyword_case_sensitive=obj.get("keywordCaseType") in (0, "CaseSensitive"),
            )
        return out

    def outputs(self, obj: dict[str, Any]) -> dict[str, Any]:
        return {
            "status": obj.get("status"),
            "heartbeat_url": heartbeat_url(obj.get("url")) if obj.get("type") == "HEARTBEAT" else None,
        }

    # -- operations -------------------------------------------------------------------------------

    def refuses_duplicates(self, inputs: MonitorInputs) -> bool:
        # The API rejects a second monitor on the same URL for GET/HEAD checks (and PING/PORT hosts).
        return inputs.type != "HEARTBEAT" and (
            inputs.type not in URL_TYPES or inputs.http_method in ("GET", "HEAD")
        )

    def create_body(self, inputs: MonitorInputs) -> dict[str, Any]:
        return self.body(inputs, create=True)

    def update_body(self, inputs: MonitorInputs) -> dict[str, Any]:
        return self.body(inputs, create=False)

    def update(self, client: Transport, current: dict[str, Any], inputs: MonitorInputs) -> dict[str, Any]:
        """PATCH the settings; pausing and starting are their own requests, sent only when the live state
        differs (docs/vendors/uptimerobot.md, monitors). A create that should stay paused comes here too:
        the create's answer shows it started, which `create` sees as a setting still to apply."""
        path = f"{self.path}/{current['id']}"
        written = client.request("PATCH", path, json_body=self.update_body(inputs))
        if is_active(written.get("status")) != inputs.active:
            action = "start" if inputs.active else "pause"
            # Idempotent by the spec ("pausing an already paused monitor will return successfully").
            written = client.request("POST", f"{path}/{action}", json_body={}, idempotent=True)
        return self.settle(client, written, inputs)

    def search(self, inputs: MonitorInputs) -> dict[str, Any]:
        # `name` and `url` filter by substring; `same` then insists on the exact natural key.
        narrow = {"name": inputs.name} if inputs.type == "HEARTBEAT" else {"url": inputs.url}
        return {**narrow, "limit": 200}

    def matches(self, obj: dict[str, Any], fields: Mapping[str, Any]) -> bool:
        """Natural key: name for heartbeats (their URL is generated), else type + URL (+ HTTP method)."""
        kind = fields["type"]
        if obj.get("type") != kind:
            return False
        if kind == "HEARTBEAT":
            return api.text(obj.get("friendlyName")) == fields["name"]
        method = fields.get("http_method", "GET")
        same_method = kind not in URL_TYPES or obj.get("httpMethodType") in (method, None)
        return api.text(obj.get("url")) == fields.get("url") and same_method


def is_active(status: Any) -> bool:
    """Every status but PAUSED (STARTED, UP, LOOKS_DOWN, DOWN) is a monitor being checked and alerting
    (specs/uptimerobot-openapi.yaml, GET /monitors `status`; docs/vendors/uptimerobot.md, monitors)."""
    return str(status).upper() != "PAUSED"


def heartbeat_url(url: Any) -> str | None:
    """The URL a cron job calls, whether the API gave the whole URL or only its token."""
    if not url:
        return None
    text = api.text(str(url))
    # `uptimerobot:heartbeatEndpoint` stands in for heartbeat.uptimerobot.com (the sandbox's).
    host = (settings.get("uptimerobot:heartbeatEndpoint") or HEARTBEAT_HOST).rstrip("/") + "/"
    return text if "://" in text else host + text.lstrip("/")


SPEC = MonitorSpec()
