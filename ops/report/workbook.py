"""The report's workbook: one sheet per table, the same figures as the page."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from ops.report.tables import Sheet


def write(path: Path, sheets: list[Sheet]) -> None:
    book = Workbook()
    book.remove(book.active)
    for sheet in sheets:
        page = book.create_sheet(sheet.title[:31])
        page.append(sheet.headers)
        for cell in page[1]:
            cell.font = Font(bold=True)
        for row in sheet.rows:
            page.append(row)
        for n, header in enumerate(sheet.headers, start=1):
            longest = max([len(str(header)), *(len(str(r[n - 1] or "")) for r in sheet.rows)])
            page.column_dimensions[get_column_letter(n)].width = min(4 + 1.6 * longest, 40)
        page.freeze_panes = "B2"
    book.properties.creator = "ops report"
    book.save(path)
