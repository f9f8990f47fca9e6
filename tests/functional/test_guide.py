"""一次告知 (docs/domain.md §11): the service guide and the hotline Q&A, public and in Chinese,
served from the data files and kept in line with the item catalogue."""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

import pytest
from chalice.test import Client
from pydantic import ValidationError

from chalicelib.api.guide import (
    GuideDataError,
    check_guide,
    load_faq,
    load_guide,
    parse_faq,
    parse_guide,
)
from chalicelib.domain import catalogue
from chalicelib.domain.case import ItemCode

FIVE = [code.value for code in ItemCode]
# Every question of annex 5 (洛阳市个人创业“一件事”12345、12333热线知识问答库), in its order.
ANNEX_5 = {
    "faq-1-1": "个人创业“一件事”包含哪些服务事项？",
    "faq-1-2": "个人创业“一件事”覆盖哪些人群？",
    "faq-1-3": "个人创业“一件事”如何申请办理？",
    "faq-1-4": "个人创业“一件事”申请材料有哪些？",
    "faq-1-5": "个人创业“一件事”办理周期多长时间？",
    "faq-1-6": "申请人如何查询个人创业“一件事”办理进度和结果？",
    "faq-2-1": "创业补贴的申领条件是什么？",
    "faq-2-2": "一次性开业补贴的补贴标准是什么？",
    "faq-3-1": "无雇工的个体工商户及灵活就业人员参加养老保险登记"
    "和城乡居民养老保险参保登记有什么区别？",
    "faq-3-2": "灵活就业人员参保登记省内是否需要回户籍地经办机构办理？",
}


def _get(client: Client, path: str) -> tuple[Any, dict[str, Any]]:
    response = client.http.get(path)  # no Authorization header: both routes are public
    assert response.status_code == 200, response.body
    assert response.headers["Content-Type"].startswith("application/json")
    text = response.body.decode("utf-8")
    assert "\\u" not in text, "Chinese is sent as UTF-8, not as escapes"
    return response, json.loads(text)


def _data(name: str) -> dict[str, Any]:
    text = (resources.files("chalicelib.data") / name).read_text("utf-8")
    loaded: dict[str, Any] = json.loads(text)
    return loaded


def test_guide_is_public_in_chinese_and_names_the_five_items(client: Client) -> None:
    response, guide = _get(client, "/v1/guide")

    assert response.headers["Cache-Control"] == "public, max-age=300"
    assert guide == _data("guide.json")
    assert [item["code"] for item in guide["items"]] == FIVE
    assert guide["service_target"] == "洛阳市行政区域内创办个体工商户的各类人员。"
    assert guide["time_limit"]["working_days"] == 10
    assert {d["code"]: d["name"] for d in guide["departments"]} == {
        "hrss": "人力资源社会保障部门",
        "market_regulation": "市场监管部门",
        "tax": "税务部门",
    }
    channels = {c["code"]: c for c in guide["channels"]}
    assert channels["online"]["where"] == ["河南政务服务网", "豫事办"]
    assert "综合受理窗口" in channels["window"]["text"]
    assert [m["code"] for m in guide["delivery"]["methods"]] == ["mail", "pickup"]
    assert guide["consultation"]["hotlines"] == ["12345", "12333"]
    assert [m["name"] for m in guide["materials"]] == [
        "洛阳市个人创业“一件事”联办申请表",
        "有效身份证件",
    ]
    items = {item["code"]: item for item in guide["items"]}
    assert items["taxpayer_confirmation"]["time_limit"]["kind"] == "instant"
    assert items["pension_registration"]["time_limit"]["working_days"] == 10
    subsidy = items["startup_subsidy"]
    assert subsidy["time_limit"]["kind"] == "reminder_then_claim"
    assert "5000 元" in subsidy["outcome"]
    assert [c["code"] for c in subsidy["categories"]] == [
        "recent_graduate",
        "hard_to_employ",
        "returning_migrant_worker",
        "veteran",
    ]
    for item in guide["items"]:
        assert item["conditions"] and item["explanation"] and item["outcome"]


