"""Status-page bodies: ``multipart/form-data`` (with a logo or icon; ``sandbox/forms.py``) or JSON."""

from typing import Any

from flask import request

from sandbox import forms
from sandbox.uptimerobot import schemas


def request_body(schema_name: str) -> Any:
    """The request body as a dict, whether it was sent as a form or as JSON."""
    if request.mimetype in forms.FORM_TYPES:
        return forms.typed(request.form, schemas.schemas()[schema_name], schemas.schemas())
    return request.get_json(silent=True)
