"""python -m lookout COMMAND: demo, lint, catalog, plan, drift, adopt, drill, deploy-event, slo, recover,
faults, gameday, watch."""

from __future__ import annotations

import argparse
import sys
import textwrap
from typing import NoReturn

from stacks.validation import ConfigError

from . import demo, printer, stackfile
from .exits import MEANINGS, USAGE_LINE, Exit, line

DESCRIPTION = """\
Lookout: the monitoring plan of each environment (Pulumi.<stack>.yaml, `lookout:*`) as UptimeRobot, Sentry
and Render resources. `--sandbox` commands run against the local sandbox that `demo` deploys into; the
others use your Pulumi backend and the credentials in the stack config or the environment.
`python -m lookout COMMAND --help` describes a command."""

COMMANDS = {
    "demo": (
        "deploy the dev and prod plans into the local sandbox with the real engine",
        "Start the offline sandbox (127.0.0.1:18765, LOOKOUT_SANDBOX_PORT to change) and, for dev then prod "
        "(or the --stack given), run `pulumi up --yes` on the whole plan, print the outputs, then check that "
        "`pulumi preview --expect-no-changes` finds nothing to do. State stays in .lookout/sandbox/ for the "
        "`--sandbox` commands; the sandbox process is stopped at the end and restarted by them.",
    ),
    "lint": (
        "check the plan's cross-vendor invariants before any preview",
        "Read the stack files (no engine, no network) and report every finding with its rule, severity and "
        "full config key (lookout:services[1].health_path): uptime and SSL coverage, Render health paths, "
        "Sentry alerting, prod pages, dev never pages, threshold order, vendor plan limits, secrets in "
        "plain text; plus what no vendor here covers (info).",
    ),
    "catalog": (
        "write the alert catalog (Markdown and HTML)",
        "Write OUT/alert-catalog.md and OUT/alert-catalog.html: per environment every check, its threshold, "
        "who is notified through which channel, its runbook and the lint warnings, then what no vendor "
        "covers. Reads only the stack files.",
    ),
    "plan": (
        "summarise what `pulumi up` would change, for a PR comment",
        "Run `pulumi preview --json` per stack and report the changes field by field (replacements and "
        "deletions first; secrets stay [secret]), as Markdown or JSON.",
    ),
    "drift": (
        "report live settings that differ from the code (refresh preview)",
        "Run `pulumi preview --refresh --json` per stack and report, field by field, where the vendors' live "
        "settings differ from the code; --fix then runs `pulumi up --refresh --yes`.",
    ),
    "adopt": (
        "match existing vendor objects to the plan; --write records them",
        "Look the plan's objects up in the vendors' accounts by natural key (monitors by type and URL, "
        "contacts by address, Sentry projects by slug, Render services by name) and list them as matched, "
        "new, unmanaged or missing. A dry run unless --write, which records lookout:adopt ids in the stack "
        "config; `pulumi preview` then shows what comes under code.",
    ),
    "recover": (
        "after an interrupted `pulumi up`: repair state metadata, stale locks, pending ops",
        "Repair a file backend's zero-byte .attrs sidecar, remove locks held by dead processes of this host "
        "(others only with --force) and clear pending creates with a refresh; `pulumi up` then converges.",
    ),
    "drill": (
        "send a marked test through every alert route and confirm it arrived",
        "The plan's test alert workflow: per severity and channel, a marked test through the path real "
        "alerts take. PagerDuty: an Events v2 trigger with the integration key the alerts use, the incident "
        "read back (who it reached) and resolved; Slack: a message to the alerts' webhook; e-mail: what to "
        "check by hand. Dev never pages, so its table shows the page that is not sent. Nothing goes to prod "
        "without --yes.",
    ),
    "watch": (
        "the system-health job: check the database and the services' CPU and memory, alert on breaches",
        "The plan's check_system_health job (a cron job every 5 minutes): Supabase's database health, "
        "pooler, disk, connections, backups and slow statements, and each Render service's CPU and memory, "
        "against lookout:thresholds. A new breach is told once through its severity's routes (PagerDuty "
        "with one dedup key per check; e-mail and Slack through the backend's Sentry new-issues alert) and "
        "resolved when it recovers; the UptimeRobot heartbeat is pinged only after a complete run. Without "
        "--once it runs every heartbeat interval.",
    ),
    "deploy-event": (
        "put a deploy on the PagerDuty on-call service's timeline (a change event)",
        "Send `Deployed <render service> <version> to <env>` as a PagerDuty change event (Events API v2) "
        "with the integration key the alerts use, then read it back from the service's timeline. Pages "
        "nobody. Only for plans with lookout:oncall (deploy_events, on by default); run it from the deploy "
        "pipeline once Render has the new version (--version, default the plan's app_version).",
    ),
    "slo": (
        "the error-budget report: attainment and budget left per objective",
        "For each objective of lookout:slos, the share of good events over the rolling window and the "
        "error budget left, from the vendors' statistics: UptimeRobot's uptime statistics of the service's "
        "HTTP monitor (availability) and Sentry's span statistics (errors: failed spans; latency: spans "
        "slower than the threshold). Markdown, or --json for machines; exit 4 gates a risky deploy. "
        "--chart PATH also writes a PNG of the budget left over the window.",
    ),
    "gameday": (
        "prove in the sandbox that each alert fires on its failure, on time, to its routes",
        "Deploy the stack file as it stands into a private sandbox whose vendors run their checks, stand the "
        "reference app in for each service, and after a quiet hour (any notification: a false alarm) cause "
        "each check's failure, move the clock, and compare who was told, through which route and how soon "
        "with the catalog; then heal and note the recovery. Plan time is the sandbox's clock (minutes of "
        "wall time). Markdown, or --json; --chart PATH also writes a PNG timeline.",
    ),
    "faults": (
        "run the fault suite against a private sandbox and report",
        "Deploy the dev plan with the real engine while a private sandbox injects faults into all three "
        "vendors, and compare each run with a clean deployment by natural key (duplicates, lost objects, "
        "pending operations). Takes minutes per scenario; --list shows the scenarios.",
    ),
}


