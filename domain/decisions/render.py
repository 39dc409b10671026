"""A decision table as people read it: Markdown for documents and chat, a self-contained HTML ``<table>``
for pages. Every text from the table is escaped, so a cell or a description can never become markup."""

from __future__ import annotations

import html as markup
import json
import re
from typing import Any

from domain.decisions.schemas import DecisionTable

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]{}#+!|~])")


def _text(value: Any) -> str:
    """A cell, value or description on one line; output values as JSON (strings bare)."""
    shown = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return " ".join(shown.split())


def _md(value: Any) -> str:
    # HTML first (Markdown renderers pass raw HTML through), then Markdown's own punctuation.
    return _MARKDOWN_SPECIAL.sub(r"\\\1", markup.escape(_text(value), quote=False))


def _policy(table: DecisionTable) -> str:
    policy = table.hit_policy.replace("_", " ")
    return f"{policy} ({table.aggregation})" if table.aggregation else policy


def markdown(table: DecisionTable) -> str:
    """The table as Markdown: a heading, its description and hit policy, then one row per rule."""
    lines = [f"### {_md(table.name)} (version {table.version})", ""]
    if table.description:
        lines += [_md(table.description), ""]
    complete = "; complete" if table.complete else ""
    lines += [f"Hit policy: **{_md(_policy(table))}**{complete}", ""]
    header = ["\\#"]
    header += [f"{_md(i.name)} ({i.type})" for i in table.inputs]
    header += [f"→ {_md(o.name)} ({o.type})" for o in table.outputs]
    header.append("description")
    lines.append("| " + " | ".join(header) + " |")
    lines.append("|" + "|".join(["---"] * len(header)) + "|")
    for number, rule in enumerate(table.rules, 1):
        row = [str(number)]
        row += [_md(rule.when.get(i.name, "-")) for i in table.inputs]
        row += [_md(rule.then.get(o.name, "")) for o in table.outputs]
        row.append(_md(rule.description or ""))
        lines.append("| " + " | ".join(row) + " |")
    lines.append("")
    lines += [f"- {_md(i.name)}: read from `{_code(i.expression)}`" for i in table.inputs]
    lines += [
        f"- {_md(o.name)}: one of {', '.join(_md(v) for v in o.values)}" for o in table.outputs if o.values
    ]
    return "\n".join(lines) + "\n"


def _code(text: str) -> str:
    """Inside a Markdown code span: no backtick may end it, and no HTML is read in it anyway."""
    return _text(text).replace("`", "'")


def _h(value: Any) -> str:
    return markup.escape(_text(value), quote=True)


def html(table: DecisionTable) -> str:
    """The table as one ``<table>`` element: a caption with the name, version and hit policy, a header
    of inputs (with what each reads) and outputs, and one row per rule."""
    caption = f"{_h(table.name)} v{table.version} — hit policy {_h(_policy(table))}"
    if table.complete:
        caption += ", complete"
    if table.description:
        caption += f"<br><small>{_h(table.description)}</small>"
    head = ['<th scope="col">#</th>']
    head += [
        f'<th scope="col" class="input">{_h(i.name)} <small>({i.type})</small>'
        f"<br><code>{_h(i.expression)}</code></th>"
        for i in table.inputs
    ]
    head += [
        f'<th scope="col" class="output">{_h(o.name)} <small>({o.type})</small></th>' for o in table.outputs
    ]
    head.append('<th scope="col">description</th>')
    rows = []
    for number, rule in enumerate(table.rules, 1):
        cells = [f'<th scope="row">{number}</th>']
        cells += [
            f'<td class="input"><code>{_h(rule.when.get(i.name, "-"))}</code></td>' for i in table.inputs
        ]
        cells += [f'<td class="output">{_h(rule.then.get(o.name, ""))}</td>' for o in table.outputs]
        cells.append(f"<td>{_h(rule.description or '')}</td>")
        rows.append(f"<tr>{''.join(cells)}</tr>")
    return (
        f'<table class="keel-decision" data-hit-policy="{_h(table.hit_policy)}">'
        f"<caption>{caption}</caption>"
        f"<thead><tr>{''.join(head)}</tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>"
    )
