"""Serves a reference app on a local port, over HTTP or HTTPS, in a background thread; `stop` is the plan's
"process down" (the port closes: connections are refused) and `start` brings it back on the same port.
"""

from __future__ import annotations

import logging
import ssl
import threading

from flask import Flask
from werkzeug.serving import BaseWSGIServer, make_server

HOST = "127.0.0.1"


class Server:
    def __init__(self, app: Flask, port: int = 0, tls: ssl.SSLContext | None = None) -> None:
        self.app, self.port, self.tls = app, port, tls
        self._server: BaseWSGIServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def address(self) -> str:
        """`ip:port`, as the sandbox's name service lists it (sandbox/hosts.py)."""
        return f"{HOST}:{self.port}"

    @property
    def running(self) -> bool:
        return self._server is not None

    def start(self) -> Server:
        if self._server is None:
            logging.getLogger("werkzeug").setLevel(logging.WARNING)  # no line per request (thousands)
            server = make_server(HOST, self.port, self.app, threaded=True, ssl_context=self.tls)
            self.port = server.server_port
            self._thread = threading.Thread(
                target=server.serve_forever, name=f"refapp:{self.port}", daemon=True
            )
            self._server = server
            self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> Server:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
