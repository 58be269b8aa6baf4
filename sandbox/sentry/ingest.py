"""Event ingestion as Sentry's Relay answers it (``/sentry-ingest``, standing in for a DSN's host such as
``https://o1000001.ingest.us.sentry.io``): ``POST /api/{project_id}/store/`` (one JSON event) and
``POST /api/{project_id}/envelope/`` (an envelope: a JSON header line, then items, each a JSON header line
and a payload of ``length`` bytes or up to the next newline; sentry-docs ``develop-docs/sdk/envelopes``).

From getsentry/relay ``relay-server/src/extractors/request_meta.rs``, ``endpoints/common.rs`` and
``utils/api.rs``: the key comes from ``X-Sentry-Auth: Sentry sentry_key=…, sentry_version=7`` (the prefix
in any case), ``Authorization: Sentry …``, ``?sentry_key=``, or the envelope header's ``dsn``; more than
one of the first three is 401. Errors are ``{"detail", "causes"}`` (causes left out when there are none):
401 "missing authorization information"; 401 "bad x-sentry-auth header" when the header has no key; 400
"bad sentry DSN public key" for a key that is not 32 hex characters; 403 "event submission rejected
with_reason: ProjectId" for a key that is unknown, disabled or of another project (getsentry/relay#2789);
400 "invalid JSON data", "empty request body", "invalid event envelope", "bad project path parameter".
Success is 200 ``{"id": "<event id>"}``; an envelope without an event answers ``{}``. An event without
``event_id`` gets one; ``level`` defaults to error and ``platform`` to other. Transactions (envelope items
of type ``transaction``, or a stored event of that type) become spans, never issues
(sandbox/sentry/transactions.py).

Bodies may be compressed, as the SDKs send them by default (sentry-python: br when ``brotli`` is importable,
else gzip): Relay's HTTP server decodes ``Content-Encoding`` gzip, deflate, br and zstd on every route
(tower-http RequestDecompressionLayer with those features, relay-server Cargo.toml) and ignores an empty or
``UTF-8`` one that old SDKs send (middlewares/decompression.rs remove_empty_encoding). Another encoding is
415 with the accepted ones in ``Accept-Encoding`` (tower-http's answer); a body that does not decode is 400
(the sandbox's wording: "invalid body", cause the decoder's).
"""

import gzip
import json
import re
import uuid
import zlib
from collections.abc import Callable
from typing import Any

import brotli
import zstandard
from flask import Blueprint, Response, jsonify, request

from sandbox.sentry import issues, repo, transactions
from sandbox.state import sandbox

ingest_api = Blueprint("sentry_ingest", __name__)

_KEY = re.compile(r"^[0-9a-f]{32}$")
EVENT_ITEMS = ("event", "transaction")
DECODERS: dict[str, Callable[[bytes], bytes]] = {
    "gzip": gzip.decompress,
    "deflate": zlib.decompress,
    "br": brotli.decompress,
    "zstd": lambda raw: zstandard.ZstdDecompressor().decompressobj().decompress(raw),
}
IGNORED_ENCODINGS = ("", "utf-8")

Doc = dict[str, Any]


class RelayError(Exception):
    def __init__(
        self, status: int, message: str, *causes: str, headers: dict[str, str] | None = None
    ) -> None:
        super().__init__(message)
        self.status, self.message, self.causes = status, message, list(causes)
        self.headers = headers or {}

    def response(self) -> Response:
        doc: Doc = {"detail": self.message}
        if self.causes:
            doc["causes"] = self.causes
        answer = jsonify(doc)
        answer.status_code = self.status
        answer.headers.update(self.headers)
        return answer


def _body() -> bytes:
    """The request body, decoded as its ``Content-Encoding`` says (see the module docstring)."""
    raw = request.get_data()
    encoding = request.headers.get("Content-Encoding", "").strip().lower()
    if encoding in IGNORED_ENCODINGS:
        return raw
    decode = DECODERS.get(encoding)
    if decode is None:
        accepted = {"Accept-Encoding": ",".join(DECODERS)}
        raise RelayError(415, "unsupported content encoding", encoding, headers=accepted)
    try:
        return decode(raw)
    except Exception as failed:  # each decoder has its own error type
        raise RelayError(400, "invalid body", str(failed) or type(failed).__name__) from None


def _auth_pairs(value: str) -> Doc:
    scheme, _, rest = value.strip().partition(" ")
    if scheme.lower() != "sentry":
        return {}
    pairs = (item.strip().partition("=") for item in rest.split(","))
    return {name.strip(): val.strip() for name, _, val in pairs if name.strip()}


