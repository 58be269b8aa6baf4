"""Natural-key claims at create (issue #7).

A create whose response was lost, or a `pulumi up` killed mid-flight, leaves an object the state does not
know. Where the API accepts duplicates, the provider looks the natural key up in the shared listing before
creating; where the API refuses them, it looks after the refusal (no request spent in the normal case).
An object identical to the declaration is what the interrupted create made, so it is taken over. A
different object under the key is someone else's: left alone where duplicates are allowed, reported (adopt
it explicitly, or remove it) where the API refused ours; never overwritten.
"""

from __future__ import annotations

from typing import Any

from transport import Expected, notice
from transport.listings import LISTINGS, Key

from .spec import ResourceSpec


class AlreadyExists(Expected, RuntimeError):
    pass


def listing_key(spec: ResourceSpec[Any], client: Any, scope: tuple[str, ...]) -> Key:
    return (client.account, spec.kind, *scope)


def claim(spec: ResourceSpec[Any], client: Any, inputs: Any) -> dict[str, Any] | None:
    """Before a create (the API accepts duplicates): an existing object identical to the declaration.
    Objects that merely share the natural key belong to someone else and are left alone."""
    where = spec.listing(client, inputs)
    if where is None:
        return None
    scope, walk = where
    listing = LISTINGS.load(listing_key(spec, client, scope), client.clock, walk, spec.id_of)
    for id_ in sorted((i for i, obj in listing.items() if spec.same(obj, inputs)), key=lambda i: (len(i), i)):
        live = spec.get(client, id_)
        if not differences(spec, live, inputs):
            return _taken_over(spec, id_, live)
    return None


def claim_refused(spec: ResourceSpec[Any], client: Any, inputs: Any) -> dict[str, Any] | None:
    """After the API refused a create as a duplicate: the object it meant, if identical (asked now).
    A different object under the key is reported, never overwritten."""
    found = spec.find(client, inputs)
    if found is None:
        return None
    id_ = spec.id_of(found)
    live = spec.get(client, id_)
    differing = differences(spec, live, inputs)
    if not differing:
        return _taken_over(spec, id_, live)
    if differing & spec.replace_on:
        return None  # the object a create-before-delete replacement supersedes
    raise AlreadyExists(
        f"{spec.kind}: an object with this natural key already exists (id {id_}) and differs in "
        f"{', '.join(sorted(differing))}. Set adopt: true (or adopt_id: '{id_}') to manage it, "
        "or remove it; Lookout does not overwrite it."
    )


def _taken_over(spec: ResourceSpec[Any], id_: str, live: dict[str, Any]) -> dict[str, Any]:
    notice.warn(f"{spec.kind} {id_}", "an identical object exists; taking it over (an interrupted run?)")
    return live


def differences(spec: ResourceSpec[Any], obj: dict[str, Any], inputs: Any) -> set[str]:
    """Compared fields whose value in `obj` differs from the declaration (skipped: fields the API hides,
    fields the declaration leaves to the API's default, and fields a create sets in a second request)."""
    return spec.unreflected(obj, inputs, skip=spec.secret_fields | spec.set_after_create)


def remember(spec: ResourceSpec[Any], client: Any, inputs: Any, obj: dict[str, Any]) -> None:
    where = spec.listing(client, inputs)
    if where is not None:
        LISTINGS.record(listing_key(spec, client, where[0]), spec.id_of(obj), obj)


def forget(spec: ResourceSpec[Any], client: Any, id_: str) -> None:
    if hasattr(client, "account"):
        LISTINGS.forget(listing_key(spec, client, ()), id_)
