"""Lint's no-plain-secrets rule: it runs on the raw stack file, valid plan or not, over every namespace: a
value that looks like a credential (by its key's name or its shape), or a secret the plan names, written in
clear instead of with `pulumi config set --secret`."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from stacks.source import FIXED_SECRETS, is_secure, secret_names

from .lint_rules import Finding, error

# Fields that hold the NAME of a secret config key, with an example name.
REFERENCE_FIELDS = {"webhook_secret": "slackWebhookUrl", "key_secret": "pagerdutyKey"}

SECRET_VALUES = [
    (re.compile(r"hooks\.slack\.com/(?:services|workflows|triggers)/"), "a Slack webhook URL"),
    (re.compile(r"https?://[^/\s@]+@"), "a URL with credentials (a Sentry DSN?)"),
    (re.compile(r"\b(?:ur?|m)\d{4,}-[0-9a-f]{16,}\b"), "an UptimeRobot API key"),
    (re.compile(r"\brnd_[A-Za-z0-9]{16,}"), "a Render API key"),
    (re.compile(r"\bsntry[su]_[A-Za-z0-9+/=_-]{16,}"), "a Sentry auth token"),
    (re.compile(r"^(?=[a-z]*\d)(?=\d*[a-z])[0-9a-z]{32}$", re.I), "a 32-character key (PagerDuty?)"),
]
SECRET_NAME = re.compile(r"token|secret|password|passwd|api[_-]?key", re.I)
KEY_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_]*")


def no_plain_secrets(config: dict[str, Any]) -> Iterator[Finding]:
    values = {k.removeprefix("lookout:"): v for k, v in config.items() if k.startswith("lookout:")}
    named = secret_names(values)
    for key, value in config.items():
        namespace, _, name = key.partition(":")
        path = key
        if namespace == "lookout" and name in named and not is_secure(value) and value not in (None, ""):
            yield error("no-plain-secrets", path, f"{_whose(name, named[name])} is in plain text" + _fix(key))
        else:
            yield from _scan(value, path, name, key)


def _scan(value: Any, path: str, name: str | None, key: str) -> Iterator[Finding]:
    """`key` is the Pulumi config path (`lookout:channels.slack.webhook_secret`) for the fix hint."""
    if is_secure(value) or value in (None, ""):
        return
    if name in REFERENCE_FIELDS:
        if not (isinstance(value, str) and KEY_NAME.fullmatch(value) and not _looks_secret(value)):
            yield error(
                "no-plain-secrets",
                path,
                f"{name} must name a secret config key (like {REFERENCE_FIELDS[name]}), not hold the secret; "
                "rotate it and store it with `pulumi config set --secret lookout:<that name>`",
            )
        return
    if name and SECRET_NAME.search(name) and not isinstance(value, bool | int | float):
        yield error("no-plain-secrets", path, f"'{name}' looks like a credential in plain text" + _fix(key))
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from _scan(v, f"{path}.{k}", str(k), f"{key}.{k}")
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _scan(v, f"{path}[{i}]", None, f"{key}[{i}]")
    elif isinstance(value, str) and (what := _looks_secret(value)):
        yield error("no-plain-secrets", path, f"this looks like {what} in plain text" + _fix(key))


def _whose(name: str, field: str) -> str:
    """`the token of lookout:log_stream` (its key is fixed), `the secret lookout:channels.slack.webhook_secret
    names`."""
    return f"the token of lookout:{field}" if name in FIXED_SECRETS else f"the secret lookout:{field} names"


def _looks_secret(text: str) -> str | None:
    return next((what for pattern, what in SECRET_VALUES if pattern.search(text.strip())), None)


def _fix(key: str) -> str:
    path = " --path" if "." in key or "[" in key else ""
    return f"; rotate it and store it with `pulumi config set --secret{path} '{key}'`"
