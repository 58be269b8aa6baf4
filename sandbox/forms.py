"""Form bodies (``multipart/form-data``, urlencoded) read as the JSON they stand for, typed by a schema.

Every form value is a string; the servers that take forms (UptimeRobot's status pages, NestJS with
class-transformer) convert them to the DTO's types. Arrays arrive as repeated keys (``monitorIds=1&
monitorIds=2``, also ``monitorIds[]``), booleans as ``"true"``/``"false"``, nested objects as bracketed keys
(``customSettings[page][theme]``) or as a JSON string (``customSettings={...}``).
"""

import json
import re
from typing import Any

from werkzeug.datastructures import MultiDict

FORM_TYPES = ("multipart/form-data", "application/x-www-form-urlencoded")
_KEY_PART = re.compile(r"\[([^\]]*)\]")

Schema = dict[str, Any]


def typed(form: MultiDict[str, str], schema: Schema, components: dict[str, Schema]) -> dict[str, Any]:
    """The form as a dict, each value converted to the type `schema` gives its field."""
    body: dict[str, Any] = {}
    for key in form:
        path = _key_path(key)
        _assign(body, path, _coerce(form.getlist(key), _schema_at(schema, path, components), components))
    return body


def _key_path(key: str) -> list[str]:
    head = key.split("[", 1)[0]
    return [head, *(part for part in _KEY_PART.findall(key) if part)]


def _resolve(schema: Schema, components: dict[str, Schema]) -> Schema:
    while True:
        if "$ref" in schema:
            schema = components[schema["$ref"].rsplit("/", 1)[-1]]
        elif len(schema.get("allOf", [])) == 1:
            schema = schema["allOf"][0]
        else:
            return schema


def _schema_at(schema: Schema, path: list[str], components: dict[str, Schema]) -> Schema:
    for part in path:
        schema = _resolve(schema, components).get("properties", {}).get(part, {})
    return _resolve(schema, components)


def _coerce(values: list[str], schema: Schema, components: dict[str, Schema]) -> Any:
    kind = schema.get("type")
    if kind == "array":
        items = _resolve(schema.get("items", {}), components)
        return [_scalar(value, items) for value in values if value != ""]
    if kind == "object" or "properties" in schema:
        try:
            return json.loads(values[-1])
        except ValueError:
            return values[-1]
    return _scalar(values[-1], schema)


def _scalar(value: str, schema: Schema) -> Any:
    kind = schema.get("type")
    if kind == "boolean" and value in ("true", "false"):
        return value == "true"
    if kind in ("number", "integer"):
        for convert in (int, float):
            try:
                return convert(value)
            except ValueError:
                continue
    return value


def _assign(body: dict[str, Any], path: list[str], value: Any) -> None:
    for part in path[:-1]:
        body = body.setdefault(part, {})
    body[path[-1]] = value
