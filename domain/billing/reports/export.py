"""A report as a CSV or an XLSX download.

CSV: a header row, then one row per bucket, amounts as decimal strings (the totals row is left out,
so that every line is a bucket a program can add up). XLSX: one sheet, a bold header row, amounts as
numbers formatted with the currency's decimals, and a bold totals row at the end.
"""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font

from domain.billing.money import digits
from domain.billing.reports.schemas import Column, Report

CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")  # what a spreadsheet would run as a formula


def filename(report: Report, extension: str) -> str:
    p = report.params
    return f"{report.name}-{p.first.isoformat()}-{p.last.isoformat()}.{extension}"


def cell_text(value: Any) -> str:
    """A cell as text; a customer's name cannot smuggle a formula into a spreadsheet."""
    text = "" if value is None else str(value).lower() if isinstance(value, bool) else str(value)
    return "'" + text if text.startswith(_FORMULA_START) and not _is_number(text) else text


def _is_number(text: str) -> bool:
    try:
        Decimal(text)
        return True
    except ArithmeticError:
        return False


def to_csv(report: Report) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([c.key for c in report.columns])
    for row in report.rows:
        writer.writerow([cell_text(row.get(c.key)) for c in report.columns])
    return out.getvalue().encode("utf-8")


def _cell(column: Column, value: Any) -> Any:
    if value is None:
        return None
    if column.kind in ("money", "decimal"):
        return Decimal(value)
    if column.kind == "int":
        return int(value)
    return cell_text(value)


def to_xlsx(report: Report) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None  # a new workbook has its sheet
    sheet.title = report.name
    places = digits(report.params.currency)
    money_format = "#,##0" + ("." + "0" * places if places else "")
    bold = Font(bold=True)
    sheet.append([c.title for c in report.columns])
    label = {report.columns[0].key: "Total"} if report.columns[0].kind in ("text", "date") else {}
    lines = [*report.rows, {**label, **report.totals}]
    for row in lines:
        sheet.append([_cell(c, row.get(c.key)) if c.key in row else None for c in report.columns])
    for index, column in enumerate(report.columns, start=1):
        sheet.cell(row=1, column=index).font = bold
        sheet.column_dimensions[sheet.cell(row=1, column=index).column_letter].width = max(
            12, len(column.title) + 2
        )
        if column.kind == "money":
            for cells in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                cells[0].number_format = money_format
    for cell in sheet[sheet.max_row]:
        cell.font = bold
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
