"""``python -m sandbox``: serve the sandbox on 127.0.0.1 (port 0 picks a free port), and each vendor host at
a root of its own on the ports after it (sandbox/roots.py)."""

import argparse
import logging
import signal
import sys
from pathlib import Path
from types import FrameType

from sandbox import serving
from sandbox.app import create_app

ALLOWED_HOST = serving.ALLOWED_HOST
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


def _stop(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    args = _parse_args(sys.argv[1:] if argv is None else argv)
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # per-request lines: see /_control/log
    app = create_app(args.db)
    try:
        server = serving.listen(app, args.port, "the sandbox")
        hosts = serving.serve_roots(app, args.port, args.db.parent)
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


if __name__ == "__main__":
    sys.exit(main())