def test_faq_is_public_and_has_every_question_of_annex_5(client: Client) -> None:
    _, faq = _get(client, "/v1/faq")

    assert faq == _data("faq.json")
    assert faq["hotlines"] == ["12345", "12333"]
    assert [t["title"] for t in faq["topics"]] == [
        "个人创业“一件事”",
        "创业补贴申领",
        "无雇工的个体工商户及灵活就业人员参加养老保险登记",
    ]
    entries = [q for topic in faq["topics"] for q in topic["questions"]]
    assert len(entries) == 10
    assert {q["id"]: q["question"] for q in entries} == ANNEX_5
    assert all(q["answer"] for q in entries)
    assert set().union(*(q["items"] for q in entries)) == set(FIVE)
    by_id = {q["id"]: q for q in entries}
    assert by_id["faq-2-2"]["answer"] == "一次性开业补贴的标准是 5000 元。"
    assert by_id["faq-2-1"]["items"] == ["startup_subsidy"]
    assert by_id["faq-3-2"] == {
        "id": "faq-3-2",
        "question": "灵活就业人员参保登记省内是否需要回户籍地经办机构办理？",
        "answer": "不需要。",
        "items": ["pension_registration"],
    }


def test_guide_and_faq_give_the_same_answers() -> None:
    guide, faq = load_guide(), load_faq()
    answers = {q.id: q.answer for topic in faq.topics for q in topic.questions}

    assert guide.lookup == answers["faq-1-6"]
    assert guide.consultation.hotlines == faq.hotlines
    subsidy = next(i for i in guide.items if i.code == "startup_subsidy")
    assert "5000 元" in subsidy.explanation and "5000 元" in answers["faq-2-2"]


def test_guide_matches_the_catalogue() -> None:
    guide = load_guide()

    assert check_guide(guide) == []
    assert {item.code for item in guide.items} == set(catalogue.codes())
    for item in guide.items:
        spec = catalogue.spec(item.code)
        assert (item.name, item.department) == (spec.name, spec.department.value)
        assert item.time_limit.working_days == spec.time_limit_working_days
    assert {d.code for d in guide.departments} == {s.department for s in catalogue.items()}


def test_a_guide_that_drifts_from_the_catalogue_is_refused() -> None:
    data = _data("guide.json")
    pension = next(i for i in data["items"] if i["code"] == "pension_registration")
    pension["time_limit"]["working_days"] = 5
    data["items"][0]["department"] = "tax"

    with pytest.raises(GuideDataError) as error:
        parse_guide(json.dumps(data, ensure_ascii=False))
    assert "pension_registration: 5 working days, catalogue 10" in str(error.value)
    assert "license_verification: department tax" in str(error.value)


def test_a_guide_missing_an_item_is_refused() -> None:
    data = _data("guide.json")
    data["items"] = [i for i in data["items"] if i["code"] != "startup_subsidy"]

    with pytest.raises(GuideDataError, match="items must be the catalogue's"):
        parse_guide(json.dumps(data, ensure_ascii=False))


@pytest.mark.parametrize(
    "change",
    [
        lambda d: d.pop("service_target"),
        lambda d: d["items"][0].update(code="business_license"),
        lambda d: d["items"][0].update(unexpected="字段"),
        lambda d: d["items"][1]["time_limit"].update(working_days="0"),
        lambda d: d["items"][2].update(conditions=""),
    ],
    ids=["missing field", "unknown item code", "extra field", "string for int", "empty text"],
)
def test_a_malformed_guide_fails_loudly(change: Any) -> None:
    data = _data("guide.json")
    change(data)

    with pytest.raises(ValidationError):
        parse_guide(json.dumps(data, ensure_ascii=False))


def test_a_malformed_faq_fails_loudly() -> None:
    data = _data("faq.json")
    data["topics"][0]["questions"][1]["id"] = "faq-1-9"
    with pytest.raises(GuideDataError, match="faq-1-9 should be faq-1-2"):
        parse_faq(json.dumps(data, ensure_ascii=False))

    data = _data("faq.json")
    data["topics"][1]["questions"][0]["items"] = ["subsidy"]
    with pytest.raises(ValidationError):
        parse_faq(json.dumps(data, ensure_ascii=False))


def test_both_routes_are_public_in_the_openapi_document(client: Client) -> None:
    _, doc = _get(client, "/openapi.json")

    for path, model in (("/v1/guide", "Guide"), ("/v1/faq", "Faq")):
        op = doc["paths"][path]["get"]
        assert op["security"] == [] and op["tags"] == ["guide"]
        schema = op["responses"]["200"]["content"]["application/json"]["schema"]
        assert schema == {"$ref": f"#/components/schemas/{model}"}
