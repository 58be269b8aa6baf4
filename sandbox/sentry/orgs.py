"""The seeded organization, its member, its token and the vendor settings of the Sentry sandbox."""

from typing import Any

from flask import request

from sandbox.clock import Clock, iso
from sandbox.sentry.errors import not_found
from sandbox.state import sandbox
from sandbox.store import Store

VENDOR = "sentry"
ORG_ID = 1000001
INGEST_HOST = f"o{ORG_ID}.ingest.us.sentry.io"  # the DSNs' host (an organization's ingest host)
ORG_SLUG = "lookout-sandbox"
ORG_NAME = "Lookout Sandbox"
TOKEN = "sandbox-sentry-token"
# What the token may do (GET /api/0/ shows them): an organization-bound token with what Lookout's writes need.
TOKEN_SCOPES = (
    "alerts:read",
    "alerts:write",
    "event:admin",
    "event:read",
    "event:write",
    "member:read",
    "org:integrations",
    "org:read",
    "project:admin",
    "project:read",
    "project:releases",
    "project:write",
    "team:read",
    "team:write",
)
USER_ID = 1
MEMBER_ID = 2_000_001  # the organization membership of that user: a different id, as in Sentry
OWNER_EMAIL = "owner@sandbox.test"
FIRST_ID = 4_505_000_001
SEQUENCE = f"{VENDOR}.{ORG_ID}"  # one id sequence per organization, shared by all its collections
ORGANIZATIONS, MEMBERS = "organizations", "members"
SETTINGS_KEY = "sentry.settings"
RATE_LIMIT_FEATURE = "projects:rate-limits"
MAX_RATE_WINDOW = 60  # the shared limiter's window; a longer Sentry window would be cut short by it

DEFAULT_SETTINGS: dict[str, Any] = {
    "rateLimit": 40,  # 40 requests/s per caller and endpoint: the key-endpoint limit (sentry.md, conventions)
    "rateWindow": 1,
    "concurrentLimit": 25,
    "shuffle": True,
    "features": [],
    # Custom dashboards the plan allows, -1 for no limit (the subscription's `planDetails.dashboardLimit`):
    # 20, the Team plan's, the least plan with the third-party integrations Lookout uses; Developer 10,
    # Business and Enterprise unlimited (docs/vendors/sentry.md, dashboards).
    "dashboardLimit": 20,
    # Whether Sentry's prebuilt dashboards are synced into the organization as dashboard rows, as they are
    # for AM2/AM3 plans (getsentry/sentry#114373, 2026-04): they let its last custom dashboard be deleted.
    # The sandbox lists none of them (sandbox/sentry/dashboards.py); false models an organization without.
    "prebuiltDashboards": True,
}


def seed(store: Store) -> None:
    created = iso(Clock(store).now())
    org = {"id": ORG_ID, "slug": ORG_SLUG, "name": ORG_NAME, "token": TOKEN, "dateCreated": created}
    store.put(VENDOR, ORGANIZATIONS, ORG_ID, org)
    member = {
        "id": MEMBER_ID,
        "userId": str(USER_ID),
        "email": OWNER_EMAIL,
        "name": "Sandbox Owner",
        "dateCreated": created,
    }
    store.put(VENDOR, MEMBERS, ORG_ID, member)


def by_token(token: str) -> dict[str, Any] | None:
    orgs = sandbox().store.find(VENDOR, ORGANIZATIONS)
    return next((org for org in orgs if org["token"] == token), None)


def bearer_token() -> str | None:
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer":
        return None
    return token.strip() or None


def resolve(segment: str) -> dict[str, Any]:
    """The caller's organization if ``segment`` is its slug or id; 404 otherwise."""
    org = by_token(bearer_token() or "")
    if org is None or segment not in (org["slug"], str(org["id"])):
        raise not_found()
    return org


def user(user_id: str) -> dict[str, Any] | None:
    """The member whose Sentry *user* id is `user_id` (actors and e-mail targets name users, not the
    membership's own id)."""
    members = sandbox().store.find(VENDOR, MEMBERS, ORG_ID)
    return next((m for m in members if m.get("userId", str(m["id"])) == str(user_id)), None)


def summary(org: dict[str, Any]) -> dict[str, Any]:
    """The ``organization`` object that team and project details embed."""
    return {
        "id": str(org["id"]),
        "slug": org["slug"],
        "status": {"id": "active", "name": "active"},
        "name": org["name"],
        "dateCreated": org["dateCreated"],
        "isEarlyAdopter": False,
        "require2FA": False,
        "avatar": {"avatarType": "letter_avatar", "avatarUuid": None, "avatarUrl": None},
        "links": {
            "organizationUrl": f"https://{org['slug']}.sentry.io",
            "regionUrl": "https://us.sentry.io",
        },
        "hasAuthProvider": False,
        "allowMemberInvite": True,
        "allowMemberProjectCreation": True,
        "allowSuperuserAccess": False,
        "features": settings()["features"],
    }


def settings() -> dict[str, Any]:
    stored: dict[str, Any] = sandbox().store.get_value(SETTINGS_KEY, {})
    return {**DEFAULT_SETTINGS, **stored}


def has_feature(name: str) -> bool:
    return name in settings()["features"]


def update_settings(changes: dict[str, Any]) -> dict[str, Any]:
    """Apply a partial settings document; raises ValueError naming the bad field."""
    current = settings()
    for key, value in changes.items():
        if key not in DEFAULT_SETTINGS:
            raise ValueError(f"unknown setting {key}; use {', '.join(DEFAULT_SETTINGS)}")
        current[key] = _checked(key, value)
    sandbox().store.set_value(SETTINGS_KEY, current)
    return current


def _checked(key: str, value: Any) -> Any:
    if key == "rateLimit" and value is None:
        return DEFAULT_SETTINGS["rateLimit"]
    if key in ("shuffle", "prebuiltDashboards"):
        if not isinstance(value, bool):
            raise ValueError(f"{key} must be a boolean")
        return value
    if key == "dashboardLimit":
        if isinstance(value, bool) or not isinstance(value, int) or value < -1:
            raise ValueError("dashboardLimit must be a number of dashboards, or -1 for no limit")
        return value
    if key == "features":
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            raise ValueError("features must be a list of strings")
        return value
    upper = MAX_RATE_WINDOW if key == "rateWindow" else None
    if isinstance(value, bool) or not isinstance(value, int) or value < 1 or (upper and value > upper):
        bounds = f"between 1 and {upper}" if upper else "a positive integer"
        raise ValueError(f"{key} must be {bounds}" + (" or null" if key == "rateLimit" else ""))
    return value
