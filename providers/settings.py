"""Where credentials and endpoints come from: stack config (via `configure()`), else the environment.

Never from resource inputs: inputs are stored in state. Config keys are `<vendor>:<key>`, for example
`uptimerobot:apiKey` (set with `pulumi config set --secret`); the environment fallback is
`<VENDOR>_<KEY>` (`UPTIMEROBOT_API_KEY`), also read from a `.env` file in the project directory.
"""

from __future__ import annotations

import ipaddress
import os
import re
import threading
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import urlsplit

from dotenv import load_dotenv

from transport import Expected, Transport, Vendor, register_secret
from transport.clock import TIME_SCALE_ENV, Clock, ScaledClock, parse_time_scale
from transport.shared import shared_transport


class ConfigSource(Protocol):
    def get(self, key: str) -> Any: ...


_lock = threading.Lock()
_config: ConfigSource = {}
_dotenv_loaded = False


def use_config(source: ConfigSource) -> None:
    """Adopt the stack config the engine sent (every namespace, secrets decrypted); `{}` forgets it."""
    global _config
    with _lock:
        _config = source


def env_name(key: str) -> str:
    vendor, _, name = key.partition(":")
    return f"{vendor}_{re.sub(r'(?<!^)(?=[A-Z])', '_', name)}".upper()


def get(key: str, default: str | None = None) -> str | None:
    """`vendor:name` from stack config, else `VENDOR_NAME` from the environment or `.env`."""
    global _dotenv_loaded
    with _lock:
        value = _config.get(key)
        if value is not None:
            return str(value)
        if not _dotenv_loaded:
            load_dotenv(os.path.join(os.getcwd(), ".env"), override=False)
            _dotenv_loaded = True
    return os.environ.get(env_name(key), default)


def require(key: str, hint: str) -> str:
    value = get(key)
    if not value:
        raise MissingCredential(f"{key} is not set. {hint}")
    return value


def require_secret(key: str, hint: str) -> str:
    value = require(key, hint)
    register_secret(value)
    return value


# What each vendor's provider needs from stack config or the environment before its first request.
ACCOUNT_SETTINGS = {
    "uptimerobot": ("uptimerobot:apiKey",),
    "sentry": ("sentry:authToken", "sentry:organization"),
    "render": ("render:apiKey", "render:ownerId"),
    "pagerduty": ("pagerduty:token",),
}


def unset(vendor: str) -> list[str]:
    """The settings `vendor` needs that neither stack config nor the environment provides."""
    return [key for key in ACCOUNT_SETTINGS[vendor] if not get(key)]


DEFAULT_READ_TIMEOUT = 30.0


def read_timeout() -> float:
    """Seconds to wait for a vendor's response (`lookout:httpTimeout`); a slower answer counts as lost."""
    raw = get("lookout:httpTimeout")
    try:
        value = float(raw) if raw is not None else DEFAULT_READ_TIMEOUT
    except ValueError:
        value = -1.0
    if not 0 < value <= 600:
        raise InvalidSetting(f"lookout:httpTimeout must be a number of seconds in (0, 600], not {raw!r}")
    return value


def clock_for(endpoint: str) -> Clock | None:
    """The scaled clock of a sandbox benchmark (`LOOKOUT_TIME_SCALE`), else None (the system clock)."""
    raw = os.environ.get(TIME_SCALE_ENV)
    if not raw:
        return None
    if target_of(endpoint) != "sandbox":
        raise InvalidSetting(
            f"{TIME_SCALE_ENV} is for benchmarks against the sandbox, not {urlsplit(endpoint).hostname}"
        )
    return ScaledClock(*parse_time_scale(raw))


RATE_WINDOWS_ENV = "LOOKOUT_RATE_WINDOWS"


def rate_windows() -> Path:
    """Where rate windows are kept between provider processes (issue #16): `LOOKOUT_RATE_WINDOWS`, else
    `.lookout/rate-windows` in the project directory (the provider's working directory)."""
    return Path(os.environ.get(RATE_WINDOWS_ENV) or os.path.join(os.getcwd(), ".lookout", "rate-windows"))


def connect(vendor: Vendor, endpoint: str, credential: str) -> Transport:
    """The process's transport to one vendor account, with this stack's timeout, clock and rate windows."""
    return shared_transport(vendor, endpoint, credential, read_timeout(), clock_for(endpoint), rate_windows())


def target_of(endpoint: str) -> str:
    """A label for the account an endpoint reaches: 'sandbox' for loopback, else its host."""
    host = urlsplit(endpoint).hostname or ""
    try:
        if host == "localhost" or ipaddress.ip_address(host).is_loopback:
            return "sandbox"
    except ValueError:
        pass
    return host


class MissingCredential(Expected, RuntimeError):
    pass


class InvalidSetting(Expected, ValueError):
    pass
