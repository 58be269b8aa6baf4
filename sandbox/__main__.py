"""``python -m sandbox``: serve the sandbox on 127.0.0.1 (port 0 picks a free port), and each vendor host at
a root of its own on the ports after it (sandbox/roots.py)."""

import argparse
import logging
import signal
import socket
import sys
import threading
from pathlib import Path
from types import FrameType

from flask import Flask
from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server

from sandbox.app import create_app
from sandbox.roots import RootApp, roots

ALLOWED_HOST = "127.0.0.1"
DEFAULT_DB = Path(".lookout/sandbox/sandbox.db")


def _parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m sandbox", description=__doc__)
    parser.add_argument("--host", default=ALLOWED_HOST, help="must be 127.0.0.1: the sandbox is local only")
    parser.add_argument(
        "--port",
        type=int,
        default=0,
        help="0 picks free ports; P serves the vendor hosts' roots on P+1, P+2, ...",
    )
    parser.add_argument("--db", type=Path, default=DEFAULT_DB, help="SQLite file (created if missing)")
    parser.add_argument("--port-file", type=Path, help="also write the bound port to this file")
    args = parser.parse_args(argv)
    if args.host != ALLOWED_HOST:
        parser.error(f"--host must be {ALLOWED_HOST}; the sandbox never listens on other interfaces")
    return args


class KeepAlive(WSGIRequestHandler):
    """HTTP/1.1: a client's connection stays open across requests, as the vendors' APIs keep theirs
    (werkzeug's default, HTTP/1.0, closes each one, so every request paid a new connection)."""

    protocol_version = "HTTP/1.1"


def _stop(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    args = _parse_args(sys.argv[1:] if argv is None else argv)
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # per-request lines: see /_control/log
    app = create_app(args.db)
    try:
        server = _serve(app, args.port, "the sandbox")
        hosts = _serve_roots(app, args.port)
    except OSError as error:
        print(f"sandbox: cannot listen on {ALLOWED_HOST}:{error}; choose another --port", file=sys.stderr)
        return 1
    port = server.port
    if args.port_file:
        args.port_file.parent.mkdir(parents=True, exist_ok=True)
        args.port_file.write_text(f"{port}\n")
    print(f"sandbox listening on http://{ALLOWED_HOST}:{port}", flush=True)
    for host, url in app.extensions["sandbox"].roots.items():
        print(f"  {host:<30} {url}", flush=True)
    signal.signal(signal.SIGTERM, _stop)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        for each in (server, *hosts):
            each.server_close()
        app.extensions["sandbox"].store.close()
    return 0


def _serve(app: Flask | RootApp, port: int, what: str) -> BaseWSGIServer:
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
        bound = listener.getsockname()[1]
        return make_server(
            ALLOWED_HOST, bound, app, threaded=True, request_handler=KeepAlive, fd=listener.fileno()
        )


def _serve_roots(app: Flask, port: int) -> list[BaseWSGIServer]:
    """One server per vendor host, each in a thread of its own, on the ports after `port` (any when 0)."""
    state = app.extensions["sandbox"]
    servers = []
    for offset, root in enumerate(roots(state.vendors), start=1):
        server = _serve(RootApp(app, root), port + offset if port else 0, root.host)
        threading.Thread(target=server.serve_forever, name=root.host, daemon=True).start()
        state.roots[root.host] = f"http://{ALLOWED_HOST}:{server.port}"
        servers.append(server)
    return servers


if __name__ == "__main__":
    sys.exit(main())
