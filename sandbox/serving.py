"""The sandbox's servers: its main port and each vendor host's root (sandbox/roots.py), threaded, HTTP/1.1.

A root speaks plain HTTP and TLS on its one port, told apart by a connection's first byte: a TLS record
starts with its content type, 22 for the handshake that opens it (RFC 8446, 5.1), an HTTP request with a
method's letter. Some vendor clients refuse any URL but https (PagerDuty's `pagerduty` 7.x:
api_client.py, "API base URL must use scheme https://"). The certificate, for 127.0.0.1 and localhost, is
signed by a CA made at each start (`trustme`, as the reference app's) and written beside the database as
`ca.pem`, the file to trust (`SSL_CERT_FILE`, or a client's `verify`); `GET /_control/roots/ca` gives it too.
"""

from __future__ import annotations

import socket
import ssl
import threading
from pathlib import Path
from typing import Any

import trustme
from flask import Flask
from werkzeug.serving import BaseWSGIServer, ThreadedWSGIServer, WSGIRequestHandler

from sandbox.roots import RootApp, roots

ALLOWED_HOST = "127.0.0.1"
HANDSHAKE = b"\x16"  # the content type of a TLS handshake record
FIRST_BYTE_SECONDS = 10.0  # a connection that sends nothing for this long is dropped


class KeepAlive(WSGIRequestHandler):
    """HTTP/1.1: a client's connection stays open across requests, as the vendors' APIs keep theirs
    (werkzeug's default, HTTP/1.0, closes each one, so every request paid a new connection)."""

    protocol_version = "HTTP/1.1"

    def make_environ(self) -> Any:
        environ = super().make_environ()
        if isinstance(self.request, ssl.SSLSocket):
            environ["wsgi.url_scheme"] = "https"  # werkzeug says https only for a server of TLS alone
        return environ


class HttpOrTls(ThreadedWSGIServer):
    """A server whose connections may open with TLS (`tls`) or speak plain HTTP."""

    tls: ssl.SSLContext | None = None

    def finish_request(self, request: Any, client_address: Any) -> None:  # in the connection's thread
        if self.tls is None or not _opens_tls(request):
            super().finish_request(request, client_address)
            return
        try:
            secure = self.tls.wrap_socket(request, server_side=True)
        except (ssl.SSLError, OSError):
            return  # a client that does not trust the CA, or gave up
        try:
            super().finish_request(secure, client_address)
        finally:
            self.shutdown_request(secure)


def _opens_tls(connection: socket.socket) -> bool:
    connection.settimeout(FIRST_BYTE_SECONDS)
    try:
        return connection.recv(1, socket.MSG_PEEK) == HANDSHAKE
    except OSError:
        return False
    finally:
        connection.settimeout(None)


def authority(directory: Path) -> tuple[ssl.SSLContext, str]:
    """The roots' TLS and the PEM of its CA, new, written to `directory`/ca.pem."""
    ca = trustme.CA(organization_name="Lookout sandbox")
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "ca.pem").write_bytes(ca.cert_pem.bytes())
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert(ALLOWED_HOST, "localhost").configure_cert(context)
    return context, ca.cert_pem.bytes().decode()


def listen(app: Flask | RootApp, port: int, what: str, tls: ssl.SSLContext | None = None) -> BaseWSGIServer:
    """A server on a socket bound here: werkzeug's own bind prints two lines and exits on a taken port."""
    listener = socket.socket()
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as http.server's servers do
    try:
        listener.bind((ALLOWED_HOST, port))
        listener.listen(128)
    except OSError as error:
        listener.close()
        raise OSError(f"{port} ({what}): {error.strerror or error}") from None
    with listener:  # the server keeps a duplicate of the descriptor
        server = HttpOrTls(ALLOWED_HOST, listener.getsockname()[1], app, KeepAlive, fd=listener.fileno())
    server.tls = tls
    return server


def serve_roots(app: Flask, port: int, directory: Path) -> list[BaseWSGIServer]:
    """One server per vendor host, each in a thread of its own, on the ports after `port` (any when 0),
    its TLS signed by a CA written to `directory`."""
    state = app.extensions["sandbox"]
    tls, state.ca_pem = authority(directory)
    servers = []
    for offset, root in enumerate(roots(state.vendors), start=1):
        server = listen(RootApp(app, root), port + offset if port else 0, root.host, tls)
        threading.Thread(target=server.serve_forever, name=root.host, daemon=True).start()
        state.roots[root.host] = f"http://{ALLOWED_HOST}:{server.port}"
        servers.append(server)
    return servers
