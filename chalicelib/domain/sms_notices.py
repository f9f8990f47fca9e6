"""Which notices an applicant must not miss go out by SMS as well, through which approved
template, with which variables; and the reasons a notice's SMS state can give.

The in-app notification is the record of what was said; an SMS is one delivery of it, through
a template the provider approved beforehand (Chinese SMS are only sent from approved
templates and signatures). Variables carry no personal data beyond what the template needs:
no name, no ID number, no case id.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from chalicelib.domain import catalogue
from chalicelib.domain.case import CaseStatus, ItemStatus


class Template(StrEnum):
    """A template's key in the stage's configuration (``SMS_TEMPLATES``: key -> template id)."""

    ACCEPTED = "accepted"
    CORRECTION_REQUIRED = "correction_required"
    ITEM_REFUSED = "item_refused"
    CASE_FINISHED = "case_finished"
    SUBSIDY_REMINDER = "subsidy_reminder"
    SUBSIDY_DECIDED = "subsidy_decided"
    PICKUP_CODE = "pickup_code"


# What each template says, as submitted for approval ({1}, {2}: its variables, in order).
# The signature (签名, e.g. 【洛阳人社】) is put in front by the provider.
_MINI_APP = "请在小程序“我的办件”查看"
TEXTS: Mapping[Template, str] = {
    Template.ACCEPTED: f"您的个人创业“一件事”联办申请已受理，应于{{1}}前办结，进度{_MINI_APP}。",
    Template.CORRECTION_REQUIRED: (
        f"您的个人创业“一件事”联办申请需要补正，补正内容{_MINI_APP}，一次性修改后重新提交。"
    ),
    Template.ITEM_REFUSED: f"您申请的“{{1}}”未予办理，原因{_MINI_APP}。",
    Template.CASE_FINISHED: f"您的个人创业“一件事”联办申请已办结（{{1}}），结果{_MINI_APP}。",
    Template.SUBSIDY_REMINDER: (
        "您的个体工商户已正常经营满一年，可申领一次性开业补贴{1}元，请在小程序补充材料后提交申领。"
    ),
    Template.SUBSIDY_DECIDED: f"您的一次性开业补贴申领审核{{1}}，详情{_MINI_APP}。",
    Template.PICKUP_CODE: "您的证照已办好，请凭取件码{1}到您选择的政务服务中心领取。",
}

# Notices whose SMS does not wait for the morning. None today: each of them can wait until
# 08:00, and the in-app notice is there at once.
URGENT: frozenset[Template] = frozenset()

_OUTCOME_WORDS: dict[str, str] = {
    CaseStatus.COMPLETED: "全部办结",
    CaseStatus.PARTIALLY_COMPLETED: "部分办结",
    CaseStatus.REJECTED: "未予办理",
}
# Short names for a 6-character variable (the catalogue's names are longer).
SHORT_NAMES = {
    "license_verification": "营业执照核验",
    "taxpayer_confirmation": "纳税人确认",
    "employment_certificate": "就业创业证",
    "pension_registration": "养老保险登记",
    "startup_subsidy": "创业补贴",
}
GENERIC_ITEM = "联办事项"

# Reason codes a notification's SMS state carries, and what the applicant is told.
REASONS: Mapping[str, str] = {
    "not_sms_type": "此类通知仅在小程序内提示，不发送短信",
    "not_refused": "事项已办结，结果仅在小程序内提示",
    "not_pickup": "证照邮寄，无需取件码，不发送短信",
    "no_mainland_mobile": "联系电话不是中国大陆手机号，无法发送短信，请在小程序内查看",
    "no_template": "该类短信模板尚未配置，未发送短信",
    "bad_params": "短信内容不符合模板要求，未发送短信",
    "quiet_hours": "夜间免打扰，短信将于早上发送",
    "rate_limited": "该号码短信发送过于频繁，稍后发送",
    "retrying": "短信服务暂时不可用，稍后重试",
    "provider_rejected": "短信服务商拒绝发送",
    "gave_up": "多次重试仍未发送成功",
    "undelivered": "短信未能送达",
}


@dataclass(frozen=True)
class Facts:
    """What a notice's SMS may say, read from the store when it is sent."""

    type: str
    item: str | None = None  # the item the notice is about
    item_status: str | None = None  # that item's status now
    case_status: str | None = None
    due_date: date | None = None
    pickup_code: str | None = None
    subsidy_amount: int | None = None
    max_chars: int = 6


@dataclass(frozen=True)
class Plan:
    """The SMS a notice gets (``template``), or why it gets none (``reason``)."""

    template: Template | None = None
    params: dict[str, str] = field(default_factory=dict)
    reason: str | None = None


def _skip(reason: str) -> Plan:
    return Plan(reason=reason)


def grant_items() -> frozenset[str]:
    return frozenset(s.code for s in catalogue.items() if s.grant is not None)


def reviewed_items() -> frozenset[str]:
    return frozenset(s.code for s in catalogue.items() if s.review is not None)


def candidate_types() -> tuple[str, ...]:
    """Notification types that may go by SMS: the SNS subscription's filter policy lets only
    these reach the sender (the others are ``not_applicable`` without being looked at)."""
    fixed = [
        "accepted",
        "correction_required",
        "item_finished",
        "case_finished",
        "subsidy_reminder",
        "delivery_ready",
    ]
    return (*fixed, *(f"{code}_decided" for code in sorted(reviewed_items())))


def item_name(code: str | None, max_chars: int) -> str:
    name = SHORT_NAMES.get(code or "")
    if name is None and code in catalogue.codes():
        name = catalogue.spec(str(code)).name
    return name if name and len(name) <= max_chars else GENERIC_ITEM


def _decided(facts: Facts) -> Plan:
    if facts.item in grant_items():
        approved = facts.item_status == ItemStatus.APPROVED
        return Plan(Template.SUBSIDY_DECIDED, {"decision": "通过" if approved else "未通过"})
    if facts.item_status in (ItemStatus.REFUSED, ItemStatus.REJECTED):
        return Plan(Template.ITEM_REFUSED, {"item": item_name(facts.item, facts.max_chars)})
    return _skip("not_refused")


def _finished(facts: Facts) -> Plan:
    if facts.item_status != ItemStatus.REFUSED:
        return _skip("not_refused")
    return Plan(Template.ITEM_REFUSED, {"item": item_name(facts.item, facts.max_chars)})


def plan(facts: Facts) -> Plan:
    """The SMS of one notice (docs/domain.md §4, §6; README "SMS")."""
    kind = facts.type
    if kind == "accepted" and facts.due_date:
        due = f"{facts.due_date.month}月{facts.due_date.day}日"
        return Plan(Template.ACCEPTED, {"due": due})
    if kind == "correction_required":
        return Plan(Template.CORRECTION_REQUIRED)
    if kind == "item_finished":
        return _finished(facts)
    if kind.endswith("_decided") and facts.item:
        return _decided(facts)
    if kind == "case_finished" and facts.case_status in _OUTCOME_WORDS:
        return Plan(Template.CASE_FINISHED, {"outcome": _OUTCOME_WORDS[facts.case_status]})
    if kind == "subsidy_reminder" and facts.subsidy_amount:
        return Plan(Template.SUBSIDY_REMINDER, {"amount": str(facts.subsidy_amount)})
    if kind == "delivery_ready":
        if not facts.pickup_code:
            return _skip("not_pickup")
        return Plan(Template.PICKUP_CODE, {"code": facts.pickup_code})
    return _skip("not_sms_type")
