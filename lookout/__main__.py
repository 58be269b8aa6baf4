"""python -m lookout COMMAND  (commands: demo)"""

from __future__ import annotations

import argparse
import sys

from . import demo


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="lookout", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    demo_cmd = sub.add_parser(
        "demo", help="deploy a stack's plan into the local sandbox with the real engine"
    )
    demo_cmd.add_argument("--stack", default="dev", choices=["dev", "prod"])
    args = parser.parse_args(argv)
    if args.command == "demo":
        return demo.run(args.stack)
    return 2


if __name__ == "__main__":
    sys.exit(main())
