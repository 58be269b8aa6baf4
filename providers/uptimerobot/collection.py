"""What every UptimeRobot resource shares: a collection path, CRUD verbs and natural-key lookup."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from ..claims import listing_key
from ..spec import M, ResourceSpec
from ..transport import Transport
from ..transport.listings import LISTINGS
from . import client as api


class CollectionSpec(ResourceSpec[M]):
    """A resource at `path` (`POST path`, `GET|PATCH|DELETE path/{id}`). Subclasses supply the bodies."""

    path: ClassVar[str]
    multipart: ClassVar[bool] = False  # bodies are form fields (list of pairs) instead of JSON
    list_params: ClassVar[dict[str, Any]] = {}  # e.g. the largest page size the listing accepts
    listed_in_full: ClassVar[bool] = False  # list items equal the single GET, so reads may share a listing

    def create_body(self, inputs: M) -> Any:
        raise NotImplementedError

    def update_body(self, inputs: M) -> Any:
        raise NotImplementedError

    def _body(self, body: Any) -> dict[str, Any]:
        return {"form": body} if self.multipart else {"json_body": body}

    def patch_after_create(self, inputs: M) -> bool:
        """True when some input cannot be sent on create and needs a PATCH right after."""
        return False

    def search(self, inputs: M) -> dict[str, Any]:
        """Query parameters that narrow the listing `find` walks."""
        return {}

    def client(self) -> Transport:
        return api.client()

    def create(self, client: Transport, inputs: M) -> dict[str, Any]:
        body = self._body(self.create_body(inputs))
        created = client.request("POST", self.path, **body, recover=lambda: self.find(client, inputs))
        return self.update(client, created, inputs) if self.patch_after_create(inputs) else created

    def listing(self, client: Transport, inputs: M | None) -> tuple[tuple[str, ...], Callable[[], Any]]:
        return (), lambda: api.list_all(client, self.path, **self.list_params)

    def get(self, client: Transport, id_: str) -> dict[str, Any]:
        """From the process's shared listing once a second object is read (a refresh reads them all)."""
        if not self.listed_in_full:
            return client.request("GET", f"{self.path}/{id_}")
        scope, walk = self.listing(client, None)
        key = listing_key(self, client, (*scope, "reads"))  # apart from the listing claims load at create
        listing = LISTINGS.fresh(key, client.clock)
        if listing is None and LISTINGS.count_read(key) > 1:
            listing = LISTINGS.load(key, client.clock, walk, self.id_of)
        if listing is not None and id_ in listing:
            return listing[id_]
        return client.request("GET", f"{self.path}/{id_}")  # not listed: gone (404), or newer than the list

    def update(self, client: Transport, current: dict[str, Any], inputs: M) -> dict[str, Any]:
        return client.request("PATCH", f"{self.path}/{current['id']}", **self._body(self.update_body(inputs)))

    def delete(self, client: Transport, id_: str, props: dict[str, Any]) -> None:
        client.request("DELETE", f"{self.path}/{id_}")

    def find(self, client: Transport, inputs: M) -> dict[str, Any] | None:
        for obj in api.list_all(client, self.path, **self.search(inputs)):
            if self.same(obj, inputs):
                return obj
        return None
