"""``keel decisions validate | render | test`` offline: the shipped tables validate, problems name file,
line and column, warnings are printed, and a table is tested against expected outputs."""

from __future__ import annotations

import logging
import re
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from cli.main import main

DECISIONS = Path(__file__).parents[1] / "definitions" / "decisions"
SHIPPED = sorted(DECISIONS.glob("*.yaml"))
TABLE = """\
name: shipping-fee
version: 1
description: Shipping fee by weight and country
hit_policy: first
inputs:
  - {name: weight, expression: parcel.weight, type: number}
  - {name: country, expression: country, type: string}
outputs:
  - {name: fee, type: number}
  - {name: carrier, type: string}
rules:
  - when: {weight: "< 1", country: '"DE","AT"'}
    then: {fee: 4.5, carrier: dhl}
    description: small parcels at home
  - when: {weight: "[1..10)"}
    then: {fee: 9, carrier: dhl}
  - when: {weight: ">= 10"}
    then: {fee: 25, carrier: freight}
"""


@pytest.fixture(autouse=True)
def cli_side_effects() -> Iterator[None]:
    """``keel`` configures logging for the whole process; give the test session its handlers back."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(textwrap.dedent(text))
    return path


def test_the_shipped_tables_validate(capsys: pytest.CaptureFixture[str]) -> None:
    assert len(SHIPPED) >= 4
    assert main(["decisions", "validate", *map(str, SHIPPED)]) == 0
    oks = [line for line in capsys.readouterr().out.splitlines() if ": ok " in line]
    assert len(oks) == len(SHIPPED)
    assert all(re.match(r".+\.yaml: ok [a-z0-9_-]+ v\d+ sha256=[0-9a-f]{64}", line) for line in oks)


def test_validate_prints_problems_with_line_and_column_and_the_warnings(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = write(tmp_path, "good.yaml", TABLE)
    broken = write(tmp_path, "broken.yaml", TABLE.replace('"< 1"', '"<< 1"').replace("fee: 9", "fee: nine"))
    assert main(["decisions", "validate", str(good), str(broken)]) == 1
    out = capsys.readouterr().out.splitlines()
    assert re.fullmatch(
        rf"{re.escape(str(good))}: ok shipping-fee v1 sha256=[0-9a-f]{{64}} \(1 warning\)", out[0]
    )
    assert out[1].startswith(f"{good}: warning: gap: ") and 'country = "other"' in out[1], out[1]
    problems = [line for line in out if line.startswith(f"{broken}:")]
    assert problems[0].startswith(f"{broken}:12:") and problems[1].startswith(f"{broken}:16:"), problems
    assert main(["decisions", "validate", str(tmp_path / "missing.yaml")]) == 1
    assert "cannot read" in capsys.readouterr().out
    assert main(["decisions", "validate", str(good)]) == 0


def test_render_prints_markdown_or_html(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    table = write(tmp_path, "fee.yaml", TABLE.replace("small parcels", "<b>small</b> parcels"))
    assert main(["decisions", "render", str(table)]) == 0
    markdown = capsys.readouterr().out
    assert "| " in markdown and "[1..10)" in markdown
    assert main(["decisions", "render", str(table), "--format", "html"]) == 0
    html = capsys.readouterr().out
    assert "<table" in html and "&lt;b&gt;small&lt;/b&gt;" in html and "<b>small" not in html
    broken = write(tmp_path, "broken.yaml", TABLE.replace("hit_policy: first", "hit_policy: best"))
    assert main(["decisions", "render", str(broken)]) == 1
    assert capsys.readouterr().out.startswith(f"{broken}:4:")
    # A shipped table by its name (its latest version); an unknown name says so.
    assert main(["decisions", "render", "approval-routing"]) == 0
    assert "### approval-routing (version 1)" in capsys.readouterr().out
    assert main(["decisions", "render", "no-such-table"]) == 1
    assert "no shipped decision table named 'no-such-table'" in capsys.readouterr().out


def test_test_prints_pass_and_fail_with_the_explanation(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    table = write(tmp_path, "fee.yaml", TABLE)
    cases = write(
        tmp_path,
        "cases.yaml",
        """\
        - name: light parcel at home
          context: {parcel: {weight: 0.5}, country: DE}
          expect: {fee: 4.5, carrier: dhl}
        - context: {parcel: {weight: 12}, country: FR}
          expect: {fee: 25, carrier: freight}
        - name: light parcel abroad
          context: {parcel: {weight: 0.5}, country: FR}
          expect: null
        """,
    )
    assert main(["decisions", "test", str(table), "--cases", str(cases)]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "PASS light parcel at home",
        "PASS case 2",
        "PASS light parcel abroad",
        "3 passed, 0 failed",
    ]

    wrong = write(
        tmp_path,
        "wrong.yaml",
        """\
        - name: heavy parcel
          context: {parcel: {weight: 12}, country: FR}
          expect: {fee: 9, carrier: dhl}
        - name: no weight
          context: {country: FR}
          expect: null
        - name: still right
          context: {parcel: {weight: 3}, country: FR}
          expect: {fee: 9, carrier: dhl}
        """,
    )
    assert main(["decisions", "test", str(table), "--cases", str(wrong)]) == 1
    out = capsys.readouterr().out
    assert "FAIL heavy parcel" in out and '  expected: {"fee": 9, "carrier": "dhl"}' in out
    assert '  got:      {"fee": 25, "carrier": "freight"}' in out
    assert "  matched: 3 (first)" in out
    assert "  rule 1 (small parcels at home): weight = 12 is not < 1" in out
    assert "  rule 3: matched" in out
    assert "FAIL no weight" in out and "context.weight" in out
    assert "PASS still right" in out and out.rstrip().endswith("1 passed, 2 failed")


@pytest.mark.parametrize(
    ("cases", "words"),
    [
        ("{context: {}, expect: null}\n", "expected a list of cases"),
        ("[]\n", "expected a list of cases"),
        ("- {context: [1], expect: null}\n", "case 1: context"),
        ("- {context: {}, expect: null, colour: red}\n", "case 1: colour"),
        ("- {expect: null}\n", "case 1: context"),
        ("- [unclosed\n", "not YAML"),
    ],
)
def test_test_refuses_a_cases_file_it_cannot_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], cases: str, words: str
) -> None:
    table = write(tmp_path, "fee.yaml", TABLE)
    path = write(tmp_path, "cases.yaml", cases)
    assert main(["decisions", "test", str(table), "--cases", str(path)]) == 1
    assert words in capsys.readouterr().out
