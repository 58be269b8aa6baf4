"""Accounts, plans and vendor settings of the UptimeRobot sandbox."""

from dataclasses import dataclass
from typing import Any

from flask import g

from sandbox.state import sandbox
from sandbox.store import Store
from sandbox.uptimerobot.errors import feature_missing

VENDOR = "uptimerobot"
ACCOUNTS = "accounts"
SETTINGS_KEY = "uptimerobot.settings"
FIRST_ID = 800_000_001

DEFAULT_API_KEY = "sandbox-uptimerobot-key"
DEFAULT_EMAIL = "owner@sandbox.test"
DEFAULT_PLAN = "free"


# Plan features some operations need; without one they answer 403 "Feature <name> is not enabled in your
# plan." with code 000-003 (sandbox/uptimerobot/errors.py, feature_missing).
INCIDENT_COMMENTS = "incident-comments"
PSP_SUBSCRIBERS = "psp-subscribers"


@dataclass(frozen=True)
class Plan:
    label: str
    monitor_limit: int
    min_interval: int
    rate_limit: int
    features: frozenset[str] = frozenset()


# Free: 50 monitors, 5-minute checks, 10 req/min (vendor docs). Paid plans: "monitor limit x 2" requests per
# minute; the Solo numbers (10 monitors -> 20/min) were observed live, Team/Enterprise are representative.
# Features: a Solo account lacks incident-comments and psp-subscribers (GoSuccessHQ/uptimerobot-api README,
# "Incident comments", "Announcements": verified live on the Solo plan); that Free lacks them too and Team and
# Enterprise have them is ASSUMED (no source lists the features of each plan).
_TEAM_FEATURES = frozenset({INCIDENT_COMMENTS, PSP_SUBSCRIBERS})
PLANS = {
    "free": Plan("Free", monitor_limit=50, min_interval=300, rate_limit=10),
    "solo": Plan("Solo", monitor_limit=10, min_interval=60, rate_limit=20),
    "team": Plan("Team", monitor_limit=100, min_interval=60, rate_limit=200, features=_TEAM_FEATURES),
    "enterprise": Plan(
        "Enterprise", monitor_limit=200, min_interval=30, rate_limit=400, features=_TEAM_FEATURES
    ),
}


@dataclass(frozen=True)
class Account:
    id: int
    api_key: str
    plan_name: str
    email: str
    full_name: str
    rate_limit_override: int | None
    monitor_limit_override: int | None = None

    @property
    def plan(self) -> Plan:
        return PLANS[self.plan_name]

    @property
    def monitor_limit(self) -> int:
        return self.monitor_limit_override or self.plan.monitor_limit

    @property
    def rate_limit(self) -> int:
        return self.rate_limit_override or self.plan.rate_limit

    @classmethod
    def from_doc(cls, doc: dict[str, Any]) -> "Account":
        return cls(
            id=int(doc["id"]),
            api_key=str(doc["apiKey"]),
            plan_name=str(doc["plan"]),
            email=str(doc["email"]),
            full_name=str(doc.get("fullName", "")),
            rate_limit_override=doc.get("rateLimit"),
            monitor_limit_override=doc.get("monitorLimit"),
        )


def create_account(store: Store, api_key: str, plan: str, email: str) -> dict[str, Any]:
    """Store a new account together with its owner's own e-mail alert contact."""
    if plan not in PLANS:
        raise ValueError(f"plan must be one of {', '.join(PLANS)}")
    if not api_key or any(doc["apiKey"] == api_key for doc in store.find(VENDOR, ACCOUNTS)):
        raise ValueError("apiKey must be a new, non-empty key")
    account_id = store.next_id(VENDOR, FIRST_ID)
    doc = {"id": account_id, "apiKey": api_key, "plan": plan, "email": email, "fullName": "Sandbox Owner"}
    store.put(VENDOR, ACCOUNTS, account_id, doc)
    # Every real account has its owner's e-mail as an active contact; it cannot be added through the API.
    contact_id = store.next_id(VENDOR, FIRST_ID)
    owner_contact = {
        "id": contact_id,
        "type": "Email",
        "friendlyName": email,
        "value": email,
        "enableNotificationsFor": "UpAndDown",
        "sslExpirationReminder": False,
        "status": "Active",
        "_account": account_id,
    }
    store.put(VENDOR, "alert-contacts", account_id, owner_contact)
    return doc


def seed(store: Store) -> None:
    create_account(store, DEFAULT_API_KEY, DEFAULT_PLAN, DEFAULT_EMAIL)


def by_key(store: Store, api_key: str) -> Account | None:
    for doc in store.find(VENDOR, ACCOUNTS):
        if doc["apiKey"] == api_key:
            return Account.from_doc(doc)
    return None


def default_account_doc(store: Store) -> dict[str, Any]:
    docs = store.find(VENDOR, ACCOUNTS)
    return next((doc for doc in docs if doc["apiKey"] == DEFAULT_API_KEY), docs[0])


def current() -> Account:
    """The account of the authenticated request."""
    doc = sandbox().store.get(VENDOR, ACCOUNTS, g.caller.account_id)
    assert doc is not None, "authenticated account vanished"
    return Account.from_doc(doc)


def require(account: Account, feature: str) -> None:
    """The plan's 403 (code 000-003) unless `account`'s plan has `feature`."""
    if feature not in account.plan.features:
        raise feature_missing(feature)


def settings() -> dict[str, Any]:
    stored: dict[str, Any] = sandbox().store.get_value(SETTINGS_KEY, {})
    return {"readAfterWriteLagSeconds": 0, **stored}


def update_settings(changes: dict[str, Any]) -> dict[str, Any]:
    """Apply ``{"rateLimit", "monitorLimit", "plan", "readAfterWriteLagSeconds"}`` (each optional) to the
    default account."""
    store = sandbox().store
    doc = default_account_doc(store)
    if "plan" in changes:
        if changes["plan"] not in PLANS:
            raise ValueError(f"plan must be one of {', '.join(PLANS)}")
        doc["plan"] = changes["plan"]
    if "rateLimit" in changes:
        doc["rateLimit"] = _rate_limit(changes["rateLimit"])
    if "monitorLimit" in changes:
        doc["monitorLimit"] = _positive(changes["monitorLimit"], "monitorLimit")
    if "readAfterWriteLagSeconds" in changes:
        lag = changes["readAfterWriteLagSeconds"]
        if isinstance(lag, bool) or not isinstance(lag, int | float) or lag < 0:
            raise ValueError("readAfterWriteLagSeconds must be a non-negative number")
        store.set_value(SETTINGS_KEY, {**settings(), "readAfterWriteLagSeconds": lag})
    store.put(VENDOR, ACCOUNTS, doc["id"], doc)
    return settings_view()


def settings_view() -> dict[str, Any]:
    """The control API's view of the settings: the default account's plan and limit, plus vendor settings."""
    account = Account.from_doc(default_account_doc(sandbox().store))
    return {
        "plan": account.plan_name,
        "rateLimit": account.rate_limit,
        "monitorLimit": account.monitor_limit,
        **settings(),
    }


def _rate_limit(value: Any) -> int | None:
    """A positive per-minute limit, or None to fall back to the plan's limit."""
    return _positive(value, "rateLimit")


def _positive(value: Any, name: str) -> int | None:
    """A positive integer, or None to fall back to the plan's value."""
    if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < 1):
        raise ValueError(f"{name} must be a positive integer or null")
    return value
