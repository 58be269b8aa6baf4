"""python -m lookout COMMAND: demo, lint, catalog, plan, drift, adopt, recover, faults."""

from __future__ import annotations

import argparse
import sys

from . import demo


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="lookout", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    demo_cmd = sub.add_parser(
        "demo", help="deploy a stack's plan into the local sandbox with the real engine"
    )
    demo_cmd.add_argument("--stack", default="dev", choices=["dev", "prod"])
    lint_cmd = sub.add_parser("lint", help="check the plan's cross-vendor invariants before any preview")
    lint_cmd.add_argument("stacks", nargs="*", default=["dev", "prod"], help="stack names or stack files")
    lint_cmd.add_argument("--format", choices=["text", "json"], default="text")
    catalog_cmd = sub.add_parser("catalog", help="write the alert catalog (Markdown and HTML)")
    catalog_cmd.add_argument("stacks", nargs="*", default=["dev", "prod"], help="stack names or stack files")
    catalog_cmd.add_argument("--out", default="catalog", help="output directory")
    for name, text in (
        ("plan", "summarise what `pulumi up` would change, for a PR comment"),
        ("drift", "report live settings that differ from the code (refresh preview)"),
    ):
        cmd = sub.add_parser(name, help=text)
        cmd.add_argument("stacks", nargs="*", default=["dev", "prod"], help="stack names")
        cmd.add_argument("--format", choices=["markdown", "json"], default="markdown")
        cmd.add_argument("--sandbox", action="store_true", help="against the demo's sandbox state")
        if name == "drift":
            cmd.add_argument("--fix", action="store_true", help="then run `pulumi up --refresh --yes`")
    adopt_cmd = sub.add_parser(
        "adopt", help="match existing vendor objects to the plan; --write records them"
    )
    adopt_cmd.add_argument("stack", help="stack name")
    adopt_cmd.add_argument("--write", action="store_true", help="record lookout:adopt in the stack config")
    adopt_cmd.add_argument("--sandbox", action="store_true", help="against the demo's sandbox state")
    recover_cmd = sub.add_parser(
        "recover", help="after an interrupted `pulumi up`: repair state metadata, stale locks, pending ops"
    )
    recover_cmd.add_argument("stack", help="stack name")
    recover_cmd.add_argument("--force", action="store_true", help="remove locks even if their holder may run")
    recover_cmd.add_argument("--sandbox", action="store_true", help="against the demo's sandbox state")
    faults_cmd = sub.add_parser("faults", help="run the fault suite against a private sandbox and report")
    faults_cmd.add_argument("scenarios", nargs="*", help="scenario names (default: all)")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "demo":
        return demo.run(args.stack)
    if args.command == "lint":
        from . import lint

        return lint.run(args.stacks, args.format)
    if args.command == "adopt":
        from . import review_cli

        return review_cli.adopt(args.stack, args.write, args.sandbox)
    if args.command in ("plan", "drift"):
        from . import review_cli

        if args.command == "plan":
            return review_cli.plan(args.stacks, args.format, args.sandbox)
        return review_cli.drift(args.stacks, args.format, args.fix, args.sandbox)
    if args.command == "recover":
        from . import review_cli

        return review_cli.recover(args.stack, args.force, args.sandbox)
    if args.command == "faults":
        from . import faultsuite

        return faultsuite.main(args.scenarios)
    if args.command == "catalog":
        from . import catalog

        return catalog.run(args.stacks, args.out)
    return 2


if __name__ == "__main__":
    sys.exit(main())
