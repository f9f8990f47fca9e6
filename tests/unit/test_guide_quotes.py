"""The guide and the hotline Q&A quote the plan only where the plan says it: every text a field
presents as the plan's own words (described （方案原文） or （知识库原文）) is, sentence by
sentence, in the plan's text (docs/luoyang-startup-one-thing-plan-2025.txt, a verbatim copy
of 洛人社办〔2025〕4号 with its annexes), up to whitespace and full-width forms."""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterator
from importlib import resources
from pathlib import Path
from typing import Any, get_args

import pytest
from pydantic import BaseModel

from chalicelib.api.guide import Faq, Guide

PLAN = Path(__file__).resolve().parents[2] / "docs" / "luoyang-startup-one-thing-plan-2025.txt"
QUOTE_MARKS = ("方案原文", "知识库原文")
# Where the copy's text conversion slipped: what the published document says instead.
ERRATA = {"网络 and 现场": "网络和现场"}  # 附件3 四（一）: 电话、网络和现场等咨询途径


def normal(text: str) -> str:
    """Full-width forms as their ASCII equivalents (NFKC), whitespace removed."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def plan_text() -> str:
    text = PLAN.read_text("utf-8")
    for slip, published in ERRATA.items():
        text = text.replace(slip, published)
    return normal(text)


def sentences(text: str) -> list[str]:
    """A quote's sentences, without their closing stop: the guide may end with 。 a clause the
    plan closes with ； (a list item), or join sentences from two places of the plan."""
    return [s for s in re.split(r"[。；;]", normal(text)) if s]


def _models(annotation: Any) -> Iterator[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        yield annotation
    for arg in get_args(annotation):
        yield from _models(arg)


def quoted(model: type[BaseModel], data: Any, path: str = "") -> Iterator[tuple[str, str]]:
    """(where, text) of every value the model presents as a quote, however deep."""
    if isinstance(data, list):
        for n, entry in enumerate(data):
            yield from quoted(model, entry, f"{path}[{n}]")
        return
    for name, field in model.model_fields.items():
        value, where = data.get(name), f"{path}.{name}"
        if any(mark in (field.description or "") for mark in QUOTE_MARKS):
            yield from ((where, v) for v in (value if isinstance(value, list) else [value]))
        for inner in _models(field.annotation):
            if value is not None:
                yield from quoted(inner, value, where)


def _data(name: str) -> Any:
    return json.loads((resources.files("chalicelib.data") / name).read_text("utf-8"))


QUOTES = [
    (f"{name}{where}", text)
    for name, model in (("guide.json", Guide), ("faq.json", Faq))
    for where, text in quoted(model, _data(name))
]


def test_the_plans_copy_is_the_document_and_the_guide_quotes_all_its_parts() -> None:
    text = PLAN.read_text("utf-8")
    assert "洛人社办〔2025〕4号" in text and "附件 5" in text
    assert len(QUOTES) > 40  # conditions, explanations, time limits, answers...
    wheres = {where for where, _ in QUOTES}
    assert "guide.json.items[0].time_limit.text" in wheres  # the licence check's
    assert "faq.json.topics[0].questions[0].answer" in wheres


@pytest.mark.parametrize(("where", "text"), QUOTES, ids=[where for where, _ in QUOTES])
def test_every_text_presented_as_a_quote_is_the_plans(where: str, text: str) -> None:
    plan = plan_text()
    missing = [s for s in sentences(text) if s not in plan]
    assert missing == [], f"{where} presents as the plan's words what the plan does not say"


def test_a_quote_the_plan_does_not_contain_is_caught() -> None:
    plan = plan_text()
    assert any(s not in plan for s in sentences("系统数据核验，即时完成。"))  # the old wording
    assert all(s in plan for s in sentences("取得营业执照。"))  # 附件3 四（二）1①, with 。