class Formatter(argparse.RawDescriptionHelpFormatter):
    """Keeps the line breaks of descriptions and epilogs; wraps nothing that was laid out by hand."""


class Parser(argparse.ArgumentParser):
    """argparse exits 2 on a usage error, which is `plan`'s "changes": here it is Exit.USAGE."""

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(int(Exit.USAGE), f"{self.prog}: error: {message}\n")


def exit_line(command: str) -> str:
    return _wrap(f"exit codes: {line(command)}.") + f"\n{USAGE_LINE}"


def top_epilog() -> str:
    width = max(map(len, MEANINGS))
    lines = [
        textwrap.fill(
            line(name), 100, initial_indent=f"  {name:<{width}}  ", subsequent_indent=" " * (width + 4)
        )
        for name in MEANINGS
    ]
    return "exit codes:\n" + "\n".join(lines) + f"\n{USAGE_LINE}"


def faults_epilog() -> str:
    from .fault_scenarios import scenario_lines

    return "scenarios:\n" + "\n".join(scenario_lines()) + "\n\n" + exit_line("faults")


def _wrap(text: str) -> str:
    return textwrap.fill(text, width=100)


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(prog="lookout", description=DESCRIPTION, epilog=top_epilog(), formatter_class=Formatter)
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND", parser_class=Parser)

    def command(name: str, epilog: str | None = None) -> argparse.ArgumentParser:
        summary, description = COMMANDS[name]
        return sub.add_parser(
            name,
            help=summary,
            description=_wrap(description),
            epilog=epilog or exit_line(name),
            formatter_class=Formatter,
        )

    demo_cmd = command("demo")
    demo_cmd.add_argument(
        "--stack", choices=["dev", "prod"], help="deploy only this plan (default: dev, then prod)"
    )
    lint_cmd = command("lint")
    lint_cmd.add_argument("stacks", nargs="*", default=["dev", "prod"], help="stack names or stack files")
    lint_cmd.add_argument("--format", choices=["text", "json"], default="text")
    catalog_cmd = command("catalog")
    catalog_cmd.add_argument("stacks", nargs="*", default=["dev", "prod"], help="stack names or stack files")
    catalog_cmd.add_argument("--out", default="catalog", help="output directory (default: catalog)")
    for name in ("plan", "drift"):
        cmd = command(name)
        cmd.add_argument("stacks", nargs="*", default=["dev", "prod"], help="stack names")
        cmd.add_argument("--format", choices=["markdown", "json"], default="markdown")
        cmd.add_argument("--sandbox", action="store_true", help="against the demo's sandbox state")
        if name == "drift":
            cmd.add_argument("--fix", action="store_true", help="then run `pulumi up --refresh --yes`")
    drill_cmd = command("drill")
    drill_cmd.add_argument("stack", help="stack name")
    drill_cmd.add_argument("--dry-run", action="store_true", help="list what would be sent; send nothing")
    drill_cmd.add_argument("--yes", action="store_true", help="send to prod (pages the people on call)")
    drill_cmd.add_argument("--sandbox", action="store_true", help="against the demo's sandbox state")
    watch_cmd = command("watch")
    watch_cmd.add_argument("stack", help="stack name")
    watch_cmd.add_argument("--once", action="store_true", help="one run, then exit with its result")
    watch_cmd.add_argument("--sandbox", action="store_true", help="against the demo's sandbox state")
    watch_cmd.add_argument(
        "--from-env",
        action="store_true",
        help="as the deployed cron job runs: routes and settings from env vars (LOOKOUT_*), no Pulumi",
    )
    deploy_cmd = command("deploy-event")
    deploy_cmd.add_argument("stack", help="stack name")
    deploy_cmd.add_argument("--service", required=True, help="the plan's service name (backend, frontend)")
    deploy_cmd.add_argument("--version", help="the version deployed (default: lookout:app_version)")
    deploy_cmd.add_argument("--dry-run", action="store_true", help="show what would be sent; send nothing")
    deploy_cmd.add_argument("--sandbox", action="store_true", help="against the demo's sandbox state")
    slo_cmd = command("slo")
    slo_cmd.add_argument("stack", help="stack name")
    slo_cmd.add_argument("--json", action="store_true", help="JSON for machines instead of Markdown")
    slo_cmd.add_argument("--sandbox", action="store_true", help="against the demo's sandbox state")
    slo_cmd.add_argument(
        "--chart", metavar="PATH", help="also write a PNG of the budget left over the window"
    )
    slo_cmd.add_argument(
        "--points",
        type=int,
        default=10,
        metavar="K",
        help="--chart: K + 1 points of each span objective, a request each but the first (default 10, at "
        "most 60); availability is read whole from the monitor's incidents",
    )
    adopt_cmd = command("adopt")
    adopt_cmd.add_argument("stack", help="stack name")
    adopt_cmd.add_argument("--write", action="store_true", help="record lookout:adopt in the stack config")
    adopt_cmd.add_argument("--sandbox", action="store_true", help="against the demo's sandbox state")
    recover_cmd = command("recover")
    recover_cmd.add_argument("stack", help="stack name")
    recover_cmd.add_argument("--force", action="store_true", help="remove locks even if their holder may run")
    recover_cmd.add_argument("--sandbox", action="store_true", help="against the demo's sandbox state")
    gameday_cmd = command("gameday")
    gameday_cmd.add_argument("stack", help="stack name")
    gameday_cmd.add_argument("--sandbox", action="store_true", help="required: it breaks the app on purpose")
    gameday_cmd.add_argument("--json", action="store_true", help="the report as JSON")
    gameday_cmd.add_argument("--chart", metavar="PATH", help="also write a PNG timeline of the report there")
    faults_cmd = command("faults", faults_epilog())
    faults_cmd.add_argument("scenarios", nargs="*", help="scenario names (default: all); see --list")
    faults_cmd.add_argument("--list", action="store_true", help="list the scenarios and exit")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Expected failures (a missing or malformed stack file, bad config) are one line and exit 1."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        for stack in _stacks(args):  # a misspelt stack or a bad plan is named before anything runs
            if args.command in ("plan", "drift", "adopt", "drill", "deploy-event", "slo", "gameday", "watch"):
                stackfile.load(stack)
            else:
                stackfile.config_of(stack)
        return dispatch(parser, args)
    except ConfigError as exc:
        printer.problem(f"lookout {args.command}: {exc}")
        return Exit.FAILED


