"""UptimeRobot's request schemas, from the official spec as the contract loads it (deviation table applied).

The pipeline checks every request against the spec (``sandbox/contract.py``); the routes check the bodies
again with what the spec cannot express (NestJS refuses properties the DTO does not declare) and word every
problem the way the live API's NestJS validator does, each message naming its field.
"""

import functools
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from openapi_schema_validator import OAS30Validator

from sandbox import specs
from sandbox.contract import Contract, Problem, schema_problems
from sandbox.uptimerobot.errors import BadRequest

SPEC_FILE = "uptimerobot-openapi.yaml"
CONTRACT = Contract("uptimerobot", SPEC_FILE, "https://api.uptimerobot.com/v3")

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


def schemas() -> dict[str, Any]:
    """The spec's component schemas, with the deviation table's patches applied."""
    components: dict[str, Any] = CONTRACT.document["components"]["schemas"]
    return components


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
        messages.extend(nest_messages(schema_problems(("body",), error), prefix))
    if messages:
        raise BadRequest(*dict.fromkeys(messages))
    return body


def nest_messages(problems: Iterable[Problem], prefix: str = "") -> list[str]:
    """NestJS class-validator wording: "interval must not be less than 30", "each value in tags ..."."""
    messages = []
    for problem in problems:
        path = [str(part) for part in problem.location[1:]]
        if problem.rule == "malformed":
            messages.append("body must be a valid JSON document")  # NestJS body-parser's 400
            continue
        if problem.rule == "required":
            messages.append(f"{prefix}{'.'.join(path)} should not be empty")
            continue
        subject = prefix + ".".join(path)
        if path and isinstance(problem.location[-1], int):
            subject = f"each value in {prefix}{'.'.join(path[:-1])}"
        messages.append(f"{subject or 'body'} {_describe(problem)}")
    return list(dict.fromkeys(messages))


def _describe(problem: Problem) -> str:
    kind, value = problem.rule, problem.constraint
    if kind == "type":
        return _TYPE_MESSAGES.get(str(value), f"must be a {value}")
    if kind == "enum":
        return "must be one of the following values: " + ", ".join(str(v) for v in value if v is not None)
    if kind in _CONSTRAINT_MESSAGES:
        return _CONSTRAINT_MESSAGES[kind].format(value)
    if kind == "additionalProperties":
        return "must not contain unknown properties"
    return "has an invalid value"
