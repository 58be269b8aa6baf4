"""``multipart/form-data`` bodies -> JSON-like dicts, typed by the request schema.

Arrays arrive as repeated keys (``monitorIds=1&monitorIds=2``, also ``monitorIds[]``), booleans as
``"true"``/``"false"``, nested objects as bracketed keys (``customSettings[page][theme]``) or as a JSON
string (``customSettings={...}``).
"""

import json
import re
from typing import Any

from flask import request
from werkzeug.datastructures import MultiDict

from sandbox.uptimerobot import schemas

_FORM_TYPES = ("multipart/form-data", "application/x-www-form-urlencoded")
_KEY_PART = re.compile(r"\[([^\]]*)\]")


def request_body(schema_name: str) -> Any:
    """The request body as a dict, whether it was sent as a form or as JSON."""
    if request.mimetype in _FORM_TYPES:
        return form_body(request.form, schema_name)
    return request.get_json(silent=True)


def form_body(form: MultiDict[str, str], schema_name: str) -> dict[str, Any]:
    body: dict[str, Any] = {}
    root = {"type": "object", "properties": schemas.properties(schema_name)}
    for key in form:
        path = _key_path(key)
        _assign(body, path, _coerce(form.getlist(key), _schema_at(root, path)))
    return body


def _key_path(key: str) -> list[str]:
    head = key.split("[", 1)[0]
    return [head, *(part for part in _KEY_PART.findall(key) if part)]


def _resolve(schema: dict[str, Any]) -> dict[str, Any]:
    while True:
        if "$ref" in schema:
            schema = schemas.schemas()[schema["$ref"].rsplit("/", 1)[-1]]
        elif len(schema.get("allOf", [])) == 1:
            schema = schema["allOf"][0]
        else:
            return schema


def _schema_at(schema: dict[str, Any], path: list[str]) -> dict[str, Any]:
    for part in path:
        schema = _resolve(schema).get("properties", {}).get(part, {})
    return _resolve(schema)


def _coerce(values: list[str], schema: dict[str, Any]) -> Any:
    kind = schema.get("type")
    if kind == "array":
        return [_scalar(value, _resolve(schema.get("items", {}))) for value in values]
    if kind == "object" or "properties" in schema:
        try:
            return json.loads(values[-1])
        except ValueError:
            return values[-1]
    return _scalar(values[-1], schema)


def _scalar(value: str, schema: dict[str, Any]) -> Any:
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