def _public_key(envelope_dsn: str | None) -> str:
    """The project key the request names (request_meta.rs: header, Authorization, query, envelope dsn)."""
    found: list[str | None] = []
    for header in ("X-Sentry-Auth", "Authorization"):
        if request.headers.get(header, "").strip().lower().startswith("sentry"):
            found.append(_auth_pairs(request.headers[header]).get("sentry_key"))
    if "sentry_key" in request.args:
        found.append(request.args["sentry_key"])
    if len(found) > 1:
        raise RelayError(401, "bad x-sentry-auth header", "multiple authorization payloads detected")
    if not found and envelope_dsn:
        found.append(envelope_dsn.partition("://")[2].partition("@")[0].partition(":")[0] or None)
    if not found:
        raise RelayError(401, "missing authorization information")
    key = found[0]
    if not key:
        raise RelayError(401, "bad x-sentry-auth header", "missing public key in auth header")
    if not _KEY.match(key):
        raise RelayError(400, "bad sentry DSN public key", "invalid project key")
    return key


def _project(project_id: str, public_key: str) -> Doc:
    if not project_id.isdigit():
        raise RelayError(400, "bad project path parameter")
    key = next((k for k in repo.find(repo.KEYS) if k["public"] == public_key), None)
    project = repo.get(repo.PROJECTS, int(project_id))
    if key is None or not key["isActive"] or project is None or key["projectId"] != project["id"]:
        raise RelayError(403, "event submission rejected with_reason: ProjectId")
    return project


def _accept(project: Doc, event: Doc, kind: str, sent_at: Any = None) -> str:
    raw_id = str(event.get("event_id") or uuid.uuid4().hex)
    event_id = raw_id.replace("-", "").lower()
    if not re.match(r"^[0-9a-f]{32}$", event_id):
        raise RelayError(400, "invalid JSON data", "invalid event id")
    if kind == "transaction":
        received = sandbox().clock.now()
        transactions.ingest(project, event, transactions.drift(sent_at, received), received)
    else:
        issues.ingest(project, event, event_id)
    return event_id


@ingest_api.post("/api/<project_id>/store/")
def store(project_id: str) -> Response:
    key = _public_key(None)
    project = _project(project_id, key)
    raw = _body()
    if not raw.strip():
        raise RelayError(400, "empty request body")
    try:
        event = json.loads(raw)
    except ValueError as exc:
        raise RelayError(400, "invalid JSON data", str(exc)) from None
    if not isinstance(event, dict):
        raise RelayError(400, "invalid JSON data", "expected an event object")
    kind = "transaction" if event.get("type") == "transaction" else "event"
    return jsonify({"id": _accept(project, event, kind)})


@ingest_api.post("/api/<project_id>/envelope/")
def envelope(project_id: str) -> Response:
    raw = _body()
    if not raw.strip():
        raise RelayError(400, "empty request body")
    header, items = _parse_envelope(raw)
    project = _project(project_id, _public_key(header.get("dsn")))
    accepted = None
    for item_header, payload in items:
        if item_header.get("type") not in EVENT_ITEMS:
            continue  # sessions, attachments, client reports...: not stored by the sandbox
        try:
            event = json.loads(payload)
        except ValueError as exc:
            raise RelayError(400, "invalid JSON data", str(exc)) from None
        if not isinstance(event, dict):
            raise RelayError(400, "invalid JSON data", "expected an event object")
        event.setdefault("event_id", header.get("event_id"))
        accepted = _accept(project, event, item_header["type"], header.get("sent_at"))
    return jsonify({"id": accepted} if accepted else {})


def _parse_envelope(raw: bytes) -> tuple[Doc, list[tuple[Doc, bytes]]]:
    first, _, rest = raw.partition(b"\n")
    header = _json_line(first, "missing envelope header")
    items = []
    while rest.strip():
        line, _, rest = rest.partition(b"\n")
        if not line.strip():
            continue
        item = _json_line(line, "invalid item header")
        length = item.get("length")
        if isinstance(length, int) and not isinstance(length, bool):
            if length > len(rest):
                raise RelayError(400, "invalid event envelope", "unexpected end of file")
            payload, rest = rest[:length], rest[length:]
            rest = rest[1:] if rest.startswith(b"\n") else rest
        else:
            payload, _, rest = rest.partition(b"\n")
        items.append((item, payload))
    return header, items


def _json_line(line: bytes, cause: str) -> Doc:
    try:
        doc = json.loads(line)
    except ValueError:
        raise RelayError(400, "invalid event envelope", cause) from None
    if not isinstance(doc, dict):
        raise RelayError(400, "invalid event envelope", cause)
    return doc
