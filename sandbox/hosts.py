"""The sandbox's name service: which local address answers for a host name on the internet.

The vendors' checks (UptimeRobot probes, Render health checks) reach the hosts a plan names. Offline, a
host exists only when it is listed here, e.g. a Render service's `serviceDetails.url` host pointed at the
reference app that stands in for it (`lookout gameday`). Any other name does not resolve, as a mistyped
host does not on the internet, so a monitor on the wrong host fails here as it would there. A host entry
serves its web ports (80 and 443); any other port is an entry of its own (`host:5432`).

    GET    /_control/hosts                          -> 200 {"optio-backend.onrender.com": "127.0.0.1:5001"}
    PUT    /_control/hosts {"<host>": "<ip>:<port>"} -> 200 the table (merged; null removes a host)
    DELETE /_control/hosts                          -> 200 {}
    PUT    /_control/hosts/trust {"pem": "..."}      -> 200: the CA that signs the certificates served
                                                        (the public CAs' part, for `checkSSLErrors`)

A leaf of the sandbox, like sandbox/deliveries.py.
"""

from __future__ import annotations

from typing import Any

from sandbox.state import sandbox

_KEY = "hosts"


def table() -> dict[str, str]:
    return dict(sandbox().store.get_value(_KEY, {}) or {})


WEB_PORTS = (80, 443)
_TRUST_KEY = "hosts.trust"


def resolve(host: str, port: int) -> tuple[str, int] | None:
    """The local address serving `host:port`, or None: nothing answers there (the name does not resolve,
    or that port of it is not served)."""
    name = host.lower().rstrip(".")
    entries = table()
    address = entries.get(f"{name}:{port}") or (entries.get(name) if port in WEB_PORTS else None)
    if address is None:
        return None
    ip, _, local = address.rpartition(":")
    return ip, int(local)


def known(host: str) -> bool:
    name = host.lower().rstrip(".")
    return any(entry == name or entry.startswith(f"{name}:") for entry in table())


def trust(pem: str) -> None:
    sandbox().store.set_value(_TRUST_KEY, pem)


def trusted() -> str:
    return str(sandbox().store.get_value(_TRUST_KEY, "") or "")


def update(entries: dict[str, Any]) -> dict[str, str]:
    """Merge `entries` (host -> "ip:port", or None to remove); ValueError names a bad entry."""
    current = table()
    for host, address in entries.items():
        name = str(host).lower().rstrip(".")
        if address is None:
            current.pop(name, None)
            continue
        ip, _, port = str(address).rpartition(":")
        if not ip or not port.isdigit() or not 0 < int(port) < 65536:
            raise ValueError(f"hosts.{host}: expected '<ip>:<port>', got {address!r}")
        current[name] = f"{ip}:{port}"
    sandbox().store.set_value(_KEY, current)
    return current


def clear() -> None:
    sandbox().store.set_value(_KEY, {})
    sandbox().store.set_value(_TRUST_KEY, "")
