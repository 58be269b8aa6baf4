"""``python -m refapp``: serve the reference app (backend or frontend) on 127.0.0.1, configured from this
process's environment as a Render service is (SENTRY_DSN, APP_VERSION, FLASK_ENV); ``PUT /_faults``."""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import sys
import threading

from refapp.app import ROLES, create_app
from refapp.server import Server


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m refapp", description=__doc__)
    parser.add_argument("--role", choices=ROLES, default="backend")
    parser.add_argument("--port", type=int, default=0, help="0 picks a free port")
    args = parser.parse_args(argv)
    server = Server(create_app(args.role, dict(os.environ)), args.port).start()
    print(f"refapp {args.role} listening on http://{server.address}", flush=True)
    stopped = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stopped.set())
    with contextlib.suppress(KeyboardInterrupt):
        stopped.wait()
    server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
