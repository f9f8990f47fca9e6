"""The report as one self-contained HTML page: inline CSS and SVG, no script, no external
asset, so it opens offline and can be mailed as a single file."""

from __future__ import annotations

from html import escape
from pathlib import Path

from ops.report.charts import Chart
from ops.report.tables import Cell, Sheet

FONT_STACK = (
    '"Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", '
    '"WenQuanYi Zen Hei", "WenQuanYi Micro Hei", "SimHei", sans-serif'
)
CSS = f"""
body {{ font-family: {FONT_STACK}; margin: 2rem auto; max-width: 1100px; color: #1f2933;
  padding: 0 1rem; }}
h1 {{ font-size: 1.6rem; margin-bottom: .2rem; }}
.meta {{ color: #616e7c; margin-top: 0; }}
.kpis {{ display: flex; flex-wrap: wrap; gap: .8rem; margin: 1.2rem 0; }}
.kpi {{ border: 1px solid #d9e2ec; border-radius: 6px; padding: .6rem 1rem; min-width: 8rem; }}
.kpi b {{ display: block; font-size: 1.5rem; }}
figure {{ margin: 1.6rem 0; border-top: 1px solid #d9e2ec; padding-top: .8rem; }}
figcaption {{ font-weight: bold; font-size: 1.1rem; margin-bottom: .4rem; }}
figure svg {{ max-width: 100%; height: auto; }}
svg text {{ font-family: {FONT_STACK} !important; }}
table {{ border-collapse: collapse; margin: .6rem 0; font-size: .9rem; }}
th, td {{ border: 1px solid #d9e2ec; padding: .2rem .6rem; text-align: right; }}
th:first-child, td:first-child {{ text-align: left; }}
summary {{ cursor: pointer; color: #2f6db5; }}
"""


def _cell(value: Cell) -> str:
    return "—" if value is None else escape(str(value))


def table(sheet: Sheet) -> str:
    head = "".join(f"<th>{escape(h)}</th>" for h in sheet.headers)
    body = "".join(
        "<tr>" + "".join(f"<td>{_cell(v)}</td>" for v in row) + "</tr>" for row in sheet.rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def kpis(overview: Sheet) -> str:
    shown = [r for r in overview.rows[1:] if r[1] is not None]
    return "".join(
        f'<div class="kpi">{escape(str(name))}<b>{_cell(value)}</b></div>' for name, value in shown
    )


def render(title: str, period: str, made_at: str, charts: list[Chart], sheets: list[Sheet]) -> str:
    by_key = {s.key: s for s in sheets}
    figures = "".join(
        f'<figure id="{c.key}"><figcaption>{escape(c.title)}</figcaption>{c.svg}'
        f"<details><summary>数据表</summary>{table(by_key[c.key])}</details></figure>"
        for c in charts
    )
    others = "".join(
        f"<h2>{escape(s.title)}</h2>{table(s)}"
        for s in sheets
        if s.key not in {c.key for c in charts} and s.key != "overview"
    )
    return (
        '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">'
        f"<title>{escape(title)}</title><style>{CSS}</style></head><body>"
        f"<h1>{escape(title)}</h1>"
        f'<p class="meta">统计期间 {escape(period)} · 生成于 {escape(made_at)} · '
        "数据来源：GET /v1/reports/summary</p>"
        f'<div class="kpis">{kpis(by_key["overview"])}</div>{figures}{others}</body></html>\n'
    )


def write(path: Path, html: str) -> None:
    path.write_text(html, "utf-8")
