"""/v1/guide and /v1/faq: telling people once (一次告知, docs/domain.md §11).

The service guide (the plan's annex 4, with conditions, time limits and delivery from annex 3)
and the 12345/12333 hotline Q&A (annex 5) are data: ``chalicelib/data/guide.json`` and
``chalicelib/data/faq.json``, the single source the mini-app and hotline staff both read.
Each file is validated against the models below on first use and the guide is checked against
the item catalogue, so a malformed file, or a guide that promises what the rules do not do,
fails loudly instead of being served.

A field described as （方案原文） or （知识库原文） holds the plan's own words, sentence by
sentence (tests/unit/test_guide_quotes.py checks each against the plan's text,
docs/luoyang-startup-one-thing-plan-2025.txt); names, codes and sources are the service's.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from importlib import resources
from typing import Annotated, Literal, get_args

from pydantic import Field

from chalicelib.api.framework import Call, Operation, Reply, operation
from chalicelib.api.schemas import DeliveryIn, DepartmentT, IdTypeT, ItemCodeT, Out
from chalicelib.domain import catalogue
from chalicelib.domain.case import Channel
from chalicelib.domain.forms import SubsidyIn
from chalicelib.settings import CASE_TIME_LIMIT_WORKING_DAYS

DATA_PACKAGE = "chalicelib.data"
HOTLINES = ("12345", "12333")
_CACHE_CONTROL = {"Cache-Control": "public, max-age=300"}

Text = Annotated[str, Field(min_length=1)]
SubsidyCategoryT = Literal[
    "recent_graduate", "hard_to_employ", "returning_migrant_worker", "veteran"
]


class GuideDataError(ValueError):
    """A guide that disagrees with the rules the service applies."""


class GuideDepartment(Out):
    code: DepartmentT = Field(description="部门代码")
    name: Text = Field(description="部门名称")


class GuideDocument(Out):
    code: IdTypeT = Field(description="证件类别代码（与申请表 applicant.id_type 一致）")
    name: Text = Field(description="证件名称")


class GuideMaterial(Out):
    name: Text = Field(description="材料名称")
    text: Text = Field(description="材料说明（方案原文）")
    documents: list[GuideDocument] = Field(description="可用的证件类别（仅有效身份证件）")


class GuideChannel(Out):
    code: Literal["online", "window"] = Field(description="受理渠道代码：线上或综合受理窗口")
    name: Text = Field(description="渠道名称")
    where: list[Text] = Field(min_length=1, description="办理入口或地点")
    text: Text = Field(description="办理方式（方案原文）")


class GuideDeliveryMethod(Out):
    code: Literal["mail", "pickup"] = Field(
        description="证照领取方式代码（申请表 delivery.method）"
    )
    name: Text = Field(description="领取方式名称")


class GuideDelivery(Out):
    text: Text = Field(description="统一出件（方案原文）")
    methods: list[GuideDeliveryMethod] = Field(min_length=1)


class GuideConsultation(Out):
    hotlines: list[Text] = Field(min_length=1, description="咨询热线号码")
    text: Text = Field(description="咨询服务（方案原文）")
    assistance: Text = Field(description="帮办服务（方案原文）")


class GuideCaseTimeLimit(Out):
    working_days: int = Field(gt=0, description="联办办结时限（工作日）")
    text: Text = Field(description="时限说明（方案原文）")


class GuideTimeLimit(Out):
    kind: Literal["instant", "working_days", "reminder_then_claim"] = Field(
        description="instant：即时办结；working_days：限期办结；"
        "reminder_then_claim：先发送提醒通知，正常经营 1 年后申领"
    )
    working_days: int = Field(ge=0, description="办结时限（工作日），即时办结或提醒类为 0")
    text: Text = Field(description="时限说明（方案原文）")


class GuideSubsidyCategory(Out):
    code: SubsidyCategoryT = Field(description="人员类别代码（申请表 subsidy.category）")
    name: Text = Field(description="人员类别名称")


class GuideItem(Out):
    code: ItemCodeT = Field(description="事项代码（与申请表 items 一致）")
    name: Text = Field(description="事项名称")
    department: DepartmentT = Field(description="办理部门代码")
    department_name: Text = Field(description="办理部门名称")
    conditions: Text = Field(description="申请条件（方案原文）")
    materials: list[Text] = Field(
        description="本事项另需填报或提交的内容（联办申请表、有效身份证件为各事项共用材料）"
    )
    time_limit: GuideTimeLimit
    outcome: Text = Field(description="办理结果（方案原文）")
    explanation: Text = Field(description="事项解读（方案原文）")
    categories: list[GuideSubsidyCategory] = Field(description="人员类别（仅创业补贴申领）")
    source: Text = Field(description="出处（方案附件及条目）")


class Guide(Out):
    title: Text = Field(description="标题")
    source: Text = Field(description="出处")
    summary: Text = Field(description="事项说明（方案原文）")
    service_target: Text = Field(description="服务对象（方案原文）")
    choice: Text = Field(description="事项选择：可选择全部或部分联办事项（方案原文）")
    time_limit: GuideCaseTimeLimit
    departments: list[GuideDepartment] = Field(min_length=1, description="办理部门")
    materials: list[GuideMaterial] = Field(min_length=1, description="申请材料（各事项共用）")
    channels: list[GuideChannel] = Field(min_length=1, description="申请途径")
    delivery: GuideDelivery
    lookup: Text = Field(description="办理进度和结果查询（方案原文）")
    consultation: GuideConsultation
    items: list[GuideItem] = Field(min_length=1, description="联办事项")


class FaqEntry(Out):
    id: str = Field(pattern=r"^faq-[1-9][0-9]*-[1-9][0-9]*$", description="问题编号（稳定）")
    question: Text = Field(description="问（知识库原文）")
    answer: Text = Field(description="答（知识库原文）")
    items: list[ItemCodeT] = Field(min_length=1, description="相关的事项代码")


class FaqTopic(Out):
    id: str = Field(pattern=r"^faq-[1-9][0-9]*$", description="主题编号（稳定）")
    title: Text = Field(description="主题")
    questions: list[FaqEntry] = Field(min_length=1)


class Faq(Out):
    title: Text = Field(description="标题")
    source: Text = Field(description="出处")
    hotlines: list[Text] = Field(min_length=1, description="热线号码")
    topics: list[FaqTopic] = Field(min_length=1)


def _item_problems(guide: Guide) -> list[str]:
    problems = []
    codes = [item.code for item in guide.items]
    if codes != list(catalogue.codes()):
        problems.append(f"items must be the catalogue's, in its order: {codes}")
        return problems
    names = {d.code: d.name for d in guide.departments}
    for item in guide.items:
        spec = catalogue.spec(item.code)
        limit = item.time_limit
        if item.name != spec.name:
            problems.append(f"{item.code}: name {item.name!r}, catalogue {spec.name!r}")
        if item.department != spec.department:
            problems.append(
                f"{item.code}: department {item.department}, catalogue {spec.department}"
            )
        if item.department_name != names.get(item.department):
            problems.append(f"{item.code}: department_name {item.department_name!r}")
        if limit.working_days != spec.time_limit_working_days:
            problems.append(
                f"{item.code}: {limit.working_days} working days, "
                f"catalogue {spec.time_limit_working_days}"
            )
        if (limit.kind == "working_days") != (limit.working_days > 0):
            problems.append(f"{item.code}: time limit kind {limit.kind} with {limit.working_days}")
        if (limit.kind == "reminder_then_claim") != (spec.grant is not None):
            problems.append(f"{item.code}: only a grant is claimed after a reminder")
    return problems


def _code_problems(guide: Guide) -> list[str]:
    """Every code list the guide offers is exactly the one the application form accepts."""
    grants = {s.code for s in catalogue.items() if s.grant is not None}
    subsidy = next((i for i in guide.items if i.code in grants), None)
    documents = [d.code for m in guide.materials for d in m.documents]
    expected: dict[str, tuple[Sequence[str], Sequence[str]]] = {
        "departments": (
            [f"{d.code}:{d.name}" for d in guide.departments],
            [f"{d.code}:{d.name}" for d in catalogue.departments()],
        ),
        "channels": ([c.code for c in guide.channels], [c.value for c in Channel]),
        "delivery": (
            [m.code for m in guide.delivery.methods],
            list(get_args(DeliveryIn.model_fields["method"].annotation)),
        ),
        "documents": (documents, list(get_args(IdTypeT))),
        "categories": (
            [c.code for c in subsidy.categories] if subsidy else [],
            list(get_args(SubsidyIn.model_fields["category"].annotation)),
        ),
        "hotlines": (list(guide.consultation.hotlines), list(HOTLINES)),
    }
    problems = [
        f"{name}: {sorted(got)}, the API accepts {sorted(want)}"
        for name, (got, want) in expected.items()
        if len(got) != len(set(got)) or set(got) != set(want)
    ]
    problems += [
        f"{i.code}: categories belong to the start-up subsidy only"
        for i in guide.items
        if i.categories and i.code not in grants
    ]
    return problems


def check_guide(guide: Guide) -> list[str]:
    """What in the guide disagrees with the catalogue and the API's codes (empty: nothing)."""
    problems = _item_problems(guide) + _code_problems(guide)
    if guide.time_limit.working_days != CASE_TIME_LIMIT_WORKING_DAYS:
        problems.append(
            f"joint time limit {guide.time_limit.working_days}, "
            f"the service applies {CASE_TIME_LIMIT_WORKING_DAYS}"
        )
    return problems


