"""The report's charts, drawn by matplotlib as SVG with text kept as text (``svg.fonttype:
none``), so Chinese labels stay searchable and the page's CJK font stack renders them."""

from __future__ import annotations

import io
import logging
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import matplotlib
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from ops.report.tables import TOTAL, Sheet

CJK_FONTS = [
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "PingFang SC",
    "Microsoft YaHei",
    "SimHei",
    "DejaVu Sans",
]
STYLE: Any = {
    "svg.fonttype": "none",
    "font.family": "sans-serif",
    "font.sans-serif": CJK_FONTS,
    "font.size": 10,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "axes.grid.axis": "y",
    "grid.alpha": 0.3,
    "axes.prop_cycle": "cycler(color=['#2f6db5', '#e07b39', '#3a9c6c', '#c8483e', '#7f5fb5', "
    "'#8c8c8c', '#d4a72c'])",
}


@dataclass(frozen=True)
class Chart:
    key: str
    title: str
    svg: str


@contextmanager
def _style(salt: str) -> Iterator[None]:
    # Measuring text without a CJK font installed only costs layout accuracy: the browser
    # draws the text with the page's fonts. Say nothing about missing glyphs or families.
    logging.getLogger("matplotlib.font_manager").setLevel(logging.ERROR)
    with warnings.catch_warnings(), matplotlib.rc_context({**STYLE, "svg.hashsalt": salt}):
        warnings.filterwarnings("ignore", message=".*[Gg]lyph.*missing.*")
        yield


def _svg(figure: Figure) -> str:
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", metadata={"Date": None}, bbox_inches="tight")
    text = buffer.getvalue()
    return text[text.index("<svg") :]


def draw(key: str, title: str, paint: Callable[[Figure], None], size: tuple[float, float]) -> Chart:
    with _style(key):
        figure = Figure(figsize=size, layout="constrained")
        paint(figure)
        return Chart(key, title, _svg(figure))


def _no_data(ax: Axes) -> None:
    ax.text(0.5, 0.5, "本期无数据", ha="center", va="center", transform=ax.transAxes, alpha=0.6)
    ax.set_xticks([])
    ax.set_yticks([])


def stacked_weeks(sheet: Sheet, ylabel: str) -> Callable[[Figure], None]:
    """Weekly rows (the 合计 row and column left out) as stacked bars, one colour a column."""

    def paint(figure: Figure) -> None:
        ax = figure.subplots()
        rows = [r for r in sheet.rows if r[0] != TOTAL]
        series = sheet.headers[1:-1]
        if not rows or not series or not any(r[-1] for r in rows):
            _no_data(ax)
            return
        x = [str(r[0])[5:10] for r in rows]
        bottom = [0.0] * len(rows)
        for n, name in enumerate(series, start=1):
            values = [float(r[n] or 0) for r in rows]
            ax.bar(x, values, bottom=bottom, label=name)
            bottom = [b + v for b, v in zip(bottom, values, strict=True)]
        _finish(ax, ylabel, legend=True)
        ax.tick_params(axis="x", labelrotation=45 if len(rows) > 12 else 0)

    return paint


def lines_weeks(sheet: Sheet, ylabel: str) -> Callable[[Figure], None]:
    def paint(figure: Figure) -> None:
        ax = figure.subplots()
        rows = [r for r in sheet.rows if r[0] != TOTAL]
        if not rows or not any(r[-1] for r in rows):
            _no_data(ax)
            return
        x = [str(r[0])[5:10] for r in rows]
        for n, name in enumerate(sheet.headers[1:-1], start=1):
            ax.plot(x, [float(r[n] or 0) for r in rows], marker="o", label=name)
        _finish(ax, ylabel, legend=True)
        ax.tick_params(axis="x", labelrotation=45 if len(rows) > 12 else 0)

    return paint


