"""Env vars set directly on a service (docs/vendors/render.md, env vars). Values are returned in plaintext.

* ``PUT /services/{id}/env-vars`` replaces the **entire** set (Lookout must never use it; it is emulated
  so that tests can show what it would clobber).
* ``PUT /services/{id}/env-vars/{key}`` upserts one key, leaving the others untouched.
"""

import re
import secrets
from typing import Any

from flask import Blueprint, Response

from sandbox.render import repo, web
from sandbox.render.errors import invalid, not_found

routes = Blueprint("render_envvars", __name__)

MAX_KEY_LENGTH = 256
_BAD_KEY_CHARACTER = re.compile(r"[=\s\x00-\x1f\x7f]")

Doc = dict[str, Any]


def check_key(key: Any) -> str:
    """An env var key: a non-empty string of at most 256 characters without ``=``, blanks or controls."""
    if not isinstance(key, str) or key == "":
        raise invalid("invalid key: must be a non-empty string")
    if len(key) > MAX_KEY_LENGTH:
        raise invalid(f"invalid key {key[:20]!r}…: longer than {MAX_KEY_LENGTH} characters")
    if _BAD_KEY_CHARACTER.search(key):
        raise invalid(f"invalid key {key!r}: must not contain '=', whitespace or control characters")
    return key


def resolve_value(data: Any, where: str = "") -> str:
    """``{value}`` or ``{generateValue: true}`` (exactly one) -> the value to store."""
    if not isinstance(data, dict):
        raise invalid(f"invalid {where or 'body'}: must be an object")
    has_value, generate = "value" in data, data.get("generateValue")
    if generate is not None and not isinstance(generate, bool):
        raise invalid(f"invalid {where}generateValue: must be a boolean")
    if has_value and generate:
        raise invalid(f"invalid {where or 'body'}: give either value or generateValue, not both")
    if generate:
        return secrets.token_urlsafe(24)
    if not has_value:
        raise invalid(f"invalid {where or 'body'}: value or generateValue is required")
    if not isinstance(data["value"], str):
        raise invalid(f"invalid {where}value: must be a string")
    return str(data["value"])


def service_vars(service_id: str) -> list[Doc]:
    return repo.find_by(repo.ENV_VARS, "serviceId", service_id)


def service_var(service_id: str, key: str) -> Doc | None:
    return next(iter(repo.find_where(repo.ENV_VARS, serviceId=service_id, key=key)), None)


def upsert(service_id: str, key: str, value: str) -> Doc:
    record = service_var(service_id, key)
    if record is None:
        record = {"id": repo.next_seq(), "serviceId": service_id, "key": key}
    record["value"] = value
    return repo.save(repo.ENV_VARS, record)


def _env_var(record: Doc) -> Doc:
    return {"key": record["key"], "value": record["value"]}


def _wrapped(record: Doc) -> Doc:
    return {"envVar": _env_var(record)}


@routes.get("/services/<serviceId>/env-vars")
def list_env_vars(service_id: str) -> Response:
    repo.service_or_404(service_id)
    return web.json_response(web.page(service_vars(service_id), _wrapped))


@routes.put("/services/<serviceId>/env-vars")
def replace_env_vars(service_id: str) -> Response:
    repo.service_or_404(service_id)
    items = web.body_array()
    replacement: dict[str, str] = {}
    for index, item in enumerate(items):
        key = check_key(item.get("key") if isinstance(item, dict) else None)
        if key in replacement:
            raise invalid(f"invalid [{index}].key: duplicate key {key!r}")
        replacement[key] = resolve_value(item, f"[{index}].")
    for record in service_vars(service_id):
        repo.remove(repo.ENV_VARS, record["id"])
    saved = [upsert(service_id, key, value) for key, value in replacement.items()]
    return web.json_response(
        [{**_wrapped(record), "cursor": web.encode_cursor(record["id"])} for record in saved]
    )


@routes.get("/services/<serviceId>/env-vars/<envVarKey>")
def get_env_var(service_id: str, env_var_key: str) -> Response:
    repo.service_or_404(service_id)
    record = service_var(service_id, env_var_key)
    if record is None:
        raise not_found(env_var_key)
    return web.json_response(_env_var(record))


@routes.put("/services/<serviceId>/env-vars/<envVarKey>")
def put_env_var(service_id: str, env_var_key: str) -> Response:
    repo.service_or_404(service_id)
    key = check_key(env_var_key)
    value = resolve_value(web.body_object())
    return web.json_response(_env_var(upsert(service_id, key, value)))


@routes.delete("/services/<serviceId>/env-vars/<envVarKey>")
def delete_env_var(service_id: str, env_var_key: str) -> Response:
    repo.service_or_404(service_id)
    record = service_var(service_id, env_var_key)
    if record is None:
        raise not_found(env_var_key)
    repo.remove(repo.ENV_VARS, record["id"])
    return web.empty(204)
