"""``GET /`` (the API index) and ``GET /organizations/`` (List Your Organizations): what ``sentry-cli`` and
the SDK tooling ask first.

The index, as getsentry/sentry src/sentry/api/endpoints/index.py answers it: ``version`` "0", ``auth``
with the scopes of the request's token, and ``user`` the serialized user, null for a token without one (an
organization auth token authenticates as the anonymous user: src/sentry/api/authentication.py
OrgAuthTokenAuthentication). ``sentry-cli info`` calls it and nothing else (getsentry/sentry-cli
src/api/mod.rs get_auth_info; ``auth.scopes`` is required when ``auth`` is an object). It is not in the
spec (sandbox/deviations/sentry.py, sentry-api-index).

As getsentry/sentry src/sentry/core/endpoints/organization_index.py has it for a token bound to one
organization (an organization auth token, as the sandbox's): that organization only, ``owner`` changing
nothing for a token without a user; ``query`` tokenised (``slug:``, ``id:``, ``status:``, ``email:``,
``member_id:``, free text matching the name or slug, case-insensitive), an unknown key matching nothing,
an empty ``query`` no filter at all; paginated with ``Link`` headers. Items are the organization summary
(``orgs.summary``), as in the spec's ListYourOrganizations example.
"""

import shlex
from typing import Any

from flask import Blueprint, Response, jsonify, request

from sandbox.sentry import orgs
from sandbox.sentry.web import paginate, route
from sandbox.state import sandbox

routes = Blueprint("sentry_organizations", __name__)

Doc = dict[str, Any]
STATUSES = ("active", "pending_deletion", "deletion_in_progress")  # OrganizationStatus names


def tokens(query: str) -> dict[str, list[str]]:
    """``key:value`` terms by key, the rest under ``query`` (sentry.search.utils.tokenize_query)."""
    found: dict[str, list[str]] = {}
    try:
        words = shlex.split(query)
    except ValueError:
        words = query.split()
    for word in words:
        key, sep, value = word.partition(":")
        if sep and key and value:
            found.setdefault(key, []).append(value)
        else:
            found.setdefault("query", []).append(word)
    return found


def _matches(org: Doc, query: str) -> bool:
    members = sandbox().store.find(orgs.VENDOR, orgs.MEMBERS, org["id"])
    for key, values in tokens(query).items():
        if key == "query":
            text = " ".join(values).lower()
            emails = {m["email"].lower() for m in members}
            if text not in org["name"].lower() and text not in org["slug"].lower() and text not in emails:
                return False
        elif key == "slug":
            if org["slug"].lower() not in {v.lower() for v in values}:
                return False
        elif key == "id":
            if str(org["id"]) not in values:
                return False
        elif key == "status":
            if any(v.lower() not in STATUSES for v in values) or "active" not in {v.lower() for v in values}:
                return False
        elif key == "email":
            if not {m["email"].lower() for m in members} & {v.lower() for v in values}:
                return False
        elif key == "member_id":
            if not {str(m["id"]) for m in members} & set(values):
                return False
        else:
            return False  # `queryset.none()`
    return True


@routes.get("/")
def index() -> Response:
    return jsonify({"version": "0", "auth": {"scopes": list(orgs.TOKEN_SCOPES)}, "user": None})


@route(routes, "/organizations/", "GET")
def list_organizations() -> Response:
    org = orgs.by_token(orgs.bearer_token() or "")
    query = request.args.get("query") or ""
    found = [o for o in ([org] if org else []) if not query or _matches(o, query)]
    return paginate(found, orgs.summary)
