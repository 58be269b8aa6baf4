"""The sandbox's document store: selections by field that SQLite makes before any document is parsed."""

from __future__ import annotations

from pathlib import Path

import pytest

from sandbox.store import Store


@pytest.fixture
def store(tmp_path: Path) -> Store:
    store = Store(tmp_path / "store.db")
    docs = [
        {"id": 1, "url": "https://a.test", "method": "GET", "doc": {"id": "srv-1"}, "n": 7},
        {"id": 2, "url": "https://a.test", "method": "HEAD", "doc": {"id": "srv-2"}, "n": "7"},
        {"id": 3, "url": "https://b.test", "method": "GET", "doc": {"id": "srv-1"}, "n": 7},
    ]
    for doc in docs:
        store.put("v", "things", 10, doc)
    store.put("v", "things", 11, {"id": 4, "url": "https://a.test", "method": "GET", "doc": {"id": "x"}})
    store.put("v", "others", 10, {"id": 5, "url": "https://a.test"})
    return store


def ids(found: list[dict]) -> list[int]:
    return [d["id"] for d in found]


def test_where_selects_by_every_field_given_within_the_account(store: Store):
    assert ids(store.find("v", "things", 10, where={"url": "https://a.test"})) == [1, 2]
    assert ids(store.find("v", "things", 10, where={"url": "https://a.test", "method": "GET"})) == [1]
    assert ids(store.find("v", "things", where={"url": "https://a.test", "method": "GET"})) == [1, 4]
    assert ids(store.find("v", "things", 10, where={"doc.id": "srv-1"})) == [1, 3]  # a nested field
    assert store.find("v", "things", 10, where={"url": "https://c.test"}) == []


def test_where_tells_a_number_from_the_same_digits_in_a_string(store: Store):
    assert ids(store.find("v", "things", 10, where={"n": 7})) == [1, 3]
    assert ids(store.find("v", "things", 10, where={"n": "7"})) == [2]


def test_where_takes_only_strings_and_integers(store: Store):
    with pytest.raises(TypeError, match="where flag"):
        store.find("v", "things", 10, where={"flag": True})


def test_count_counts_a_collection_of_an_account_or_of_all(store: Store):
    assert store.count("v", "things", 10) == 3
    assert store.count("v", "things") == 4
    assert store.count("v", "none") == 0


def test_a_vendor_added_since_the_store_was_made_starts_seeded_and_the_others_keep_their_state(tmp_path):
    """An older sandbox's state (make demo's) lacks a newer vendor: restarting seeds that one alone."""
    from sandbox.app import create_app, default_vendors
    from sandbox.supabase.repo import PROJECTS, SEEDED

    db = tmp_path / "sandbox.db"
    older = [v for v in default_vendors() if v.name != "supabase"]
    first = create_app(db, older).extensions["sandbox"].store
    first.put("render", "services", 1, {"id": 999, "doc": {"id": "srv-kept", "name": "kept by the user"}})
    render_before = first.count("render", "services")
    first.close()

    store = create_app(db).extensions["sandbox"].store
    assert store.count("supabase", PROJECTS) == len(SEEDED)
    assert store.count("render", "services") == render_before  # not seeded twice
