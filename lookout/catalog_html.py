"""The alert catalog as one self-contained HTML5 page: inline CSS, no scripts, no external assets, printable.

Every value from config goes through `esc`; links are emitted only for http(s) URLs.
"""

from __future__ import annotations

import re
from html import escape

from stacks.checks import UNCOVERED

from .catalog import (
    DASHBOARD_HEAD,
    LINT_COMMAND,
    LINT_HEAD,
    SLO_HEAD,
    Env,
    channel_rows,
    dashboard_lines,
    dashboard_rows,
    groups,
    is_web_url,
    job_line,
    lint_rows,
    notified,
    paging_unused,
    routes,
    rule_text,
    runbook_label,
    service_rows,
    slo_rows,
    sources,
    window_lines,
)

CSS = """
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1b1f24;
  max-width: 78rem; margin: 2rem auto; padding: 0 1rem; }
h1 { font-size: 1.8rem; margin-bottom: .2rem; }
h2 { border-bottom: 2px solid #d0d7de; padding-bottom: .2rem; margin-top: 2.5rem; }
h3 { margin-top: 1.6rem; }
h4 { margin: 1.2rem 0 .3rem; }
table { border-collapse: collapse; width: 100%; margin: .4rem 0 1.2rem; }
th, td { border: 1px solid #d0d7de; padding: .35rem .5rem; text-align: left; vertical-align: top;
  overflow-wrap: normal; word-break: normal; hyphens: manual; }
thead th { background: #f6f8fa; }
a, .url { overflow-wrap: anywhere; }
code { font: .85em ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
.key { display: block; color: #57606a; }
.rule { border-left: 4px solid #a40e26; background: #fff5f5; padding: .5rem .8rem; font-weight: 600; }
.sev { font-weight: 600; white-space: nowrap; }
.sev-critical, .sev-error { color: #a40e26; }
.sev-warning { color: #7d4e00; }
.sev-info { color: #0a3069; }
.muted { color: #57606a; }
@media print {
  body { margin: 0; max-width: none; font-size: 9.5pt; color: #000; }
  section.env + section.env, section.uncovered { break-before: page; }
  h2, h3, h4 { break-after: avoid; }
  tr, .rule { break-inside: avoid; }
  thead { display: table-header-group; }
  thead th, .rule { background: none; }
  a { color: inherit; text-decoration: none; }
  a.runbook::after { content: " (" attr(href) ")"; font-size: 8pt; overflow-wrap: anywhere; }
}
"""


URL = re.compile(r"https?://\S+?(?=[.,;:!?)\]'\"]*(?:\s|$))")  # without the punctuation that ends it


def esc(text: str) -> str:
    return escape(text, quote=True)


def prose(text: str) -> str:
    """Escaped text whose URLs may wrap anywhere (class `url`); every other word stays whole."""
    out, last = [], 0
    for match in URL.finditer(text):
        out += [esc(text[last : match.start()]), f'<span class="url">{esc(match[0])}</span>']
        last = match.end()
    return "".join(out) + esc(text[last:])


def link(label: str, url: str, css: str = "") -> str:
    if not is_web_url(url):
        return esc(url)
    cls = f' class="{css}"' if css else ""
    return f'<a{cls} href="{esc(url)}">{esc(label)}</a>'


def table(head: list[str], rows: list[list[str]], caption: str = "") -> list[str]:
    """`head` is plain text; the cells of `rows` are HTML already escaped by the caller."""
    out = ["<table>"] + ([f"<caption>{esc(caption)}</caption>"] if caption else [])
    out.append("<thead><tr>" + "".join(f'<th scope="col">{esc(h)}</th>' for h in head) + "</tr></thead>")
    out.append("<tbody>")
    out += ["<tr>" + "".join(f"<td>{cell}</td>" for cell in row) + "</tr>" for row in rows]
    return [*out, "</tbody>", "</table>"]


def severity(sev: str) -> str:
    return f'<span class="sev sev-{esc(sev)}">{esc(sev)}</span>'


