"""Certificates for the reference app's HTTPS: a private CA (which the sandbox is told to trust, as the
internet trusts public CAs) issuing a certificate for the app's host names that expires when asked, so a
certificate about to expire is a fault like any other. `trustme` makes them (the well-kept library for
test certificates; python-trio/trustme)."""

from __future__ import annotations

import ssl
from datetime import datetime, timedelta, timezone

import trustme


class Authority:
    def __init__(self) -> None:
        self._ca = trustme.CA(organization_name="Lookout game day")

    @property
    def pem(self) -> str:
        """The CA certificate (PEM), for `PUT /_control/hosts/trust`."""
        return self._ca.cert_pem.bytes().decode()

    def context(self, hosts: list[str], expires_in: timedelta) -> ssl.SSLContext:
        """A server context serving a certificate for `hosts` that expires `expires_in` from now."""
        now = datetime.now(timezone.utc)
        issued = self._ca.issue_cert(*hosts, not_before=now - timedelta(days=1), not_after=now + expires_in)
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        issued.configure_cert(context)
        return context
