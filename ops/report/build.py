"""``ops report --from … --to … --out FILE.html``: the page and, beside it, FILE.xlsx."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

from rich.console import Console

from ops.api import Api
from ops.report import charts, data, page, tables, workbook

TITLE = "洛阳市个人创业“一件事”工作专班报表"
LUOYANG = timezone(timedelta(hours=8))


@dataclass(frozen=True)
class Written:
    html: Path
    xlsx: Path
    charts: int


def build(api: Api, console: Console, first: str, last: str, out: Path) -> Written:
    a, b = data.period(first, last)
    figures = data.fetch(api, console, a, b)
    sheets = tables.sheets(figures)
    drawn = charts.charts({s.key: s for s in sheets})
    made_at = datetime.now(UTC).astimezone(LUOYANG).strftime("%Y-%m-%d %H:%M")
    html = page.render(TITLE, f"{a} – {b}", made_at, drawn, sheets)
    out.parent.mkdir(parents=True, exist_ok=True)
    page.write(out, html)
    xlsx = out.with_suffix(".xlsx")
    workbook.write(xlsx, sheets)
    return Written(out, xlsx, len(drawn))
