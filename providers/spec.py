"""`ResourceSpec`: what one resource declares so that the generic provider can manage it."""

from __future__ import annotations

import copy
from collections.abc import Callable, Collection, Iterable, Mapping
from typing import Any, ClassVar, Generic, TypeVar

from pydantic import BaseModel, ConfigDict, ValidationError
from pydantic_core import to_jsonable_python

from transport import Expected, NotFound
from transport.listings import LISTINGS

from . import wire
from .normalize import contains_unknown, equivalent, under_unknown
from .stand_ins import combinations

Failure = tuple[str, str]
# Natural keys of live objects already read (`ResourceSpec.live_key`), by object identity.
LIVE_KEYS_KEPT = 20_000
_LIVE_KEYS: dict[tuple[str, int], tuple[dict[str, Any], tuple[Any, ...]]] = {}
# A request to the vendor: method and path template relative to the vendor's base URL, its parameters
# named as in the vendor's official spec (specs/).
Write = tuple[str, str]
_DEFAULTS: dict[type[BaseModel], dict[str, Any]] = {}  # by input model: `ResourceSpec.defaults`


class Part(BaseModel):
    """A nested value of a kind's inputs (a rule, a layer, a widget): unknown properties are errors; its
    validator is built when first used, not when a process imports the kind (most use a few kinds)."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class Inputs(BaseModel):
    """Base input model: unknown properties are errors, and every resource can adopt what exists."""

    # NaN would never equal itself, so a diff would show forever (tests/unit/test_properties_diff.py).
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False, defer_build=True)

    adopt: bool = False
    """Manage an existing object found by the resource's natural key instead of creating a new one."""
    adopt_id: str | None = None
    """Manage the existing object with this id instead of creating a new one."""


M = TypeVar("M", bound=Inputs)


class TargetMismatch(Expected, RuntimeError):
    pass


class AdoptionFailed(Expected, RuntimeError):
    pass


