"""Request validation against the request schemas of UptimeRobot's published OpenAPI spec.

Errors are reported the way the live API's NestJS validator words them, each message naming its field.
The few places where the live API departs from the spec are patched in ``_apply_live_quirks``.
"""

import functools
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml
from jsonschema.exceptions import ValidationError
from openapi_schema_validator import OAS30Validator

from sandbox import specs
from sandbox.uptimerobot.errors import BadRequest

SPEC_FILE = "uptimerobot-openapi.yaml"

_TYPE_MESSAGES = {
    "string": "must be a string",
    "number": "must be a number conforming to the specified constraints",
    "integer": "must be an integer number",
    "boolean": "must be a boolean value",
    "array": "must be an array",
    "object": "must be an object",
}
_CONSTRAINT_MESSAGES = {
    "minimum": "must not be less than {}",
    "maximum": "must not be greater than {}",
    "minLength": "must be longer than or equal to {} characters",
    "maxLength": "must be shorter than or equal to {} characters",
    "pattern": "must match {} regular expression",
    "minItems": "must contain at least {} elements",
    "maxItems": "must contain no more than {} elements",
}


def spec_path() -> Path:
    return specs.spec_path(SPEC_FILE)


@functools.cache
def schemas() -> dict[str, Any]:
    """The spec's component schemas, with the live API's quirks applied."""
    with spec_path().open(encoding="utf-8") as handle:
        spec = yaml.load(handle, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    components: dict[str, Any] = spec["components"]["schemas"]
    _walk(components)
    _apply_live_quirks(components)
    return components


def _walk(node: Any) -> None:
    """Spec-level fixes that make the schemas usable by a JSON-schema validator."""
    if isinstance(node, list):
        for item in node:
            _walk(item)
        return
    if not isinstance(node, dict):
        return
    pattern = node.get("pattern")
    if isinstance(pattern, str) and len(pattern) > 1 and pattern.startswith("/") and pattern.endswith("/"):
        # The spec writes some patterns as JS regex literals (``/^...$/``), which no real value matches.
        node["pattern"] = pattern[1:-1]
    if node.get("nullable") and isinstance(node.get("enum"), list) and None not in node["enum"]:
        # ``nullable`` enums must list null to accept it (OAS 3.0.3); the API takes null to clear them.
        node["enum"].append(None)
    for value in node.values():
        _walk(value)


def _apply_live_quirks(components: dict[str, Any]) -> None:
    # The description of UpdateMonitorDto.config says "send `config: null` to clear all config" (verified
    # live), but the schema does not mark it nullable.
    components["UpdateMonitorDto"]["properties"]["config"]["nullable"] = True
    # Live validator rejects the spec's status-page design values (Light, LogoOnLeft, Compact) and takes
    # the lower-case ones (light, logo_on_left, compact), which is also how responses report them.
    page = components["PageCustomSettingsDto"]["properties"]
    page["layout"]["enum"] = ["logo_on_left", "logo_on_center"]
    page["theme"]["enum"] = ["light", "dark"]
    page["density"]["enum"] = ["normal", "compact"]


@functools.cache
def _validator(name: str) -> OAS30Validator:
    return OAS30Validator({"$ref": f"#/components/schemas/{name}", "components": {"schemas": schemas()}})


def properties(name: str) -> dict[str, Any]:
    props: dict[str, Any] = schemas()[name].get("properties", {})
    return props


def validate(name: str, body: Any, prefix: str = "") -> dict[str, Any]:
    """``body`` if it is valid against schema ``name``; else BadRequest listing every problem."""
    if not isinstance(body, dict):
        raise BadRequest(f"{prefix.rstrip('.') or 'body'} must be an object")
    messages = [f"property {prefix}{key} should not exist" for key in body if key not in properties(name)]
    for error in _validator(name).iter_errors(body):
        messages.extend(_messages(error, prefix))
    if messages:
        raise BadRequest(*dict.fromkeys(messages))
    return body


def _messages(error: ValidationError, prefix: str) -> Iterator[str]:
    path = [str(part) for part in error.absolute_path]
    if error.validator == "required":
        for missing in error.validator_value:
            if isinstance(error.instance, dict) and missing not in error.instance:
                yield f"{prefix}{'.'.join([*path, missing])} should not be empty"
        return
    subject = prefix + ".".join(path)
    if error.absolute_path and isinstance(error.absolute_path[-1], int):
        subject = f"each value in {prefix}{'.'.join(path[:-1])}"
    yield f"{subject} {_describe(error)}"


def _describe(error: ValidationError) -> str:
    kind, value = str(error.validator), error.validator_value
    if kind == "type":
        return _TYPE_MESSAGES.get(str(value), f"must be a {value}")
    if kind == "enum":
        return "must be one of the following values: " + ", ".join(str(v) for v in value if v is not None)
    if kind in _CONSTRAINT_MESSAGES:
        return _CONSTRAINT_MESSAGES[kind].format(value)
    if kind == "additionalProperties":
        return "must not contain unknown properties"
    return "has an invalid value"
