"""The Render account of the sandbox: its API key, its one workspace (owner) and the vendor settings."""

from typing import Any

from sandbox.state import sandbox

VENDOR = "render"
API_KEY = "sandbox-render-key"
OWNER_ID = "tea-sandbox0000000000001"
OWNER: dict[str, Any] = {"id": OWNER_ID, "name": "Optio", "email": "owner@sandbox.test", "type": "team"}
SETTINGS_KEY = "render.settings"

# The rate-limit classes (docs/vendors/render.md, rate limits). All windows are 60 s on the virtual clock.
DEFAULT_SETTINGS: dict[str, int] = {
    "serviceRateLimit": 10,  # PATCH /services/{id}, POST .../deploys, .../suspend, .../resume: per service
    "writeRateLimit": 30,  # every other POST/PUT/PATCH/DELETE, per API key
    "readRateLimit": 400,  # every GET, per API key (an older capture of Render's page says 100)
}


def settings() -> dict[str, int]:
    stored: dict[str, int] = sandbox().store.get_value(SETTINGS_KEY, {})
    return {**DEFAULT_SETTINGS, **stored}


def update_settings(changes: dict[str, Any]) -> dict[str, int]:
    """Apply a partial settings document (null restores a default); raises ValueError naming the field."""
    current = settings()
    for key, value in changes.items():
        if key not in DEFAULT_SETTINGS:
            raise ValueError(f"unknown setting {key}; use {', '.join(DEFAULT_SETTINGS)}")
        if value is None:
            current[key] = DEFAULT_SETTINGS[key]
        elif isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise ValueError(f"{key} must be a positive integer or null")
        else:
            current[key] = value
    sandbox().store.set_value(SETTINGS_KEY, current)
    return current
