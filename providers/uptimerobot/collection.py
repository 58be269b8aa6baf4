"""What every UptimeRobot resource shares: a collection path, CRUD verbs and natural-key lookup.

Writes are confirmed before they count as done. A create may silently skip settings (an alert contact's
`enableNotificationsFor`), which a follow-up PATCH then applies, as the official provider does. And reads
lag writes: answers can come from a replica that has not seen the write yet, so after a create or update
the object is read back until it shows the write (bounded: SETTLE_SECONDS), or a refresh straight after an
`up` would report drift, or lose a resource it cannot find (docs/vendors/uptimerobot.md, consistency).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from transport import NotFound, Transport, notice

from ..spec import M, ResourceSpec
from . import client as api

SETTLE_SECONDS = 60.0  # the official provider waits 60-240 s; a minute covers the lag seen live
FIRST_DELAY, MAX_DELAY = 0.5, 3.0


class CollectionSpec(ResourceSpec[M]):
    """A resource at `path` (`POST path`, `GET|PATCH|DELETE path/{id}`). Subclasses supply the bodies."""

    path: ClassVar[str]
    list_params: ClassVar[dict[str, Any]] = {}  # e.g. the largest page size the listing accepts
    listed_in_full: ClassVar[bool] = False  # list items equal the single GET, so reads may share a listing

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "path" in cls.__dict__ and "creates" not in cls.__dict__:
            cls.creates = (("POST", cls.path),)

    def create_body(self, inputs: M) -> Any:
        raise NotImplementedError

    def update_body(self, inputs: M) -> Any:
        raise NotImplementedError

    def patch_after_create(self, inputs: M) -> bool:
        """True when some input cannot be sent on create and needs a PATCH right after."""
        return False

    def search(self, inputs: M) -> dict[str, Any]:
        """Query parameters that narrow the listing `find` walks."""
        return {}

    def client(self) -> Transport:
        return api.client()

    def create(self, client: Transport, inputs: M) -> dict[str, Any]:
        body = self.create_body(inputs)
        created = client.request("POST", self.path, json_body=body, recover=lambda: self.find(client, inputs))
        if self.patch_after_create(inputs) or self.unreflected(created, inputs, skip=self.secret_fields):
            return self.update(client, created, inputs)  # the create skipped some settings
        return self.settle(client, created, inputs)

    def every(self, client: Transport) -> list[dict[str, Any]]:
        return api.list_all(client, self.path, **self.list_params)

    def listing(self, client: Transport, inputs: M | None) -> tuple[tuple[str, ...], Callable[[], Any]]:
        return (), lambda: self.every(client)

    def get(self, client: Transport, id_: str) -> dict[str, Any]:
        return client.request("GET", f"{self.path}/{id_}")

    def listed(self, client: Transport, id_: str) -> tuple[tuple[str, ...], Callable[[], Any]] | None:
        return self.listing(client, None) if self.listed_in_full else None

    def update(self, client: Transport, current: dict[str, Any], inputs: M) -> dict[str, Any]:
        path = f"{self.path}/{current['id']}"
        return self.settle(client, client.request("PATCH", path, json_body=self.update_body(inputs)), inputs)

    def settle(self, client: Transport, written: dict[str, Any], inputs: M) -> dict[str, Any]:
        """Read the object back until it shows what was written; the write's own answer if it never does
        within SETTLE_SECONDS (the next refresh then shows the difference, if any remains)."""
        deadline = client.clock.monotonic() + SETTLE_SECONDS
        delay = FIRST_DELAY
        while True:
            try:
                read = client.request("GET", f"{self.path}/{written['id']}")
            except NotFound:
                read = None  # a replica that has not seen the create yet
            if read is not None and not self.unreflected(read, inputs, skip=self.secret_fields):
                return read
            if client.clock.monotonic() + delay > deadline:
                notice.warn(
                    f"{self.kind} {written['id']}",
                    f"reads did not show the write within {SETTLE_SECONDS:.0f} s",
                )
                return written
            client.clock.sleep(delay)
            delay = min(MAX_DELAY, delay * 2)

    def delete(self, client: Transport, id_: str, props: dict[str, Any]) -> None:
        client.request("DELETE", f"{self.path}/{id_}")

    def find(self, client: Transport, inputs: M) -> dict[str, Any] | None:
        for obj in api.list_all(client, self.path, **self.search(inputs)):
            if self.same(obj, inputs):
                return obj
        return None