def summary(env: Env) -> list[str]:
    plan = env.plan
    out = ["<h3>Summary</h3>", f'<p class="rule">{esc(rule_text(plan))}</p>', "<h4>Services</h4>"]
    head = ["Service", "Role", "URL", "Health endpoint", "Render service", "Sentry project"]
    rows = [
        [esc(n), esc(r), link(u, u), esc(h), esc(rs), esc(sp)] for n, r, u, h, rs, sp in service_rows(plan)
    ]
    out += table(head, rows)
    out.append("<h4>Channels configured</h4>")
    rows = [
        [esc(c), esc(t), esc(by), f"<code>{esc(k)}</code>" if k else "—"]
        for c, t, by, k in channel_rows(plan)
    ]
    out += table(["Channel", "Target", "Delivered by", "Secret (config key)"], rows)
    if paging_unused(plan):
        out.append('<p class="muted">A paging channel is configured but never used: dev never pages.</p>')
    out.append("<h4>Routing</h4>")
    rows = [[severity(s), esc(", ".join(c) or "nobody")] for s, c in routes(plan)]
    out += table(["Severity", "Channels"], rows)
    windows = window_lines(plan)
    out.append("<h4>Maintenance windows</h4>")
    if windows:
        out += ["<ul>", *(f"<li>{esc(w)}</li>" for w in windows), "</ul>"]
    else:
        out.append("<p>None.</p>")
    out += ["<h4>System-health job</h4>", f"<p>{esc(job_line(plan))}</p>"]
    return out


def lint_part(env: Env) -> list[str]:
    out = ["<h3>Lint findings</h3>"]
    rows = [
        [severity(sev), f"<code>{esc(key)}</code>" if key != "—" else key, esc(rule), prose(msg)]
        for sev, key, rule, msg in lint_rows(env)
    ]
    if not rows:
        return [*out, f"<p>None: <code>{esc(LINT_COMMAND)}</code> finds nothing to warn about.</p>"]
    return out + table(LINT_HEAD, rows)


def slo_part(env: Env) -> list[str]:
    rows = slo_rows(env.plan)
    if not rows:
        return []
    return [
        "<h3>Service-level objectives</h3>",
        *table(SLO_HEAD, [[esc(cell) for cell in row] for row in rows]),
    ]


def dashboard_part(env: Env) -> list[str]:
    rows = dashboard_rows(env.plan)
    if not rows:
        return []
    lines = [f"<p>{esc(line)}</p>" for line in dashboard_lines(env.plan)]
    return [
        "<h3>Dashboard</h3>",
        *lines,
        *table(DASHBOARD_HEAD, [[esc(cell) for cell in row] for row in rows]),
    ]


def checks_part(env: Env) -> list[str]:
    out = ["<h3>Checks</h3>"]
    head = ["Check", "Vendor", "Triggers when", "Severity", "Notifies", "Runbook"]
    for group, checks in groups(env):
        out.append(f"<h4>{esc(group)}</h4>")
        rows = []
        for c in checks:
            who = [f"{esc(ch)}: {esc(t)}" for ch, t in notified(env.plan, c)]
            rows.append(
                [
                    f'<strong>{esc(c.title)}</strong> <code class="key">{esc(c.key)}</code>',
                    esc(c.vendor),
                    prose(c.condition),
                    severity(c.severity),
                    "<br>".join(who) or "nobody",
                    link(runbook_label(c.runbook), c.runbook, "runbook") if c.runbook else "—",
                ]
            )
        out += table(head, rows)
    return out


def render_html(envs: list[Env]) -> str:
    out = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        "<title>Alert catalog</title>",
        f"<style>{CSS}</style>",
        "</head>",
        "<body>",
        "<main>",
        "<h1>Alert catalog</h1>",
        f'<p class="muted">Generated by <code>python -m lookout catalog</code> from {esc(sources(envs))}. '
        "Regenerate; do not edit.</p>",
    ]
    for i, env in enumerate(envs, 1):
        out.append(f'<section class="env" aria-labelledby="env-{i}">')
        out.append(f'<h2 id="env-{i}">{esc(env.name)} <span class="muted">({esc(env.source)})</span></h2>')
        out += (
            summary(env)
            + lint_part(env)
            + slo_part(env)
            + dashboard_part(env)
            + checks_part(env)
            + ["</section>"]
        )
    out += ['<section class="uncovered" aria-labelledby="uncovered">']
    out += ['<h2 id="uncovered">Not covered by these vendors</h2>']
    out.append(f"<p>The same for every environment ({esc(sources(envs))}).</p>")
    out += table(["Plan item", "Why not"], [[esc(item), esc(why)] for item, why in UNCOVERED])
    out += ["</section>", "</main>", "</body>", "</html>"]
    return "\n".join(out) + "\n"
