"""References between objects: tags, assigned alert contacts, maintenance windows and status pages."""

from typing import Any

from sandbox.uptimerobot import repo
from sandbox.uptimerobot.accounts import Account
from sandbox.uptimerobot.errors import BadRequest

TAG_COLORS = ("#3bd671", "#f29030", "#df484a", "#5b6ef5", "#b05cd6", "#22b8cf")


def tag_ids(account_id: int, names: list[str]) -> list[int]:
    """Ids of the account's tags called ``names`` (lower-cased), creating the missing ones."""
    existing = {tag["name"]: tag["id"] for tag in repo.find(repo.TAGS, account_id)}
    ids: list[int] = []
    for name in dict.fromkeys(str(name).strip().lower() for name in names):
        if not name:
            continue
        if name not in existing:
            tag_id = repo.new_id()
            color = TAG_COLORS[tag_id % len(TAG_COLORS)]
            repo.save(repo.TAGS, account_id, {"id": tag_id, "name": name, "color": color})
            existing[name] = tag_id
        ids.append(existing[name])
    return ids


def check_contacts(account_id: int, assigned: list[dict[str, Any]]) -> None:
    """Each ``alertContactId`` must be an alert contact or an integration of the account."""
    known = {doc["id"] for doc in repo.find(repo.CONTACTS, account_id)}
    known |= {doc["id"] for doc in repo.find(repo.INTEGRATIONS, account_id)}
    for item in assigned:
        if item["alertContactId"] not in known:
            raise BadRequest(f"assignedAlertContacts: alert contact {item['alertContactId']} does not exist")


def contacts(account: Account, assigned: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The stored form of ``assignedAlertContacts``; threshold and recurrence are always 0 on Free."""
    free = account.plan_name == "free"
    return [
        {
            "alertContactId": item["alertContactId"],
            "threshold": 0 if free else item.get("threshold", 0),
            "recurrence": 0 if free else item.get("recurrence", 0),
        }
        for item in assigned
    ]


def check_ids(collection: str, account_id: int, ids: list[Any], field: str) -> None:
    known = {doc["id"] for doc in repo.find(collection, account_id)}
    unknown = [value for value in ids if value not in known]
    if unknown:
        raise BadRequest(f"{field} contains unknown ids: {', '.join(str(value) for value in unknown)}")


def assign_windows(account_id: int, monitor_id: int, window_ids: list[int]) -> None:
    """Make ``window_ids`` exactly the maintenance windows that list the monitor."""
    for window in repo.find(repo.WINDOWS, account_id):
        listed = monitor_id in window["monitorIds"]
        wanted = window["id"] in window_ids
        if listed != wanted:
            others = [value for value in window["monitorIds"] if value != monitor_id]
            window["monitorIds"] = [*others, monitor_id] if wanted else others
            repo.save(repo.WINDOWS, account_id, window)


def detach_monitor(account_id: int, monitor_id: int) -> None:
    """Remove a deleted monitor from the maintenance windows and status pages that list it."""
    for collection in (repo.WINDOWS, repo.PSPS):
        for doc in repo.find(collection, account_id):
            ids = doc.get("monitorIds") or []
            if monitor_id in ids:
                doc["monitorIds"] = [value for value in ids if value != monitor_id]
                repo.save(collection, account_id, doc)


def detach_contact(account_id: int, contact_id: int) -> None:
    """Unassign a deleted alert contact or integration from every monitor."""
    for monitor in repo.find(repo.MONITORS, account_id):
        assigned = monitor.get("assignedAlertContacts", [])
        kept = [item for item in assigned if item["alertContactId"] != contact_id]
        if len(kept) != len(assigned):
            monitor["assignedAlertContacts"] = kept
            repo.save(repo.MONITORS, account_id, monitor)


def detach_tag(account_id: int, tag_id: int) -> None:
    for monitor in repo.find(repo.MONITORS, account_id):
        if tag_id in monitor.get("tagIds", []):
            monitor["tagIds"] = [value for value in monitor["tagIds"] if value != tag_id]
            repo.save(repo.MONITORS, account_id, monitor)
