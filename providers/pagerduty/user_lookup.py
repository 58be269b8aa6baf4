"""A person in PagerDuty, found by e-mail address. Lookout never creates users: creating one invites a real
person (reference/pagerduty.md, users); someone missing is an error that says to invite them first.
A read-only lookup, as a resource: it reads at `up` and `refresh`; deleting it leaves PagerDuty untouched."""

from __future__ import annotations

from typing import Any, ClassVar

from pydantic import Field

from transport import Expected, Transport

from ..spec import Inputs, ResourceSpec
from . import client as api


class UserLookupInputs(Inputs):
    email: str = Field(pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class UserLookupSpec(ResourceSpec[UserLookupInputs]):
    kind = "pagerduty:UserLookup"
    natural_key = ("email",)
    model = UserLookupInputs
    output_names: ClassVar[tuple[str, ...]] = ("user_id", "name")

    def client(self) -> Transport:
        return api.client()

    def lookup(self, client: Transport, inputs: UserLookupInputs) -> dict[str, Any]:
        # `query` matches a piece of the name or address; the address must then match whole (any case).
        found = api.list_all(client, "/users", "users", query=inputs.email)
        for user in found:
            if str(user.get("email", "")).casefold() == inputs.email.casefold():
                return user
        raise UnknownPerson(
            f"no PagerDuty user has the e-mail address {inputs.email}: Lookout never invites people; "
            "invite them in PagerDuty (or correct the address in lookout:oncall)"
        )

    def create(self, client: Transport, inputs: UserLookupInputs) -> dict[str, Any]:
        return self.lookup(client, inputs)

    def update(self, client: Transport, current: dict[str, Any], inputs: UserLookupInputs) -> dict[str, Any]:
        return self.lookup(client, inputs)

    def delete(self, client: Transport, id_: str, props: dict[str, Any]) -> None:
        return None

    def get(self, client: Transport, id_: str) -> dict[str, Any]:
        return api.one(client.request("GET", f"/users/{id_}"), "user")

    def project(self, obj: dict[str, Any]) -> dict[str, Any]:
        return {"email": obj.get("email")}

    def outputs(self, obj: dict[str, Any]) -> dict[str, Any]:
        return {"user_id": str(obj["id"]), "name": obj.get("name")}


class UnknownPerson(Expected, LookupError):
    pass


SPEC = UserLookupSpec()