def check_faq(faq: Faq) -> list[str]:
    """Ids follow the order of annex 5, so each question keeps a stable, citable id."""
    problems = []
    if list(faq.hotlines) != list(HOTLINES):
        problems.append(f"hotlines {faq.hotlines}")
    for t, topic in enumerate(faq.topics, start=1):
        if topic.id != f"faq-{t}":
            problems.append(f"topic {topic.id} should be faq-{t}")
        for q, entry in enumerate(topic.questions, start=1):
            if entry.id != f"faq-{t}-{q}":
                problems.append(f"question {entry.id} should be faq-{t}-{q}")
            if len(entry.items) != len(set(entry.items)):
                problems.append(f"{entry.id}: repeated item codes")
    return problems


def parse_guide(text: str) -> Guide:
    guide = Guide.model_validate_json(text, strict=True)
    problems = check_guide(guide)
    if problems:
        raise GuideDataError("guide.json: " + "; ".join(problems))
    return guide


def parse_faq(text: str) -> Faq:
    faq = Faq.model_validate_json(text, strict=True)
    problems = check_faq(faq)
    if problems:
        raise GuideDataError("faq.json: " + "; ".join(problems))
    return faq


def _read(name: str) -> str:
    return (resources.files(DATA_PACKAGE) / name).read_text("utf-8")


@cache
def load_guide() -> Guide:
    return parse_guide(_read("guide.json"))


@cache
def load_faq() -> Faq:
    return parse_faq(_read("faq.json"))


@operation(
    Operation(
        name="get_guide",
        method="GET",
        path="/v1/guide",
        summary="办事指南（一次告知）：联办事项、申请条件、申请材料、办理时限、申请途径、办理部门",
        tag="guide",
        roles=None,
        responses={200: Guide},
    ),
)
def get_guide(call: Call) -> Reply:
    return Reply(200, load_guide(), headers=_CACHE_CONTROL)


@operation(
    Operation(
        name="get_faq",
        method="GET",
        path="/v1/faq",
        summary="12345、12333 热线知识问答（按主题分组，注明相关事项代码）",
        tag="guide",
        roles=None,
        responses={200: Faq},
    ),
)
def get_faq(call: Call) -> Reply:
    return Reply(200, load_faq(), headers=_CACHE_CONTROL)
