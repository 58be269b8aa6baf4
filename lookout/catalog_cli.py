"""`python -m lookout catalog`: write the alert catalog of the given stacks as Markdown and HTML."""

from __future__ import annotations

from pathlib import Path

from stacks.validation import ConfigError

from . import printer
from .catalog import HTML_NAME, MD_NAME, load_env, render_markdown
from .catalog_html import render_html
from .exits import Exit
from .stackfile import path_of


def run(stacks: list[str], out: str) -> int:
    envs = []
    for stack in stacks or ["dev", "prod"]:
        where = path_of(stack)
        try:
            envs.append(load_env(stack))
        except ConfigError as exc:
            printer.problem(f"lookout catalog: {where}: {str(exc).removeprefix(f'{where.name}: ')}")
            return Exit.FAILED

    directory = Path(out)
    directory.mkdir(parents=True, exist_ok=True)
    for name, text in ((MD_NAME, render_markdown(envs)), (HTML_NAME, render_html(envs))):
        path = directory / name
        path.write_text(text, encoding="utf-8", newline="\n")
        printer.result(path)
    return Exit.OK
