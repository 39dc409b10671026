"""A report run as a PDF: its title, when it was generated (in the run's time zone), its window and
filters, then one table whose header row is repeated at the top of every page. Laid out by the
documents block's renderer (WeasyPrint, ``domain.documents.rendering.render_pdf``), with its bounds.

A PDF is for reading, not for data: it holds at most ``MAX_ROWS`` rows (a larger run fails before
writing anything, suggesting CSV or XLSX). Rows are appended to HTML files as the run reads them, and
laid out ``CHUNK`` rows at a time, so memory stays bounded whatever the limit.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal
from html import escape
from pathlib import Path
from typing import Any, TextIO
from zoneinfo import ZoneInfo

from pypdf import PdfReader
from pypdf import PdfWriter as PdfWriter_

from domain.analytics.schemas import Filter
from domain.documents.rendering import render_pdf
from domain.errors import ValidationFailed
from domain.outputs import plain

MAX_ROWS = 10_000
CHUNK = 2_000
"""Rows laid out at once: WeasyPrint holds a whole document's layout, and 5,000 rows pass the
renderer's memory ceiling (256 MB) where 2,500 took 45 s here. A longer run is laid out chunk by chunk,
its page numbers carried on, and the chunks joined into one PDF."""
MAX_CHUNK_PAGES = 200
LAYOUT_SECONDS = 180.0  # one chunk's layout
TOO_MANY = "a PDF holds at most {limit:,} rows and this run has {rows:,}: run it as CSV or XLSX"

CSS = """
@page { size: A4 landscape; margin: 14mm 12mm 16mm;
  @bottom-left { content: "TITLE"; font: 8pt sans-serif; color: #666; }
  @bottom-right { content: "Page " counter(page); font: 8pt sans-serif; color: #666; } }
@page :first { counter-reset: page FIRST; }
body { font: 9pt/1.35 "DejaVu Sans", sans-serif; color: #111; }
h1 { font-size: 15pt; margin: 0 0 2mm; }
.meta { margin: 0 0 4mm; color: #444; }
.meta div { margin: 0.5mm 0; }
table { width: 100%; border-collapse: collapse; }
thead { display: table-header-group; }
th { background: #e8ebf0; text-align: left; font-weight: bold; border-bottom: 1px solid #888; }
th, td { padding: 1.2mm 2mm; vertical-align: top; overflow-wrap: anywhere; }
tr { break-inside: avoid; }
tbody tr:nth-child(even) td { background: #f6f7f9; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
"""


def too_many(rows: int) -> str | None:
    """Why a run of ``rows`` rows cannot be a PDF, or None when it can."""
    return TOO_MANY.format(limit=MAX_ROWS, rows=rows) if rows > MAX_ROWS else None


def describe_filter(f: Filter) -> str:
    words = {"eq": "is", "ne": "is not", "in": "is one of", "not_in": "is none of"}
    return f"{f.dimension} {words[f.op]} {', '.join(f.operands)}"


def _moment(value: datetime, zone: ZoneInfo) -> str:
    return value.astimezone(zone).strftime("%Y-%m-%d %H:%M")


class PdfWriter:
    """The report's rows as HTML tables of ``CHUNK`` rows, laid out as one PDF by ``render``."""

    def __init__(
        self,
        path: Path,
        labels: list[str],
        zone: ZoneInfo,
        *,
        title: str = "Report",
        filters: Sequence[Filter] = (),
        window: tuple[datetime | None, datetime | None] = (None, None),
    ) -> None:
        self.path, self.zone, self.title, self.rows = path, zone, title, 0
        start, end = (_moment(w, zone) if w else None for w in window)
        meta = [
            f"Generated {_moment(datetime.now(zone), zone)} ({zone.key})",
            f"Facts from {start or 'the first one'} to {end or 'now'}",
            "Filters: " + ("; ".join(describe_filter(f) for f in filters) or "none"),
        ]
        self.heading = f"<h1>{escape(title)}</h1><div class='meta'>" + "".join(
            f"<div>{escape(m)}</div>" for m in meta
        )
        cells = "".join(f"<th>{escape(label)}</th>" for label in labels)
        self.thead = f"<thead><tr>{cells}</tr></thead>"
        self.chunks: list[Path] = []
        self.file: TextIO | None = None

    def _cell(self, value: Any) -> str:
        if value is None:
            return "<td></td>"
        if isinstance(value, datetime):
            return f"<td>{_moment(value, self.zone)}</td>"
        if isinstance(value, bool):
            return f"<td>{str(value).lower()}</td>"
        if isinstance(value, Decimal):
            places = value.as_tuple().exponent
            # Seconds are computed to the microsecond: 120.000000 reads 120; an amount keeps its cents.
            exact = value.normalize() if isinstance(places, int) and places < -2 else value
            return f"<td class='n'>{exact:f}</td>"
        if isinstance(value, int | float):
            return f"<td class='n'>{value}</td>"
        return f"<td>{escape(str(plain(value)))}</td>"

    def write(self, rows: Sequence[Sequence[Any]]) -> None:
        if message := too_many(self.rows + len(rows)):
            raise ValidationFailed.one("format", message)
        for row in rows:
            if self.rows % CHUNK == 0:  # a new chunk's file
                self.close()
                self.chunks.append(self.path.with_name(f"{self.path.stem}-{len(self.chunks)}.html"))
                self.file = self.chunks[-1].open("w", encoding="utf-8")
            assert self.file is not None
            self.file.write("<tr>" + "".join(self._cell(v) for v in row) + "</tr>")
            self.rows += 1

    def close(self) -> None:
        """Ends the chunk being written; ``render`` then lays them out (not done for a cancelled run)."""
        if self.file is not None:
            self.file.close()
            self.file = None

    def _document(self, index: int) -> str:
        rows = self.chunks[index].read_text(encoding="utf-8") if self.chunks else ""
        rows = rows or f"<tr><td colspan='{self.thead.count('<th>')}'>No rows.</td></tr>"
        head = f"{self.heading}</div>" if index == 0 else ""
        return (
            f"<!doctype html><html><head><meta charset='utf-8'><title>{escape(self.title)}</title></head>"
            f"<body>{head}<table>{self.thead}<tbody>{rows}</tbody></table></body></html>"
        )

    def render(self) -> None:
        """Each chunk laid out in turn (its first page numbered on from the last), then joined."""
        joined, pages = PdfWriter_(), 0
        footer = self.title.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ")
        for index in range(max(1, len(self.chunks))):
            css = CSS.replace("TITLE", footer).replace("FIRST", str(pages + 1))
            document = self._document(index)
            rendered = render_pdf(document, css, max_pages=MAX_CHUNK_PAGES, seconds=LAYOUT_SECONDS)
            joined.append(PdfReader(io.BytesIO(rendered.pdf)))
            pages += rendered.page_count
        with self.path.open("wb") as out:
            joined.write(out)
