"""One owner for each vendor object (issue #30): what two stack files on one account both declare.

Each file's plan is fanned out as `pulumi up` would (stacks/inventory.py), and every object it makes is
known by its kind and natural key (each spec's `natural_key`) on its account: the Render workspace
(`render:ownerId`), the Sentry organization (`sentry:organization`); UptimeRobot and PagerDuty have one
account per key, which the stacks of one repository share (`make demo` deploys dev and prod into one).
When two files declare the same key of a kind Lookout makes, the vendor decides what follows:

* a setting the create writes in place (a PUT or PATCH of the object the key names: the workspace's
  notification settings, a service's health check) is one object: each stack's `up` undoes the other's;
* where the vendor refuses a second object with the key (the spec's `refuses_duplicates`: a Sentry team or
  project slug, a PagerDuty service name), the stack whose `up` comes second cannot make its own;
* identical declarations become one object: the second create takes over the first's as what an
  interrupted run left behind (providers/claims.py), and destroying either stack deletes it for both;
* otherwise each stack makes its own, which `lookout adopt`, matching by the key, cannot tell apart: a
  warning.

Lookups (kinds without creates: a PagerDuty person, a Sentry integration) are read, never owned.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import replace
from typing import Any

import pulumi

from providers.registry import spec_of
from providers.resource import Declaration
from stacks import source

from .lint_rules import Finding, error, warning

# The config key that names the account a vendor's objects live on, where one key reaches several.
ACCOUNT = {"render": "render:ownerId", "sentry": "sentry:organization"}
IN_PLACE = ("PUT", "PATCH")
VENDOR_NAMES = {"uptimerobot": "UptimeRobot", "pagerduty": "PagerDuty"}


def one_owner(
    files: Mapping[str, tuple[Mapping[str, Any], list[Declaration]]],
) -> dict[str, list[Finding]]:
    """Findings on each file after the first that declares an object another file declares too: one per
    plan key (a Render service named by both makes its health check, env vars and overrides shared)."""
    first: dict[tuple[Any, ...], tuple[str, Declaration]] = {}
    found: dict[str, dict[tuple[str, str], list[Finding]]] = {}
    for name, (config, declared) in files.items():
        for made in declared:
            key = _owned_key(made, config)
            if key is None:
                continue
            if key not in first:
                first[key] = (name, made)
            elif first[key][0] != name:
                owner, theirs = first[key]
                finding = _finding(config, made, theirs, owner)
                found.setdefault(name, {}).setdefault((finding.path, finding.severity), []).append(finding)
    return {name: [_one(alike) for alike in by_key.values()] for name, by_key in found.items()}


def _one(alike: list[Finding]) -> Finding:
    first, more = alike[0], len(alike) - 1
    if not more:
        return first
    return replace(first, message=f"{first.message} (and {more} more object{'s' * (more > 1)} it makes)")


def _owned_key(made: Declaration, config: Mapping[str, Any]) -> tuple[Any, ...] | None:
    """The object's kind, account and natural key, or None: a lookup, or a key known only at `up`."""
    spec = spec_of(made.kind)
    if spec is None or not spec.creates or not spec.natural_key:
        return None
    if any(isinstance(made.inputs.get(field), pulumi.Output) for field in spec.natural_key):
        return None
    vendor = made.kind.partition(":")[0]
    return (made.kind, config.get(ACCOUNT.get(vendor, "")), *spec.key(made.inputs))


def _finding(config: Mapping[str, Any], made: Declaration, theirs: Declaration, owner: str) -> Finding:
    spec = spec_of(made.kind)
    vendor = _vendor(made.kind)
    what = f"{_noun(made.kind)} {_shown(spec.key(made.inputs))}"
    path = _declared_at(config, made)
    if spec.creates[0][0] in IN_PLACE:
        return error(
            "one-owner",
            path,
            f"{what} is one object, declared by {owner} too: each stack's `up` would undo the other's; "
            "keep it in one stack",
        )
    if _refused(spec, made):
        return error(
            "one-owner",
            path,
            f"{vendor} refuses a second {what}, which {owner} declares too: the stack whose `up` comes "
            "second cannot make its own; name it apart or keep it in one stack",
        )
    if _identical(spec, made, theirs):
        return error(
            "one-owner",
            path,
            f"{what} is declared alike by {owner}: the second `up` would take over the first's object, and "
            "destroying either stack would delete it for both; keep it in one stack",
        )
    return warning(
        "one-owner",
        path,
        f"{owner} declares {_article(what)} {what} too: each stack makes its own, and `lookout adopt`, "
        f"which finds objects by {' and '.join(spec.natural_key)}, cannot tell whose is whose",
    )


def _refused(spec: Any, made: Declaration) -> bool:
    # Constructed, not validated: an input only `up` knows (another object's id) is no value yet.
    return bool(spec.refuses_duplicates(spec.model.model_construct(**spec.completed(made.inputs))))


def _identical(spec: Any, made: Declaration, theirs: Declaration) -> bool:
    ours, other = spec.completed(made.inputs), spec.completed(theirs.inputs)
    fields = spec.compared_fields()
    if any(isinstance(side.get(f), pulumi.Output) for side in (ours, other) for f in fields):
        return False  # what only `up` knows (another object's id) differs between stacks
    return all(ours.get(f) == other.get(f) for f in fields)


def _declared_at(config: Mapping[str, Any], made: Declaration) -> str:
    """The plan key the object comes from: where a value of its natural key is written, else the key
    whose name the fan-out gave the object (`prod-render-notifications` from `render_notifications`)."""
    spec = spec_of(made.kind)
    nodes = list(_nodes(source.lookout_values(config), ""))
    wanted = [str(v) for v in spec.key(made.inputs) if v not in (None, "")]
    for same in (str, str.casefold):  # written as the key has it first, then in any case (an address)
        for path, value in nodes:
            if not isinstance(value, Mapping | list) and same(str(value)) in {same(w) for w in wanted}:
                return path
    named = [path for path, _ in nodes if _dashed(path) in made.name]
    return max(named, key=lambda p: len(_dashed(p)), default="")


def _nodes(value: Any, at: str) -> Iterator[tuple[str, Any]]:
    """Every value under `value` with its path (`services[0].render_service`), mappings and lists too."""
    inner: list[tuple[str, Any]] = []
    if isinstance(value, Mapping):
        inner = [(f"{at}.{key}" if at else str(key), v) for key, v in value.items()]
    elif isinstance(value, list):
        inner = [(f"{at}[{i}]", v) for i, v in enumerate(value)]
    for path, v in inner:
        yield path, v
        yield from _nodes(v, path)


def _dashed(path: str) -> str:
    return path.rpartition(".")[2].replace("_", "-")


def _article(noun: str) -> str:
    return "an" if noun[:1] in "AEIOU" else "a"


def _vendor(kind: str) -> str:
    vendor = kind.partition(":")[0]
    return VENDOR_NAMES.get(vendor, vendor.title())


def _noun(kind: str) -> str:
    """`render:OwnerNotificationSettings` -> `Render owner notification settings`."""
    words = re.sub(r"(?<!^)(?=[A-Z])", " ", kind.partition(":")[2]).lower()
    return f"{_vendor(kind)} {words}"


def _shown(key: tuple[Any, ...]) -> str:
    shown = [repr(v) for v in key if v not in (None, "")]
    return f"({', '.join(shown)})" if shown else "of the account"
