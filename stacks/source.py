"""The one reader of a stack's config, from its file (lint, catalog, plan, drift, adopt) or from the engine
(the Pulumi program): every problem of shape is one `ConfigError` naming the YAML path, never a traceback.

The `lookout` namespace holds the plan's keys, the secrets the plan names (`channels.slack.webhook_secret`,
...), and provider settings; any other `lookout:` key is a typo and refused (issue #12).
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import yaml

from .plan import Plan
from .validation import ConfigError, validate

NAMESPACE = "lookout:"
FIXED_SECRETS = ("logStreamToken",)  # the Render log stream's token (stacks/fanout/render.py)
SETTINGS = ("httpTimeout",)  # provider settings (providers/settings.py)
VENDOR_PLAN = "uptimerobot:plan"  # the UptimeRobot plan is the vendor's setting, read into the plan


def read_file(path: Path) -> dict[str, Any]:
    """The `config:` mapping of a stack file, keys as written (`lookout:services`, `uptimerobot:plan`)."""
    if not path.is_file():
        raise ConfigError(f"{path.name}: no stack file{_stacks_beside(path)}")
    try:
        text = path.read_text()
        twice = _written_twice(yaml.compose(text, Loader=yaml.SafeLoader))
        document = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or "unreadable"
        raise ConfigError(f"{path.name}: not valid YAML{where}: {problem}") from None
    if twice:
        key, first, second = twice
        raise ConfigError(
            f"{path.name}: {key}: written twice, at lines {first} and {second}; YAML would keep the second "
            "without a word (Pulumi refuses the file): keep one"
        )
    if document is None:
        document = {}
    if not isinstance(document, dict):
        raise ConfigError(f"{path.name}: must be a mapping with a `config:` key, not a {_kind(document)}")
    config = document.get("config")
    if config is None:
        return {}
    if not isinstance(config, dict):
        raise ConfigError(f"{path.name}: config: must be a mapping of keys to values, not a {_kind(config)}")
    # A key without a namespace is the project's, as Pulumi reads it (`objectives:` is `lookout:objectives`):
    # a key dedented out of its section is then the unknown key the program refuses.
    return {(str(key) if ":" in str(key) else f"{NAMESPACE}{key}"): value for key, value in config.items()}


def _written_twice(node: yaml.Node | None, path: str = "") -> tuple[str, int, int] | None:
    """The first key written twice in one mapping: its path (`lookout:services[0].url`, under `config:`)
    and both lines."""
    if isinstance(node, yaml.MappingNode):
        seen: dict[str, int] = {}
        for key_node, value in node.value:
            key, line = str(key_node.value), key_node.start_mark.line + 1
            inner = key if path in ("", "config") else f"{path}.{key}"
            if key in seen:
                return inner, seen[key], line
            seen[key] = line
            found = _written_twice(value, "config" if not path and key == "config" else inner)
            if found:
                return found
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            found = _written_twice(item, f"{path}[{index}]")
            if found:
                return found
    return None


def from_engine(raw: Mapping[str, str]) -> dict[str, Any]:
    """The engine's config (every value a string; objects and lists JSON-encoded), decoded like a file's."""
    decoded: dict[str, Any] = {}
    for key, value in raw.items():
        try:
            decoded[key] = json.loads(value) if value[:1] in "[{" else value
        except json.JSONDecodeError:
            decoded[key] = value
    return decoded


def lookout_values(config: Mapping[str, Any]) -> dict[str, Any]:
    """`lookout:*` values, keys without the namespace."""
    return {k.removeprefix(NAMESPACE): v for k, v in config.items() if k.startswith(NAMESPACE)}


def secret_names(values: Mapping[str, Any]) -> dict[str, str]:
    """`lookout:` keys that hold secrets → the plan field that names them (never part of the plan)."""
    names = {name: "log_stream" for name in FIXED_SECRETS}
    channels = values.get("channels")
    for channel, field in (("slack", "webhook_secret"), ("pagerduty", "key_secret")):
        spec = channels.get(channel) if isinstance(channels, dict) else None
        name = spec.get(field) if isinstance(spec, dict) else None
        if isinstance(name, str):
            names[name] = f"channels.{channel}.{field}"
    return names


def is_secure(value: Any) -> bool:
    """A `secure:` value of a stack file (an encrypted secret)."""
    return isinstance(value, dict) and set(value) == {"secure"}


def plan_of(
    config: Mapping[str, Any], *, secrets_present: bool = False, secret_keys: Iterable[str] = ()
) -> Plan:
    """The validated plan of a stack's config. With `secrets_present` (the engine, which decrypted every
    secret), the secrets the plan names must be set. Secrets (`secret_keys`, or `secure:` values in a
    file) are never unknown keys: a stack may hold a secret no plan field names yet."""
    values = lookout_values(config)
    secret = {k.removeprefix(NAMESPACE) for k in secret_keys} | {k for k, v in values.items() if is_secure(v)}
    plain = {k: v for k, v in values.items() if k not in secret or k in Plan.model_fields}
    problems = [*_unknown_keys(plain), *_plan_shape(values), *_settings(values)]
    if problems:
        raise ConfigError("invalid stack config:\n  " + "\n  ".join(problems))
    spec = {k: v for k, v in values.items() if k in Plan.model_fields}
    if VENDOR_PLAN in config:
        spec["uptimerobot_plan"] = config[VENDOR_PLAN]
    try:
        plan = validate(Plan, spec)
    except ConfigError as exc:
        raise ConfigError(str(exc).replace(f"{NAMESPACE}uptimerobot_plan", VENDOR_PLAN)) from None
    if secrets_present:
        missing = [
            f"{NAMESPACE}{field}: {_needs(name)} '{name}', which is not set; set it with "
            f"`pulumi config set --secret {NAMESPACE}{name}`"
            for name, field in secret_names(values).items()
            if name not in values and _needed(plan, field)
        ]
        if missing:
            raise ConfigError("invalid stack config:\n  " + "\n  ".join(missing))
    return plan


def _needs(name: str) -> str:
    """A fixed secret's key is the plan's (the log stream's token); the others' the field names."""
    return (
        "needs its token in the secret config key" if name in FIXED_SECRETS else "names the secret config key"
    )


def _needed(plan: Plan, field: str) -> bool:
    if field == "log_stream":
        return plan.log_stream is not None
    channel = field.split(".")[1]
    return any(channel in plan.routed(severity) for severity in ("critical", "warning", "info"))


def _unknown_keys(values: Mapping[str, Any]) -> Iterable[str]:
    known = [*Plan.model_fields, *secret_names(values), *SETTINGS]
    for key in values:
        if key in known or key == "uptimerobot_plan":
            continue
        close = difflib.get_close_matches(key, [k for k in known if k != "adopt"], n=1, cutoff=0.7)
        hint = f"; did you mean {NAMESPACE}{close[0]}?" if close else ""
        yield f"{NAMESPACE}{key}: unknown key{hint}"
    if "uptimerobot_plan" in values:
        yield f"{NAMESPACE}uptimerobot_plan: the UptimeRobot plan is the vendor's setting: use {VENDOR_PLAN}"


def _plan_shape(values: Mapping[str, Any]) -> Iterable[str]:
    """Sections given the wrong kind of YAML value, named before pydantic's messages for them."""
    for key, field in Plan.model_fields.items():
        if key in values and is_secure(values[key]):
            yield f"{NAMESPACE}{key}: is part of the plan, not a secret (store it in plain config)"
        elif key in values and values[key] is None and not _optional(field.annotation):
            yield f"{NAMESPACE}{key}: is empty"


def _settings(values: Mapping[str, Any]) -> Iterable[str]:
    raw = values.get("httpTimeout")
    if raw is None:
        return
    try:
        seconds = float(raw) if not isinstance(raw, bool) else -1.0
    except (TypeError, ValueError):
        seconds = -1.0
    if not 0 < seconds <= 600:
        yield f"{NAMESPACE}httpTimeout: must be a number of seconds in (0, 600]"


def _optional(annotation: object) -> bool:
    return "None" in str(annotation)


def _kind(value: object) -> str:
    return {list: "list", str: "text value", int: "number", float: "number", bool: "true/false"}.get(
        type(value), type(value).__name__
    )


def _stacks_beside(path: Path) -> str:
    stacks = sorted(p.name[len("Pulumi.") : -len(".yaml")] for p in path.parent.glob("Pulumi.*.yaml"))
    return f" (stacks here: {', '.join(stacks)})" if stacks else ""
