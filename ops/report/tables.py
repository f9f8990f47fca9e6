"""The report's tables (one workbook sheet each, and the data behind each chart), built from
the API's figures alone. A weekly table's last row, 合计, is the whole period's summary."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ops import labels
from ops.report.data import Figures

Cell = str | int | float | None
TOTAL = "合计"


@dataclass(frozen=True)
class Sheet:
    key: str
    title: str  # the workbook's sheet name (at most 31 characters)
    headers: list[str]
    rows: list[list[Cell]]


def _codes(figures: Figures, field: str, order: list[str]) -> list[str]:
    seen = set(figures.total.get(field, {}))
    for _, summary in figures.weeks:
        seen |= set(summary.get(field, {}))
    return [c for c in order if c in seen] + sorted(seen - set(order))


def weekly(figures: Figures, key: str, title: str, field: str, names: dict[str, str]) -> Sheet:
    codes = _codes(figures, field, list(names))
    rows: list[list[Cell]] = []
    for week, summary in figures.weeks:
        counts = summary.get(field, {})
        rows.append([week.span, *(counts.get(c, 0) for c in codes), sum(counts.values())])
    counts = figures.total.get(field, {})
    rows.append([TOTAL, *(counts.get(c, 0) for c in codes), sum(counts.values())])
    headers = ["周", *(names.get(c, c) for c in codes), TOTAL]
    return Sheet(key, title, headers, rows)


def on_time(figures: Figures) -> Sheet:
    total = figures.total
    finished = dict(total["finished_by_item"])
    finished["case"] = sum(total["ended"].values())
    rows: list[list[Cell]] = []
    for code in [*labels.ITEMS, "case"]:
        done, timely = finished.get(code, 0), total["on_time"].get(code, 0)
        share = round(100 * timely / done, 1) if done else None
        rows.append([labels.item(code), done, timely, share])
    return Sheet("on_time", "按时办结", ["事项", "办结数", "按时办结数", "按时率（%）"], rows)


def durations(figures: Figures) -> Sheet:
    rows: list[list[Cell]] = []
    for code, d in figures.total["working_days"].items():
        rows.append([labels.item(code), d["count"], d["median"], d["p90"]])
    return Sheet(
        "durations", "办结用时", ["事项", "办结数", "中位数（工作日）", "P90（工作日）"], rows
    )


def histogram(figures: Figures) -> Sheet:
    spread = {code: d.get("histogram", {}) for code, d in figures.total["working_days"].items()}
    longest = max((int(b) for h in spread.values() for b in h), default=0)
    rows: list[list[Cell]] = [
        [days, *(h.get(str(days), 0) for h in spread.values())] for days in range(longest + 1)
    ]
    headers = ["工作日", *(labels.item(c) for c in spread)]
    return Sheet("histogram", "办结用时分布", headers, rows)


def breaches(figures: Figures) -> Sheet:
    opened, closed = figures.total["breaches"], figures.total.get("breaches_closed", {})
    order = [*labels.ITEMS, "case", "follow_up"]
    codes = [c for c in order if c in opened or c in closed]
    rows: list[list[Cell]] = [[labels.item(c), opened.get(c, 0), closed.get(c, 0)] for c in codes]
    return Sheet("breaches", "超期", ["事项", "新增超期", "超期后办结"], rows)


def ratings_by_stage(total: dict[str, Any]) -> dict[str, dict[str, int]]:
    """Ratings per stage and level: the API's ``ratings_by_stage`` ({stage: {level: n}}), a
    column per stage; a service from before stages reports levels only: one column, 全部."""
    staged: dict[str, dict[str, int]] | None = total.get("ratings_by_stage")
    return staged if staged else {"all": total["ratings"]}


def ratings(figures: Figures) -> Sheet:
    staged = ratings_by_stage(figures.total)
    rows: list[list[Cell]] = [
        [f"{level} {name}", *(staged[s].get(str(level), 0) for s in staged)]
        for level, name in labels.LEVELS.items()
    ]
    headers = ["评价", *(labels.STAGES.get(s, s) for s in staged)]
    return Sheet("ratings", "好差评", headers, rows)


def overview(figures: Figures) -> Sheet:
    total = figures.total
    ended = sum(total["ended"].values())
    rows: list[list[Cell]] = [
        ["统计期间", f"{total['from']} – {total['to']}"],
        ["受理办件", total["cases"]],
        *([f"办结：{labels.ENDINGS.get(k, k)}", v] for k, v in total["ended"].items()),
        ["整件按时办结", total["on_time"].get("case", 0)],
        [
            "整件按时率（%）",
            round(100 * total["on_time"].get("case", 0) / ended, 1) if ended else None,
        ],
        ["新增超期", sum(total["breaches"].values())],
        ["超期后办结", sum(total.get("breaches_closed", {}).values())],
        ["评价数", sum(total["ratings"].values())],
    ]
    return Sheet("overview", "概况", ["指标", "数值"], rows)


BUILDERS: list[Callable[[Figures], Sheet]] = [
    overview,
    lambda f: weekly(f, "weekly_channel", "每周受理（按渠道）", "by_channel", labels.CHANNELS),
    lambda f: weekly(f, "weekly_county", "每周受理（按县区）", "by_county", labels.COUNTIES),
    lambda f: weekly(f, "weekly_item", "每周申请（按事项）", "by_item", labels.SHORT_ITEMS),
    on_time,
    durations,
    histogram,
    breaches,
    ratings,
]


def sheets(figures: Figures) -> list[Sheet]:
    return [build(figures) for build in BUILDERS]
