"""Validation errors that name the stack-config path of what is wrong (`lookout:services[0].url: ...`)."""

from __future__ import annotations

import re
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError


class ConfigError(ValueError):
    pass


M = TypeVar("M", bound=BaseModel)


_PATH_FIRST = re.compile(r"^[A-Za-z_][\w.\[\]]*: ")


def validate(model: type[M], values: dict[str, Any]) -> M:
    """Validate `lookout:*` values (parsed from YAML/JSON); every error names its config path."""
    try:
        return model.model_validate(values)
    except ValidationError as exc:
        lines = []
        for err in exc.errors():
            where = ".".join(str(p) if isinstance(p, str) else f"[{p}]" for p in err["loc"]).replace(
                ".[", "["
            )
            reason = (
                "unknown key"
                if err["type"] == "extra_forbidden"
                else err["msg"].removeprefix("Value error, ")
            )
            if not where and _PATH_FIRST.match(reason):  # a plan-wide rule names the key it is about
                where, _, reason = reason.partition(": ")
            path = f"lookout:{where}" if where else "lookout"
            lines.append(f"{path}: {reason}")
        raise ConfigError("invalid stack config:\n  " + "\n  ".join(lines)) from None
