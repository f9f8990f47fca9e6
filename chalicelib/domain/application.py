"""The joint application form's rules beyond its shape (docs/domain.md §3).

Works on the raw request (a mapping as parsed from JSON), so that every rule can be checked
and reported at once even when other parts of the form are malformed (一次告知).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from chalicelib.domain import catalogue
from chalicelib.domain.contact import check_ethnicity, check_luoyang_county, check_phone
from chalicelib.domain.identity import IdentityInfo, check_agreement
from chalicelib.domain.items import FormContext
from chalicelib.domain.problems import Problem
from chalicelib.domain.raw_form import identity_of, parse_date, section, text
from chalicelib.domain.uscc import check_uscc
from chalicelib.domain.window import agent_problems, sharing_problems, signature_problems

__all__ = ["FormContext", "application_problems", "identity_of", "normalized"]


def _applicant_problems(raw: Mapping[str, Any], ctx: FormContext) -> list[Problem]:
    applicant = section(raw, "applicant")
    info, problems = identity_of(applicant, ctx.today)
    birth = parse_date(applicant.get("birth_date"))
    if info is not None:
        gender = applicant.get("gender") if isinstance(applicant.get("gender"), str) else None
        problems += check_agreement(info, gender, birth)
        if info.birth_date is None and birth is None:
            problems.append(
                Problem(
                    "applicant.birth_date", "required", "该证件号码不含出生日期，请填写出生日期"
                )
            )
    if birth is not None and birth > ctx.today:
        problems.append(
            Problem("applicant.birth_date", "birth_date.future", "出生日期不能晚于今天")
        )
    if (phone := text(applicant, "phone")) is not None:
        problems += check_phone(phone, "applicant.phone")
    if (ethnicity := text(applicant, "ethnicity")) is not None:
        problems += check_ethnicity(ethnicity, "applicant.ethnicity")
    return problems


def _items(raw: Mapping[str, Any]) -> list[str]:
    items = raw.get("items")
    return [i for i in items if isinstance(i, str)] if isinstance(items, list) else []


def _item_problems(raw: Mapping[str, Any]) -> list[Problem]:
    items = _items(raw)
    if len(set(items)) != len(items):
        return [Problem("items", "items.duplicate", "联办事项不能重复选择")]
    return []


def _required_section(raw: Mapping[str, Any], item: str, name: str, label: str) -> list[Problem]:
    chosen = item in _items(raw)
    present = raw.get(name) is not None
    if chosen and not present:
        return [Problem(name, "required", f"选择了{label}，请填写{label}信息")]
    if present and not chosen:
        return [Problem(name, "not_applicable", f"未选择{label}，请勿填写{label}信息")]
    return []


def _section_problems(raw: Mapping[str, Any], ctx: FormContext) -> list[Problem]:
    """Each item's own section: there exactly when the item is chosen, and its own checks."""
    problems = []
    for spec, form in catalogue.form_sections():
        problems += _required_section(raw, spec.code, form.name, form.label)
        if form.rules is not None:
            problems += form.rules(section(raw, form.name), ctx)
    return problems


def _delivery_problems(raw: Mapping[str, Any]) -> list[Problem]:
    delivery = section(raw, "delivery")
    method = delivery.get("method")
    needed = {"mail": ("address", "recipient", "phone"), "pickup": ("service_center",)}
    fields = needed.get(method, ()) if isinstance(method, str) else ()
    problems = [
        Problem(f"delivery.{name}", "required", "请填写证照领取方式所需的信息")
        for name in fields
        if text(delivery, name) is None
    ]
    if method == "mail" and (phone := text(delivery, "phone")) is not None:
        problems += check_phone(phone, "delivery.phone")
    return problems


def _other_problems(raw: Mapping[str, Any]) -> list[Problem]:
    problems: list[Problem] = []
    if raw.get("consent") is False:
        problems.append(Problem("consent", "consent.required", "请阅读并确认申请人承诺"))
    if (county := text(raw, "county")) is not None:
        problems += check_luoyang_county(county, "county")
    if (uscc := text(section(raw, "business"), "uscc")) is not None:
        problems += check_uscc(uscc, "business.uscc")
    return problems


_RULES: tuple[Callable[[Mapping[str, Any], FormContext], list[Problem]], ...] = (
    _applicant_problems,
    lambda raw, _ctx: _item_problems(raw),
    _section_problems,
    lambda raw, _ctx: _delivery_problems(raw),
    lambda raw, _ctx: _other_problems(raw),
    lambda raw, ctx: agent_problems(raw, ctx.today),
    lambda raw, _ctx: signature_problems(raw) + sharing_problems(raw),
)


def application_problems(raw: Mapping[str, Any], ctx: FormContext) -> list[Problem]:
    """Every rule of the form that its shape alone cannot express."""
    return [problem for rule in _RULES for problem in rule(raw, ctx)]


def normalized(form: Mapping[str, Any], info: IdentityInfo) -> dict[str, Any]:
    """The form as stored: the ID numbers as the check normalised them (lowercase x to X) and
    the credit code in capitals (docs/domain.md §3)."""
    applicant = {**form["applicant"], "id_number": info.normalized}
    business = {**form["business"], "uscc": str(form["business"]["uscc"]).strip().upper()}
    stored = {**form, "applicant": applicant, "business": business}
    if isinstance(agent := form.get("agent"), Mapping):
        stored["agent"] = {**agent, "id_number": str(agent["id_number"]).strip().upper()}
    return stored
