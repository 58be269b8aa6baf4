"""The generic collection routes (sandbox/collection.py) every vendor configures: what they register, in
which order they look things up, and what they answer."""

from __future__ import annotations

from typing import Any

from flask import Flask, abort, jsonify, request

from sandbox.collection import Collection, Style, blueprint

Doc = dict[str, Any]


def app_with(**more: Any) -> tuple[Flask, dict[int, Doc], list[str]]:
    store: dict[int, Doc] = {1: {"id": 1, "name": "one", "parent": "p"}}
    events: list[str] = []

    def load(args: dict[str, Any]) -> Doc:
        events.append("load")
        return store.get(args["id"]) or abort(404)

    def body() -> Any:
        events.append("body")
        return request.get_json(silent=True)

    def create(args: dict[str, Any], data: Doc) -> Doc:
        doc = {"id": max(store) + 1, "parent": args["parent"]["name"], **data}
        store[doc["id"]] = doc
        return doc

    def update(args: dict[str, Any], record: Doc, data: Doc) -> Doc:
        record.update(data)
        return record

    def view(args: dict[str, Any]) -> Any:
        events.append("view")
        count = len(store)  # what a view loads once per request (e.g. relations)
        return lambda doc: {**doc, "seen": count}

    def parent(args: dict[str, Any]) -> Doc:
        events.append("parent")
        return {"name": args["parent_name"]} if args["parent_name"] != "missing" else abort(404)

    fields: dict[str, Any] = {
        "records": lambda args: sorted(store.values(), key=lambda d: d["id"]),
        "load": load,
        "dto": view,
        "create": create,
        "parent": parent,
        "create_at": "/parents/<parent_name>/things",
        "update": update,
        "delete": lambda args, record: store.pop(record["id"]),
    }
    style = Style(page=lambda items, dto: jsonify([dto(i) for i in items]), body=body, deleted=204)
    app = Flask(__name__)
    app.register_blueprint(
        blueprint("t", style, Collection("things", "/things", "/things/<int:id>", **{**fields, **more}))
    )
    return app, store, events


def test_list_get_create_update_delete_answer_with_the_styles_statuses():
    app, store, _ = app_with()
    client = app.test_client()
    assert [d["name"] for d in client.get("/things").get_json()] == ["one"]
    assert client.get("/things/1").get_json()["name"] == "one"
    made = client.post("/parents/p2/things", json={"name": "two"})
    assert made.status_code == 201 and made.get_json()["parent"] == "p2"
    assert client.patch("/things/1", json={"name": "uno"}).get_json()["name"] == "uno"
    deleted = client.delete("/things/2")
    assert deleted.status_code == 204 and deleted.data == b"" and 2 not in store
    assert client.get("/things/2").status_code == 404


def test_the_view_is_built_after_the_write_so_it_shows_what_the_write_changed():
    app, _, _ = app_with()
    made = app.test_client().post("/parents/p/things", json={"name": "two"}).get_json()
    assert made["seen"] == 2  # the view counted the new object


def test_the_parent_is_found_before_the_body_is_read():
    app, _, events = app_with()
    assert app.test_client().post("/parents/missing/things", data="not json").status_code == 404
    assert events == ["parent"]


def test_writes_act_on_edit_and_operations_left_out_are_not_routed():
    app, _, events = app_with(
        edit=lambda args: {"id": args["id"], "name": "latest"}, delete=None, update_method="PUT"
    )
    client = app.test_client()
    assert client.put("/things/1", json={}).get_json()["name"] == "latest"
    assert "load" not in events
    assert client.patch("/things/1", json={}).status_code == 405
    assert client.delete("/things/1").status_code == 405