def _stacks(args: argparse.Namespace) -> list[str]:
    """The stacks a command acts on (lint and catalog report unreadable files themselves)."""
    if args.command in ("plan", "drift"):
        return list(args.stacks)
    if args.command == "demo":
        return [args.stack] if args.stack else list(demo.STACKS)
    if args.command in ("adopt", "recover", "drill", "deploy-event", "slo", "gameday", "watch"):
        return [args.stack]
    return []


def dispatch(parser: argparse.ArgumentParser, args: argparse.Namespace) -> int:
    if args.command == "demo":
        return demo.run([args.stack] if args.stack else demo.STACKS)
    if args.command == "lint":
        from . import lint

        return lint.run(args.stacks, args.format)
    if args.command == "gameday":
        from . import gameday

        return gameday.command(args.stack, args.json, args.sandbox, args.chart)
    if args.command == "drill":
        from . import drill

        return drill.command(args.stack, args.dry_run, args.yes, args.sandbox)
    if args.command == "watch":
        from . import watch

        return watch.command(args.stack, args.once, args.sandbox, args.from_env)
    if args.command == "deploy-event":
        from . import deploy_event

        return deploy_event.command(args.stack, args.service, args.version, args.dry_run, args.sandbox)
    if args.command == "slo":
        from . import slo_report

        return slo_report.command(args.stack, args.json, args.sandbox, args.chart, args.points)
    if args.command == "adopt":
        from . import adopt

        return adopt.command(args.stack, args.write, args.sandbox)
    if args.command in ("plan", "drift"):
        from . import review_cli

        if args.command == "plan":
            return review_cli.plan(args.stacks, args.format, args.sandbox)
        return review_cli.drift(args.stacks, args.format, args.fix, args.sandbox)
    if args.command == "recover":
        from . import recover

        return recover.command(args.stack, args.force, args.sandbox)
    if args.command == "faults":
        from . import fault_scenarios, faults

        if args.list:
            printer.result("\n".join(fault_scenarios.scenario_lines()))
            return 0
        unknown = sorted(set(args.scenarios) - {s.name for s in fault_scenarios.SCENARIOS})
        if unknown:
            parser.error(f"faults: unknown scenario {', '.join(unknown)} (see `faults --list`)")
        return faults.main(args.scenarios)
    if args.command == "catalog":
        from . import catalog_cli

        return catalog_cli.run(args.stacks, args.out)
    parser.error(f"no such command: {args.command}")


if __name__ == "__main__":
    sys.exit(main())