def horizontal(sheet: Sheet, column: int, xlabel: str, limit: float | None) -> Callable[..., None]:
    def paint(figure: Figure) -> None:
        ax = figure.subplots()
        rows = [r for r in sheet.rows if r[column] is not None]
        if not rows:
            _no_data(ax)
            return
        names = [str(r[0]) for r in rows][::-1]
        values = [float(r[column] or 0) for r in rows][::-1]
        bars = ax.barh(names, values, color="#3a9c6c")
        ax.bar_label(bars, fmt="%g", padding=3)
        if limit:
            ax.set_xlim(0, limit * 1.1)
        ax.set_xlabel(xlabel)
        ax.grid(axis="x", alpha=0.3)
        ax.grid(axis="y", visible=False)

    return paint


def grouped(sheet: Sheet, ylabel: str) -> Callable[[Figure], None]:
    """Rows as groups along x, one bar a column (every column after the first)."""

    def paint(figure: Figure) -> None:
        ax = figure.subplots()
        series = sheet.headers[1:]
        if not sheet.rows or not any(any(r[1:]) for r in sheet.rows):
            _no_data(ax)
            return
        width = 0.8 / len(series)
        x = range(len(sheet.rows))
        for n, name in enumerate(series, start=1):
            offsets = [i + (n - 1) * width - 0.4 + width / 2 for i in x]
            bars = ax.bar(offsets, [float(r[n] or 0) for r in sheet.rows], width, label=name)
            ax.bar_label(bars, fmt="%g", padding=2)
        ax.set_xticks(list(x), [str(r[0]) for r in sheet.rows])
        _finish(ax, ylabel, legend=len(series) > 1)

    return paint


def _finish(ax: Axes, ylabel: str, legend: bool) -> None:
    ax.set_ylabel(ylabel)
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    if legend:
        ax.legend(frameon=False, fontsize=8, ncols=4)


def histograms(sheet: Sheet) -> Callable[[Figure], None]:
    """One small bar chart per item: how many finished after 0, 1, 2 … working days."""

    def paint(figure: Figure) -> None:
        items = sheet.headers[1:]
        if not items or not sheet.rows:
            _no_data(figure.subplots())
            return
        axes = figure.subplots(1, len(items), sharey=True, squeeze=False)[0]
        days = [int(r[0] or 0) for r in sheet.rows]
        for n, (ax, name) in enumerate(zip(axes, items, strict=True), start=1):
            ax.bar(days, [float(r[n] or 0) for r in sheet.rows], color=f"C{n - 1}")
            ax.set_title(name, fontsize=9)
            ax.set_xlabel("工作日")
            ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        axes[0].set_ylabel("事项数")
        axes[0].yaxis.set_major_locator(MaxNLocator(integer=True))

    return paint


def charts(sheets: dict[str, Sheet]) -> list[Chart]:
    """Every chart of the report, each drawn from the sheet of the same figures."""
    wide, square = (9.0, 3.6), (6.5, 3.6)
    plan: list[tuple[str, str, Callable[[Figure], None], tuple[float, float]]] = [
        (
            "weekly_channel",
            "每周受理量（按渠道）",
            stacked_weeks(sheets["weekly_channel"], "件"),
            wide,
        ),
        (
            "weekly_county",
            "每周受理量（按县区）",
            stacked_weeks(sheets["weekly_county"], "件"),
            wide,
        ),
        ("weekly_item", "每周申请量（按事项）", lines_weeks(sheets["weekly_item"], "项"), wide),
        (
            "on_time",
            "按时办结率（%）",
            horizontal(sheets["on_time"], 3, "按时率（%）", 100),
            square,
        ),
        ("histogram", "办结用时分布（工作日）", histograms(sheets["histogram"]), (10.0, 2.8)),
        ("breaches", "超期：新增与办结", grouped(sheets["breaches"], "次"), square),
        ("ratings", "好差评（按等级、环节）", grouped(sheets["ratings"], "件"), square),
    ]
    return [draw(key, title, paint, size) for key, title, paint, size in plan]
