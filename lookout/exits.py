"""Exit codes: each written once here, with what each command means by it. `--help` is generated from this
table, the commands return these values, and tests hold the GitHub workflows to them.

A result (changes, drift, an exhausted budget) has a code of its own; a usage error (an unknown command or
option: nothing ran) exits 64, EX_USAGE of sysexits(3), which no command uses for a result, so a workflow
that reads `plan`'s 2 as "changes" never mistakes a mistyped command for a plan with changes.
"""

from __future__ import annotations

from enum import IntEnum


class Exit(IntEnum):
    OK = 0
    FAILED = 1  # the command could not do its work (its meaning per command below)
    CHANGES = 2  # plan: `pulumi up` would change something
    DRIFT = 3  # drift: live settings differ from the code
    EXHAUSTED = 4  # slo: an error budget is used up
    BREACHED = 5  # watch: a check is breached (and was told)
    USAGE = 64  # an unknown command or option: nothing ran (EX_USAGE, sysexits(3))


# What each command means by each code it returns (usage errors are every command's: USAGE_LINE).
MEANINGS: dict[str, dict[Exit, str]] = {
    "demo": {
        Exit.OK: "deployed and a second preview changes nothing",
        Exit.FAILED: "a pulumi step failed or a request broke a vendor's official spec",
    },
    "lint": {
        Exit.OK: "no errors (warnings and info do not fail)",
        Exit.FAILED: "an error in any stack file",
    },
    "catalog": {
        Exit.OK: "both files written",
        Exit.FAILED: "a stack file is missing or does not validate (nothing written)",
    },
    "plan": {
        Exit.OK: "nothing to change",
        Exit.CHANGES: "changes",
        Exit.FAILED: "the preview failed",
    },
    "drift": {
        Exit.OK: "live matches the code (after --fix: repaired)",
        Exit.DRIFT: "drift",
        Exit.FAILED: "the preview or the fix failed",
    },
    "adopt": {
        Exit.OK: "scanned (with --write: recorded)",
        Exit.FAILED: "the plan names a Render service that does not exist",
    },
    "recover": {
        Exit.OK: "the stack is usable again",
        Exit.FAILED: "a lock may belong to a running update (see --force)",
    },
    "drill": {
        Exit.OK: "every route that can be checked was confirmed (or --dry-run)",
        Exit.FAILED: "a route failed, or prod without --yes",
    },
    "deploy-event": {
        Exit.OK: "the change event is on the on-call service's timeline (or --dry-run)",
        Exit.FAILED: "the plan sends no deploys to PagerDuty, the stack is not deployed, or PagerDuty did "
        "not confirm it",
    },
    "slo": {
        Exit.OK: "every error budget has something left",
        Exit.EXHAUSTED: "a budget is exhausted",
        Exit.FAILED: "the plan declares no lookout:slos, --points is out of bounds, the statistics could "
        "not be read or the chart not written",
    },
    "faults": {
        Exit.OK: "every scenario survived (or --list)",
        Exit.FAILED: "a scenario failed",
    },
    "gameday": {
        Exit.OK: "every check detected its failure in time through its routes, and nothing else fired",
        Exit.FAILED: "a check was late, missed, misrouted or not run, a false alarm, or without --sandbox",
    },
    "watch": {
        Exit.OK: "every check measured and within its threshold; the heartbeat pinged",
        Exit.BREACHED: "a check is breached and its alerts were sent; the heartbeat pinged",
        Exit.FAILED: "a vendor could not be read or an alert not sent: the heartbeat was not pinged",
    },
}
USAGE_LINE = (
    f"A usage error (unknown command or option) exits {int(Exit.USAGE)}, before anything runs, with the "
    "usage on stderr."
)


def line(command: str) -> str:
    """`0 nothing to change; 2 changes; 1 the preview failed`: success first, then results, then failure."""
    order = sorted(MEANINGS[command], key=lambda code: (code == Exit.FAILED, code))
    return "; ".join(f"{int(code)} {MEANINGS[command][code]}" for code in order)
