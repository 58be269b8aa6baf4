"""Entry point of the Pulumi program: read and validate config, then build the plan."""

from __future__ import annotations

import json

import pulumi

from . import render, sentry, uptime
from .config import ConfigError, StackConfig, load

KEYS = ("environment", "uptime", "sentry", "render")


def read_config() -> StackConfig:
    cfg = pulumi.Config("lookout")
    values = {}
    for key in KEYS:
        raw = cfg.get(key)
        if raw is not None:
            values[key] = json.loads(raw) if raw[:1] in "[{" else raw
    return load(values)


def main() -> None:
    try:
        config = read_config()
    except ConfigError as exc:
        raise pulumi.RunError(str(exc)) from None
    uptime.build(config)
    dsns = sentry.build(config.environment, config.sentry)["keys"] if config.sentry else {}
    if config.render:
        render.build(config.environment, config.render, {slug: key.dsn for slug, key in dsns.items()})
