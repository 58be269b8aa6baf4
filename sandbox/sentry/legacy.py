"""The retired alert APIs (docs/vendors/sentry.md, retired alert rules): issue-alert ``rules`` and metric
``alert-rules`` answer 410 Gone with
the deprecation headers, as they do during Sentry's brownouts and after their removal."""

from flask import Blueprint, Response

from sandbox.sentry.errors import ApiError

routes = Blueprint("sentry_legacy", __name__)

DEPRECATION_DATE = "2026-05-14"
METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"]


def _gone(org: str, replacement: str) -> Response:
    headers = {
        "X-Sentry-Deprecation-Date": DEPRECATION_DATE,
        "X-Sentry-Replacement-Endpoint": f"/api/0/organizations/{org}/{replacement}/",
    }
    return ApiError(410, {"message": "This API no longer exists."}, headers).response()


@routes.route("/projects/<org>/<proj>/rules/", methods=METHODS, strict_slashes=False)
@routes.route("/projects/<org>/<proj>/rules/<id>/", methods=METHODS, strict_slashes=False)
def issue_alert_rules(org: str, proj: str, id: str | None = None) -> Response:
    return _gone(org, "workflows")


@routes.route("/organizations/<org>/alert-rules/", methods=METHODS, strict_slashes=False)
@routes.route("/organizations/<org>/alert-rules/<id>/", methods=METHODS, strict_slashes=False)
def metric_alert_rules(org: str, id: str | None = None) -> Response:
    return _gone(org, "detectors")
