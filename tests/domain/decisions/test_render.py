"""Rendering: Markdown and HTML show every rule, and nothing from the table can become markup."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from domain.decisions.parser import SCHEMA_PATH, parse
from domain.decisions.render import html, markdown

HOSTILE = """\
name: t
version: 3
description: "<script>alert(1)</script> & | pipes"
hit_policy: collect
aggregation: count
inputs:
  - {name: who, expression: "{{ '<img src=x onerror=alert(1)>' ~ user }}", type: string}
outputs:
  - {name: note, type: string, values: ["<b>bold</b>", "a|b"]}
rules:
  - when: {who: '"<script>x</script>", "a|b"'}
    then: {note: "<b>bold</b>"}
    description: "</td></tr></table><script>alert(2)</script>"
  - when: {}
    then: {note: "a|b"}
"""


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)


def test_html_is_one_table_and_escapes_every_text() -> None:
    rendered = html(parse(HOSTILE).table)
    assert "<script" not in rendered and "<img" not in rendered and "<b>" not in rendered
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in rendered and "&lt;b&gt;bold&lt;/b&gt;" in rendered
    parser = _Tags()
    parser.feed(rendered)
    assert parser.tags.count("table") == 1 and set(parser.tags) <= {
        "table",
        "caption",
        "br",
        "small",
        "thead",
        "tbody",
        "tr",
        "th",
        "td",
        "code",
    }
    assert parser.tags.count("tr") == 3  # the header and two rules
    assert rendered.startswith('<table class="keel-decision" data-hit-policy="collect">')
    assert rendered.endswith("</table>")


def test_markdown_escapes_markup_and_table_pipes() -> None:
    rendered = markdown(parse(HOSTILE).table)
    assert "<script" not in rendered and "<b>" not in rendered
    assert "&lt;script&gt;" in rendered
    rows = [line for line in rendered.splitlines() if line.startswith("| ")]
    assert len(rows) == 3  # header and two rules
    for row in rows:  # no cell adds a column: every unescaped pipe is a column border
        assert len(re.findall(r"(?<!\\)\|", row)) == 5
    assert "Hit policy: **collect (count)**" in rendered


def test_the_shipped_tables_render() -> None:
    for path in sorted(SCHEMA_PATH.parent.glob("*.yaml")):
        parsed = parse(path.read_text("utf-8"))
        text = markdown(parsed.table)
        assert text.startswith(f"### {parsed.table.name} (version 1)")
        assert (
            len([line for line in text.splitlines() if line.startswith("| ")]) == len(parsed.table.rules) + 1
        )
        assert html(parsed.table).count("<tr>") == len(parsed.table.rules) + 1
