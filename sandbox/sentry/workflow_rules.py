"""Validation of alert (workflow) bodies (docs/vendors/sentry.md, alerts), camelCase on the wire.

Returns the body's fields, checked and normalised as the API stores them; children keep the ``id`` they
were sent with for the update semantics. A PUT only changes the fields it sends (``name`` is required).
"""

from typing import Any

from sandbox.sentry import environments, fields, integrations, orgs, owners, repo
from sandbox.sentry.errors import ApiError, invalid

FREQUENCIES = (0, 5, 10, 30, 60, 180, 720, 1440)  # minutes; the spec's example value 3600 is not one
TRIGGER_TYPES = (
    "first_seen_event", "regression_event", "reappeared_event", "issue_resolved_trigger",
    "seer_activity_trigger",
    # used by the default alert that Sentry creates with a project, so it must survive a round trip:
    "new_high_priority_issue", "existing_high_priority_issue",
)  # fmt: skip
FILTER_TYPES = (
    "age_comparison", "assigned_to", "issue_category", "issue_occurrences",
    "issue_priority_greater_or_equal", "issue_priority_deescalating", "event_frequency_count",
    "event_frequency_percent", "event_unique_user_frequency_count", "percent_sessions_count",
    "percent_sessions_percent", "event_attribute", "tagged_event", "latest_release",
    "latest_adopted_release", "level",
)  # fmt: skip
LOGIC_TYPES = ("any", "any-short", "all", "none")
EMAIL_TARGETS = ("team", "user", "issue_owners")
FALLTHROUGH_TYPES = ("ActiveMembers", "AllMembers", "NoOne")
PAGERDUTY_PRIORITIES = ("default", "critical", "warning", "error", "info")

Doc = dict[str, Any]
Path = tuple[str | int, ...]


def validate(data: Doc, creating: bool) -> Doc:
    clean: Doc = {"name": fields.text(fields.required(data, "name"), ("name",), 256)}
    if "enabled" in data:
        clean["enabled"] = fields.boolean(data["enabled"], ("enabled",))
    if "owner" in data:
        clean["owner"] = owners.parse(data["owner"])
    if "environment" in data:
        clean["environment"] = _environment(data["environment"])
    if creating or "config" in data:
        clean["config"] = _config(data.get("config", {"frequency": 30}))
    if "detectorIds" in data:
        clean["detectorIds"] = _detector_ids(data["detectorIds"])
    if creating or "triggers" in data:
        clean["triggers"] = _triggers(data.get("triggers", {"logicType": "any-short"}), creating)
    if creating or "actionFilters" in data:
        raw = fields.array(data.get("actionFilters", []), ("actionFilters",))
        clean["actionFilters"] = [_filter(item, ("actionFilters", i)) for i, item in enumerate(raw)]
    return clean


def _environment(raw: Any) -> str | None:
    name = fields.optional_text(raw, ("environment",), 64)
    if name is not None and name not in environments.names():
        raise invalid(("environment",), "Environment does not exist")
    return name


def _config(raw: Any) -> Doc:
    config = fields.mapping(raw, ("config",))
    frequency = fields.choice(
        fields.required(config, "frequency", ("config",)), FREQUENCIES, ("config", "frequency")
    )
    return {**config, "frequency": frequency}


def _detector_ids(raw: Any) -> list[str]:
    ids = fields.id_list(raw, ("detectorIds",))
    for index, detector_id in enumerate(ids):
        if repo.by_id(repo.DETECTORS, detector_id) is None:
            raise invalid(("detectorIds", index), f"Monitor {detector_id} does not exist.")
    return list(dict.fromkeys(ids))


def _triggers(raw: Any, creating: bool) -> Doc:
    path: Path = ("triggers",)
    group = fields.mapping(raw, path)
    logic = fields.choice(fields.required(group, "logicType", path), LOGIC_TYPES, (*path, "logicType"))
    items = fields.array(group.get("conditions", []), (*path, "conditions"))
    conditions = [_condition(c, TRIGGER_TYPES, (*path, "conditions", i)) for i, c in enumerate(items)]
    if creating and conditions and logic != "any-short":
        # Enforced on create only, so that migrated alerts with "all" stay editable (getsentry/sentry#107548).
        raise invalid((*path, "logicType"), "Triggers' logic type must be 'any-short'")
    return fields.keep_id(group, {"logicType": logic, "conditions": conditions, "actions": []}, path)


def _filter(raw: Any, path: Path) -> Doc:
    group = fields.mapping(raw, path)
    logic = fields.choice(fields.required(group, "logicType", path), LOGIC_TYPES, (*path, "logicType"))
    items = fields.array(group.get("conditions", []), (*path, "conditions"))
    conditions = [_condition(c, FILTER_TYPES, (*path, "conditions", i)) for i, c in enumerate(items)]
    raw_actions = fields.array(group.get("actions", []), (*path, "actions"))
    actions = [_action(a, (*path, "actions", i)) for i, a in enumerate(raw_actions)]
    return fields.keep_id(group, {"logicType": logic, "conditions": conditions, "actions": actions}, path)


