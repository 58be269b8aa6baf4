"""How the collection is shared out among pytest-xdist workers (tests/conftest.py `dealt`): every test
runs exactly once, each long module opens a share, and the end-to-end modules are balanced across the
shares by their cost instead of dealt round."""

from __future__ import annotations

from dataclasses import dataclass

from tests.conftest import E2E_SECONDS, dealt

LONGEST = sorted(E2E_SECONDS, key=E2E_SECONDS.__getitem__, reverse=True)[:2]  # faults, game day


@dataclass(frozen=True)
class Item:
    nodeid: str


def collection() -> list[Item]:
    items = [Item(f"tests/unit/test_u{m}.py::t{i}") for m in range(5) for i in range(200)]
    items += [Item(f"{name}::t{i}") for name in E2E_SECONDS for i in range(3)]
    items += [Item(f"tests/e2e/test_new_module.py::t{i}") for i in range(4)]
    return items


def shares(order: list[Item], workers: int) -> list[list[str]]:
    """The contiguous shares worksteal starts each worker with: the pending split evenly by count, each
    worker in turn taking its part of what is left (xdist/scheduler/worksteal.py, `check_schedule`)."""
    split, pending = [], [i.nodeid for i in order]
    for k in range(workers):
        size = len(pending) // (workers - k)
        split.append(pending[:size])
        pending = pending[size:]
    return split


def test_every_test_is_dealt_once():
    items = collection()
    for workers in (1, 2, 3, 4):
        assert sorted(dealt(items, workers), key=lambda i: i.nodeid) == sorted(items, key=lambda i: i.nodeid)


def test_the_long_modules_open_their_own_shares_and_the_rest_balance_by_cost():
    split = shares(dealt(collection(), 3), 3)
    assert [share[0].split("::")[0] for share in split[:2]] == list(LONGEST)
    modules = [{n.split("::")[0] for n in share if n.startswith("tests/e2e/")} for share in split]
    assert sum(len(m) for m in modules) == len(set().union(*modules))  # each module whole, in one share
    costs = [sum(E2E_SECONDS.get(m, 40) for m in share) for share in modules]
    largest_dealt = max(v for k, v in E2E_SECONDS.items() if k not in LONGEST)
    assert max(costs) - min(costs) <= largest_dealt, costs
    for share in split:  # the end-to-end modules first, then the fast tiers
        kinds = [n.startswith("tests/e2e/") for n in share]
        assert kinds == sorted(kinds, reverse=True)
