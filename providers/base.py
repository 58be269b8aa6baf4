"""The one generic dynamic provider. A resource is a `ResourceSpec`; this class does the Pulumi side.

Rules of the engine this code follows (docs/pulumi-dynamic.md):
- the provider object is pickled into state, so it has no instance attributes; credentials come from
  `configure()` (stack config) or the environment;
- ints arrive as floats, `diff`/`update`/`delete` get old *outputs*, `read` must return inputs too;
- preview calls only `check` and `diff`, which therefore never touch the network.
"""

from __future__ import annotations

import contextlib
from typing import Any, ClassVar

from pulumi.dynamic import (
    CheckFailure,
    CheckResult,
    ConfigureRequest,
    CreateResult,
    DiffResult,
    ReadResult,
    ResourceProvider,
    UpdateResult,
)

from transport import BadRequest, Conflict, NotFound, notice, register_secret

from . import claims, display, settings
from .normalize import contains_unknown, equivalent
from .spec import AdoptionFailed, Inputs, ResourceSpec, TargetMismatch

PROVIDER_KEY = "__provider"


class SpecProvider(ResourceProvider):
    """Implements check/diff/create/read/update/delete for any `ResourceSpec` (set as `spec`)."""

    spec: ClassVar[ResourceSpec[Any]]
    serialize_as_secret_always = False  # nothing secret is captured: the object has no attributes

    def configure(self, req: ConfigureRequest) -> None:
        display.install()
        settings.use_config(req.config)

    # -- preview-safe methods: no network -------------------------------------------------------------

    def check(self, _olds: dict[str, Any], news: dict[str, Any]) -> CheckResult:
        props = {k: v for k, v in news.items() if k != PROVIDER_KEY}
        model, failures = self.spec.validate(props)
        if failures:
            return CheckResult(news, [CheckFailure(field, reason) for field, reason in failures])
        if model is None:  # some values are still unknown (preview); what is known was checked
            return CheckResult(news, [])
        for name in self.spec.secret_fields:
            register_secret(getattr(model, name, None))
        for warning in self.spec.warnings(model):
            notice.warn(self.spec.kind, warning)
        return CheckResult(self.spec.sparse(model), [])

    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        changed = []
        olds, news = self.spec.completed(olds), self.spec.completed(news)  # state leaves defaults out
        for name in self.spec.compared_fields():
            new, old = news.get(name), olds.get(name)
            if self.spec.left_to_api(name, new):
                continue
            unordered = name in self.spec.unordered
            if contains_unknown(new) or not (
                equivalent(new, old, unordered) or self.spec.settled(name, old, new)
            ):
                changed.append(name)
        replaces = [name for name in changed if name in self.spec.replace_on]
        return DiffResult(
            changes=bool(changed),
            replaces=replaces,
            delete_before_replace=bool(replaces) and self.spec.delete_before_replace,
        )

    # -- operations -----------------------------------------------------------------------------------

    def create(self, props: dict[str, Any]) -> CreateResult:
        spec = self.spec
        inputs = spec.parse(props)
        client = spec.client()
        adopted = spec.adopt(client, inputs)
        claimed = None
        if adopted is None and not spec.refuses_duplicates(inputs):
            claimed = claims.claim(spec, client, inputs)
        if adopted is not None:
            self._adoptable(adopted, inputs)
            obj = spec.update(client, adopted, inputs)
        elif claimed is not None:
            obj = spec.resume(client, claimed, inputs)
        else:
            obj = self._create(client, inputs)
        claims.remember(spec, client, inputs, obj)
        return CreateResult(spec.id_of(obj), self._outputs(props, obj, client))

    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        client = self.spec.client()
        self._guard_target(props, client)
        try:
            obj = self.spec.refresh(client, id_)
        except NotFound:
            return ReadResult(None, {})  # gone: refresh drops it from state
        outs = self._outputs(props, obj, client, props)
        defaults = self.spec.defaults()
        inputs = {
            name: outs[name]
            for name in self.spec.input_fields()
            if name in outs and (name not in defaults or defaults[name] != outs[name])
        }
        return ReadResult(id_, outs, inputs)

    def update(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        client = self.spec.client()
        self._guard_target(olds, client)
        inputs = self.spec.parse(news)
        obj = self.spec.update(client, {**olds, "id": id_}, inputs)
        claims.remember(self.spec, client, inputs, obj)
        return UpdateResult(self._outputs(news, obj, client, olds))

    def delete(self, id_: str, props: dict[str, Any]) -> None:
        client = self.spec.client()
        self._guard_target(props, client)
        with contextlib.suppress(NotFound):  # already gone: the goal is reached
            self.spec.delete(client, id_, props)
        claims.forget(self.spec, client, id_)

    # -- helpers --------------------------------------------------------------------------------------

    def _create(self, client: Any, inputs: Any) -> dict[str, Any]:
        try:
            return self.spec.create(client, inputs)
        except (BadRequest, Conflict):
            if not self.spec.refuses_duplicates(inputs):
                raise
            found = claims.claim_refused(self.spec, client, inputs)
            if found is None:
                raise
            return self.spec.resume(client, found, inputs)

    def _outputs(
        self, props: dict[str, Any], obj: dict[str, Any], client: Any, olds: dict[str, Any] | None = None
    ) -> dict[str, Any]:
        """Declared inputs as the API now has them, plus computed outputs; write-only fields carried,
        and recorded outputs kept from `olds` (the previous state)."""
        declared = {k: v for k, v in self.spec.completed(props).items() if k != PROVIDER_KEY}
        projected = self.spec.project(obj)
        outs: dict[str, Any] = {**declared, **projected, **self.spec.outputs(obj)}
        for name in self.spec.recorded_outputs:
            if outs.get(name) is None and olds is not None:
                outs[name] = olds.get(name)
        outs["target"] = settings.target_of(self.spec.endpoint(client))
        return outs

    def _adoptable(self, adopted: dict[str, Any], inputs: Any) -> None:
        """An object is adopted as it is where a field cannot change: else every later preview would
        replace it."""
        fixed = sorted(self.spec.unreflected(adopted, inputs) & self.spec.replace_on)
        if fixed:
            live = self.spec.project(adopted)
            found = ", ".join(f"{name} {live.get(name)!r}" for name in fixed)
            raise AdoptionFailed(
                f"{self.spec.kind} {self.spec.id_of(adopted)} cannot be adopted as declared: it has {found}, "
                f"which cannot change; declare {' and '.join(fixed)} as it is, or drop the adoption to make "
                "a new one"
            )

    def _guard_target(self, props: dict[str, Any], client: Any) -> None:
        recorded = props.get("target")
        current = settings.target_of(self.spec.endpoint(client))
        if recorded and recorded != current:
            raise TargetMismatch(
                f"{self.spec.kind} was created against '{recorded}' but the provider now targets "
                f"'{current}'. Sandbox and real-account stacks use separate backends; check endpoint config."
            )


__all__ = ["Inputs", "ResourceSpec", "SpecProvider"]