def _condition(raw: Any, types: tuple[str, ...], path: Path) -> Doc:
    condition = fields.mapping(raw, path)
    kind = fields.choice(fields.required(condition, "type", path), types, (*path, "type"))
    comparison = condition.get("comparison", True)
    result = fields.boolean(condition.get("conditionResult", True), (*path, "conditionResult"))
    return fields.keep_id(
        condition, {"type": kind, "comparison": comparison, "conditionResult": result}, path
    )


def _action(raw: Any, path: Path) -> Doc:
    action = fields.mapping(raw, path)
    kind = fields.choice(
        fields.required(action, "type", path), ("email", "slack", "pagerduty"), (*path, "type")
    )
    config = fields.mapping(fields.required(action, "config", path), (*path, "config"))
    data = fields.mapping(action.get("data") or {}, (*path, "data"))
    checks = {"email": _email, "slack": _slack, "pagerduty": _pagerduty}
    integration_id, data, config = checks[kind](action, data, config, path)
    status = fields.choice(action.get("status", "active"), ("active", "disabled"), (*path, "status"))
    clean = {"type": kind, "integrationId": integration_id, "data": data, "config": config, "status": status}
    return fields.keep_id(action, clean, path)


def _email(action: Doc, data: Doc, config: Doc, path: Path) -> tuple[None, Doc, Doc]:
    config_path = (*path, "config")
    target = fields.choice(
        fields.required(config, "targetType", config_path), EMAIL_TARGETS, (*config_path, "targetType")
    )
    identifier = config.get("targetIdentifier")
    if target == "issue_owners":
        fallthrough = data.get("fallthroughType", "ActiveMembers")
        data = {
            **data,
            "fallthroughType": fields.choice(
                fallthrough, FALLTHROUGH_TYPES, (*path, "data", "fallthroughType")
            ),
        }
        identifier = None
    else:
        identifier = str(fields.required(config, "targetIdentifier", config_path))
        # A user target names the Sentry *user* id, not the organization member id.
        found = repo.by_id(repo.TEAMS, identifier) if target == "team" else orgs.user(identifier)
        if found is None:
            raise invalid(
                (*config_path, "targetIdentifier"), f"{target.title()} {identifier} does not exist."
            )
    return None, data, {"targetType": target, "targetDisplay": None, "targetIdentifier": identifier}


def _slack(action: Doc, data: Doc, config: Doc, path: Path) -> tuple[str, Doc, Doc]:
    """Sentry resolves the channel through Slack: given only a name, it stores the channel's id and the
    name as ``#name``; given an id too, it checks that both name the same channel and keeps the bare name
    (getsentry/sentry ``integrations/slack/actions/form.py``, SlackNotifyServiceForm.clean)."""
    integration = _integration(action, "slack", path)
    display_path = (*path, "config", "targetDisplay")
    raw = fields.text(fields.required(config, "targetDisplay", (*path, "config")), display_path, 255)
    name = raw.lstrip("#@")
    channel_id = integrations.slack_channel(integration, name)
    sent_id = str(config.get("targetIdentifier") or "")
    workspace = integration["name"]
    if channel_id is None:
        raise ApiError(400, {"actionFilters": [_SLACK_MISSING.format(channel=raw, workspace=workspace)]})
    if sent_id and sent_id != channel_id:
        raise ApiError(400, {"actionFilters": [_SLACK_MISMATCH.format(channel=name, id=sent_id)]})
    display = name if sent_id else f"#{name}"
    return (
        str(integration["id"]),
        data,
        {"targetType": "specific", "targetDisplay": display, "targetIdentifier": channel_id},
    )


_SLACK_MISSING = (
    'Slack: The resource "{channel}" does not exist or has not been granted access in the {workspace} '
    "Slack workspace."
)
_SLACK_MISMATCH = 'Slack: Received channel name "{channel}" does not match inputted channel name for id {id}.'


def _pagerduty(action: Doc, data: Doc, config: Doc, path: Path) -> tuple[str, Doc, Doc]:
    integration = _integration(action, "pagerduty", path)
    service_path = (*path, "config", "targetIdentifier")
    service_id = str(fields.required(config, "targetIdentifier", (*path, "config")))
    service = integrations.service(integration, service_id)
    if service is None:
        raise invalid(
            service_path, f"PagerDuty service {service_id} does not exist in integration {integration['id']}."
        )
    priority = fields.choice(
        data.get("priority", "default"), PAGERDUTY_PRIORITIES, (*path, "data", "priority")
    )
    clean_config = {
        "targetType": "specific",
        "targetDisplay": service["service"],
        "targetIdentifier": service_id,
    }
    return str(integration["id"]), {**data, "priority": priority}, clean_config


def _integration(action: Doc, provider: str, path: Path) -> Doc:
    integration_id = fields.required(action, "integrationId", path)
    found = integrations.of_provider(integration_id, provider)
    if found is None:
        raise invalid(
            (*path, "integrationId"),
            f"Integration {integration_id} is not a {provider} integration of this organization.",
        )
    return found
