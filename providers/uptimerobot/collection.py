"""What every UptimeRobot resource shares: a collection path, CRUD verbs and natural-key lookup."""

from __future__ import annotations

from typing import Any, ClassVar

from ..spec import M, ResourceSpec
from ..transport import Transport
from . import client as api


class CollectionSpec(ResourceSpec[M]):
    """A resource at `path` (`POST path`, `GET|PATCH|DELETE path/{id}`). Subclasses supply the bodies."""

    path: ClassVar[str]
    multipart: ClassVar[bool] = False  # bodies are form fields (list of pairs) instead of JSON

    def create_body(self, inputs: M) -> Any:
        raise NotImplementedError

    def update_body(self, inputs: M) -> Any:
        raise NotImplementedError

    def _body(self, body: Any) -> dict[str, Any]:
        return {"form": body} if self.multipart else {"json_body": body}

    def patch_after_create(self, inputs: M) -> bool:
        """True when some input cannot be sent on create and needs a PATCH right after."""
        return False

    def same(self, obj: dict[str, Any], inputs: M) -> bool:
        """Whether `obj` is the object `inputs` describe (its natural key)."""
        raise NotImplementedError

    def search(self, inputs: M) -> dict[str, Any]:
        """Query parameters that narrow the listing `find` walks."""
        return {}

    def client(self) -> Transport:
        return api.client()

    def create(self, client: Transport, inputs: M) -> dict[str, Any]:
        body = self._body(self.create_body(inputs))
        created = client.request("POST", self.path, **body, recover=lambda: self.find(client, inputs))
        return self.update(client, created, inputs) if self.patch_after_create(inputs) else created

    def get(self, client: Transport, id_: str) -> dict[str, Any]:
        return client.request("GET", f"{self.path}/{id_}")

    def update(self, client: Transport, current: dict[str, Any], inputs: M) -> dict[str, Any]:
        return client.request("PATCH", f"{self.path}/{current['id']}", **self._body(self.update_body(inputs)))

    def delete(self, client: Transport, id_: str, props: dict[str, Any]) -> None:
        client.request("DELETE", f"{self.path}/{id_}")

    def find(self, client: Transport, inputs: M) -> dict[str, Any] | None:
        for obj in api.list_all(client, self.path, **self.search(inputs)):
            if self.same(obj, inputs):
                return obj
        return None
