"""A vendor collection's routes, written once: list (with the vendor's pagination), get, create, update and
delete. Each vendor states how it answers (`Style`) and configures each collection with what differs (paths,
how records are scoped and found, the DTO, the business rules, status codes); a new collection is one
`Collection` value, not five hand-copied handlers. Routes a collection has beyond these (UptimeRobot's
pause/start) stay beside its rules."""

from __future__ import annotations

import functools
import importlib
import pkgutil
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, TypeVar

from flask import Blueprint, Response, jsonify, request

Doc = dict[str, Any]
Args = dict[str, Any]  # the route's parameters (`org`, `proj`, `id`, ...)
Dto = Callable[[Doc], Doc]


def json_body() -> Any:
    return request.get_json(silent=True)


@dataclass(frozen=True)
class Style:
    """How one vendor answers, whatever the collection."""

    page: Callable[[list[Doc], Dto], Response]  # one page of the records, with the vendor's paging links
    body: Callable[[], Any] = json_body  # the request body as the vendor parses it
    before: Callable[[Args], object] | None = None  # e.g. resolve the organization of the path, or 404
    strict_slashes: bool = True  # False: `/x/` also answers as `/x` (Sentry)
    deleted: int = 204  # status of a delete (no body)


@dataclass(frozen=True)
class Collection:
    name: str  # also names the Flask endpoints
    path: str  # the list (and, unless `create_at`, create) rule, e.g. "/monitors"
    item: str  # the object rule, e.g. "/monitors/<int:id>"
    records: Callable[[Args], list[Doc]] | None  # what a list shows, in order, filtered; None: no list route
    load: Callable[[Args], Doc]  # the addressed object as a read shows it, or the vendor's 404
    dto: Callable[[Args], Dto]  # record -> DTO, built once per request (relations loaded once)
    create: Callable[[Args, Any], Doc] | None = None  # body -> new record, with the vendor's rules
    parent: Callable[[Args], Doc] | None = (
        None  # found before the body is read (404 first), as args["parent"]
    )
    update: Callable[[Args, Doc, Any], Doc] | None = None  # (record, body) -> saved record
    delete: Callable[[Args, Doc], None] | None = None  # removes the record, with its clean-up
    edit: Callable[[Args], Doc] | None = None  # the object writes act on (default: `load`)
    create_at: str | None = None  # a create rule other than `path`
    update_method: str = "PATCH"
    created: int = 201
    deleted: int | None = None  # default: the style's
    page: Callable[[list[Doc], Dto], Response] | None = None  # default: the style's
    body: Callable[[], Any] | None = None  # default: the style's
    envelope: str | None = None  # one object is answered as {envelope: object} (PagerDuty's wrapped bodies)


@dataclass(frozen=True)
class Controlled:
    """A collection as the control API reaches it (`/_control/<vendor>/<name>`): read, seeded, edited and
    deleted out of band, without validation, rate limits or counters. Each vendor's control calls `dto`,
    `delete` and `create` with its own arguments (an account, a document, an id)."""

    name: str  # the store's collection, and the control path's segment
    dto: Callable[..., Doc]  # stored record -> the API's shape
    delete: Callable[..., None]  # with the API's clean-up
    # What tells each object from its peers as the API shows it (DTO -> names; a record may hold several
    # objects, e.g. the rows of a configuration table), for the inventory the fault suite compares
    # (`GET /_control/inventory`); None: the collection is not Lookout's to make (events, incidents).
    names: Callable[[Doc], Iterable[str]] | None
    create: Callable[..., Doc] | None = None  # from an API-shaped body (None: not seeded out of band)


T = TypeVar("T")


def declared(package: str, attribute: str, kind: type[T]) -> list[T]:
    """What the modules of `package` declare as a `kind` under `attribute` (a `Collection`, a `Controlled`,
    a Blueprint of `routes`), in module-name order. A collection is declared once, in its own module, and
    found there: a vendor's app and control never list them again."""
    modules = sorted(pkgutil.iter_modules(importlib.import_module(package).__path__), key=lambda m: m.name)
    values = (vars(importlib.import_module(f"{package}.{info.name}")).get(attribute) for info in modules)
    return [value for value in values if isinstance(value, kind)]


@functools.cache
def controlled(package: str) -> dict[str, Controlled]:
    """Every collection of a vendor's `package` as its module declares it (`CONTROLLED`), by name."""
    return {c.name: c for c in declared(package, "CONTROLLED", Controlled)}


def names_of(package: str, views: Callable[[Controlled], Iterable[Doc]]) -> list[str]:
    """Every object of `package`'s collections that a plan could make, named by what tells it from its
    peers (`Controlled.names`); `views` gives a collection's records as the API shows them."""
    return [
        f"{c.name} {name}"
        for c in controlled(package).values()
        if c.names is not None
        for view in views(c)
        for name in c.names(view)
    ]


def blueprint(name: str, style: Style, *collections: Collection) -> Blueprint:
    """The routes of `collections`, answered in `style`."""
    routes = Blueprint(name, __name__)
    for c in collections:
        for rule, method, verb, view in _views(style, c):
            routes.add_url_rule(
                rule, f"{c.name}_{verb}", view, methods=[method], strict_slashes=style.strict_slashes
            )
    return routes


def _views(style: Style, c: Collection) -> list[tuple[str, str, str, Callable[..., Response]]]:
    body = c.body or style.body
    page = c.page or style.page

    def begin(args: Args) -> Args:
        if style.before is not None:
            style.before(args)
        return args

    def respond(payload: Any, status: int = 200) -> Response:
        response = jsonify({c.envelope: payload} if c.envelope else payload)
        response.status_code = status
        return response

    def edited(args: Args) -> Doc:
        return (c.edit or c.load)(args)

    def list_(**args: Any) -> Response:
        args = begin(args)
        assert c.records is not None
        return page(c.records(args), c.dto(args))

    def get(**args: Any) -> Response:
        args = begin(args)
        return respond(c.dto(args)(c.load(args)))

    views: list[tuple[str, str, str, Callable[..., Response]]] = [(c.item, "GET", "get", get)]
    if c.records is not None:
        views.append((c.path, "GET", "list", list_))
    if c.create is not None:
        make = c.create

        def create(**args: Any) -> Response:
            args = begin(args)
            if c.parent is not None:
                args["parent"] = c.parent(args)
            record = make(args, body())
            return respond(c.dto(args)(record), c.created)  # the view after the write: relations changed

        views.append((c.create_at or c.path, "POST", "create", create))
    if c.update is not None:
        change = c.update

        def update(**args: Any) -> Response:
            args = begin(args)
            record = change(args, edited(args), body())
            return respond(c.dto(args)(record))

        views.append((c.item, c.update_method, "update", update))
    if c.delete is not None:
        remove = c.delete

        def delete(**args: Any) -> Response:
            args = begin(args)
            remove(args, edited(args))
            return Response(status=c.deleted or style.deleted)

        views.append((c.item, "DELETE", "delete", delete))
    return views
