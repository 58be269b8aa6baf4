"""Who the sandbox's vendors notified: every page, Slack message and suppressed page, in order, so tests and
`lookout drill --sandbox` can see who was reached, through which channel, for which severity.

A leaf of the sandbox: vendor packages record here; the control API lists them
(``GET /_control/deliveries``, ``DELETE /_control/deliveries``).
"""

from typing import Any

from sandbox.clock import iso
from sandbox.state import sandbox

VENDOR = "sandbox"
COLLECTION = "deliveries"


def record(channel: str, to: str, **details: Any) -> dict[str, Any]:
    state = sandbox()
    doc = {"id": state.store.next_id(VENDOR), "at": iso(state.clock.now()), "channel": channel, "to": to}
    return state.store.put(VENDOR, COLLECTION, 1, {**doc, **details})


def listed() -> list[dict[str, Any]]:
    return sandbox().store.find(VENDOR, COLLECTION, 1)


def clear() -> None:
    for doc in listed():
        sandbox().store.delete(VENDOR, COLLECTION, int(doc["id"]))