class ResourceSpec(Generic[M]):
    """Subclasses set the class attributes and implement the API operations."""

    kind: ClassVar[str]
    model: type[M]
    # The writes one create sends, in order (none for lookups): the fault suite kills a run at each.
    creates: ClassVar[tuple[Write, ...]] = ()
    # The input fields that tell an object from its peers in its listing (its natural key): adoption and
    # create claims look an object up by them, and the review names a created or deleted object by them,
    # then by the fields of `described_by`. A key that depends on the kind of object overrides `key`.
    natural_key: ClassVar[tuple[str, ...]] = ()
    described_by: ClassVar[tuple[str, ...]] = ()
    replace_on: ClassVar[frozenset[str]] = frozenset()
    unordered: ClassVar[frozenset[str]] = frozenset()
    secret_fields: ClassVar[frozenset[str]] = frozenset()
    delete_before_replace: ClassVar[bool] = False
    # The kind configures an object that exists before it (a service's health check, an owner's
    # notification settings): its create changes that object and makes none.
    configures_existing: ClassVar[bool] = False
    control_fields: ClassVar[frozenset[str]] = frozenset({"adopt", "adopt_id"})
    # Outputs beyond the inputs (what `outputs()` computes), and those of them kept encrypted in state.
    output_names: ClassVar[tuple[str, ...]] = ()
    secret_outputs: ClassVar[tuple[str, ...]] = ()
    # Outputs recorded once (e.g. the value found before Lookout took over) and kept from then on.
    recorded_outputs: ClassVar[frozenset[str]] = frozenset()
    # Inputs a create sets in a second request: an interrupted create may have left them unset.
    set_after_create: ClassVar[frozenset[str]] = frozenset()
    # Inputs that, left unset (None), are not compared: the API's default, or the other side of a relation,
    # decides them (as Terraform's optional + computed attributes).
    unset_is_unmanaged: ClassVar[frozenset[str]] = frozenset()
    # Inputs whose falsy live value silences alerts (a paused monitor, a disabled detector), each with the
    # plain words a drift report shows when the declaration is truthy and the live value is not.
    muted: ClassVar[dict[str, str]] = {}

    # -- validation -------------------------------------------------------------------------------

    def validate(self, props: dict[str, Any]) -> tuple[M | None, list[Failure]]:
        """Check props. Returns (model, failures); the model is None while some values are unknown.

        In preview, values from other resources are unknown: they are skipped, and the rules that span
        fields report only what fails whatever the unknown values turn out to be (providers/stand_ins.py).
        """
        try:
            model = self.model.model_validate(props)
        except ValidationError as exc:
            failures = [
                _failure(err, self.model.model_fields)
                for err in exc.errors()
                if not under_unknown(props, tuple(err["loc"]))
            ]
            if failures:
                return None, failures
            return None, self._certain_failures(props)
        return model, self.semantic_failures(model)

    def _certain_failures(self, props: dict[str, Any]) -> list[Failure]:
        """Rule failures on known fields that every combination of stand-ins for the unknown ones shares."""
        fields = self.model.model_fields
        unknown = sorted(name for name, value in props.items() if contains_unknown(value) and name in fields)
        known = {k: v for k, v in props.items() if k not in unknown}
        common: list[Failure] | None = None
        for values in combinations(fields, unknown):
            try:
                stand_in = self.model.model_validate({**known, **values})
            except ValidationError:
                continue
            found = [f for f in self.semantic_failures(stand_in) if f[0] not in unknown]
            common = found if common is None else [f for f in common if f in found]
            if not common:
                return []
        return common or []  # no combination validated: judged again at `up`, with every value known

    def semantic_failures(self, model: M) -> list[Failure]:
        """Rules beyond types (plan limits, field combinations). Override per resource."""
        return []

    def warnings(self, model: M) -> list[str]:
        """Valid but noteworthy input (e.g. a setting the vendor ignores), shown at preview."""
        return []

    def parse(self, props: dict[str, Any]) -> M:
        model, failures = self.validate({k: v for k, v in props.items() if not k.startswith("__")})
        if failures or model is None:
            raise ValueError("; ".join(f"{field}: {reason}" for field, reason in failures))
        return model

    def dump(self, model: M) -> dict[str, Any]:
        return model.model_dump(mode="json")

    # State keeps an object's inputs without the values its fields default to: `check` leaves them out and
    # everything that reads inputs back (diff, create, update, the review) puts them in again. The engine
    # serialises the whole state after every step, so each stored field costs N times in an up of N
    # resources: an UptimeRobot monitor declares 4 of its 19 fields (bench/, README "Benchmark").

    def defaults(self) -> dict[str, Any]:
        """The JSON value of every input field that may be left out (a monitor's type: HTTP)."""
        found = _DEFAULTS.get(self.model)
        if found is None:
            fields = self.model.model_fields.items()
            found = to_jsonable_python(
                {n: f.get_default(call_default_factory=True) for n, f in fields if not f.is_required()}
            )
            _DEFAULTS[self.model] = found
        return found

    def sparse(self, model: M) -> dict[str, Any]:
        """The model's fields as dumped, but those equal to their default."""
        defaults = self.defaults()
        return {k: v for k, v in self.dump(model).items() if k not in defaults or defaults[k] != v}

    def completed(self, props: Mapping[str, Any]) -> dict[str, Any]:
        """Inputs as kept in state (or declared) with every field left out at its default (a copy: a list
        or mapping default is never shared with the caller)."""
        return {**copy.deepcopy(self.defaults()), **props}

    def input_fields(self) -> Iterable[str]:
        return self.model.model_fields.keys()

    def compared_fields(self) -> list[str]:
        return [name for name in self.input_fields() if name not in self.control_fields]

    def left_to_api(self, name: str, declared: Any) -> bool:
        """Whether the field is not compared: declared unset where the API decides (`unset_is_unmanaged`)."""
        return declared is None and name in self.unset_is_unmanaged

    # -- API operations: implemented per resource ------------------------------------------------

    def client(self) -> Any:
        raise NotImplementedError

    def endpoint(self, client: Any) -> str:
        return str(client.base_url)

    def create(self, client: Any, inputs: M) -> dict[str, Any]:
        raise NotImplementedError

    def get(self, client: Any, id_: str) -> dict[str, Any]:
        raise NotImplementedError

    def listed(self, client: Any, id_: str) -> tuple[tuple[str, ...], Callable[[], Any]] | None:
        """Where a refresh finds `id_` among its peers, as (scope, walk): a listing whose items carry
        every field `project` and `outputs` read. Then N reads cost one walk of list pages (issue #16)."""
        return None

    def refresh(self, client: Any, id_: str) -> dict[str, Any]:
        """The object as `pulumi refresh` reads it: from the process's shared listing where there is one."""
        where = self.listed(client, id_)
        if where is None:
            return self.get(client, id_)
        scope, walk = where
        key = (client.account, self.kind, *scope, "reads")  # apart from the listing claims load at create
        return LISTINGS.read(key, client.clock, id_, walk, self.id_of, lambda: self.get(client, id_))

    def update(self, client: Any, current: dict[str, Any], inputs: M) -> dict[str, Any]:
        """Make the object match `inputs`. `current` is the API object or the old outputs (with `id`)."""
        raise NotImplementedError

    def delete(self, client: Any, id_: str, props: dict[str, Any]) -> None:
        raise NotImplementedError

    def resume(self, client: Any, obj: dict[str, Any], inputs: M) -> dict[str, Any]:
        """Finish the create an interrupted run began on `obj` (providers/claims.py). By default the
        object is made to match; resources whose create has further steps repeat them here."""
        return self.update(client, obj, inputs)

    def find(self, client: Any, inputs: M) -> dict[str, Any] | None:
        """The existing object with the same natural key, if any (asks the API now)."""
        return None

    def every(self, client: Any) -> list[dict[str, Any]] | None:
        """Every object of the kind the account holds (None: the kind is not looked up account-wide).
        `lookout adopt` matches the plan's objects among them, and reports the rest as unmanaged."""
        return None

    def listing(self, client: Any, inputs: M) -> tuple[tuple[str, ...], Callable[[], Any]] | None:
        """Where objects like `inputs` are listed, as (scope, walk). With one, creates claim what an
        interrupted run left behind instead of duplicating it (providers/claims.py)."""
        return None

    def refuses_duplicates(self, inputs: M) -> bool:
        """Whether the API itself rejects a second object with this natural key (then claims wait for
        the refusal instead of listing first)."""
        return False

    def same(self, obj: dict[str, Any], inputs: M) -> bool:
        """Whether `obj` has the natural key `inputs` describe."""
        return self.matches(obj, self.dump(inputs))

    def key(self, fields: Mapping[str, Any]) -> tuple[Any, ...]:
        """The natural key that input fields (as dumped, or as `project` reads an object) describe."""
        return tuple(fields.get(name) for name in self.natural_key)

    def matches(self, obj: dict[str, Any], fields: Mapping[str, Any]) -> bool:
        """Whether `obj` has the natural key that `fields` (input fields as dumped; only the key's are
        read) describe. `lookout adopt` asks it with the fields the plan's fan-out declares."""
        return bool(self.natural_key) and self.live_key(obj) == self.key(fields)

    def live_key(self, obj: dict[str, Any]) -> tuple[Any, ...]:
        """The natural key of a live object, read through `project` once per object: a create that looks
        its key up in a listing of N objects would otherwise project all N each time (N^2 in an up)."""
        known = _LIVE_KEYS.get((self.kind, id(obj)))
        if known is not None and known[0] is obj:
            return known[1]
        key = self.key(self.project(obj))
        if len(_LIVE_KEYS) >= LIVE_KEYS_KEPT:
            _LIVE_KEYS.clear()
        _LIVE_KEYS[(self.kind, id(obj))] = (obj, key)  # the object is held: its id is not reused meanwhile
        return key

    def project(self, obj: dict[str, Any]) -> dict[str, Any]:
        """The API object expressed as input fields (for diffs and drift detection). Fields the API never
        returns (write-only: keys, passwords, tokens) are left out, so the declared value stands. By
        default, the fields the input model wires (providers/wire.py)."""
        if not wire.wires(self.model):
            raise NotImplementedError(f"{self.kind}: no field is wired, and project() is not written")
        return wire.read_back(self.model, obj)

    def written(self, inputs: M, exclude: Collection[str] = ()) -> dict[str, Any]:
        """A request body of the wired fields of `inputs` (but `exclude`), by their wire names."""
        return wire.written(inputs, exclude)

    def unreflected(self, obj: dict[str, Any], inputs: M, skip: frozenset[str] = frozenset()) -> set[str]:
        """Compared fields whose value in `obj` differs from the declaration; fields the API does not
        show, fields in `skip` and fields the declaration leaves to the API's default are not judged."""
        projected, declared = self.project(obj), self.dump(inputs)
        return {
            name
            for name in self.compared_fields()
            if name in projected
            and name not in skip
            and declared.get(name) is not None
            and not equivalent(projected[name], declared.get(name), name in self.unordered)
            and not self.settled(name, projected[name], declared.get(name))
        }

    def settled(self, name: str, live: Any, declared: Any) -> bool:
        """Whether a live value that differs from the declaration is what the API made of it and no
        write could change (a maintenance window's start once it began): not a change, not drift."""
        return False

    def outputs(self, obj: dict[str, Any]) -> dict[str, Any]:
        """Computed, output-only values."""
        return {}

    def id_of(self, obj: dict[str, Any]) -> str:
        return str(obj["id"])

    # -- adoption ---------------------------------------------------------------------------------

    def adopt(self, client: Any, inputs: M) -> dict[str, Any] | None:
        """The existing object to manage instead of creating one, when the user asked for it."""
        if inputs.adopt_id:
            try:
                return self.get(client, inputs.adopt_id)
            except NotFound as exc:
                raise AdoptionFailed(f"{self.kind}: adopt_id {inputs.adopt_id} does not exist") from exc
        if inputs.adopt:
            return self.find(client, inputs)
        return None


def _failure(err: Any, fields: dict[str, Any]) -> Failure:
    loc = tuple(err["loc"])
    field = ".".join(str(part) for part in loc) or "(inputs)"
    if err["type"] == "extra_forbidden":
        known = ", ".join(sorted(fields))
        return field, f"unknown property '{field}'; known properties: {known}"
    return field, f"{field}: {err['msg']}"
